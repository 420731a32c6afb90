import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Advice, advise, parseWorkload, type ServiceId } from '../../src/knowhow/advise/index.js';

// Representative workloads for each use case of each service, and workloads that combine or pull
// against each other. The facts behind each expectation are in docs/advise.md ("Sources").

function adviceFor(workload: Record<string, unknown>): Advice {
  return advise(parseWorkload(workload));
}

function services(advice: Advice): ServiceId[] {
  return advice.services.map((s) => s.id);
}

function integrations(advice: Advice): string[] {
  return advice.integrations.map((i) => i.id);
}

function settingValue(advice: Advice, service: ServiceId, setting: string): string | undefined {
  return advice.settings.find((s) => s.service === service && s.setting === setting)?.value;
}

function reason(advice: Advice, service: ServiceId): string {
  const found = advice.services.find((s) => s.id === service);
  assert.ok(found, `${service} is recommended`);
  return found.reason;
}

describe('advise: SQS', () => {
  it('gives a standard queue with long polling and a DLQ to competing workers', () => {
    const advice = adviceFor({});
    assert.match(advice.pattern, /SQS standard queue/);
    assert.deepEqual(services(advice), ['sqs']);
    assert.deepEqual(integrations(advice), ['sqs-redrive-dlq']);
    assert.equal(settingValue(advice, 'sqs', 'ReceiveMessageWaitTimeSeconds'), '20');
    assert.match(settingValue(advice, 'sqs', 'RedrivePolicy')!, /maxReceiveCount/);
    assert.match(settingValue(advice, 'sqs', 'VisibilityTimeout')!, /6 ×/);
    assert.match(settingValue(advice, 'sqs', 'KmsMasterKeyId')!, /customer-managed/);
    // Nothing sends to the queue through its policy, so no policy advice.
    assert.equal(settingValue(advice, 'sqs', 'QueuePolicy'), undefined);
  });

  it('gives a FIFO queue for per-group ordering, with the 300 msg/s limit and FifoQueue', () => {
    const advice = adviceFor({ ordering: 'per-group' });
    assert.match(advice.pattern, /SQS FIFO/);
    assert.deepEqual(services(advice), ['sqs']);
    assert.match(reason(advice, 'sqs'), /message group/);
    assert.match(reason(advice, 'sqs'), /300 API calls per second/);
    assert.match(settingValue(advice, 'sqs', 'FifoQueue')!, /^true/);
    assert.equal(settingValue(advice, 'sqs', 'DeduplicationScope / FifoThroughputLimit'), undefined);
  });

  it('switches a sustained-high FIFO queue to high-throughput mode', () => {
    const advice = adviceFor({ ordering: 'per-group', throughput: 'sustained-high' });
    assert.deepEqual(services(advice), ['sqs']);
    assert.equal(
      settingValue(advice, 'sqs', 'DeduplicationScope / FifoThroughputLimit'),
      'messageGroup / perMessageGroupId',
    );
  });

  it('keys a multi-tenant standard queue by tenant so that fair queues tame noisy neighbours', () => {
    const advice = adviceFor({ tenants: 40 });
    assert.deepEqual(services(advice), ['sqs']);
    const fair = advice.settings.find((s) => s.setting.startsWith('MessageGroupId') && s.service === 'sqs');
    assert.ok(fair);
    assert.equal(fair.value, 'the tenant id');
    assert.match(fair.why, /40 tenants/);
    assert.match(fair.why, /fair queue/);
    assert.equal(settingValue(advice, 'sqs', 'FifoQueue'), undefined);
    // One tenant: no fair-queue advice.
    assert.equal(
      adviceFor({ tenants: 1 }).settings.some((s) => s.setting.startsWith('MessageGroupId')),
      false,
    );
  });
});

