import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Model } from '../../../src/knowhow/model.js';
import { readTerraformPlan } from '../../../src/knowhow/templates/terraform.js';

const FILE = 'test/fixtures/terraform/policies.plan.json';
const read = (): Model =>
  readTerraformPlan(JSON.parse(readFileSync(new URL(`../../../../${FILE}`, import.meta.url), 'utf8')), FILE);

describe('Terraform reader: policies', () => {
  it('rebuilds a deferred aws_iam_policy_document from its blocks, with references for unknown ARNs', () => {
    const queue = read().queues.find((queue) => queue.id === 'aws_sqs_queue.orders')!;
    assert.equal(queue.policyUnknown, undefined);
    assert.equal(queue.policies.length, 1);
    assert.equal(queue.policies[0]!.from, 'aws_sqs_queue_policy.orders');
    assert.deepEqual(queue.policies[0]!.document, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FromTopic',
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: [{ $ref: 'aws_sqs_queue.orders', $attr: 'arn' }],
          Principal: { Service: ['sns.amazonaws.com'] },
          Condition: { ArnEquals: { 'aws:SourceArn': [{ $ref: 'aws_sns_topic.orders', $attr: 'arn' }] } },
        },
      ],
    });
  });

  it('parses an inline aws_sqs_queue.policy known at plan time', () => {
    const queue = read().queues.find((queue) => queue.id === 'aws_sqs_queue.audit')!;
    assert.equal(queue.policies.length, 1);
    assert.equal(queue.policies[0]!.from, 'aws_sqs_queue.audit');
    const statement = (queue.policies[0]!.document as { Statement: Record<string, unknown>[] }).Statement[0]!;
    assert.deepEqual(statement.Principal, { Service: 'events.amazonaws.com' });
    assert.deepEqual(statement.Condition, { StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  it('uses the json of a policy document read at plan time for aws_sns_topic_policy', () => {
    const [topic] = read().topics;
    assert.equal(topic!.policies.length, 1);
    assert.equal(topic!.policies[0]!.from, 'aws_sns_topic_policy.orders');
    const statement = (topic!.policies[0]!.document as { Statement: Record<string, unknown>[] })
      .Statement[0]!;
    assert.deepEqual(statement.Principal, { Service: 'events.amazonaws.com' });
    assert.equal(statement.Resource, '*');
  });

  it('attaches bus policies to the named bus, and stands the policy resource in for the default bus', () => {
    const buses = read().buses;
    assert.deepEqual(
      buses.map((bus) => [bus.id, bus.name, bus.policies.map((policy) => policy.from)]),
      [
        ['aws_cloudwatch_event_bus.orders', 'orders', ['aws_cloudwatch_event_bus_policy.orders']],
        ['aws_cloudwatch_event_bus_policy.default', 'default', ['aws_cloudwatch_event_bus_policy.default']],
      ],
    );
  });

  it('resolves KMS keys: a reference to the key, an alias by its name, the key policy and its aliases', () => {
    const model = read();
    const orders = model.queues.find((queue) => queue.id === 'aws_sqs_queue.orders')!;
    assert.deepEqual(orders.kmsKey, { $ref: 'aws_kms_key.orders', $attr: 'arn' });
    const audit = model.queues.find((queue) => queue.id === 'aws_sqs_queue.audit')!;
    assert.equal(audit.kmsKey, 'alias/orders');
    const [key] = model.keys;
    assert.deepEqual(key!.aliases, ['alias/orders']);
    const statements = (key!.policy as { Statement: { Sid: string }[] }).Statement;
    assert.deepEqual(
      statements.map((statement) => statement.Sid),
      ['Root', 'Sns'],
    );
  });

  it('collects a role trust policy, inline policies, role policies and attached customer policies', () => {
    const role = read().roles.find((role) => role.id === 'aws_iam_role.pipe')!;
    const trust = role.trust as { Statement: { Principal: unknown }[] };
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: 'pipes.amazonaws.com' });
    assert.deepEqual(
      role.policies.map((policy) => policy.from),
      ['aws_iam_role.pipe', 'aws_iam_policy.send'],
    );
    assert.match(role.policyUnknown ?? '', /aws_iam_role_policy\.pipe_dlq.*aws_sqs_queue\.audit\.arn/);
  });

  it('marks a role whose AWS-managed policy the plan cannot show', () => {
    const model = read();
    const role = model.roles.find((role) => role.id === 'aws_iam_role.worker')!;
    assert.deepEqual(role.policies, []);
    assert.match(role.policyUnknown ?? '', /AWSLambdaSQSQueueExecutionRole/);
    assert.ok(model.notes.some((note) => note.resource === 'aws_iam_role.worker'));
  });

  it('reads rule suppressions from the tideway:ignore tag', () => {
    const model = read();
    assert.deepEqual(model.queues.find((queue) => queue.id === 'aws_sqs_queue.audit')!.ignore, [
      'sqs-short-polling',
    ]);
    assert.deepEqual(model.queues.find((queue) => queue.id === 'aws_sqs_queue.orders')!.ignore, []);
  });
});
