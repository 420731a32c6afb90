import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  type MessageAttributeValue,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

// SNS guide, "Amazon SNS message filtering" (string, numeric, key and IP address matching, AND/OR
// logic) on both scopes: each case publishes a message that matches and one that does not, and only
// the first reaches the filtered subscription.
interface Case {
  name: string;
  /** The condition on key `k` (attributes) or `order.k` (body). */
  condition: unknown;
  hit: string | number | string[];
  miss: string | number | string[];
}

const CASES: Case[] = [
  { name: 'exact string', condition: ['blue'], hit: 'blue', miss: 'red' },
  { name: 'prefix', condition: [{ prefix: 'eu-' }], hit: 'eu-west-1', miss: 'us-east-1' },
  { name: 'suffix', condition: [{ suffix: '.png' }], hit: 'cat.png', miss: 'cat.jpg' },
  { name: 'equals-ignore-case', condition: [{ 'equals-ignore-case': 'BLUE' }], hit: 'Blue', miss: 'red' },
  { name: 'anything-but', condition: [{ 'anything-but': ['red', 'green'] }], hit: 'blue', miss: 'red' },
  {
    name: 'anything-but prefix',
    condition: [{ 'anything-but': { prefix: 'test-' } }],
    hit: 'prod-1',
    miss: 'test-1',
  },
  { name: 'numeric exact', condition: [{ numeric: ['=', 301.5] }], hit: 301.5, miss: 301.6 },
  { name: 'numeric range', condition: [{ numeric: ['>=', 10, '<', 20] }], hit: 15, miss: 20 },
  { name: 'cidr', condition: [{ cidr: '10.0.0.0/24' }], hit: '10.0.0.7', miss: '10.0.1.7' },
  { name: 'exists', condition: [{ exists: true }], hit: 'anything', miss: [] },
  { name: 'array element', condition: ['b'], hit: ['a', 'b'], miss: ['c', 'd'] },
];

function attributeOf(value: Case['hit']): Record<string, MessageAttributeValue> {
  if (Array.isArray(value)) {
    return value.length === 0 ? {} : { k: { DataType: 'String.Array', StringValue: JSON.stringify(value) } };
  }
  return typeof value === 'number'
    ? { k: { DataType: 'Number', StringValue: String(value) } }
    : { k: { DataType: 'String', StringValue: value } };
}

function bodyOf(value: Case['hit']): string {
  return JSON.stringify({ order: Array.isArray(value) && value.length === 0 ? {} : { k: value } });
}

describe('SNS filter policies', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
  });
  after(() => server.stop());

  for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
    for (const c of CASES) {
      it(`${c.name} on ${scope}`, async () => {
        const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('f') }));
        const queue = await subscribableQueue(sqs, uniqueName('q'), TopicArn);
        const policy = scope === 'MessageAttributes' ? { k: c.condition } : { order: { k: c.condition } };
        await sns.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'sqs',
            Endpoint: queue.arn,
            Attributes: {
              RawMessageDelivery: 'true',
              FilterPolicy: JSON.stringify(policy),
              FilterPolicyScope: scope,
            },
          }),
        );
        for (const [label, value] of [
          ['hit', c.hit],
          ['miss', c.miss],
        ] as const) {
          await sns.send(
            new PublishCommand({
              TopicArn,
              Message: scope === 'MessageBody' ? bodyOf(value) : label,
              MessageAttributes: scope === 'MessageAttributes' ? attributeOf(value) : undefined,
            }),
          );
        }
        const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
        assert.deepEqual(
          got.map((m) => m.Body),
          [scope === 'MessageBody' ? bodyOf(c.hit) : 'hit'],
        );
      });
    }
  }

  it('combines keys with AND and $or branches with OR', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('f') }));
    const queue = await subscribableQueue(sqs, uniqueName('q'), TopicArn);
    const policy = { source: ['shop'], $or: [{ kind: ['order'] }, { amount: [{ numeric: ['>', 100] }] }] };
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify(policy) },
      }),
    );
    const publish = (Message: string, attrs: Record<string, string | number>) =>
      sns.send(
        new PublishCommand({
          TopicArn,
          Message,
          MessageAttributes: Object.fromEntries(
            Object.entries(attrs).map(([k, v]) => [
              k,
              typeof v === 'number'
                ? { DataType: 'Number', StringValue: String(v) }
                : { DataType: 'String', StringValue: v },
            ]),
          ),
        }),
      );
    await publish('order', { source: 'shop', kind: 'order' });
    await publish('big', { source: 'shop', kind: 'refund', amount: 500 });
    await publish('small', { source: 'shop', kind: 'refund', amount: 5 });
    await publish('elsewhere', { source: 'blog', kind: 'order' });
    const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(got.map((m) => m.Body).sort(), ['big', 'order']);
  });

  // SNS guide, "Amazon SNS subscription filter policy constraints".
  it('rejects invalid policies with the messages AWS gives', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('f') }));
    const queue = await subscribableQueue(sqs, uniqueName('q'), TopicArn);
    const subscribeWith = (FilterPolicy: string) =>
      errorOf(() =>
        sns.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'sqs',
            Endpoint: queue.arn,
            Attributes: { FilterPolicy },
          }),
        ),
      );
    const tooMany = await subscribeWith(
      JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }),
    );
    assert.equal(tooMany.name, 'InvalidParameterException');
    assert.equal(
      tooMany.message,
      'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys',
    );
    const complex = await subscribeWith(
      JSON.stringify({
        a: Array.from({ length: 10 }, (_, i) => `a${i}`),
        b: Array.from({ length: 10 }, (_, i) => `b${i}`),
        c: ['1', '2'],
      }),
    );
    assert.equal(
      complex.message,
      'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex',
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    const unknown = await errorOf(() =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue: JSON.stringify({ k: [{ wildcard: 'a*' }] }),
        }),
      ),
    );
    assert.match(unknown.message, /^Invalid parameter: FilterPolicy: Unrecognized match type wildcard/);
  });
});