describe('advise: SNS', () => {
  it('fans out to several kinds of subscriber through SNS → SQS', () => {
    const advice = adviceFor({ consumers: 'fan-out' });
    assert.match(advice.pattern, /SNS topic → SQS queues/);
    assert.deepEqual(services(advice), ['sns', 'sqs']);
    assert.match(reason(advice, 'sns'), /12,500,000/);
    assert.deepEqual(integrations(advice), ['sns-sqs-fanout']);
    assert.equal(settingValue(advice, 'sns', 'RawMessageDelivery (subscription)'), 'true');
    assert.match(settingValue(advice, 'sqs', 'QueuePolicy')!, /sns\.amazonaws\.com.*aws:SourceArn/);
    assert.ok(settingValue(advice, 'sns', 'FilterPolicy / FilterPolicyScope (subscription)'));
    assert.ok(settingValue(advice, 'sns', 'RedrivePolicy (subscription)'));
  });

  it('gives independent readers without replay each their own queue behind a topic', () => {
    const advice = adviceFor({ consumers: 'independent-readers' });
    assert.deepEqual(services(advice), ['sns', 'sqs']);
    assert.deepEqual(integrations(advice), ['sns-sqs-fanout']);
  });

  it('raises MaximumMessageSize for messages between 256 KiB and 1 MiB', () => {
    const advice = adviceFor({ consumers: 'fan-out', messageSize: '512KiB' });
    assert.equal(settingValue(advice, 'sns', 'MaximumMessageSize'), '1048576');
    assert.equal(integrations(advice).includes('claim-check-s3'), false);
    const small = adviceFor({ consumers: 'fan-out', messageSize: '200KiB' });
    assert.equal(settingValue(small, 'sns', 'MaximumMessageSize'), undefined);
  });
});

describe('advise: EventBridge', () => {
  it('routes by content on an event bus, with target DLQ and retry policy', () => {
    const advice = adviceFor({ routing: true, consumers: 'fan-out' });
    assert.match(advice.pattern, /EventBridge/);
    assert.deepEqual(services(advice), ['eventbridge']);
    assert.deepEqual(integrations(advice), ['eventbridge-rules-fanout']);
    assert.ok(settingValue(advice, 'eventbridge', 'EventPattern (rule)'));
    assert.ok(settingValue(advice, 'eventbridge', 'DeadLetterConfig (target)'));
    assert.match(settingValue(advice, 'eventbridge', 'RetryPolicy (target)')!, /185/);
  });

  it('takes SaaS partner events onto a partner event bus', () => {
    const advice = adviceFor({ saas: true });
    assert.equal(services(advice)[0], 'eventbridge');
    assert.match(reason(advice, 'eventbridge'), /SaaS partners/);
    assert.ok(settingValue(advice, 'eventbridge', 'Partner event source → event bus'));
  });

  it('routes across accounts to a queue with retries and a DLQ: EventBridge → SQS', () => {
    const advice = adviceFor({ crossAccount: true, routing: true });
    assert.deepEqual(services(advice), ['eventbridge', 'sqs']);
    assert.ok(integrations(advice).includes('eventbridge-sqs-dlq'));
    assert.match(settingValue(advice, 'eventbridge', 'Event bus policy')!, /aws:PrincipalOrgID/);
    assert.match(settingValue(advice, 'sqs', 'QueuePolicy')!, /events\.amazonaws\.com.*aws:SourceArn/);
    assert.ok(settingValue(advice, 'eventbridge', 'DeadLetterConfig (target)'));
    assert.equal(settingValue(advice, 'sqs', 'ReceiveMessageWaitTimeSeconds'), '20');
  });

  it('archives events for replay when routing needs replay too', () => {
    const advice = adviceFor({ routing: true, replay: true });
    assert.deepEqual(services(advice).slice(0, 1), ['eventbridge']);
    assert.ok(integrations(advice).includes('eventbridge-archive-replay'));
    assert.ok(settingValue(advice, 'eventbridge', 'Archive RetentionDays'));
  });

  it('sets a message group on a FIFO queue target when order per group matters', () => {
    const advice = adviceFor({ crossAccount: true, ordering: 'per-group' });
    assert.deepEqual(services(advice), ['eventbridge', 'sqs']);
    assert.ok(settingValue(advice, 'eventbridge', 'SqsParameters.MessageGroupId (target)'));
    assert.ok(settingValue(advice, 'sqs', 'FifoQueue'));
  });
});

