// Kafka's topic name rules (org.apache.kafka.common.internals.Topic), with its texts.
import { randomBytes } from 'node:crypto';

const MAX_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why a topic name is refused, or undefined when it is legal. */
export function invalidTopicReason(name: string): string | undefined {
  let reason: string | undefined;
  if (name.length === 0) reason = 'the empty string is not allowed';
  else if (name === '.') reason = "'.' is not allowed";
  else if (name === '..') reason = "'..' is not allowed";
  else if (name.length > MAX_NAME_LENGTH) {
    reason = `the length of '${name}' is longer than the max allowed length ${MAX_NAME_LENGTH}`;
  } else if (!LEGAL.test(name)) {
    reason = `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return reason === undefined ? undefined : `Topic name is invalid: ${reason}`;
}

/** '.' and '_' collide in Kafka's metric names, so topics differing only there cannot coexist. */
export function collisionKey(name: string): string {
  return name.replaceAll('.', '_');
}

/** 16 random bytes as Kafka prints a Uuid (base64url, no padding); never all-zero or starting with '-'. */
export function newKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
