import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { type Receiver, startReceiver } from '../support/http-receiver.js';
import { advance, uniqueName } from '../support/tideway.js';
import { active, bucket, objects, ROLE, withFirehoseServer } from './integrations-support.js';

describe('HTTP endpoint destinations', () => {
  const suite = withFirehoseServer();
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  async function endpointStream(
    retrySeconds: number,
    backupArn: string,
  ): Promise<{ name: string; arn: string }> {
    const name = uniqueName('http');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: {
            Url: `${receiver.url}/ingest`,
            Name: 'local receiver',
            AccessKey: 'key-123',
          },
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
          RequestConfiguration: {
            ContentEncoding: 'NONE',
            CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }],
          },
          RetryOptions: { DurationInSeconds: retrySeconds },
          RoleARN: ROLE,
          S3BackupMode: 'FailedDataOnly',
          S3Configuration: { BucketARN: backupArn, RoleARN: ROLE },
        },
      }),
    );
    return { name, arn: await active(suite, name) };
  }

  it('post the documented request, and take a 200 echoing the request id', async () => {
    receiver.received.length = 0;
    receiver.respond = (req) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: JSON.parse(req.body).requestId, timestamp: Date.now() }),
    });
    const backup = await bucket(suite.s3);
    const stream = await endpointStream(60, backup.arn);
    await suite.firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: stream.name,
        Records: [{ Data: Buffer.from('one') }, { Data: Buffer.from('two') }],
      }),
    );
    await advance(suite.server, 61);
    const [req] = await receiver.waitFor(1);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/ingest');
    assert.equal(req.headers['x-amz-firehose-access-key'], 'key-123');
    assert.equal(req.headers['x-amz-firehose-source-arn'], stream.arn);
    assert.equal(req.headers['x-amz-firehose-protocol-version'], '1.0');
    assert.deepEqual(JSON.parse(String(req.headers['x-amz-firehose-common-attributes'])), {
      commonAttributes: { env: 'test' },
    });
    const body = JSON.parse(req.body);
    assert.equal(body.requestId, req.headers['x-amz-firehose-request-id']);
    assert.deepEqual(
      body.records.map((r: { data: string }) => Buffer.from(r.data, 'base64').toString()),
      ['one', 'two'],
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await objects(suite.s3, backup.name), [], 'nothing failed, nothing backed up');
  });

  it('retry a failing endpoint for the retry duration, then back the records up to S3', async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 500, headers: { 'content-type': 'application/json' }, body: '{}' });
    const backup = await bucket(suite.s3);
    const stream = await endpointStream(10, backup.arn);
    await suite.firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: stream.name,
        Records: [{ Data: Buffer.from('lost?') }],
      }),
    );
    await advance(suite.server, 61);
    await receiver.waitFor(1);
    let found: Awaited<ReturnType<typeof objects>> = [];
    // Past the retries (10 s), then past the backup's buffering interval (300 s by default).
    for (let i = 0; i < 80 && found.length === 0; i++) {
      await advance(suite.server, 5);
      await new Promise((r) => setTimeout(r, 25));
      found = await objects(suite.s3, backup.name);
    }
    assert.ok(receiver.received.length > 1, 'retried');
    assert.equal(new Set(receiver.received.map((r) => r.headers['x-amz-firehose-request-id'])).size, 1);
    assert.equal(found.length, 1);
    const text = found[0].body.toString('utf8');
    assert.ok(
      text.includes(Buffer.from('lost?').toString('base64')) || text.includes('lost?'),
      'the failed record is in the backup',
    );
  });
});
