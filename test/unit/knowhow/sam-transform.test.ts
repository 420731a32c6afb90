import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Entity, entities, isObject, isUnknown, type Sym } from '../../../src/knowhow/model.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';
import { mergeGlobals } from '../../../src/knowhow/templates/sam-transform.js';

const path = fileURLToPath(new URL('../../../../test/fixtures/templates/sam-events.yaml', import.meta.url));
const text = readFileSync(path, 'utf8');
const model = readCloudFormation(text, 'sam-events.yaml');

function byId<T extends Entity>(list: T[], id: string): T {
  const found = list.find((item) => item.id === id);
  assert.ok(found, `${id} is in the model`);
  return found;
}

/** The line of `key:` at `indent` spaces under the line of `after:` (events sit under their function). */
function lineOf(key: string, after?: string): number {
  const lines = text.split('\n');
  const start = after ? lines.findIndex((line) => line.trim() === `${after}:`) : 0;
  return lines.findIndex((line, index) => index >= start && line.trim() === `${key}:`) + 1;
}

function statements(document: Sym): SymStatement[] {
  assert.ok(isObject(document));
  return document.Statement as unknown as SymStatement[];
}
type SymStatement = { Effect: string; Principal?: Sym; Action: Sym; Resource?: Sym; Condition?: Sym };

describe('SAM functions', () => {
  it('become Lambda functions with Globals merged (maps merged, the function’s scalars win)', () => {
    const worker = byId(model.functions, 'Worker');
    assert.equal(worker.timeoutSeconds, 60);
    assert.deepEqual(worker.environment, { STAGE: 'prod', QUEUE: { $ref: 'Queue' } });
    assert.equal(byId(model.functions, 'Scheduled').timeoutSeconds, 30);
    assert.equal(worker.origin.line, lineOf('Worker'));
  });

  it('get SAM’s role <Function>Role with policy templates, inline statements and the DLQ permission', () => {
    const worker = byId(model.functions, 'Worker');
    assert.deepEqual(worker.roleArn, { $ref: 'WorkerRole', $attr: 'Arn' });
    const role = byId(model.roles, 'WorkerRole');
    assert.equal(role.generatedBy, 'Worker');
    assert.equal(worker.rolePolicies, role.policies);
    const [known, unknown] = [
      role.policies.filter((p) => isObject(p.document)),
      role.policies.filter((p) => isUnknown(p.document)),
    ];
    // A policy template the reader does not expand stays an unknown document, with its name.
    assert.match(JSON.stringify(unknown.map((policy) => policy.document)), /DynamoDBCrudPolicy/);
    const all = known.flatMap((policy) => statements(policy.document));
    const send = all.find((statement) => JSON.stringify(statement.Action).includes('sqs:SendMessage*'));
    assert.equal(
      send?.Resource,
      `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${Queue.QueueName}`,
    );
    assert.ok(all.some((statement) => JSON.stringify(statement.Action).includes('sns:Publish')));
    assert.ok(all.some((statement) => statement.Action === 'events:PutEvents'));
    const dlq = all.find((statement) => statement.Action === 'sqs:SendMessage');
    assert.deepEqual(dlq?.Resource, { $ref: 'TargetDlq', $attr: 'Arn' });
    // An AWS managed policy other than Lambda's execution roles: what it allows is not in the template.
    assert.match(role.policyUnknown ?? '', /AmazonS3ReadOnlyAccess/);
  });

  it('keep a given Role and make none', () => {
    assert.equal(byId(model.functions, 'Scheduled').roleArn, 'arn:aws:iam::123456789012:role/existing');
    assert.equal(
      model.roles.some((role) => role.id === 'ScheduledRole'),
      false,
    );
  });

  it('carry the function’s Metadata ignore list onto what SAM generates', () => {
    assert.deepEqual(byId(model.mappings, 'WorkerFromQueue').ignore, ['missing-dlq']);
  });

  it('drop SimpleTable and other SAM resources the rules do not read', () => {
    assert.equal(
      entities(model).some((entity) => entity.id === 'Table'),
      false,
    );
  });
});

