import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Entity, entities, type Model } from '../../../src/knowhow/model.js';
import { readCloudFormation, TemplateError } from '../../../src/knowhow/templates/cloudformation.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../../test/fixtures/templates/${name}`, import.meta.url));

function byId<T extends Entity>(list: T[], id: string): T {
  const found = list.find((item) => item.id === id);
  assert.ok(found, `${id} is in the model`);
  return found;
}

/** The 1-based line where `    "<id>":` or `  <id>:` opens the resource in the text. */
function declarationLine(text: string, id: string): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line === `  ${id}:` || line === `    "${id}": {`);
  assert.notEqual(index, -1, `${id} is declared in the text`);
  return index + 1;
}

for (const format of ['yaml', 'json']) {
  const path = fixture(`resources.${format}`);
  const text = readFileSync(path, 'utf8');
  const model: Model = readCloudFormation(text, 'resources.' + format);

  describe(`resource mapping (${format})`, () => {
    it('points every entity at the line of its logical id', () => {
      for (const id of ['Dlq', 'Jobs', 'Topic', 'Rule', 'Fn', 'Pipe', 'Broker', 'Schedule']) {
        const found = entities(model).find((entity) => entity.id === id);
        assert.equal(found?.origin.line, declarationLine(text, id), id);
        assert.equal(found?.origin.file, `resources.${format}`);
      }
    });

    it('SQS queues: attributes as numbers, FIFO, KMS, redrive policy as an object or a JSON string', () => {
      const jobs = byId(model.queues, 'Jobs');
      assert.equal(jobs.fifo, true);
      assert.equal(jobs.receiveWaitTimeSeconds, 20);
      assert.equal(jobs.visibilityTimeoutSeconds, 180);
      assert.equal(jobs.kmsKey, 'alias/aws/sqs');
      assert.deepEqual(jobs.redriveDlq, { $ref: 'Dlq', $attr: 'Arn' });
      assert.deepEqual(jobs.ignore, ['sqs-short-polling']);
      const legacy = byId(model.queues, 'Legacy');
      assert.equal(legacy.redriveDlq, 'arn:aws:sqs:us-east-1:123456789012:old-dlq');
      assert.equal(legacy.sqsManagedSse, true);
      assert.equal(byId(model.queues, 'Dlq').retentionSeconds, 1209600);
    });

    it('queue policies attach to each queue they list; inline policies to their queue; an unknown entry is noted', () => {
      const jobs = byId(model.queues, 'Jobs');
      const dlq = byId(model.queues, 'Dlq');
      assert.deepEqual(
        jobs.policies.map((policy) => policy.from),
        ['JobsPolicy'],
      );
      assert.equal(dlq.policies[0].from, 'JobsPolicy');
      assert.equal(dlq.policies[0].origin.line, declarationLine(text, 'JobsPolicy'));
      assert.equal(byId(model.queues, 'Legacy').policies[0].from, 'LegacyInline');
      assert.ok(
        model.notes.some(
          (note) => note.resource === 'JobsPolicy' && /parameter SharedQueueUrl/.test(note.message),
        ),
      );
    });

    it('SNS topics, their policies and inline subscriptions, and subscriptions with DLQ and role', () => {
      const topic = byId(model.topics, 'Topic');
      assert.deepEqual(topic.kmsKey, { $ref: 'Key' });
      assert.equal(topic.policies[0].from, 'TopicPolicy');
      const other = byId(model.topics, 'OtherTopic');
      assert.equal(other.fifo, true);
      assert.equal(other.policies[0].from, 'OtherTopicPolicy');
      const inline = byId(model.subscriptions, 'Topic.Subscription[0]');
      assert.equal(inline.generatedBy, 'Topic');
      assert.equal(inline.protocol, 'sqs');
      assert.deepEqual(inline.endpoint, { $ref: 'Jobs', $attr: 'Arn' });
      const firehose = byId(model.subscriptions, 'ToFirehose');
      assert.deepEqual(firehose.topic, { $ref: 'Topic' });
      assert.equal(firehose.protocol, 'firehose');
      assert.deepEqual(firehose.dlq, { $ref: 'Dlq', $attr: 'Arn' });
      assert.deepEqual(firehose.roleArn, { $ref: 'SnsRole', $attr: 'Arn' });
    });

    it('event buses with their inline and separate policies, the legacy form on the default bus', () => {
      const bus = byId(model.buses, 'Bus');
      assert.equal(bus.name, 'orders');
      assert.deepEqual(bus.kmsKey, { $ref: 'Key' });
      assert.deepEqual(
        bus.policies.map((policy) => policy.from),
        ['Bus', 'BusPolicy'],
      );
      const defaultBus = byId(model.buses, 'default');
      assert.equal(defaultBus.generatedBy, 'DefaultBusPolicy');
      assert.deepEqual(defaultBus.policies[0].document, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Principal: '*',
            Sid: 'org',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
          },
        ],
      });
    });

    it('rules with their bus, pattern or schedule, and targets with DLQ and role', () => {
      const rule = byId(model.rules, 'Rule');
      assert.deepEqual(rule.bus, { $ref: 'Bus' });
      assert.equal(rule.hasPattern, true);
      assert.equal(rule.hasSchedule, false);
      assert.deepEqual(rule.targets, [
        { targetId: 'jobs', arn: { $ref: 'Jobs', $attr: 'Arn' }, dlq: { $ref: 'Dlq', $attr: 'Arn' } },
        {
          targetId: 'stream',
          arn: { $ref: 'Stream', $attr: 'Arn' },
          roleArn: { $ref: 'EventsRole', $attr: 'Arn' },
        },
      ]);
      const nightly = byId(model.rules, 'Nightly');
      assert.equal(nightly.bus, 'default');
      assert.equal(nightly.hasSchedule, true);
    });

    it('bucket notifications of every kind', () => {
      assert.deepEqual(byId(model.buckets, 'Bucket').notifications, [
        { kind: 'queue', target: { $ref: 'Jobs', $attr: 'Arn' } },
        { kind: 'topic', target: { $ref: 'Topic' } },
        { kind: 'lambda', target: { $ref: 'Fn', $attr: 'Arn' } },
        { kind: 'eventbridge' },
      ]);
    });

    it('functions with timeout, environment, role and the role’s policies', () => {
      const fn = byId(model.functions, 'Fn');
      assert.equal(fn.timeoutSeconds, 60);
      assert.deepEqual(fn.environment, { QUEUE_URL: { $ref: 'Jobs' } });
      assert.deepEqual(fn.roleArn, { $ref: 'FnRole', $attr: 'Arn' });
      assert.equal(fn.rolePolicies.length, 1);
      assert.equal(byId(model.roles, 'FnRole').policyUnknown, undefined);
    });

    it('event source mappings, queue-based and self-managed Kafka', () => {
      const mapping = byId(model.mappings, 'Mapping');
      assert.deepEqual(mapping.source, { $ref: 'Jobs', $attr: 'Arn' });
      assert.deepEqual(mapping.function, { $ref: 'Fn' });
      assert.equal(mapping.selfManagedKafka, false);
      const kafka = byId(model.mappings, 'KafkaMapping');
      assert.equal(kafka.selfManagedKafka, true);
      assert.deepEqual(kafka.bootstrapServers, ['kafka1:9096']);
      assert.deepEqual(kafka.sourceAccess, [{ type: 'SASL_SCRAM_512_AUTH', uri: { $ref: 'KafkaSecret' } }]);
    });

    it('pipes with their DLQ, and roles with policies attached by IAM::Policy and IAM::ManagedPolicy', () => {
      const pipe = byId(model.pipes, 'Pipe');
      assert.deepEqual(pipe.dlq, { $ref: 'Dlq', $attr: 'Arn' });
      assert.deepEqual(pipe.roleArn, { $ref: 'PipeRole', $attr: 'Arn' });
      const role = byId(model.roles, 'PipeRole');
      assert.deepEqual(
        role.policies.map((policy) => policy.from),
        ['PipePolicy', 'PipeManaged'],
      );
      assert.match(role.policyUnknown ?? '', /AmazonSQSFullAccess/);
      assert.equal((byId(model.roles, 'EventsRole').trust as { Statement: unknown[] }).Statement.length, 1);
    });

    it('EventBridge Scheduler schedules are role-delivered like pipes', () => {
      const schedule = byId(model.pipes, 'Schedule');
      assert.equal(schedule.type, 'AWS::Scheduler::Schedule');
      assert.deepEqual(schedule.target, { $ref: 'Jobs', $attr: 'Arn' });
      assert.deepEqual(schedule.dlq, { $ref: 'Dlq', $attr: 'Arn' });
      assert.deepEqual(schedule.roleArn, { $ref: 'EventsRole', $attr: 'Arn' });
      assert.equal(
        model.rules.some((rule) => rule.id === 'Schedule'),
        false,
      );
    });

    it('KMS keys with policy and aliases, secrets, streams', () => {
      const key = byId(model.keys, 'Key');
      assert.deepEqual(key.aliases, ['alias/orders']);
      assert.ok(key.policy && typeof key.policy === 'object');
      const secret = byId(model.secrets, 'KafkaSecret');
      assert.equal(secret.name, 'AmazonMSK_orders');
      assert.deepEqual(secret.kmsKey, { $ref: 'Key' });
      const stream = byId(model.streams, 'Stream');
      assert.equal(stream.shardCount, 2);
      assert.equal(stream.retentionHours, 48);
    });

    it('Firehose processors of every destination kind, and the source stream', () => {
      const delivery = byId(model.deliveryStreams, 'Delivery');
      assert.deepEqual(delivery.processors, ['AppendDelimiterToRecord']);
      assert.equal(delivery.processingEnabled, true);
      assert.deepEqual(delivery.source, { $ref: 'Stream', $attr: 'Arn' });
      const splunk = byId(model.deliveryStreams, 'SplunkDelivery');
      assert.deepEqual(splunk.processors, ['Lambda']);
      assert.equal(splunk.processingEnabled, false);
    });

    it('Amazon MQ users, MSK clusters and SCRAM secret associations', () => {
      const broker = byId(model.brokers, 'Broker');
      assert.equal(broker.engine, 'ACTIVEMQ');
      assert.deepEqual(broker.users[0], { username: 'admin', password: 'hunter2hunter2' });
      assert.deepEqual(broker.users[1].password, {
        $unknown: 'parameter BrokerPassword',
        param: 'BrokerPassword',
        noEcho: true,
      });
      assert.equal(byId(model.clusters, 'Cluster').scram, true);
      assert.equal(byId(model.clusters, 'Serverless').serverless, true);
      const association = byId(model.scramAssociations, 'ScramSecrets');
      assert.deepEqual(association.cluster, { $ref: 'Cluster' });
      assert.deepEqual(association.secrets, [{ $ref: 'KafkaSecret' }]);
    });
  });
}

