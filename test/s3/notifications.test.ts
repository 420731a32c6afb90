import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type PutBucketNotificationConfigurationCommandInput,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { snsClient, snsMayDeliver } from '../support/sns.js';
import { withClientServer } from '../support/suite.js';
import { errorOf, sqsClient, uniqueName } from '../support/tideway.js';
import {
  ACCOUNT,
  allowing,
  fromBucket,
  none,
  queue,
  recordOf,
  s3Client,
  type TestQueue,
  take,
} from './notifications-fixtures.js';

const s3MaySend = (bucket: string) => (arn: string) =>
  allowing('s3.amazonaws.com', 'sqs:SendMessage', arn, fromBucket(bucket));

async function bucket(s3: S3Client): Promise<string> {
  const name = uniqueName('notify').toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

function configure(
  s3: S3Client,
  name: string,
  config: PutBucketNotificationConfigurationCommandInput['NotificationConfiguration'],
  skip?: boolean,
) {
  return s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: name,
      NotificationConfiguration: config,
      SkipDestinationValidation: skip,
    }),
  );
}

/** A bucket whose object events go to a fresh queue (the test event already taken off it). */
async function notifyingBucket(
  s3: S3Client,
  sqs: SQSClient,
  events: string[] = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
): Promise<{ name: string; q: TestQueue }> {
  const name = await bucket(s3);
  const q = await queue(sqs, s3MaySend(name));
  await configure(s3, name, {
    QueueConfigurations: [{ Id: 'to-queue', QueueArn: q.arn, Events: events as never }],
  });
  await take(sqs, q.url, 1);
  return { name, q };
}

