import type { IntegrationAdvice, ServiceAdvice, ServiceId, SettingAdvice } from './advice.js';
import type { Condition, SizeLimit } from './conditions.js';

/**
 * The decision table of `tideway advise`. docs/advise.md explains each row and gives the AWS
 * sources of the facts in the reasons. Text may hold `{protocol}`, `{tenants}` and
 * `{messageSize}`, filled from the workload.
 *
 * Two kinds of rows:
 * - PATTERN_RULES: the matching rule with the highest priority names the pattern and brings its
 *   core services and integrations. The last one always matches.
 * - ADVICE_RULES: every matching rule adds services, integrations and settings; a rule can
 *   depend on a service added by another (`uses`), so the engine runs them to a fixed point.
 */

export interface PatternRule {
  id: string;
  priority: number;
  when: Condition;
  pattern: string;
  services: ServiceAdvice[];
  integrations?: IntegrationAdvice[];
}

export interface AdviceRule {
  id: string;
  when: Condition;
  services?: ServiceAdvice[];
  integrations?: IntegrationAdvice[];
  settings?: SettingAdvice[];
}

const ALWAYS: Condition = { all: [] };

const PUB_SUB: Condition = { oneOf: { consumers: ['fan-out', 'independent-readers'] } };

/** Message size limits in bytes: what each service takes by default, and at most once configured. */
export const SIZE_LIMITS: Partial<Record<ServiceId, SizeLimit>> = {
  // SendMessage: up to 1 MiB (1,048,576 bytes); MaximumMessageSize defaults to it.
  sqs: { default: 1_048_576, max: 1_048_576 },
  // 256 KiB by default; MaximumMessageSize up to 1 MiB for SQS, Lambda and Firehose subscriptions.
  sns: { default: 262_144, max: 1_048_576 },
  // PutEvents entry size, raised from 256 KB to 1 MB.
  eventbridge: { default: 1_048_576, max: 1_048_576 },
  // 1 MiB by default; UpdateMaxRecordSize up to 10 MiB (10,240 KiB) for occasional large records.
  'kinesis-data-streams': { default: 1_048_576, max: 10_485_760 },
  // A Firehose record is at most 1,000 KiB before base64.
  firehose: { default: 1_024_000, max: 1_024_000 },
  // Kafka's message.max.bytes default; raised in a custom MSK configuration.
  msk: { default: 1_048_588, max: 8_388_608 },
};

const SQS_QUEUE_BASE =
  'A fully managed queue for competing consumers: each message goes to one worker, is hidden for the visibility timeout while it is processed, and returns for another try unless deleted; failures move to a dead-letter queue after maxReceiveCount receives. Standard queues scale to nearly unlimited API calls per second, with at-least-once delivery and best-effort order.';