describe('SAM pull events', () => {
  it('SQS → an event source mapping <Function><Event> at the event’s line', () => {
    const mapping = byId(model.mappings, 'WorkerFromQueue');
    assert.equal(mapping.type, 'AWS::Lambda::EventSourceMapping');
    assert.deepEqual(mapping.source, { $ref: 'Queue', $attr: 'Arn' });
    assert.deepEqual(mapping.function, { $ref: 'Worker' });
    assert.equal(mapping.generatedBy, 'Worker');
    assert.equal(mapping.origin.line, lineOf('FromQueue'));
  });

  it('Kinesis, MQ, MSK and SelfManagedKafka → mappings with their source access', () => {
    assert.deepEqual(byId(model.mappings, 'WorkerFromStream').source, { $ref: 'Stream', $attr: 'Arn' });
    const mq = byId(model.mappings, 'StreamsBroker');
    assert.equal(mq.source, 'arn:aws:mq:us-east-1:123456789012:broker:orders:b-1');
    assert.deepEqual(mq.sourceAccess, [
      { type: 'BASIC_AUTH', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mq' },
    ]);
    const msk = byId(model.mappings, 'StreamsMsk');
    assert.equal(msk.selfManagedKafka, false);
    assert.equal((msk.sourceAccess[0].uri as { param: string }).param, 'KafkaSecretArn');
    const kafka = byId(model.mappings, 'StreamsKafka');
    assert.equal(kafka.selfManagedKafka, true);
    assert.equal(kafka.source, undefined);
    assert.deepEqual(kafka.bootstrapServers, ['broker1:9096']);
    assert.deepEqual(kafka.sourceAccess, []);
  });
});

describe('SAM SNS events', () => {
  it('plain → a lambda subscription <Function><Event>', () => {
    const subscription = byId(model.subscriptions, 'WorkerFromTopic');
    assert.equal(subscription.protocol, 'lambda');
    assert.deepEqual(subscription.endpoint, { $ref: 'Worker', $attr: 'Arn' });
    assert.deepEqual(subscription.topic, { $ref: 'Topic' });
  });

  it('SqsSubscription: true → queue, queue policy scoped to the topic, sqs subscription and mapping', () => {
    const queue = byId(model.queues, 'WorkerFromTopicViaQueueQueue');
    assert.equal(queue.generatedBy, 'Worker');
    assert.equal(queue.origin.line, lineOf('FromTopicViaQueue'));
    assert.equal(queue.policies.length, 1);
    assert.equal(queue.policies[0].from, 'WorkerFromTopicViaQueueQueuePolicy');
    // SAM writes Principal "*" with aws:SourceArn = the topic (samtranslator/model/sqs.py).
    assert.deepEqual(statements(queue.policies[0].document), [
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Principal: '*',
        Resource: { $ref: 'WorkerFromTopicViaQueueQueue', $attr: 'Arn' },
        Condition: { ArnEquals: { 'aws:SourceArn': { $ref: 'Topic' } } },
      },
    ]);
    const subscription = byId(model.subscriptions, 'WorkerFromTopicViaQueue');
    assert.equal(subscription.protocol, 'sqs');
    assert.deepEqual(subscription.endpoint, { $ref: 'WorkerFromTopicViaQueueQueue', $attr: 'Arn' });
    const mapping = byId(model.mappings, 'WorkerFromTopicViaQueueEventSourceMapping');
    assert.deepEqual(mapping.source, { $ref: 'WorkerFromTopicViaQueueQueue', $attr: 'Arn' });
  });

  it('a FIFO topic gets a FIFO queue', () => {
    assert.equal(byId(model.queues, 'WorkerFromFifoTopicViaQueueQueue').fifo, true);
  });

  it('SqsSubscription with QueueArn/QueueUrl/QueuePolicyLogicalId → policy on that queue, subscription with its DLQ', () => {
    const existing = byId(model.queues, 'ExistingQueue');
    assert.deepEqual(
      existing.policies.map((policy) => policy.from),
      ['ExistingQueueSnsPolicy'],
    );
    const subscription = byId(model.subscriptions, 'WorkerFromTopicViaExisting');
    assert.deepEqual(subscription.endpoint, { $ref: 'ExistingQueue', $attr: 'Arn' });
    assert.deepEqual(subscription.dlq, { $ref: 'TargetDlq', $attr: 'Arn' });
    assert.ok(byId(model.mappings, 'WorkerFromTopicViaExistingEventSourceMapping'));
  });
});