describe('S3 notification configuration', () => {
  const suite = withClientServer('s3', s3Client);

  it('round-trips, with Ids made for configurations without one and filter rule names capitalised', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const q = await queue(sqs, s3MaySend(name));
    await configure(suite.s3, name, {
      QueueConfigurations: [
        {
          QueueArn: q.arn,
          Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'testupload/' },
                { Name: 'SUFFIX' as never, Value: 'testfile.txt' },
              ],
            },
          },
        },
        {
          Id: 'id0002',
          QueueArn: q.arn,
          Events: ['s3:ObjectTagging:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '' }] } },
        },
      ],
      EventBridgeConfiguration: {},
    });
    const got = await suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    const [first, second] = got.QueueConfigurations!;
    assert.match(first.Id!, /^[A-Za-z0-9+/=]+$/);
    assert.deepEqual(first, {
      Id: first.Id,
      QueueArn: q.arn,
      Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
      Filter: {
        Key: {
          FilterRules: [
            { Name: 'Prefix', Value: 'testupload/' },
            { Name: 'Suffix', Value: 'testfile.txt' },
          ],
        },
      },
    });
    assert.deepEqual(second, {
      Id: 'id0002',
      QueueArn: q.arn,
      Events: ['s3:ObjectTagging:*'],
      Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '' }] } },
    });
    assert.deepEqual(got.EventBridgeConfiguration, {});
    assert.equal(got.TopicConfigurations, undefined);

    await configure(suite.s3, name, {});
    const cleared = await suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    assert.equal(cleared.QueueConfigurations, undefined);
    assert.equal(cleared.EventBridgeConfiguration, undefined);
  });

  it('reads a legacy PutBucketNotification document on the same request line', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const q = await queue(sqs, s3MaySend(name));
    const res = await fetch(`${suite.server.endpoint}/${name}?notification`, {
      method: 'PUT',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
        'content-type': 'application/xml',
      },
      body: `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><QueueConfiguration><Id>legacy</Id><Event>s3:ObjectCreated:*</Event><Queue>${q.arn}</Queue></QueueConfiguration></NotificationConfiguration>`,
    });
    assert.equal(res.status, 200, await res.text());
    await take(sqs, q.url, 1);
    const got = await suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    assert.deepEqual(got.QueueConfigurations, [
      { Id: 'legacy', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] },
    ]);
  });

  it('sends s3:TestEvent to the queue when the configuration names it', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const q = await queue(sqs, s3MaySend(name));
    const put = await configure(suite.s3, name, {
      QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }],
    });
    const [message] = await take(sqs, q.url, 1);
    const test = JSON.parse(message.Body!);
    assert.deepEqual(Object.keys(test), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
    assert.equal(test.Service, 'Amazon S3');
    assert.equal(test.Event, 's3:TestEvent');
    assert.equal(test.Bucket, name);
    assert.match(test.Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(test.RequestId, put.$metadata.requestId);
    assert.equal(typeof test.HostId, 'string');
  });

  it('refuses destinations that do not exist or do not let S3 in, and keeps nothing', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const closed = await queue(sqs);
    const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue-${name}`;
    const err = await errorOf(() =>
      configure(suite.s3, name, {
        QueueConfigurations: [
          { Id: 'a', QueueArn: missing, Events: ['s3:ObjectCreated:*'] },
          { Id: 'b', QueueArn: closed.arn, Events: ['s3:ObjectRemoved:*'] },
        ],
      }),
    );
    assert.equal(err.name, 'InvalidArgument');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.message, 'Unable to validate the following destination configurations');
    assert.equal(err.ArgumentName1, missing);
    assert.equal(err.ArgumentValue1, 'The destination queue does not exist');
    assert.equal(err.ArgumentName2, closed.arn);
    assert.equal(
      err.ArgumentValue2,
      'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
    );
    await none(sqs, closed.url);
    const got = await suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    assert.equal(got.QueueConfigurations, undefined);

    // x-amz-skip-destination-validation: kept as given, no test event.
    await configure(
      suite.s3,
      name,
      { QueueConfigurations: [{ Id: 'id123', QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    const kept = await suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    assert.deepEqual(kept.QueueConfigurations, [
      { Id: 'id123', QueueArn: missing, Events: ['s3:ObjectCreated:*'] },
    ]);
  });

  it('answers the configuration errors as S3 words them', async () => {
    const name = await bucket(suite.s3);
    const invalidArn = await errorOf(() =>
      configure(
        suite.s3,
        name,
        { QueueConfigurations: [{ Id: 'id123', QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }] },
        true,
      ),
    );
    assert.equal(invalidArn.name, 'InvalidArgument');
    assert.equal(invalidArn.message, 'The ARN could not be parsed');
    assert.equal(invalidArn.ArgumentName, 'Queue');
    assert.equal(invalidArn.ArgumentValue, 'invalid-queue');

    const topic = await errorOf(() =>
      configure(suite.s3, name, {
        TopicConfigurations: [{ TopicArn: 'invalid-topic', Events: ['s3:ObjectCreated:*'] }],
      }),
    );
    assert.equal(topic.ArgumentName, 'Topic');

    const filter = await errorOf(() =>
      configure(
        suite.s3,
        name,
        {
          QueueConfigurations: [
            {
              QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'INVALID' as never, Value: 'does not matter' }] } },
            },
          ],
        },
        true,
      ),
    );
    assert.equal(filter.name, 'InvalidArgument');
    assert.equal(filter.message, 'filter rule name must be either prefix or suffix');
    assert.equal(filter.ArgumentName, 'FilterRule.Name');
    assert.equal(filter.ArgumentValue, 'INVALID');

    const overlap = await errorOf(() =>
      configure(
        suite.s3,
        name,
        {
          QueueConfigurations: [
            { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:a`, Events: ['s3:ObjectRemoved:*'] },
            { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:b`, Events: ['s3:ObjectRemoved:*'] },
          ],
        },
        true,
      ),
    );
    assert.equal(overlap.name, 'InvalidArgument');
    assert.equal(
      overlap.message,
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    );

    const event = await errorOf(() =>
      configure(
        suite.s3,
        name,
        {
          QueueConfigurations: [
            { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:a`, Events: ['s3:Nope' as never] },
          ],
        },
        true,
      ),
    );
    assert.equal(event.message, 'The event is not supported for notifications');

    const noBucket = await errorOf(() =>
      suite.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: `${name}-missing` })),
    );
    assert.equal(noBucket.name, 'NoSuchBucket');
    assert.equal(noBucket.$metadata.httpStatusCode, 404);
    assert.equal(noBucket.BucketName, `${name}-missing`);
  });
});