describe('advise: Amazon MQ', () => {
  it('keeps existing JMS clients on an Amazon MQ broker', () => {
    const advice = adviceFor({ protocol: 'jms' });
    assert.match(advice.pattern, /JMS clients on Amazon MQ/);
    assert.deepEqual(services(advice), ['mq']);
    assert.match(reason(advice, 'mq'), /ActiveMQ/);
    assert.match(settingValue(advice, 'mq', 'DeploymentMode')!, /ACTIVE_STANDBY_MULTI_AZ/);
    assert.match(settingValue(advice, 'mq', 'Users[].Password')!, /resolve:secretsmanager/);
  });

  it('keeps MQTT devices and AMQP clients on Amazon MQ, even with fan-out', () => {
    for (const protocol of ['mqtt', 'amqp', 'stomp']) {
      const advice = adviceFor({ protocol, consumers: 'fan-out' });
      assert.deepEqual(services(advice), ['mq'], protocol);
      assert.match(reason(advice, 'mq'), new RegExp(protocol.toUpperCase()));
      assert.match(
        settingValue(advice, 'mq', 'SourceAccessConfigurations (Lambda event source mapping)')!,
        /BASIC_AUTH/,
      );
    }
  });
});

describe('advise: Kinesis Data Streams', () => {
  it('keeps records for replay after consumption', () => {
    const advice = adviceFor({ replay: true });
    assert.match(advice.pattern, /Kinesis Data Streams/);
    assert.deepEqual(services(advice), ['kinesis-data-streams']);
    assert.match(reason(advice, 'kinesis-data-streams'), /365 days/);
    assert.match(settingValue(advice, 'kinesis-data-streams', 'RetentionPeriodHours')!, /8760/);
    assert.equal(settingValue(advice, 'kinesis-data-streams', 'StreamModeDetails.StreamMode'), 'ON_DEMAND');
  });

  it('gives strict per-partition order to a sustained high volume on provisioned shards', () => {
    const advice = adviceFor({ ordering: 'per-partition', throughput: 'sustained-high' });
    assert.deepEqual(services(advice), ['kinesis-data-streams']);
    assert.match(reason(advice, 'kinesis-data-streams'), /per partition key/);
    assert.match(
      settingValue(advice, 'kinesis-data-streams', 'StreamModeDetails.StreamMode / ShardCount')!,
      /PROVISIONED/,
    );
    assert.ok(settingValue(advice, 'kinesis-data-streams', 'PartitionKey (PutRecords)'));
  });

  it('gives many independent readers of a sustained stream enhanced fan-out', () => {
    const advice = adviceFor({ consumers: 'independent-readers', throughput: 'sustained-high' });
    assert.deepEqual(services(advice), ['kinesis-data-streams']);
    assert.match(
      advice.settings.find((s) => s.setting.startsWith('RegisterStreamConsumer'))!.why,
      /2 MB\/s per shard/,
    );
  });

  it('raises the record size up to 10 MiB, and past it sends a claim check through S3', () => {
    const large = adviceFor({ replay: true, messageSize: '4MiB' });
    assert.equal(settingValue(large, 'kinesis-data-streams', 'MaxRecordSizeInKiB'), '10240');
    assert.equal(integrations(large).includes('claim-check-s3'), false);
    const huge = adviceFor({ replay: true, messageSize: '20MB' });
    assert.equal(settingValue(huge, 'kinesis-data-streams', 'MaxRecordSizeInKiB'), undefined);
    assert.ok(integrations(huge).includes('claim-check-s3'));
  });
});