describe('SAM EventBridge and schedule events', () => {
  it('EventBridgeRule with DeadLetterConfig Type SQS → rule, <Rule>Queue and a queue policy for events.amazonaws.com from the rule', () => {
    const rule = byId(model.rules, 'ScheduledOnOrder');
    assert.equal(rule.bus, 'orders');
    assert.equal(rule.hasPattern, true);
    assert.equal(rule.origin.line, lineOf('OnOrder'));
    assert.deepEqual(rule.targets, [
      {
        targetId: 'ScheduledOnOrderLambdaTarget',
        arn: { $ref: 'Scheduled', $attr: 'Arn' },
        dlq: { $ref: 'ScheduledOnOrderQueue', $attr: 'Arn' },
      },
    ]);
    const queue = byId(model.queues, 'ScheduledOnOrderQueue');
    assert.equal(queue.policies[0].from, 'ScheduledOnOrderQueuePolicy');
    assert.deepEqual(statements(queue.policies[0].document)[0], {
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Resource: { $ref: 'ScheduledOnOrderQueue', $attr: 'Arn' },
      Condition: { ArnEquals: { 'aws:SourceArn': { $ref: 'ScheduledOnOrder', $attr: 'Arn' } } },
    });
  });

  it('CloudWatchEvent with QueueLogicalId and a Target Id → that queue id and target id', () => {
    const rule = byId(model.rules, 'ScheduledOnLegacy');
    assert.equal(rule.bus, 'default');
    assert.equal(rule.targets[0].targetId, 'legacy-target');
    assert.deepEqual(rule.targets[0].dlq, { $ref: 'LegacyEventsDlq', $attr: 'Arn' });
    assert.equal(byId(model.queues, 'LegacyEventsDlq').policies[0].from, 'ScheduledOnLegacyQueuePolicy');
  });

  it('DeadLetterConfig Arn → the target’s DLQ as given, and no queue policy added', () => {
    const rule = byId(model.rules, 'ScheduledOnOwnDlq');
    assert.deepEqual(rule.targets[0].dlq, { $ref: 'TargetDlq', $attr: 'Arn' });
    assert.deepEqual(byId(model.queues, 'TargetDlq').policies, []);
  });

  it('Schedule → a scheduled rule, with or without SAM’s DLQ', () => {
    const nightly = byId(model.rules, 'ScheduledNightly');
    assert.equal(nightly.hasSchedule, true);
    assert.equal(nightly.hasPattern, false);
    assert.equal(byId(model.queues, 'ScheduledNightlyQueue').policies[0].from, 'ScheduledNightlyQueuePolicy');
    assert.equal(byId(model.rules, 'ScheduledNoDlq').targets[0].dlq, undefined);
  });

  it('ScheduleV2 → a role-delivered schedule whose role may send to its DLQ, and no queue policy', () => {
    const schedule = byId(model.pipes, 'ScheduledHourly');
    assert.equal(schedule.type, 'AWS::Scheduler::Schedule');
    assert.deepEqual(schedule.dlq, { $ref: 'ScheduledHourlyQueue', $attr: 'Arn' });
    assert.deepEqual(schedule.roleArn, { $ref: 'ScheduledHourlyRole', $attr: 'Arn' });
    assert.deepEqual(byId(model.queues, 'ScheduledHourlyQueue').policies, []);
    const role = byId(model.roles, 'ScheduledHourlyRole');
    const granted = statements(role.policies[0].document);
    assert.ok(
      granted.some(
        (statement) =>
          statement.Action === 'sqs:SendMessage' &&
          JSON.stringify(statement.Resource) ===
            JSON.stringify({ $ref: 'ScheduledHourlyQueue', $attr: 'Arn' }),
      ),
    );
  });

  it('S3 events add a Lambda notification to the bucket', () => {
    assert.deepEqual(byId(model.buckets, 'Bucket').notifications, [
      { kind: 'lambda', target: { $ref: 'Worker', $attr: 'Arn' } },
    ]);
  });
});

describe('SAM Globals merge', () => {
  it('merges maps, concatenates lists, lets the resource’s scalars and intrinsics win', () => {
    assert.deepEqual(
      mergeGlobals(
        { Timeout: 3, Environment: { Variables: { A: '1', B: '2' } }, Layers: ['x'], Role: { Ref: 'R' } },
        {
          Timeout: 9,
          Environment: { Variables: { B: '3' } },
          Layers: ['y'],
          Role: { 'Fn::GetAtt': ['S', 'Arn'] },
        },
      ),
      {
        Timeout: 9,
        Environment: { Variables: { A: '1', B: '3' } },
        Layers: ['x', 'y'],
        Role: { 'Fn::GetAtt': ['S', 'Arn'] },
      },
    );
  });

  it('applies only with the SAM transform', () => {
    const plain = readCloudFormation(
      'Globals:\n  Function:\n    Timeout: 99\nResources:\n  F:\n    Type: AWS::Lambda::Function\n',
      'plain.yaml',
    );
    assert.equal(plain.functions[0].timeoutSeconds, undefined);
  });
});