describe('S3 event notifications', () => {
  const suite = withClientServer('s3', s3Client);

  it('send AWS-shaped records for put, copy and delete to a queue', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const { name, q } = await notifyingBucket(suite.s3, sqs);
    const put = await suite.s3.send(
      new PutObjectCommand({ Bucket: name, Key: 'my file@1.txt', Body: 'test data' }),
    );
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket: name,
        Key: 'copy.txt',
        CopySource: `${name}/${encodeURIComponent('my file@1.txt')}`,
      }),
    );
    await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'copy.txt' }));
    const [created, copied, removed] = (await take(sqs, q.url, 3)).map((m) => recordOf(m.Body));

    assert.deepEqual(Object.keys(created), [
      'eventVersion',
      'eventSource',
      'awsRegion',
      'eventTime',
      'eventName',
      'userIdentity',
      'requestParameters',
      'responseElements',
      's3',
    ]);
    assert.equal(created.eventVersion, '2.1');
    assert.equal(created.eventSource, 'aws:s3');
    assert.equal(created.awsRegion, 'us-east-1');
    assert.match(created.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(created.eventName, 'ObjectCreated:Put');
    assert.equal(typeof created.userIdentity.principalId, 'string');
    assert.equal(typeof created.requestParameters.sourceIPAddress, 'string');
    assert.equal(created.responseElements['x-amz-request-id'], put.$metadata.requestId);
    assert.equal(typeof created.responseElements['x-amz-id-2'], 'string');
    assert.equal(created.s3.s3SchemaVersion, '1.0');
    assert.equal(created.s3.configurationId, 'to-queue');
    assert.deepEqual(created.s3.bucket, {
      name,
      ownerIdentity: { principalId: created.s3.bucket.ownerIdentity.principalId },
      arn: `arn:aws:s3:::${name}`,
    });
    assert.deepEqual(created.s3.object, {
      key: 'my+file%401.txt',
      size: 9,
      eTag: 'eb733a00c0c9d336e65691a37ab54293',
      sequencer: created.s3.object.sequencer,
    });
    assert.match(created.s3.object.sequencer, /^[0-9A-F]+$/);

    assert.equal(copied.eventName, 'ObjectCreated:Copy');
    assert.equal(copied.s3.object.key, 'copy.txt');
    assert.equal(copied.s3.object.eTag, 'eb733a00c0c9d336e65691a37ab54293');

    assert.equal(removed.eventName, 'ObjectRemoved:Delete');
    assert.deepEqual(Object.keys(removed.s3.object), ['key', 'sequencer']);
    assert.ok(removed.s3.object.sequencer > copied.s3.object.sequencer, 'sequencers grow per key');
  });

  it('send tagging records at version 2.3 with the ETag, and one removal per key of DeleteObjects', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const { name, q } = await notifyingBucket(suite.s3, sqs, ['s3:ObjectTagging:*', 's3:ObjectRemoved:*']);
    await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'tagged', Body: 'hello' }));
    await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'other', Body: 'hello' }));
    await suite.s3.send(
      new PutObjectTaggingCommand({
        Bucket: name,
        Key: 'tagged',
        Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] },
      }),
    );
    await suite.s3.send(new DeleteObjectTaggingCommand({ Bucket: name, Key: 'tagged' }));
    await suite.s3.send(
      new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: [{ Key: 'tagged' }, { Key: 'other' }] } }),
    );
    const records = (await take(sqs, q.url, 4)).map((m) => recordOf(m.Body));
    assert.deepEqual(
      records.map((r) => [r.eventName, r.eventVersion, r.s3.object.key]),
      [
        ['ObjectTagging:Put', '2.3', 'tagged'],
        ['ObjectTagging:Delete', '2.3', 'tagged'],
        ['ObjectRemoved:Delete', '2.1', 'tagged'],
        ['ObjectRemoved:Delete', '2.1', 'other'],
      ],
    );
    assert.deepEqual(records[0].s3.object, { key: 'tagged', eTag: '5d41402abc4b2a76b9719d911017c592' });
    assert.deepEqual(Object.keys(records[3].s3.object), ['key', 'sequencer']);
  });

  it('send ObjectCreated:CompleteMultipartUpload with the multipart ETag and the whole size', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const { name, q } = await notifyingBucket(suite.s3, sqs, ['s3:ObjectCreated:*']);
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'big' }));
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('tail')];
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      const { ETag } = await suite.s3.send(
        new UploadPartCommand({ Bucket: name, Key: 'big', UploadId, PartNumber: i + 1, Body: body }),
      );
      etags.push(ETag!);
    }
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: name,
        Key: 'big',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const [message] = await take(sqs, q.url, 1);
    const record = recordOf(message.Body);
    assert.equal(record.eventName, 'ObjectCreated:CompleteMultipartUpload');
    assert.equal(record.s3.object.size, 5 * 1024 * 1024 + 4);
    assert.equal(record.s3.object.eTag, done.ETag!.replaceAll('"', ''));
    assert.match(record.s3.object.eTag, /^[0-9a-f]{32}-2$/);
  });

  it('apply event names and key filters', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const q = await queue(sqs, s3MaySend(name));
    await configure(suite.s3, name, {
      QueueConfigurations: [
        {
          Id: 'uploads',
          QueueArn: q.arn,
          Events: ['s3:ObjectCreated:Put'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'testupload/' },
                { Name: 'suffix', Value: 'testfile.txt' },
              ],
            },
          },
        },
      ],
    });
    await take(sqs, q.url, 1);
    for (const key of ['/testdata', 'testupload/dir1/other.txt', 'testupload/dir1/testfile.txt'])
      await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: key }));
    await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'testupload/dir1/testfile.txt' }));
    const [only] = await take(sqs, q.url, 1);
    assert.equal(recordOf(only.Body).s3.object.key, 'testupload/dir1/testfile.txt');
    assert.equal(recordOf(only.Body).s3.configurationId, 'uploads');
    await none(sqs, q.url);
  });

  it('publish to a topic with the subject "Amazon S3 Notification"', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const sns = snsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('s3t') }));
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: allowing('s3.amazonaws.com', 'sns:Publish', TopicArn!, fromBucket(name)),
      }),
    );
    const q = await queue(sqs, (arn) => snsMayDeliver(arn, TopicArn!));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
    await configure(suite.s3, name, {
      TopicConfigurations: [{ Id: 'to-topic', TopicArn, Events: ['s3:ObjectCreated:*'] }],
    });
    const [testEnvelope] = await take(sqs, q.url, 1);
    const test = JSON.parse(testEnvelope.Body!);
    assert.equal(test.Subject, 'Amazon S3 Notification');
    assert.equal(JSON.parse(test.Message).Event, 's3:TestEvent');

    await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'bucket-key', Body: 'hello world' }));
    const [envelope] = await take(sqs, q.url, 1);
    const notification = JSON.parse(envelope.Body!);
    assert.equal(notification.Type, 'Notification');
    assert.equal(notification.Subject, 'Amazon S3 Notification');
    assert.equal(notification.TopicArn, TopicArn);
    const record = recordOf(notification.Message);
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.s3.configurationId, 'to-topic');
    assert.deepEqual(record.s3.object, {
      key: 'bucket-key',
      size: 11,
      eTag: '5eb63bbbe01eeed093cb22bb8f5acdc3',
      sequencer: record.s3.object.sequencer,
    });
    sns.destroy();
  });

  it('are dropped, not failed, when the queue policy no longer lets S3 in', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = await bucket(suite.s3);
    const q = await queue(sqs);
    await configure(
      suite.s3,
      name,
      { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    await none(sqs, q.url);
  });
});
