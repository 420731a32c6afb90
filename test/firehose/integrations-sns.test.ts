import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { credentials } from '../support/tideway.js';
import {
  ACCOUNT,
  appendNewline,
  bucket,
  flushed,
  hints,
  REGION,
  streamToBucket,
  withFirehoseServer,
} from './integrations-support.js';

const SUBSCRIPTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/sns-to-firehose`;

describe('SNS firehose subscriptions', () => {
  const suite = withFirehoseServer();
  let sns: SNSClient;
  before(() => {
    sns = new SNSClient({ endpoint: suite.server.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  after(() => sns.destroy());

  async function topicInto(streamArn: string, raw: boolean): Promise<string> {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: `t-${Math.random().toString(36).slice(2)}` }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'firehose',
        Endpoint: streamArn,
        Attributes: {
          SubscriptionRoleArn: SUBSCRIPTION_ROLE,
          ...(raw ? { RawMessageDelivery: 'true' } : {}),
        },
      }),
    );
    return TopicArn!;
  }

  it('write one JSON notification per line, as AWS archives them', async () => {
    const b = await bucket(suite.s3);
    const stream = await streamToBucket(suite, b.arn);
    const topicArn = await topicInto(stream.arn, false);
    for (const n of [1, 2, 3]) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `order ${n}`,
          Message: `shipped ${n}`,
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'shipment' } },
        }),
      );
    }
    const [object] = await flushed(suite, b.name);
    const text = object.body.toString('utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, 3);
    const docs = lines.map((l) => JSON.parse(l));
    assert.deepEqual(
      docs.map((d) => d.Message),
      ['shipped 1', 'shipped 2', 'shipped 3'],
    );
    for (const d of docs) {
      assert.equal(d.Type, 'Notification');
      assert.equal(d.TopicArn, topicArn);
      assert.deepEqual(d.MessageAttributes, { kind: { Type: 'String', Value: 'shipment' } });
      assert.equal(d.Signature, undefined);
    }
  });

  it('write the messages themselves with raw delivery, newline-delimited', async () => {
    const b = await bucket(suite.s3);
    const stream = await streamToBucket(suite, b.arn);
    const topicArn = await topicInto(stream.arn, true);
    for (const m of ['alpha', 'beta', 'gamma'])
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: m }));
    const [object] = await flushed(suite, b.name);
    assert.equal(object.body.toString('utf8'), 'alpha\nbeta\ngamma\n');
  });

  it('get a second newline from AppendDelimiterToRecord, and the server says so once for the stream', async () => {
    const b = await bucket(suite.s3);
    const stream = await streamToBucket(suite, b.arn, { processing: appendNewline });
    const topicArn = await topicInto(stream.arn, true);
    for (const m of ['alpha', 'beta']) await sns.send(new PublishCommand({ TopicArn: topicArn, Message: m }));
    const [object] = await flushed(suite, b.name);
    assert.equal(object.body.toString('utf8'), 'alpha\n\nbeta\n\n');
    const found = (await hints(suite.server)).filter((h) => h.kind === 'sns-firehose-double-newline');
    assert.deepEqual(
      found.map((h) => [h.resource, h.count]),
      [[stream.arn, 1]],
    );
  });
});