describe('SAM connectors', () => {
  const template = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop] }
      Targets:
        - Id: q
          Arn: !GetAtt Queue.Arn
    Connectors:
      ToQueue:
        Properties:
          Destination: { Id: Queue }
          Permissions: [Write]
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
  Other:
    Type: AWS::SQS::Queue
  TopicToQueues:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Topic }
      Destination: [{ Id: Other }, { Type: AWS::SQS::Queue, Arn: arn:aws:sqs:us-east-1:123456789012:x, QueueUrl: https://x }]
      Permissions: [Write]
  RuleToTopic:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Rule }
      Destination: { Id: Topic }
      Permissions: [Write]
  ReadOnly:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Rule }
      Destination: { Id: Other }
      Permissions: [Read]
`;
  const connected = readCloudFormation(template, 'connectors.yaml');

  it('an embedded connector from a rule writes <Resource><Name>QueuePolicy for events.amazonaws.com from the rule', () => {
    const queue = byId(connected.queues, 'Queue');
    assert.equal(queue.policies.length, 1);
    assert.equal(queue.policies[0].from, 'RuleToQueueQueuePolicy');
    assert.equal(
      queue.policies[0].origin.line,
      template.split('\n').findIndex((line) => line.trim() === 'ToQueue:') + 1,
    );
    const [statement] = statements(queue.policies[0].document);
    assert.deepEqual(statement.Principal, { Service: 'events.amazonaws.com' });
    assert.equal(statement.Action, 'sqs:SendMessage');
    assert.deepEqual(statement.Condition, { ArnEquals: { 'aws:SourceArn': { $ref: 'Rule', $attr: 'Arn' } } });
  });

  it('a connector to several destinations numbers its policies; topic sources grant sns.amazonaws.com', () => {
    const other = byId(connected.queues, 'Other');
    assert.deepEqual(
      other.policies.map((policy) => policy.from),
      ['TopicToQueuesQueuePolicyDestination0'],
    );
    assert.deepEqual(statements(other.policies[0].document)[0].Principal, { Service: 'sns.amazonaws.com' });
    assert.ok(connected.notes.some((note) => note.resource === 'TopicToQueuesQueuePolicyDestination1'));
  });

  it('a rule → topic connector writes a topic policy; Read-only connectors write nothing', () => {
    const topic = byId(connected.topics, 'Topic');
    assert.deepEqual(
      topic.policies.map((policy) => policy.from),
      ['RuleToTopicTopicPolicy'],
    );
    assert.equal(statements(topic.policies[0].document)[0].Action, 'sns:Publish');
    assert.equal(
      entities(connected).some((entity) => entity.id.startsWith('ReadOnly')),
      false,
    );
  });
});

describe('SAM in a JSON template', () => {
  const json = JSON.stringify(
    {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Events: {
              Jobs: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
              Hourly: {
                Type: 'Schedule',
                Properties: { Schedule: 'rate(1 hour)', DeadLetterConfig: { Type: 'SQS' } },
              },
            },
          },
        },
      },
    },
    null,
    2,
  );
  const fromJson = readCloudFormation(json, 'sam.json');
  const line = (key: string) => json.split('\n').findIndex((text) => text.trim().startsWith(`"${key}":`)) + 1;

  it('expands the same way, generated resources at the line of their event', () => {
    const mapping = byId(fromJson.mappings, 'FnJobs');
    assert.deepEqual(mapping.source, { $ref: 'Queue', $attr: 'Arn' });
    assert.equal(mapping.origin.line, line('Jobs'));
    const queue = byId(fromJson.queues, 'FnHourlyQueue');
    assert.equal(queue.origin.line, line('Hourly'));
    assert.equal(queue.policies[0].from, 'FnHourlyQueuePolicy');
    assert.equal(byId(fromJson.functions, 'Fn').origin.line, line('Fn'));
  });
});