describe('queue policies whose queue list is decided at deploy time', () => {
  const text = `
Conditions:
  UseA: !Equals [a, b]
Resources:
  A:
    Type: AWS::SQS::Queue
  B:
    Type: AWS::SQS::Queue
  C:
    Type: AWS::SQS::Queue
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!If [UseA, !Ref A, !Ref B]]
      PolicyDocument: { Statement: [] }
`;
  it('marks the queues the condition may name as policyUnknown, not the others', () => {
    const model = readCloudFormation(text, 't.yaml');
    assert.match(byId(model.queues, 'A').policyUnknown ?? '', /P may attach a policy/);
    assert.match(byId(model.queues, 'B').policyUnknown ?? '', /UseA/);
    assert.equal(byId(model.queues, 'C').policyUnknown, undefined);
    assert.equal(byId(model.queues, 'A').policies.length, 0);
  });
});

describe('what is not a template', () => {
  const cases: [string, string, RegExp][] = [
    ['bad YAML', 'Resources:\n  A: [unclosed\n', /invalid YAML/],
    ['bad JSON', '{"Resources": {', /invalid JSON/],
    ['no Resources', 'AWSTemplateFormatVersion: "2010-09-09"\nOutputs: {}\n', /no Resources/],
    ['a scalar document', 'just text\n', /not a template/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name} → TemplateError naming the file`, () => {
      assert.throws(
        () => readCloudFormation(text, 'broken.yaml'),
        (error: unknown) =>
          error instanceof TemplateError &&
          message.test(error.message) &&
          error.message.startsWith('broken.yaml'),
      );
    });
  }

  it('a JSON template with tabs and a BOM still reads, with its lines', () => {
    const text = '\uFEFF{\n\t"Resources": {\n\t\t"Q": {\n\t\t\t"Type": "AWS::SQS::Queue"\n\t\t}\n\t}\n}\n';
    const model = readCloudFormation(text, 't.json');
    assert.equal(model.queues[0].origin.line, 3);
  });
});

describe('policies whose document is decided at deploy time', () => {
  const text = `
Conditions:
  Open: !Equals [a, b]
Resources:
  Q:
    Type: AWS::SQS::Queue
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument: !If [Open, { Statement: [] }, { Statement: [{ Effect: Deny, Principal: '*', Action: '*' }] }]
`;
  it('attach as unknown documents and mark the queue policyUnknown', () => {
    const queue = readCloudFormation(text, 't.yaml').queues[0];
    assert.equal(queue.policies.length, 1);
    assert.match(queue.policyUnknown ?? '', /^P: Fn::If on condition Open/);
  });
});
