/** What `tideway advise` answers, in the shape `--format json` prints. */

export const SERVICE_IDS = [
  'sqs',
  'sns',
  'eventbridge',
  'mq',
  'kinesis-data-streams',
  'firehose',
  'managed-flink',
  'msk',
] as const;

export type ServiceId = (typeof SERVICE_IDS)[number];

export const SERVICE_NAMES: Record<ServiceId, string> = {
  sqs: 'Amazon SQS',
  sns: 'Amazon SNS',
  eventbridge: 'Amazon EventBridge',
  mq: 'Amazon MQ',
  'kinesis-data-streams': 'Amazon Kinesis Data Streams',
  firehose: 'Amazon Data Firehose',
  'managed-flink': 'Amazon Managed Service for Apache Flink',
  msk: 'Amazon MSK',
};

export interface ServiceAdvice {
  id: ServiceId;
  reason: string;
}

/** How two or more of the services are wired together, in the order messages flow. */
export interface IntegrationAdvice {
  id: string;
  services: ServiceId[];
  description: string;
}

/** One production setting that matters for the choice. */
export interface SettingAdvice {
  service: ServiceId;
  /** The API attribute or template property, as AWS spells it. */
  setting: string;
  value: string;
  why: string;
}

export interface Advice {
  pattern: string;
  services: ServiceAdvice[];
  integrations: IntegrationAdvice[];
  settings: SettingAdvice[];
}
