import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectAttributesCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bucketName, s3Rejects, withS3Server } from './objects-client.js';

/** GetObjectAttributes: only what was asked for, ETag without quotes, checksum and size. */

describe('S3 GetObjectAttributes', () => {
  const suite = withS3Server();

  it('answers the attributes asked for', async () => {
    const Bucket = bucketName('attr');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const data = Buffer.from('attribute');
    const sha = createHash('sha256').update(data).digest('base64');
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: data, ChecksumSHA256: sha }));
    const all = await suite.s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key: 'a',
        ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass', 'ObjectParts'],
      }),
    );
    assert.equal(all.ETag, createHash('md5').update(data).digest('hex'));
    assert.deepEqual(all.Checksum, { ChecksumSHA256: sha, ChecksumType: 'FULL_OBJECT' });
    assert.equal(all.ObjectSize, data.length);
    assert.equal(all.StorageClass, 'STANDARD');
    assert.equal(all.ObjectParts, undefined);
    assert.ok(all.LastModified instanceof Date);
    const some = await suite.s3.send(
      new GetObjectAttributesCommand({ Bucket, Key: 'a', ObjectAttributes: ['ObjectSize'] }),
    );
    assert.equal(some.ObjectSize, data.length);
    assert.equal(some.ETag, undefined);
    assert.equal(some.Checksum, undefined);
    await s3Rejects(
      suite.s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'missing', ObjectAttributes: ['ETag'] })),
      { code: 'NoSuchKey', status: 404 },
    );
  });
});
