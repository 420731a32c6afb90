import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { rawRequest, sigv4 } from '../support/server.js';
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

  it('answers ranges as S3 does: 206 with Content-Range, ignored forms whole, InvalidRange 416', async () => {
    const Bucket = bucketName('range');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'r', Body: '0123456789' }));
    const cases: Array<[string, string, number, string | undefined]> = [
      ['bytes=0-8', '012345678', 206, 'bytes 0-8/10'],
      ['bytes=1-', '123456789', 206, 'bytes 1-9/10'],
      ['bytes=-2', '89', 206, 'bytes 8-9/10'],
      ['bytes=-15', '0123456789', 206, 'bytes 0-9/10'],
      ['bytes=0-100', '0123456789', 206, 'bytes 0-9/10'],
      ['bytes=1-0', '0123456789', 200, undefined],
      ['bytes=0-1,3-4', '0123456789', 200, undefined],
      ['bytes=-', '0123456789', 200, undefined],
      ['chars=0-1', '0123456789', 200, undefined],
    ];
    for (const [Range, body, status, contentRange] of cases) {
      const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'r', Range }));
      assert.equal((await bodyOf(got.Body)).toString(), body, Range);
      assert.equal(got.$metadata.httpStatusCode, status, Range);
      assert.equal(got.ContentRange, contentRange, Range);
      assert.equal(got.ContentLength, body.length, Range);
    }
    for (const Range of ['bytes=100-200', 'bytes=-0'])
      await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'r', Range })), {
        code: 'InvalidRange',
        status: 416,
        message: 'The requested range is not satisfiable',
        fields: { RangeRequested: Range, ActualObjectSize: '10' },
      });
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'r', Range: 'bytes=2-3' }));
    assert.equal(head.ContentLength, 2);
    assert.equal(head.ContentRange, 'bytes 2-3/10');
  });

  it('reads partNumber 1 of a single-part object and refuses other parts', async () => {
    const Bucket = bucketName('part');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'p', Body: 'abc' }));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'p', PartNumber: 1 }));
    assert.equal((await bodyOf(got.Body)).toString(), 'abc');
    assert.equal(got.$metadata.httpStatusCode, 206);
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'p', PartNumber: 2 })), {
      code: 'InvalidPartNumber',
      status: 416,
      message: 'The requested partnumber is not satisfiable',
      fields: { PartNumberRequested: '2', ActualPartCount: '1' },
    });
    await s3Rejects(
      suite.s3.send(new GetObjectCommand({ Bucket, Key: 'p', PartNumber: 1, Range: 'bytes=0-1' })),
      {
        code: 'InvalidRequest',
        status: 400,
        message: 'Cannot specify both Range header and partNumber query parameter',
      },
    );
  });

  it('applies response-* overrides to the answer only', async () => {
    const Bucket = bucketName('ovr');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'o', Body: 'x', ContentType: 'text/plain' }));
    const got = await suite.s3.send(
      new GetObjectCommand({
        Bucket,
        Key: 'o',
        ResponseContentType: 'application/json',
        ResponseContentDisposition: 'attachment; filename="o.json"',
        ResponseCacheControl: 'no-cache',
        ResponseContentLanguage: 'fr',
      }),
    );
    assert.equal(got.ContentType, 'application/json');
    assert.equal(got.ContentDisposition, 'attachment; filename="o.json"');
    assert.equal(got.CacheControl, 'no-cache');
    assert.equal(got.ContentLanguage, 'fr');
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'o' }));
    assert.equal(head.ContentType, 'text/plain');
  });

  it('stores CRC64NVME when no checksum was declared, and the declared one otherwise', async () => {
    const Bucket = bucketName('sum');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const data = Buffer.from('test data..');
    const plain = await rawPut(suite.server.endpoint, `/${Bucket}/plain`, data);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['x-amz-checksum-crc64nvme'], 'qUVrWYOrIAM=');
    assert.equal(plain.headers['x-amz-checksum-type'], 'FULL_OBJECT');
    const head = await suite.s3.send(
      new HeadObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }),
    );
    assert.equal(head.ChecksumCRC64NVME, 'qUVrWYOrIAM=');
    const sha = createHash('sha256').update(data).digest('base64');
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'sha', Body: data, ChecksumSHA256: sha }));
    const got = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'sha', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumSHA256, sha);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    const unasked = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'sha' }));
    assert.equal(unasked.ChecksumSHA256, undefined);
  });

  it('copies with the COPY and REPLACE metadata directives and refuses a copy to itself', async () => {
    const Bucket = bucketName('copy');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'src',
        Body: 'payload',
        ContentType: 'text/csv',
        Metadata: { a: '1' },
        Tagging: 'team=data',
      }),
    );
    const copied = await suite.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'same', CopySource: `${Bucket}/src` }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, put.ETag);
    const same = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'same' }));
    assert.equal((await bodyOf(same.Body)).toString(), 'payload');
    assert.equal(same.ContentType, 'text/csv');
    assert.deepEqual(same.Metadata, { a: '1' });
    assert.equal(same.TagCount, 1);
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'new',
        CopySource: `/${Bucket}/src`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/octet-stream',
        Metadata: { b: '2' },
        TaggingDirective: 'REPLACE',
        Tagging: '',
      }),
    );
    const replaced = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'new' }));
    assert.equal(replaced.ContentType, 'application/octet-stream');
    assert.deepEqual(replaced.Metadata, { b: '2' });
    await s3Rejects(
      suite.s3.send(new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src` })),
      {
        code: 'InvalidRequest',
        status: 400,
        message:
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      },
    );
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'src',
        CopySource: `${Bucket}/src`,
        MetadataDirective: 'REPLACE',
      }),
    );
    await s3Rejects(
      suite.s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/missing` })),
      {
        code: 'NoSuchKey',
        status: 404,
      },
    );
    await s3Rejects(suite.s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: 'nokey' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Invalid copy source object key',
    });
  });

  it('keeps user metadata within 2 KB and refuses ACL grants the bucket does not allow', async () => {
    const Bucket = bucketName('meta');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await s3Rejects(
      suite.s3.send(
        new PutObjectCommand({ Bucket, Key: 'm', Body: 'x', Metadata: { big: 'v'.repeat(2100) } }),
      ),
      { code: 'MetadataTooLarge', status: 400 },
    );
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x', ACL: 'public-read' })),
      {
        code: 'AccessControlListNotSupported',
        status: 400,
        message: 'The bucket does not allow ACLs',
      },
    );
    await s3Rejects(suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1025), Body: 'x' })), {
      code: 'KeyTooLongError',
      status: 400,
      message: 'Your key is too long',
    });
  });
});

/** A plain PUT without any checksum header, as a bare HTTP client sends it. */
function rawPut(endpoint: string, path: string, body: Buffer) {
  return rawRequest(endpoint, {
    method: 'PUT',
    path,
    body,
    headers: {
      authorization: sigv4('s3'),
      'content-length': body.length,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    },
  });
}