export const PATTERN_RULES: readonly PatternRule[] = [
  {
    id: 'kafka',
    priority: 100,
    when: { is: { kafkaApi: true } },
    pattern: 'Kafka event streaming on Amazon MSK',
    services: [
      {
        id: 'msk',
        reason:
          'The Kafka API is needed: MSK runs Apache Kafka itself, so existing Kafka producers and consumers, Kafka Connect and Kafka Streams work unchanged. Order holds within a partition, and consumers re-read by offset for as long as the topic retains data.',
      },
    ],
  },
  {
    id: 'broker',
    priority: 90,
    when: { not: { is: { protocol: 'none' } } },
    pattern: 'Message broker for existing {protocol} clients on Amazon MQ',
    services: [
      {
        id: 'mq',
        reason:
          'Existing {protocol} clients keep working unchanged: Amazon MQ runs managed Apache ActiveMQ (JMS over OpenWire, AMQP 1.0, MQTT, STOMP, WebSocket) and RabbitMQ (AMQP 0-9-1) brokers, so there is no rewrite to the SQS or SNS APIs.',
      },
    ],
  },
  {
    id: 'stream-processing',
    priority: 80,
    when: { is: { stateful: true } },
    pattern: 'Stateful stream processing: Kinesis Data Streams → Managed Service for Apache Flink',
    services: [
      {
        id: 'kinesis-data-streams',
        reason:
          'A durable, ordered stream to process: records keep their order per shard (per partition key), stay readable for the retention period (24 hours by default, up to 365 days), and can be re-read from a sequence number or a timestamp when the job is replayed.',
      },
      {
        id: 'managed-flink',
        reason:
          'Joins, windows and aggregations need state across messages: Managed Service for Apache Flink runs Apache Flink jobs with managed, checkpointed state (exactly-once state on restart) and event-time windows, so no consumer has to keep that state itself.',
      },
    ],
    integrations: [
      {
        id: 'kinesis-managed-flink',
        services: ['kinesis-data-streams', 'managed-flink'],
        description:
          'The Flink job reads the stream with the Kinesis source connector (enhanced fan-out when other consumers share the stream) and writes its results to a sink: another stream, Firehose, S3 or a database.',
      },
    ],
  },
  {
    id: 'event-routing',
    priority: 70,
    when: {
      all: [
        { any: [{ is: { routing: true } }, { is: { saas: true } }, { is: { crossAccount: true } }] },
        { not: { is: { ordering: 'per-partition' } } },
        { not: { is: { throughput: 'sustained-high' } } },
      ],
    },
    pattern: 'Event routing on an Amazon EventBridge event bus',
    services: [
      {
        id: 'eventbridge',
        reason:
          'An event bus routes by content: rules match event patterns on any field of the event (prefix, numeric ranges, anything-but, exists) and send to up to 5 targets each. Buses accept events from other accounts through their resource policy, SaaS partners deliver to partner event buses, and archives keep events for replay.',
      },
    ],
  },
  {
    id: 'stream',
    priority: 60,
    when: {
      any: [
        { is: { replay: true } },
        { is: { ordering: 'per-partition' } },
        { is: { throughput: 'sustained-high', consumers: 'independent-readers' } },
      ],
    },
    pattern: 'Event streaming on Amazon Kinesis Data Streams',
    services: [
      {
        id: 'kinesis-data-streams',
        reason:
          'A stream keeps records after they are read: each shard is an ordered log (order per partition key), records stay for the retention period (24 hours by default, up to 365 days) and readers replay from a sequence number or a timestamp (AT_TIMESTAMP). Several applications read the same records independently, each at its own position.',
      },
    ],
  },
  {
    id: 'delivery',
    priority: 50,
    when: { all: [{ is: { toStorage: true, ordering: 'none', consumers: 'competing' } }] },
    pattern: 'Delivery to storage without code: Amazon Data Firehose',
    services: [
      {
        id: 'firehose',
        reason:
          'Firehose delivers to S3, Redshift, OpenSearch, Splunk, Snowflake and HTTP endpoints with no consumer code: it buffers records by size and time, can convert to Parquet or ORC and partition by content, and retries failed deliveries.',
      },
    ],
    integrations: [
      {
        id: 'firehose-direct-put-s3',
        services: ['firehose'],
        description:
          'Producers call PutRecord/PutRecordBatch on a Direct PUT delivery stream that writes to S3 (or Redshift, OpenSearch…), with an error output prefix for records that fail.',
      },
    ],
  },
  {
    id: 'fan-out-fifo',
    priority: 40,
    when: { all: [PUB_SUB, { is: { ordering: 'per-group' } }] },
    pattern: 'Ordered fan-out: SNS FIFO topic → SQS FIFO queues',
    services: [
      {
        id: 'sns',
        reason:
          'A FIFO topic fans each message out to every subscribed queue, in order within each message group and deduplicated over 5 minutes; each kind of subscriber gets its own queue and, with a filter policy, only the messages it wants.',
      },
      {
        id: 'sqs',
        reason:
          'A FIFO queue per subscriber keeps the per-group order SNS FIFO delivers: SQS hands out one message group at a time, so groups are processed in parallel while each group stays in order, and messages that keep failing go to a FIFO dead-letter queue.',
      },
    ],
    integrations: [
      {
        id: 'sns-fifo-sqs-fifo-fanout',
        services: ['sns', 'sqs'],
        description:
          'Publish with a MessageGroupId (and a MessageDeduplicationId or content-based deduplication) to the FIFO topic; each subscriber owns a FIFO queue subscribed with raw message delivery and its own dead-letter queue.',
      },
    ],
  },
  {
    id: 'fan-out',
    priority: 30,
    when: PUB_SUB,
    pattern: 'Publish/subscribe fan-out: SNS topic → SQS queues',
    services: [
      {
        id: 'sns',
        reason:
          'A topic pushes each message to every subscription (up to 12,500,000 per standard topic), and each subscription has its own filter policy on attributes or body, so several kinds of subscriber get their copy without the producer knowing them.',
      },
      {
        id: 'sqs',
        reason:
          'A queue per subscriber absorbs bursts and outages on its side: SNS delivers into it, its workers poll at their pace, and messages that keep failing go to its dead-letter queue instead of being lost.',
      },
    ],
    integrations: [
      {
        id: 'sns-sqs-fanout',
        services: ['sns', 'sqs'],
        description:
          'Each subscriber owns a queue subscribed to the topic (protocol sqs) with raw message delivery, a filter policy and a redrive policy; the queue policy lets sns.amazonaws.com send, scoped with aws:SourceArn to the topic.',
      },
    ],
  },
  {
    id: 'queue-fifo',
    priority: 20,
    when: { is: { ordering: 'per-group' } },
    pattern: 'Ordered work queue: SQS FIFO queue',
    services: [
      {
        id: 'sqs',
        reason:
          'A FIFO queue keeps order within each message group and drops duplicates sent within the 5-minute deduplication interval (exactly-once processing), while different groups are worked on in parallel. It takes 300 API calls per second per action (3,000 messages per second with batches of 10), and far more in high-throughput mode.',
      },
    ],
    integrations: [
      {
        id: 'sqs-redrive-dlq',
        services: ['sqs'],
        description:
          'Workers (or a Lambda event source mapping) receive from the queue; a redrive policy moves a message that failed maxReceiveCount times to a dead-letter queue of the same type, from which it is redriven once fixed.',
      },
    ],
  },
  {
    id: 'queue',
    priority: 0,
    when: ALWAYS,
    pattern: 'Work queue: SQS standard queue',
    services: [{ id: 'sqs', reason: SQS_QUEUE_BASE }],
    integrations: [
      {
        id: 'sqs-redrive-dlq',
        services: ['sqs'],
        description:
          'Workers (or a Lambda event source mapping) receive from the queue; a redrive policy moves a message that failed maxReceiveCount times to a dead-letter queue, from which it is redriven once fixed.',
      },
    ],
  },
];

