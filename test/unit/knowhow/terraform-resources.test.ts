import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { lookup, type Model } from '../../../src/knowhow/model.js';
import { readTerraformPlan } from '../../../src/knowhow/templates/terraform.js';

const read = (name: string): Model => {
  const file = `test/fixtures/terraform/${name}.plan.json`;
  return readTerraformPlan(
    JSON.parse(readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8')),
    file,
  );
};

describe('Terraform reader: EventBridge, S3 and SNS', () => {
  const model = read('events-s3-sns');

  it('attaches targets to their rule by reference or by name on the same bus', () => {
    const placed = model.rules.find((rule) => rule.id === 'aws_cloudwatch_event_rule.placed')!;
    assert.equal(placed.bus, 'orders');
    assert.equal(placed.hasPattern, true);
    assert.deepEqual(placed.targets, [
      {
        targetId: 'to-queue',
        arn: { $ref: 'aws_sqs_queue.events_target', $attr: 'arn' },
        dlq: { $ref: 'aws_sqs_queue.events_dlq', $attr: 'arn' },
      },
    ]);
    const nightly = model.rules.find((rule) => rule.id === 'aws_cloudwatch_event_rule.nightly')!;
    assert.equal(nightly.hasSchedule, true);
    assert.equal(nightly.hasPattern, false);
    assert.equal(nightly.targets.length, 1);
    // target_id unset: generated at apply, so the address names the target.
    assert.equal(nightly.targets[0]!.targetId, 'aws_cloudwatch_event_target.nightly_legacy');
    assert.equal(lookup(model, nightly.targets[0]!.arn)?.id, 'aws_sqs_queue.legacy');
  });

  it('notes a target whose rule is not in the plan', () => {
    assert.ok(model.notes.some((note) => note.resource === 'aws_cloudwatch_event_target.orphan'));
    assert.ok(model.rules.every((rule) => rule.targets.every((target) => target.targetId !== 'orphan')));
  });

  it('keeps what is known of an existing queue: ARN, URL, FIFO, long polling, SSE', () => {
    const legacy = model.queues.find((queue) => queue.id === 'aws_sqs_queue.legacy')!;
    assert.equal(legacy.arn, 'arn:aws:sqs:us-east-1:123456789012:legacy.fifo');
    assert.equal(legacy.url, 'https://sqs.us-east-1.amazonaws.com/123456789012/legacy.fifo');
    assert.equal(legacy.fifo, true);
    assert.equal(legacy.receiveWaitTimeSeconds, 20);
    assert.equal(legacy.sqsManagedSse, true);
  });

  it('maps bucket notifications to the bucket, or to the notification when the bucket is elsewhere', () => {
    assert.deepEqual(
      model.buckets.map((bucket) => [bucket.id, bucket.name, bucket.notifications]),
      [
        [
          'aws_s3_bucket.uploads',
          'uploads-123456789012',
          [
            { kind: 'queue', target: { $ref: 'aws_sqs_queue.uploads', $attr: 'arn' } },
            { kind: 'topic', target: { $ref: 'aws_sns_topic.uploads', $attr: 'arn' } },
            { kind: 'eventbridge' },
          ],
        ],
        [
          'aws_s3_bucket_notification.external',
          'shared-logs',
          [{ kind: 'lambda', target: 'arn:aws:lambda:us-east-1:123456789012:function:indexer' }],
        ],
      ],
    );
  });

  it('reads subscriptions: endpoint, dead-letter queue from a redrive policy known or unknown, role', () => {
    const fanout = model.subscriptions.find((s) => s.id === 'aws_sns_topic_subscription.fanout')!;
    assert.equal(lookup(model, fanout.endpoint)?.id, 'aws_sqs_queue.fanout');
    assert.equal(lookup(model, fanout.dlq)?.id, 'aws_sqs_queue.fanout_dlq');
    const archive = model.subscriptions.find((s) => s.id === 'aws_sns_topic_subscription.archive')!;
    assert.equal(archive.protocol, 'firehose');
    assert.equal(archive.endpoint, 'arn:aws:firehose:us-east-1:123456789012:deliverystream/archive');
    assert.equal(lookup(model, archive.dlq)?.id, 'aws_sqs_queue.legacy');
    assert.equal(archive.roleArn, 'arn:aws:iam::123456789012:role/sns-firehose');
    assert.equal(model.topics[0]!.kmsKey, 'alias/aws/sns');
  });
});

describe('Terraform reader: functions, mappings, pipes and streams', () => {
  const model = read('functions-streams');

  it('reads a function: timeout, role with its policies, environment known and computed', () => {
    const [fn] = model.functions;
    assert.equal(fn!.timeoutSeconds, 60);
    assert.equal(lookup(model, fn!.roleArn)?.id, 'aws_iam_role.worker');
    assert.deepEqual(
      fn!.rolePolicies.map((policy) => policy.from),
      ['aws_iam_role.worker'],
    );
    assert.equal(fn!.environment.MQ_URL, 'amqps://app:hunter2@b-1.mq.us-east-1.amazonaws.com:5671');
    assert.equal(fn!.environment.STAGE, 'prod');
    assert.deepEqual(fn!.environment.QUEUE_URL, { $ref: 'aws_sqs_queue.jobs', $attr: 'url' });
  });

  it('reads event source mappings for SQS, Amazon MQ and self-managed Kafka', () => {
    const byId = Object.fromEntries(model.mappings.map((mapping) => [mapping.id, mapping]));
    const jobs = byId['aws_lambda_event_source_mapping.jobs']!;
    assert.equal(lookup(model, jobs.source)?.id, 'aws_sqs_queue.jobs');
    assert.equal(lookup(model, jobs.function)?.id, 'aws_lambda_function.worker');
    assert.equal(jobs.selfManagedKafka, false);
    const broker = byId['aws_lambda_event_source_mapping.broker']!;
    assert.deepEqual(broker.sourceAccess, [
      { type: 'BASIC_AUTH', uri: { $ref: 'aws_secretsmanager_secret.mq', $attr: 'arn' } },
    ]);
    const kafka = byId['aws_lambda_event_source_mapping.kafka']!;
    assert.equal(kafka.selfManagedKafka, true);
    assert.equal(kafka.source, undefined);
    assert.deepEqual(kafka.function, { $ref: 'aws_lambda_function.worker', $attr: 'function_name' });
    assert.equal(kafka.bootstrapServers, 'kafka1.example.com:9096,kafka2.example.com:9096');
    assert.deepEqual(
      kafka.sourceAccess.map((access) => access.type),
      ['VPC_SUBNET', 'VPC_SECURITY_GROUP'],
    );
  });

  it('reads a separate aws_sqs_queue_redrive_policy into the queue', () => {
    const jobs = model.queues.find((queue) => queue.id === 'aws_sqs_queue.jobs')!;
    assert.equal(lookup(model, jobs.redriveDlq)?.id, 'aws_sqs_queue.jobs_dlq');
  });

  it('reads a pipe with the dead-letter queue of its Kinesis source', () => {
    const [pipe] = model.pipes;
    assert.equal(lookup(model, pipe!.source)?.id, 'aws_kinesis_stream.clicks');
    assert.equal(lookup(model, pipe!.target)?.id, 'aws_sqs_queue.jobs');
    assert.equal(lookup(model, pipe!.dlq)?.id, 'aws_sqs_queue.jobs_dlq');
    assert.equal(lookup(model, pipe!.roleArn)?.id, 'aws_iam_role.pipe');
  });

  it('reads streams and the processors of every delivery stream destination', () => {
    assert.deepEqual(
      model.streams.map((stream) => [stream.id, stream.shardCount, stream.retentionHours]),
      [['aws_kinesis_stream.clicks', 2, 48]],
    );
    assert.deepEqual(
      model.deliveryStreams.map((stream) => [stream.id, stream.processors, stream.processingEnabled]),
      [
        ['aws_kinesis_firehose_delivery_stream.archive', ['AppendDelimiterToRecord'], true],
        ['aws_kinesis_firehose_delivery_stream.webhook', ['RecordDeAggregation'], false],
      ],
    );
    assert.equal(lookup(model, model.deliveryStreams[0]!.source)?.id, 'aws_kinesis_stream.clicks');
  });
});

describe('Terraform reader: Amazon MQ and MSK', () => {
  const model = read('brokers-msk');

  it('judges broker passwords from the configuration: constant, variable, sensitive variable, resource', () => {
    const orders = model.brokers.find((broker) => broker.id === 'aws_mq_broker.orders')!;
    assert.equal(orders.engine, 'ActiveMQ');
    const byUser = Object.fromEntries(orders.users.map((user) => [user.username as string, user.password]));
    assert.equal(byUser.app, 'Hunter2Hunter2');
    assert.deepEqual(byUser.admin, {
      $unknown: 'variable admin_password',
      param: 'admin_password',
      noEcho: true,
    });
    assert.deepEqual(byUser.ops, { $unknown: 'variable ops_password', param: 'ops_password', noEcho: false });
    const rabbit = model.brokers.find((broker) => broker.id === 'aws_mq_broker.rabbit')!;
    assert.deepEqual(rabbit.users, [
      { username: 'rabbit', password: { $ref: 'random_password.rabbit', $attr: 'result' } },
    ]);
  });

  it('reads MSK clusters and the secrets associated with them', () => {
    assert.deepEqual(
      model.clusters.map((cluster) => [cluster.id, cluster.scram, cluster.serverless]),
      [
        ['aws_msk_cluster.events', true, false],
        ['aws_msk_serverless_cluster.analytics', false, true],
      ],
    );
    const events = model.scramAssociations.find((a) => a.id === 'aws_msk_scram_secret_association.events')!;
    assert.equal(lookup(model, events.cluster)?.id, 'aws_msk_cluster.events');
    assert.deepEqual(
      events.secrets.map((secret) => lookup(model, secret)?.id),
      ['aws_secretsmanager_secret.alice', 'aws_secretsmanager_secret.bob'],
    );
    const carol = model.scramAssociations.find(
      (a) => a.id === 'aws_msk_single_scram_secret_association.carol',
    )!;
    assert.deepEqual(carol.secrets, [
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_carol-AbCdEf',
    ]);
  });

  it('reads secret names and keys', () => {
    assert.deepEqual(
      model.secrets.map((secret) => [secret.name, secret.kmsKey]),
      [
        ['AmazonMSK_alice', { $ref: 'aws_kms_key.msk', $attr: 'key_id' }],
        ['msk-bob', undefined],
      ],
    );
  });
});