describe('advise: Data Firehose', () => {
  it('delivers to storage without code through Direct PUT', () => {
    const advice = adviceFor({ toStorage: true, latency: 'minutes' });
    assert.match(advice.pattern, /Firehose/);
    assert.deepEqual(services(advice), ['firehose']);
    assert.deepEqual(integrations(advice), ['firehose-direct-put-s3']);
    assert.match(settingValue(advice, 'firehose', 'BufferingHints')!, /"SizeInMBs": 128/);
    assert.ok(settingValue(advice, 'firehose', 'ErrorOutputPrefix / CloudWatchLoggingOptions'));
  });

  it('delivers a replayable stream to S3: Kinesis → Firehose → S3', () => {
    const advice = adviceFor({ replay: true, toStorage: true });
    assert.deepEqual(services(advice), ['kinesis-data-streams', 'firehose']);
    assert.ok(integrations(advice).includes('kinesis-firehose-s3'));
    assert.match(settingValue(advice, 'firehose', 'BufferingHints')!, /"IntervalInSeconds": 60/);
  });

  it('archives a fan-out topic to S3 through a firehose subscription, without AppendDelimiterToRecord', () => {
    const advice = adviceFor({ consumers: 'fan-out', toStorage: true });
    assert.deepEqual(services(advice), ['sns', 'sqs', 'firehose']);
    assert.deepEqual(integrations(advice), ['sns-sqs-fanout', 'sns-firehose-s3']);
    assert.equal(
      settingValue(advice, 'firehose', 'ProcessingConfiguration'),
      'no AppendDelimiterToRecord processor',
    );
  });
});

describe('advise: Managed Service for Apache Flink', () => {
  it('processes a stream with state: Kinesis → Managed Flink', () => {
    const advice = adviceFor({ stateful: true });
    assert.match(advice.pattern, /Managed Service for Apache Flink/);
    assert.deepEqual(services(advice), ['kinesis-data-streams', 'managed-flink']);
    assert.deepEqual(integrations(advice), ['kinesis-managed-flink']);
    assert.match(reason(advice, 'managed-flink'), /windows/);
    assert.match(settingValue(advice, 'managed-flink', 'CheckpointConfiguration')!, /DEFAULT/);
  });

  it('combines replay and stateful processing on one stream', () => {
    const advice = adviceFor({ stateful: true, replay: true, ordering: 'per-partition' });
    assert.deepEqual(services(advice), ['kinesis-data-streams', 'managed-flink']);
    assert.ok(settingValue(advice, 'kinesis-data-streams', 'RetentionPeriodHours'));
  });

  it('runs Flink over Kafka topics when the Kafka API is required', () => {
    const advice = adviceFor({ stateful: true, kafkaApi: true });
    assert.deepEqual(services(advice), ['msk', 'managed-flink']);
    assert.deepEqual(integrations(advice), ['msk-managed-flink']);
  });
});

describe('advise: MSK', () => {
  it('runs Kafka on MSK when the Kafka API is needed, with SCRAM secrets named AmazonMSK_', () => {
    const advice = adviceFor({ kafkaApi: true, ordering: 'per-partition', replay: true });
    assert.match(advice.pattern, /MSK/);
    assert.deepEqual(services(advice), ['msk']);
    assert.match(reason(advice, 'msk'), /Kafka Connect/);
    assert.match(settingValue(advice, 'msk', 'ClientAuthentication')!, /AmazonMSK_/);
    assert.match(
      settingValue(advice, 'msk', 'SourceAccessConfigurations (Lambda event source mapping)')!,
      /SASL_SCRAM_512_AUTH/,
    );
    assert.ok(settingValue(advice, 'msk', 'retention.ms / tiered storage'));
  });

  it('delivers Kafka topics to S3 through Firehose, and raises message.max.bytes for 2 MB messages', () => {
    const advice = adviceFor({ kafkaApi: true, toStorage: true, messageSize: '900KB' });
    assert.deepEqual(services(advice), ['msk', 'firehose']);
    assert.deepEqual(integrations(advice), ['msk-firehose-s3']);
    const large = adviceFor({ kafkaApi: true, messageSize: '2MB' });
    assert.ok(settingValue(large, 'msk', 'message.max.bytes'));
    assert.equal(integrations(large).includes('claim-check-s3'), false);
  });
});

