import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { eventsClient } from '../support/events.js';
import { withClientServer } from '../support/suite.js';
import { sqsClient, uniqueName } from '../support/tideway.js';
import { ACCOUNT, allowing, none, queue, s3Client, take } from './notifications-fixtures.js';

describe('S3 events to EventBridge', () => {
  const suite = withClientServer('s3', s3Client);

  it('go to the default bus only with EventBridgeConfiguration, and a rule on aws.s3 routes them', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const events = eventsClient(suite.server.endpoint);
    const name = uniqueName('eb-bucket').toLowerCase();
    await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    const ruleName = uniqueName('s3-rule');
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: ruleName,
        EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: [name] } } }),
      }),
    );
    const q = await queue(sqs, (arn) =>
      allowing('events.amazonaws.com', 'sqs:SendMessage', arn, { ArnEquals: { 'aws:SourceArn': RuleArn } }),
    );
    await events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'q', Arn: q.arn }] }));

    // Not turned on yet: nothing on the bus.
    await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'before', Body: 'x' }));
    await none(sqs, q.url);

    await suite.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'a key', Body: 'test' }));
    const deleted = await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'a key' }));
    const [created, removed] = (await take(sqs, q.url, 2)).map((m) => JSON.parse(m.Body!));

    assert.equal(created.source, 'aws.s3');
    assert.equal(created['detail-type'], 'Object Created');
    assert.equal(created.account, ACCOUNT);
    assert.equal(created.region, 'us-east-1');
    assert.deepEqual(created.resources, [`arn:aws:s3:::${name}`]);
    assert.deepEqual(created.detail, {
      version: '0',
      bucket: { name },
      object: {
        key: 'a key',
        size: 4,
        etag: '098f6bcd4621d373cade4e832627b4f6',
        sequencer: created.detail.object.sequencer,
      },
      'request-id': put.$metadata.requestId,
      requester: ACCOUNT,
      'source-ip-address': created.detail['source-ip-address'],
      reason: 'PutObject',
    });
    assert.match(created.detail.object.sequencer, /^[0-9A-F]+$/);
    assert.equal(typeof created.detail['source-ip-address'], 'string');

    assert.equal(removed['detail-type'], 'Object Deleted');
    assert.deepEqual(removed.detail, {
      version: '0',
      bucket: { name },
      object: { key: 'a key', sequencer: removed.detail.object.sequencer },
      'request-id': deleted.$metadata.requestId,
      requester: ACCOUNT,
      'source-ip-address': removed.detail['source-ip-address'],
      reason: 'DeleteObject',
      'deletion-type': 'Permanently Deleted',
    });
    events.destroy();
  });
});
