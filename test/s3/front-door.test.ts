import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ServiceError } from '../../src/protocols/errors.js';
import type { FrontDoors, ServiceFactory } from '../../src/services/registry.js';
import { s3Validation } from '../../src/services/s3/errors.js';
import type { ObjectDeliveryOrigin } from '../../src/services/s3/front-door.js';
import { type RunningTideway, startServer } from '../support/tideway.js';
import { bodyOf, bucketName, s3Client } from './objects-client.js';

/** S3's front door for other services (Firehose's objects), and objects surviving a restart. */

const ACCOUNT = '000000000000';

function frontDoorProbe(seen: { doors?: FrontDoors }): ServiceFactory {
  return {
    name: 's3probe',
    create: ({ frontDoors }) => {
      seen.doors = frontDoors;
      return {
        definition: {
          name: 's3probe',
          signingName: 's3probe',
          operations: {},
          validation: s3Validation,
          unknownOperation: (_protocol, name) => new ServiceError('InvalidAction', name),
        },
        cors: false,
        reset: async () => {},
        close: () => {},
      };
    },
  };
}

const origin = (account = ACCOUNT): ObjectDeliveryOrigin => ({
  principal: 'firehose.amazonaws.com',
  sourceArn: `arn:aws:firehose:us-east-1:${account}:deliverystream/orders`,
  sourceAccount: account,
});

describe('the S3 front door', () => {
  let server: RunningTideway;
  let s3: S3Client;
  const seen: { doors?: FrontDoors } = {};

  before(async () => {
    server = await startServer({ extraServices: [frontDoorProbe(seen)] });
    s3 = s3Client(server.endpoint);
  });
  after(async () => {
    s3.destroy();
    await server.stop();
  });

  it('writes an object by bucket ARN or name, readable through the API', async () => {
    const Bucket = bucketName('fd');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const door = seen.doors!.s3!;
    const { etag } = await door.putObject(
      {
        bucket: `arn:aws:s3:::${Bucket}`,
        key: '2026/12/07/23/orders-1',
        body: Buffer.from('{"a":1}\n'),
        contentType: 'application/octet-stream',
        contentEncoding: 'gzip',
      },
      origin(),
    );
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: '2026/12/07/23/orders-1' }));
    assert.equal((await bodyOf(got.Body)).toString(), '{"a":1}\n');
    assert.equal(got.ETag, etag);
    assert.equal(got.ContentEncoding, 'gzip');
    await door.putObject({ bucket: Bucket, key: 'plain', body: Buffer.from('x') }, origin());
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, 1);
    assert.ok(head.ChecksumCRC64NVME);
  });

  it('refuses a missing bucket with NoSuchBucket and another account bucket without a grant', async () => {
    const door = seen.doors!.s3!;
    await assert.rejects(
      door.putObject({ bucket: bucketName('none'), key: 'k', body: Buffer.from('x') }, origin()),
      {
        code: 'NoSuchBucket',
      },
    );
    const Bucket = bucketName('fdo');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await assert.rejects(
      door.putObject({ bucket: Bucket, key: 'k', body: Buffer.from('x') }, origin('111111111111')),
      {
        code: 'AccessDenied',
      },
    );
  });
});

describe('S3 objects across a restart (--data-dir)', () => {
  // The bodies' own survival is the body store's (test/s3 storage suites); here the records.
  it('keeps buckets and object records with their metadata and tags', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-s3-'));
    try {
      const Bucket = bucketName('keep');
      let server = await startServer({ dataDir });
      let s3 = s3Client(server.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket }));
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      await s3.send(
        new PutObjectCommand({ Bucket, Key: 'a/b', Body: 'kept', Tagging: 't=1', Metadata: { m: 'v' } }),
      );
      s3.destroy();
      await server.stop();
      server = await startServer({ dataDir });
      s3 = s3Client(server.endpoint);
      try {
        const got = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/b' }));
        assert.equal(got.ContentLength, 4);
        assert.deepEqual(got.Metadata, { m: 'v' });
        const { GetObjectTaggingCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
        const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'a/b' }));
        assert.deepEqual(tags.TagSet, [{ Key: 't', Value: '1' }]);
        const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
        assert.deepEqual(
          listed.Contents?.map((c) => c.Key),
          ['a/b'],
        );
      } finally {
        s3.destroy();
        await server.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