const QUEUE_POLICY_WHY =
  'SNS and EventBridge deliver through the queue policy: without a statement that allows their service principal, AWS drops the messages silently; aws:SourceArn keeps other accounts’ topics and rules from using the grant (the confused deputy).';

export const ADVICE_RULES: readonly AdviceRule[] = [
  // --- Services added around the pattern ---------------------------------------------------
  {
    id: 'event-routing-to-queue',
    when: { all: [{ pattern: 'event-routing' }, { is: { consumers: 'competing' } }] },
    services: [
      {
        id: 'sqs',
        reason:
          'A queue as the rule’s target buffers events for a pool of competing workers; EventBridge delivers with retries (up to 185 attempts over 24 hours by default) and sends what it cannot deliver to the target’s dead-letter queue.',
      },
    ],
    integrations: [
      {
        id: 'eventbridge-sqs-dlq',
        services: ['eventbridge', 'sqs'],
        description:
          'A rule on the bus matches the events and targets the queue with a retry policy and a DeadLetterConfig; both queues’ policies allow events.amazonaws.com to sqs:SendMessage, scoped with aws:SourceArn to the rule.',
      },
    ],
  },
  {
    id: 'event-routing-fan-out',
    when: { all: [{ pattern: 'event-routing' }, PUB_SUB] },
    integrations: [
      {
        id: 'eventbridge-rules-fanout',
        services: ['eventbridge'],
        description:
          'One rule per kind of subscriber, each with its own event pattern and up to 5 targets (queues, functions, streams, API destinations, buses in other accounts); each target gets a retry policy and a dead-letter queue.',
      },
    ],
  },
  {
    id: 'firehose-from-stream',
    when: { all: [{ is: { toStorage: true } }, { uses: 'kinesis-data-streams' }] },
    services: [
      {
        id: 'firehose',
        reason:
          'Firehose reads the stream as one more consumer and delivers to S3, Redshift or OpenSearch without code, buffered by size and time, while the stream keeps its other readers and its replay.',
      },
    ],
    integrations: [
      {
        id: 'kinesis-firehose-s3',
        services: ['kinesis-data-streams', 'firehose'],
        description:
          'A delivery stream with the Kinesis data stream as its source (KinesisStreamSourceConfiguration, with a role that can read the stream) writes to S3, with an error output prefix.',
      },
    ],
  },
  {
    id: 'firehose-from-msk',
    when: { all: [{ is: { toStorage: true } }, { uses: 'msk' }] },
    services: [
      {
        id: 'firehose',
        reason:
          'Firehose reads an MSK topic as its source and delivers to S3 without Kafka Connect workers to run.',
      },
    ],
    integrations: [
      {
        id: 'msk-firehose-s3',
        services: ['msk', 'firehose'],
        description:
          'A delivery stream with the MSK cluster and topic as its source (MSKSourceConfiguration, IAM authentication) writes to S3.',
      },
    ],
  },
  {
    id: 'firehose-from-sns',
    when: { all: [{ is: { toStorage: true } }, { uses: 'sns' }, { not: { is: { ordering: 'per-group' } } }] },
    services: [
      {
        id: 'firehose',
        reason:
          'A firehose subscription archives every message of the topic to S3 or analytics without code, next to the other subscribers.',
      },
    ],
    integrations: [
      {
        id: 'sns-firehose-s3',
        services: ['sns', 'firehose'],
        description:
          'A subscription with protocol firehose (and a subscription role that can put records) delivers each message to the delivery stream, which writes to S3.',
      },
    ],
  },
  {
    id: 'firehose-from-eventbridge',
    when: { all: [{ is: { toStorage: true } }, { uses: 'eventbridge' }] },
    services: [
      {
        id: 'firehose',
        reason: 'A Firehose target archives the matched events to S3 or analytics without code.',
      },
    ],
    integrations: [
      {
        id: 'eventbridge-firehose-s3',
        services: ['eventbridge', 'firehose'],
        description:
          'A rule targets the delivery stream (with a role that allows firehose:PutRecord), which writes to S3.',
      },
    ],
  },
  {
    id: 'firehose-alongside',
    when: {
      all: [
        { is: { toStorage: true } },
        { not: { any: [{ uses: 'kinesis-data-streams' }, { uses: 'msk' }, { uses: 'eventbridge' }] } },
        { not: { all: [{ uses: 'sns' }, { not: { is: { ordering: 'per-group' } } }] } },
        { not: { pattern: 'delivery' } },
      ],
    },
    services: [
      {
        id: 'firehose',
        reason:
          'The copy for storage goes to a Firehose Direct PUT delivery stream, which lands it in S3, Redshift or OpenSearch without consumer code.',
      },
    ],
    integrations: [
      {
        id: 'firehose-direct-put-s3',
        services: ['firehose'],
        description:
          'Producers also write each message to a Direct PUT delivery stream (PutRecordBatch) that delivers to S3; nothing reads the queue for storage.',
      },
    ],
  },
  {
    id: 'flink-on-msk',
    when: { all: [{ is: { stateful: true } }, { uses: 'msk' }] },
    services: [
      {
        id: 'managed-flink',
        reason:
          'Joins and windows over Kafka topics: Managed Service for Apache Flink runs Flink jobs with the Kafka connector and managed, checkpointed state.',
      },
    ],
    integrations: [
      {
        id: 'msk-managed-flink',
        services: ['msk', 'managed-flink'],
        description:
          'The Flink job reads the topics with the Kafka source connector (IAM or SCRAM authentication to the cluster) and writes its results to another topic or a sink.',
      },
    ],
  },
  {
    id: 'event-archive-replay',
    when: { all: [{ uses: 'eventbridge' }, { is: { replay: true } }] },
    integrations: [
      {
        id: 'eventbridge-archive-replay',
        services: ['eventbridge'],
        description:
          'An archive on the bus keeps the events that match its pattern for its retention period; StartReplay sends the archived events of a time range back to the bus’s rules.',
      },
    ],
    settings: [
      {
        service: 'eventbridge',
        setting: 'Archive RetentionDays',
        value: 'the replay window you need (0 keeps events indefinitely)',
        why: 'EventBridge keeps nothing after delivery; only an archive makes events replayable.',
      },
    ],
  },

  // --- Message size ------------------------------------------------------------------------
  {
    id: 'sns-large-messages',
    when: {
      all: [
        { exceeds: { service: 'sns', limit: 'default' } },
        { not: { exceeds: { service: 'sns', limit: 'max' } } },
        { uses: 'sns' },
      ],
    },
    settings: [
      {
        service: 'sns',
        setting: 'MaximumMessageSize',
        value: '1048576',
        why: 'Messages of {messageSize} exceed SNS’s default 256 KiB; above 256 KiB a topic takes only SQS, Lambda and Firehose subscriptions, at most 100 of them.',
      },
    ],
  },
  {
    id: 'kinesis-large-records',
    when: {
      all: [
        { exceeds: { service: 'kinesis-data-streams', limit: 'default' } },
        { not: { exceeds: { service: 'kinesis-data-streams', limit: 'max' } } },
        { uses: 'kinesis-data-streams' },
      ],
    },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'MaxRecordSizeInKiB',
        value: '10240',
        why: 'Records of {messageSize} exceed the default 1 MiB; UpdateMaxRecordSize allows up to 10 MiB, meant for occasional large records (the shard’s 1 MB/s write rate is unchanged).',
      },
    ],
  },
  {
    id: 'msk-large-messages',
    when: {
      all: [
        { exceeds: { service: 'msk', limit: 'default' } },
        { not: { exceeds: { service: 'msk', limit: 'max' } } },
        { uses: 'msk' },
      ],
    },
    settings: [
      {
        service: 'msk',
        setting: 'message.max.bytes',
        value:
          'the largest message, with replica.fetch.max.bytes and the consumers’ max.partition.fetch.bytes at least as large',
        why: 'Messages of {messageSize} exceed Kafka’s default of about 1 MB; the broker rejects larger ones unless a custom MSK configuration raises it.',
      },
    ],
  },
  ...(['sqs', 'sns', 'eventbridge', 'kinesis-data-streams', 'firehose', 'msk'] as const).map(
    (service): AdviceRule => ({
      id: `claim-check-${service}`,
      when: { all: [{ uses: service }, { exceeds: { service, limit: 'max' } }] },
      integrations: [
        {
          id: 'claim-check-s3',
          services: [service],
          description:
            'Messages of {messageSize} are over what the service carries: store the payload in S3 and send its bucket and key instead (the claim-check pattern; the SQS and SNS extended client libraries do it), with an S3 lifecycle rule that expires old payloads.',
        },
      ],
    }),
  ),

  // --- SQS ---------------------------------------------------------------------------------
  {
    id: 'sqs-long-polling',
    when: { uses: 'sqs' },
    settings: [
      {
        service: 'sqs',
        setting: 'ReceiveMessageWaitTimeSeconds',
        value: '20',
        why: 'Long polling waits up to 20 s for messages and asks all SQS servers: fewer empty receives (each is billed) and no false empty answers. Short polling (0) hammers an empty queue.',
      },
    ],
  },
  {
    id: 'sqs-visibility',
    when: { uses: 'sqs' },
    settings: [
      {
        service: 'sqs',
        setting: 'VisibilityTimeout',
        value: 'at least 6 × the consumer’s processing time (the function timeout with Lambda)',
        why: 'A message must stay hidden while it is processed, or another worker gets it too; Lambda refuses an event source mapping whose queue’s visibility timeout is below the function timeout, and AWS recommends six times it so retries of throttled batches fit.',
      },
    ],
  },
  {
    id: 'sqs-redrive',
    when: { uses: 'sqs' },
    settings: [
      {
        service: 'sqs',
        setting: 'RedrivePolicy',
        value: '{"deadLetterTargetArn": "<DLQ ARN>", "maxReceiveCount": 5}',
        why: 'A message that fails every time (a poison message) would otherwise come back until its retention ends; the dead-letter queue keeps it for inspection and redrive. Give the DLQ a longer MessageRetentionPeriod than the source queue.',
      },
    ],
  },
  {
    id: 'sqs-kms',
    when: { uses: 'sqs' },
    settings: [
      {
        service: 'sqs',
        setting: 'KmsMasterKeyId',
        value: 'a customer-managed KMS key',
        why: 'A customer-managed key lets you control and audit who decrypts; when SNS, EventBridge or S3 send to the queue, its key policy must let their service principal use it (kms:GenerateDataKey, kms:Decrypt) — the AWS-managed alias/aws/sqs key cannot be shared with them and their deliveries fail.',
      },
    ],
  },
  {
    id: 'sqs-policy-for-sns',
    when: { all: [{ uses: 'sqs' }, { uses: 'sns' }] },
    settings: [
      {
        service: 'sqs',
        setting: 'QueuePolicy',
        value: 'Allow sns.amazonaws.com sqs:SendMessage with Condition ArnEquals aws:SourceArn = <topic ARN>',
        why: QUEUE_POLICY_WHY,
      },
    ],
  },
  {
    id: 'sqs-policy-for-eventbridge',
    when: { all: [{ uses: 'sqs' }, { uses: 'eventbridge' }] },
    settings: [
      {
        service: 'sqs',
        setting: 'QueuePolicy',
        value:
          'Allow events.amazonaws.com sqs:SendMessage with Condition ArnEquals aws:SourceArn = <rule ARN>',
        why: QUEUE_POLICY_WHY,
      },
    ],
  },
  {
    id: 'sqs-fifo',
    when: { all: [{ uses: 'sqs' }, { is: { ordering: 'per-group' } }] },
    settings: [
      {
        service: 'sqs',
        setting: 'FifoQueue',
        value:
          'true (name ends in .fifo), with ContentBasedDeduplication or a MessageDeduplicationId per message',
        why: 'Only FIFO queues keep order, per MessageGroupId: use the entity whose events must stay in order (order id, customer id) as the group, so different groups still run in parallel.',
      },
    ],
  },
  {
    id: 'sqs-fifo-high-throughput',
    when: { all: [{ uses: 'sqs' }, { is: { ordering: 'per-group', throughput: 'sustained-high' } }] },
    settings: [
      {
        service: 'sqs',
        setting: 'DeduplicationScope / FifoThroughputLimit',
        value: 'messageGroup / perMessageGroupId',
        why: 'High-throughput mode lifts the FIFO queue’s 300 API calls per second per action to a per-partition quota, far higher in total; spread the load over many message group ids.',
      },
    ],
  },
  {
    id: 'sqs-fair-queues',
    when: {
      all: [{ uses: 'sqs' }, { above: { tenants: 1 } }, { not: { is: { ordering: 'per-group' } } }],
    },
    settings: [
      {
        service: 'sqs',
        setting: 'MessageGroupId (on SendMessage to the standard queue)',
        value: 'the tenant id',
        why: 'With {tenants} tenants on one queue, a tenant that floods it delays all others. A standard queue whose messages carry a MessageGroupId is a fair queue: SQS spots the noisy tenant and serves the quiet tenants’ messages first, keeping their dwell time low, without FIFO’s throughput limits.',
      },
    ],
  },
  {
    id: 'sqs-tenants-fifo',
    when: { all: [{ uses: 'sqs' }, { above: { tenants: 1 } }, { is: { ordering: 'per-group' } }] },
    settings: [
      {
        service: 'sqs',
        setting: 'MessageGroupId',
        value: 'a key that includes the tenant id (tenant#entity)',
        why: 'With {tenants} tenants, groups keyed by tenant keep one tenant’s backlog from blocking another tenant’s groups, since FIFO delivers each group in turn.',
      },
    ],
  },

  // --- SNS ---------------------------------------------------------------------------------
  {
    id: 'sns-raw-delivery',
    when: { all: [{ uses: 'sns' }, { uses: 'sqs' }] },
    settings: [
      {
        service: 'sns',
        setting: 'RawMessageDelivery (subscription)',
        value: 'true',
        why: 'The queue gets the published body as is, with message attributes as SQS message attributes, instead of SNS’s JSON envelope that every consumer would have to unwrap.',
      },
    ],
  },
  {
    id: 'sns-subscription-dlq',
    when: { uses: 'sns' },
    settings: [
      {
        service: 'sns',
        setting: 'RedrivePolicy (subscription)',
        value: '{"deadLetterTargetArn": "<SQS DLQ ARN>"}',
        why: 'When SNS cannot deliver (the endpoint is gone, a policy or key refuses it), it retries and then drops the message unless the subscription has a dead-letter queue; that queue’s policy must allow sns.amazonaws.com with aws:SourceArn = the topic.',
      },
    ],
  },
  {
    id: 'sns-filter-policy',
    when: { all: [{ uses: 'sns' }, { any: [{ is: { routing: true } }, { is: { consumers: 'fan-out' } }] }] },
    settings: [
      {
        service: 'sns',
        setting: 'FilterPolicy / FilterPolicyScope (subscription)',
        value: 'the attributes (MessageAttributes) or body fields (MessageBody) each subscriber wants',
        why: 'Each subscriber receives only its messages, filtered by SNS, instead of receiving everything and discarding most of it.',
      },
    ],
  },
  {
    id: 'sns-kms',
    when: { uses: 'sns' },
    settings: [
      {
        service: 'sns',
        setting: 'KmsMasterKeyId',
        value: 'a customer-managed KMS key',
        why: 'Encrypts messages at rest with a key you control; publishers such as EventBridge, S3 or CloudWatch need the key policy to let their service principal use it — the AWS-managed alias/aws/sns key cannot be shared with them.',
      },
    ],
  },
  {
    id: 'sns-fifo',
    when: { all: [{ uses: 'sns' }, { is: { ordering: 'per-group' } }] },
    settings: [
      {
        service: 'sns',
        setting: 'FifoTopic',
        value: 'true (name ends in .fifo), with ContentBasedDeduplication or a MessageDeduplicationId',
        why: 'Only a FIFO topic keeps the order of each MessageGroupId through to the subscribed queues; subscribe FIFO queues to keep it to the consumers.',
      },
    ],
  },
  {
    id: 'sns-fifo-throughput',
    when: { all: [{ uses: 'sns' }, { is: { ordering: 'per-group', throughput: 'sustained-high' } }] },
    settings: [
      {
        service: 'sns',
        setting: 'FifoThroughputScope',
        value: 'MessageGroup',
        why: 'With the Topic scope a FIFO topic is limited to 3,000 messages per second; the MessageGroup scope raises the limit to the regional maximum, spread over message groups.',
      },
    ],
  },

  // --- EventBridge -------------------------------------------------------------------------
  {
    id: 'eventbridge-target-dlq',
    when: { uses: 'eventbridge' },
    settings: [
      {
        service: 'eventbridge',
        setting: 'DeadLetterConfig (target)',
        value: '{"Arn": "<SQS DLQ ARN>"}',
        why: 'Events that cannot be delivered after the retries are dropped unless the target has a dead-letter queue; that queue’s policy must allow events.amazonaws.com to sqs:SendMessage, scoped with aws:SourceArn = the rule.',
      },
      {
        service: 'eventbridge',
        setting: 'RetryPolicy (target)',
        value:
          '{"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400} or less, to fail faster into the DLQ',
        why: 'EventBridge retries a failing target with backoff for up to 24 hours by default; shorter limits move undeliverable events to the dead-letter queue sooner.',
      },
    ],
  },
  {
    id: 'eventbridge-content-routing',
    when: { all: [{ uses: 'eventbridge' }, { is: { routing: true } }] },
    settings: [
      {
        service: 'eventbridge',
        setting: 'EventPattern (rule)',
        value: 'match on detail fields with prefix, numeric, anything-but and exists filters',
        why: 'Content-based routing happens in the bus: each rule sends only the events its target needs, and input transformers shape what the target receives.',
      },
    ],
  },
  {
    id: 'eventbridge-cross-account',
    when: { all: [{ uses: 'eventbridge' }, { is: { crossAccount: true } }] },
    settings: [
      {
        service: 'eventbridge',
        setting: 'Event bus policy',
        value:
          'Allow events:PutEvents to the sending accounts, or to your organization with aws:PrincipalOrgID',
        why: 'A bus accepts events from other accounts only through its resource policy; the sending account’s rule targets the bus ARN with a role that may call events:PutEvents on it.',
      },
    ],
  },
  {
    id: 'eventbridge-saas',
    when: { all: [{ uses: 'eventbridge' }, { is: { saas: true } }] },
    settings: [
      {
        service: 'eventbridge',
        setting: 'Partner event source → event bus',
        value:
          'associate the partner event source (aws.partner/…) with a partner event bus, then add rules on it',
        why: 'SaaS partners deliver their events to EventBridge directly; no webhook receiver to run or secure.',
      },
    ],
  },
  {
    id: 'eventbridge-fifo-target',
    when: { all: [{ uses: 'eventbridge' }, { uses: 'sqs' }, { is: { ordering: 'per-group' } }] },
    settings: [
      {
        service: 'eventbridge',
        setting: 'SqsParameters.MessageGroupId (target)',
        value: 'the ordering key, e.g. from the event',
        why: 'A FIFO queue target needs a message group id; EventBridge does not itself guarantee order, so consumers that need strict order also check a sequence or timestamp in the event.',
      },
    ],
  },

  // --- Kinesis Data Streams ----------------------------------------------------------------
  {
    id: 'kinesis-on-demand',
    when: { all: [{ uses: 'kinesis-data-streams' }, { is: { throughput: 'bursty' } }] },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'StreamModeDetails.StreamMode',
        value: 'ON_DEMAND',
        why: 'On-demand capacity follows spiky traffic (up to double the previous peak) with no shards to manage; pay per GB instead of per shard-hour.',
      },
    ],
  },
  {
    id: 'kinesis-provisioned',
    when: { all: [{ uses: 'kinesis-data-streams' }, { is: { throughput: 'sustained-high' } }] },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'StreamModeDetails.StreamMode / ShardCount',
        value: 'PROVISIONED, shards = max(MB/s written ÷ 1, records/s ÷ 1,000), with headroom',
        why: 'A steady high volume costs less on provisioned shards; each shard takes 1 MB/s or 1,000 records/s of writes and serves 2 MB/s of reads.',
      },
    ],
  },
  {
    id: 'kinesis-enhanced-fan-out',
    when: {
      all: [{ uses: 'kinesis-data-streams' }, { any: [PUB_SUB, { is: { latency: 'sub-second' } }] }],
    },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'RegisterStreamConsumer (enhanced fan-out)',
        value: 'one consumer per reading application that needs its own throughput or low latency',
        why: 'Without it all readers share each shard’s 2 MB/s and 5 GetRecords calls per second; an enhanced fan-out consumer gets its own 2 MB/s per shard, pushed over SubscribeToShard with about 70 ms latency.',
      },
    ],
  },
  {
    id: 'kinesis-retention',
    when: { all: [{ uses: 'kinesis-data-streams' }, { is: { replay: true } }] },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'RetentionPeriodHours',
        value: 'the replay window (24 by default, up to 8760 = 365 days)',
        why: 'Records can be replayed (AT_TIMESTAMP, AT_SEQUENCE_NUMBER) only while retained; beyond 7 days, long-term retention is billed per GB-month.',
      },
    ],
  },
  {
    id: 'kinesis-partition-key',
    when: { uses: 'kinesis-data-streams' },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'PartitionKey (PutRecords)',
        value: 'the entity whose records must stay in order, with many distinct values',
        why: 'Order holds only within a shard, and the key picks the shard: a key with few values makes hot shards and throttling (ProvisionedThroughputExceededException).',
      },
    ],
  },
  {
    id: 'kinesis-kms',
    when: { uses: 'kinesis-data-streams' },
    settings: [
      {
        service: 'kinesis-data-streams',
        setting: 'StreamEncryption',
        value: '{"EncryptionType": "KMS", "KeyId": "<customer-managed key>"}',
        why: 'Server-side encryption at rest under a key you control; producers and consumers need kms:GenerateDataKey and kms:Decrypt on it.',
      },
    ],
  },

  // --- Firehose ----------------------------------------------------------------------------
  {
    id: 'firehose-buffering-fast',
    when: { all: [{ uses: 'firehose' }, { oneOf: { latency: ['sub-second', 'seconds'] } }] },
    settings: [
      {
        service: 'firehose',
        setting: 'BufferingHints',
        value: '{"IntervalInSeconds": 60, "SizeInMBs": 5} or lower (down to 0 s)',
        why: 'Firehose delivers when the first of the size and time hints is reached (300 s by default for S3); a short interval brings data to storage sooner, at the cost of more, smaller objects.',
      },
    ],
  },
  {
    id: 'firehose-buffering-batch',
    when: { all: [{ uses: 'firehose' }, { is: { latency: 'minutes' } }] },
    settings: [
      {
        service: 'firehose',
        setting: 'BufferingHints',
        value: '{"IntervalInSeconds": 900, "SizeInMBs": 128}',
        why: 'When minutes of delay are fine, large buffers write fewer, larger S3 objects: cheaper to store and faster for Athena or Redshift to scan.',
      },
    ],
  },
  {
    id: 'firehose-errors',
    when: { uses: 'firehose' },
    settings: [
      {
        service: 'firehose',
        setting: 'ErrorOutputPrefix / CloudWatchLoggingOptions',
        value: 'errors/!{firehose:error-output-type}/ and logging enabled',
        why: 'Records that fail conversion or delivery land under the error prefix instead of disappearing, and the logs say why.',
      },
    ],
  },
  {
    id: 'firehose-behind-sns',
    when: { all: [{ uses: 'firehose' }, { uses: 'sns' }, { not: { is: { ordering: 'per-group' } } }] },
    settings: [
      {
        service: 'firehose',
        setting: 'ProcessingConfiguration',
        value: 'no AppendDelimiterToRecord processor',
        why: 'SNS already ends each record it delivers to Firehose with a newline; appending another puts an empty line between records in S3.',
      },
    ],
  },

  // --- Managed Service for Apache Flink ----------------------------------------------------
  {
    id: 'flink-checkpoints',
    when: { uses: 'managed-flink' },
    settings: [
      {
        service: 'managed-flink',
        setting: 'CheckpointConfiguration',
        value: '{"ConfigurationType": "DEFAULT"} (checkpointing on, every 60 s) and snapshots enabled',
        why: 'State survives restarts, scaling and updates only through checkpoints and snapshots; without them a restart loses windows and joins in progress.',
      },
      {
        service: 'managed-flink',
        setting: 'ParallelismConfiguration',
        value:
          '{"ConfigurationType": "CUSTOM", "Parallelism": <≤ source shards or partitions>, "AutoScalingEnabled": true}',
        why: 'A source subtask reads at least one shard or partition; parallelism above their count leaves subtasks idle.',
      },
    ],
  },

  // --- MSK ---------------------------------------------------------------------------------
  {
    id: 'msk-auth',
    when: { uses: 'msk' },
    settings: [
      {
        service: 'msk',
        setting: 'ClientAuthentication',
        value:
          'IAM access control, or SASL/SCRAM with secrets named AmazonMSK_… encrypted with a customer-managed KMS key',
        why: 'MSK associates only secrets whose name starts with AmazonMSK_ and that are not encrypted with the default aws/secretsmanager key; IAM access control avoids passwords altogether.',
      },
      {
        service: 'msk',
        setting: 'EncryptionInfo.EncryptionInTransit',
        value: '{"ClientBroker": "TLS", "InCluster": true}',
        why: 'Clients and brokers talk over TLS, and replication between brokers is encrypted too.',
      },
    ],
  },
  {
    id: 'msk-lambda',
    when: { uses: 'msk' },
    settings: [
      {
        service: 'msk',
        setting: 'SourceAccessConfigurations (Lambda event source mapping)',
        value: 'SASL_SCRAM_512_AUTH with the secret’s ARN (or IAM authentication)',
        why: 'Lambda reads the credentials from Secrets Manager: no password in the template or the function’s environment.',
      },
    ],
  },
  {
    id: 'msk-retention',
    when: { all: [{ uses: 'msk' }, { is: { replay: true } }] },
    settings: [
      {
        service: 'msk',
        setting: 'retention.ms / tiered storage',
        value: 'the replay window; tiered storage for long windows',
        why: 'Consumers replay by resetting their offsets, as far back as the topic retains data; tiered storage keeps long retention without sizing broker disks for it.',
      },
    ],
  },

  // --- Amazon MQ ---------------------------------------------------------------------------
  {
    id: 'mq-deployment',
    when: { uses: 'mq' },
    settings: [
      {
        service: 'mq',
        setting: 'DeploymentMode',
        value: 'ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or CLUSTER_MULTI_AZ (RabbitMQ)',
        why: 'A single-instance broker is down during maintenance and failures; the multi-AZ modes fail over to another Availability Zone.',
      },
      {
        service: 'mq',
        setting: 'Users[].Password',
        value: '{{resolve:secretsmanager:…}} or a NoEcho parameter, never a literal',
        why: 'A password in the template is readable by everyone who can read the template or the stack.',
      },
      {
        service: 'mq',
        setting: 'SourceAccessConfigurations (Lambda event source mapping)',
        value: 'BASIC_AUTH with a Secrets Manager secret ARN',
        why: 'Lambda reads the broker credentials from Secrets Manager; none live in code or environment variables.',
      },
    ],
  },
];
