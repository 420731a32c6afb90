// End to end over a stream's life: the plain S3 destination, a zero interval, a custom time zone,
// an update that flushes what is buffered under the old version, and a deletion that drops it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  PutRecordCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { advance, uniqueName } from '../support/tideway.js';
import {
  directPutStream,
  hourPrefix,
  landed,
  now,
  parseKey,
  putAll,
  records,
  settledObjects,
} from './e2e-support.js';
import { active, bucket, ROLE, withFirehoseServer } from './integrations-support.js';

const DESTINATION = 'destinationId-000000000001';

describe('Firehose to S3 end to end over a stream’s life', () => {
  const suite = withFirehoseServer();

  it('delivers through the plain S3DestinationConfiguration as through the extended one', async () => {
    const b = await bucket(suite.s3);
    const name = uniqueName('e2e-plain');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        S3DestinationConfiguration: {
          BucketARN: b.arn,
          RoleARN: ROLE,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
          CompressionFormat: 'UNCOMPRESSED',
        },
      }),
    );
    await active(suite, name);
    await suite.firehose.send(
      new PutRecordCommand({
        DeliveryStreamName: name,
        Record: { Data: Buffer.from('{"message":"hello"}') },
      }),
    );
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    const key = parseKey(object!.key, name);
    assert.equal(key.prefix, hourPrefix(key.time));
    assert.equal(object!.body.toString(), '{"message":"hello"}');
  });

  it('delivers at once with IntervalInSeconds 0', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 1 },
    });
    await putAll(suite, stream.name, [Buffer.from('now')]);
    const [object] = await landed(suite, b.name);
    assert.equal(object!.body.toString(), 'now');
  });

  it('evaluates prefix and name in the CustomTimeZone', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      CustomTimeZone: 'Asia/Kolkata',
      Prefix: 'ist/!{timestamp:yyyy-MM-dd-HH-mm}/',
      ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/',
    });
    const before = await now(suite);
    await putAll(suite, stream.name, [Buffer.from('namaste')]);
    const after = await now(suite);
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    const key = parseKey(object!.key, stream.name);
    // The name's wall-clock time is UTC + 5:30 of the arrival.
    const shifted = key.time - (5 * 60 + 30) * 60_000;
    assert.ok(shifted >= Math.floor(before / 1000) * 1000 && shifted <= after, 'name stamped in IST');
    assert.equal(key.prefix, `ist/${key.stamp.slice(0, 16)}/`);
  });

  it('flushes the buffer under the old version when the destination is updated', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, { Prefix: 'v1/' });
    const old = records(3, 10, 'o');
    await putAll(suite, stream.name, old);
    await suite.firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: stream.name,
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: DESTINATION,
        ExtendedS3DestinationUpdate: { Prefix: 'v2/', CompressionFormat: 'UNCOMPRESSED' },
      }),
    );
    const [first] = await landed(suite, b.name);
    const k1 = parseKey(first!.key, stream.name);
    assert.equal(k1.version, '1');
    assert.ok(k1.prefix.startsWith('v1/'));
    assert.ok(first!.body.equals(Buffer.concat(old)));

    await active(suite, stream.name);
    const fresh = records(2, 10, 'n');
    await putAll(suite, stream.name, fresh);
    await advance(suite.server, 61);
    const both = await landed(suite, b.name, 2);
    const second = both.find((o) => o.key !== first!.key)!;
    const k2 = parseKey(second.key, stream.name);
    assert.equal(k2.version, '2');
    assert.ok(k2.prefix.startsWith('v2/'));
    assert.ok(second.body.equals(Buffer.concat(fresh)));
  });

  it('retries an object every 5 seconds while the bucket is missing, and writes it once it exists', async () => {
    const name = uniqueName('fh-later').toLowerCase();
    const stream = await directPutStream(suite, `arn:aws:s3:::${name}`);
    const t = await now(suite);
    await putAll(suite, stream.name, [Buffer.from('patient')]);
    await advance(suite.server, 61);
    await new Promise((r) => setTimeout(r, 200));
    await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    assert.deepEqual(await settledObjects(suite, name), [], 'the next attempt waits for its 5 seconds');
    await advance(suite.server, 5);
    const [object] = await landed(suite, name);
    const key = parseKey(object!.key, stream.name);
    assert.ok(
      key.time >= Math.floor(t / 1000) * 1000 && key.time < t + 5000,
      'named for the arrival, not the retry',
    );
    assert.equal(object!.body.toString(), 'patient');
  });

  it('drops what is buffered when the stream is deleted', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    await putAll(suite, stream.name, records(5, 10, 'd'));
    await suite.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: stream.name }));
    await advance(suite.server, 120);
    assert.deepEqual(await settledObjects(suite, b.name), []);
  });
});
