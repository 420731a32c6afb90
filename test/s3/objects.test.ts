import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bodyOf, bucketName, s3Rejects, withS3Server } from './objects-client.js';

/** PutObject, GetObject and HeadObject through @aws-sdk/client-s3 (path style). */

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

describe('S3 objects', () => {
  const suite = withS3Server();

  it('puts an object and reads it back byte for byte with its headers', async () => {
    const Bucket = bucketName();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const data = Buffer.from('hello, tideway');
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'dir/hello.txt',
        Body: data,
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        ContentLanguage: 'en',
        Metadata: { Colour: 'blue' },
      }),
    );
    assert.equal(put.ETag, `"${md5(data)}"`);
    assert.equal(put.ServerSideEncryption, 'AES256');
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
    assert.deepEqual(await bodyOf(got.Body), data);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, data.length);
    assert.equal(got.ETag, put.ETag);
    assert.equal(got.CacheControl, 'max-age=60');
    assert.equal(got.ContentDisposition, 'inline');
    assert.equal(got.ContentLanguage, 'en');
    assert.deepEqual(got.Metadata, { colour: 'blue' });
    assert.equal(got.AcceptRanges, 'bytes');
    assert.ok(got.LastModified instanceof Date);
    assert.equal(got.LastModified.getTime() % 1000, 0);
  });

  it('streams a body of unknown length in aws-chunked framing and keeps its checksum', async () => {
    const Bucket = bucketName();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const data = Buffer.alloc(300_000, 7);
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream.bin',
        Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
        ContentLength: data.length,
      }),
    );
    assert.equal(put.ETag, `"${md5(data)}"`);
    const got = await suite.s3.send(
      new GetObjectCommand({ Bucket, Key: 'stream.bin', ChecksumMode: 'ENABLED' }),
    );
    assert.deepEqual(await bodyOf(got.Body), data);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    // The SDK declares CRC32 for a stream and sends it as a trailer: S3 keeps and returns it.
    assert.equal(put.ChecksumCRC32, crc32Base64(data));
    assert.equal(got.ChecksumCRC32, crc32Base64(data));
  });

  it('answers NoSuchKey and NoSuchBucket as S3 does', async () => {
    const Bucket = bucketName();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'missing' })), {
      code: 'NoSuchKey',
      status: 404,
      message: 'The specified key does not exist.',
      fields: { Key: 'missing' },
    });
    await s3Rejects(suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'missing' })), {
      code: 'NotFound',
      status: 404,
    });
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket: bucketName('none'), Key: 'k', Body: 'x' })),
      {
        code: 'NoSuchBucket',
        status: 404,
        message: 'The specified bucket does not exist',
      },
    );
  });
});
