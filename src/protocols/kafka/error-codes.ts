import { ERRORS } from '../models/kafka-protocol.js';

export type KafkaErrorName = keyof typeof ERRORS;

/** Kafka's error code for a name of Errors.java (`errorCode('UNKNOWN_TOPIC_OR_PARTITION')` → 3). */
export function errorCode(name: KafkaErrorName): number {
  return ERRORS[name][0];
}

/** Kafka's default message for an error, as its brokers put in errorMessage fields. */
export function errorMessage(name: KafkaErrorName): string | null {
  return ERRORS[name][1];
}

const BY_CODE = new Map<number, KafkaErrorName>(
  (Object.keys(ERRORS) as KafkaErrorName[]).map((name) => [ERRORS[name][0], name]),
);

/** The name of an error code, for logs and tests. */
export function errorName(code: number): KafkaErrorName | undefined {
  return BY_CODE.get(code);
}