describe('advise: combined and conflicting workloads', () => {
  it('fan-out with per-group ordering becomes SNS FIFO → SQS FIFO', () => {
    const advice = adviceFor({ consumers: 'fan-out', ordering: 'per-group' });
    assert.match(advice.pattern, /SNS FIFO topic → SQS FIFO queues/);
    assert.deepEqual(services(advice), ['sns', 'sqs']);
    assert.deepEqual(integrations(advice), ['sns-fifo-sqs-fifo-fanout']);
    assert.ok(settingValue(advice, 'sns', 'FifoTopic'));
    assert.ok(settingValue(advice, 'sqs', 'FifoQueue'));
  });

  it('a sustained-high ordered fan-out widens the FIFO topic’s throughput scope', () => {
    const advice = adviceFor({ consumers: 'fan-out', ordering: 'per-group', throughput: 'sustained-high' });
    assert.deepEqual(services(advice), ['sns', 'sqs']);
    assert.equal(settingValue(advice, 'sns', 'FifoThroughputScope'), 'MessageGroup');
  });

  it('replay + stateful + storage without code: Kinesis → Flink, and Kinesis → Firehose → S3', () => {
    const advice = adviceFor({ replay: true, stateful: true, toStorage: true });
    assert.deepEqual(services(advice), ['kinesis-data-streams', 'managed-flink', 'firehose']);
    assert.deepEqual(integrations(advice), ['kinesis-managed-flink', 'kinesis-firehose-s3']);
  });

  it('the Kafka API wins over broker protocols and routing', () => {
    const advice = adviceFor({ kafkaApi: true, protocol: 'amqp', routing: true });
    assert.deepEqual(services(advice), ['msk']);
  });

  it('a sustained high volume of routed events goes to a stream rather than a bus', () => {
    const advice = adviceFor({
      routing: true,
      throughput: 'sustained-high',
      consumers: 'independent-readers',
    });
    assert.deepEqual(services(advice), ['kinesis-data-streams']);
  });

  it('per-group ordering and storage keep the FIFO queue and write the copy through Direct PUT', () => {
    const advice = adviceFor({ ordering: 'per-group', toStorage: true });
    assert.deepEqual(services(advice), ['sqs', 'firehose']);
    assert.ok(integrations(advice).includes('firehose-direct-put-s3'));
    assert.ok(settingValue(advice, 'sqs', 'FifoQueue'));
  });

  it('oversized queue messages get the claim check once, naming every service it applies to', () => {
    const advice = adviceFor({ consumers: 'fan-out', messageSize: '5MiB' });
    const claim = advice.integrations.filter((i) => i.id === 'claim-check-s3');
    assert.equal(claim.length, 1);
    assert.deepEqual(claim[0].services, ['sqs', 'sns']);
    assert.match(claim[0].description, /5 MiB/);
  });

  it('every recommended service has a reason and every setting names a recommended service', () => {
    const workloads = [
      {},
      { consumers: 'fan-out', toStorage: true, tenants: 3 },
      { replay: true, stateful: true, toStorage: true, latency: 'sub-second' },
      { kafkaApi: true, stateful: true, toStorage: true, replay: true },
      { crossAccount: true, saas: true, routing: true, replay: true, ordering: 'per-group' },
      { protocol: 'openwire', toStorage: true },
    ];
    for (const workload of workloads) {
      const advice = adviceFor(workload);
      const ids = services(advice);
      assert.equal(new Set(ids).size, ids.length, JSON.stringify(workload));
      for (const s of advice.services) assert.ok(s.reason.length > 40, `${s.id} has a reason`);
      for (const s of advice.settings)
        assert.ok(ids.includes(s.service), `${s.service}.${s.setting} is about a chosen service`);
      for (const i of advice.integrations) {
        for (const id of i.services) assert.ok(ids.includes(id), `${i.id} wires chosen services`);
      }
    }
  });
});
