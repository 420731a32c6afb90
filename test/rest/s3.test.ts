import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { RestServiceError } from '../../src/protocols/rest-dispatch.js';
import { s3Service } from './s3-shapes.js';
import { type RestTestServer, startRestServer } from './server.js';

/**
 * restXml through @aws-sdk/client-s3's own serialiser and deserialiser: every binding kind
 * (labels incl. greedy keys, query literals and values, headers incl. lists, timestamps and
 * prefix headers, structure and streaming payloads, flattened lists, status codes), S3's error
 * form, and streamed uploads in aws-chunked framing with their CRC32 trailer checked.
 */

interface Stored {
  body: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
}

const objects = new Map<string, Stored>();
const policies = new Map<string, string>();
const seen: Record<string, unknown> = {};
const lastModified = new Date('2026-12-07T10:11:12.000Z');

async function drain(body: AsyncIterable<Uint8Array>): Promise<{ data: Buffer; pieces: number }> {
  const pieces: Buffer[] = [];
  for await (const piece of body) pieces.push(Buffer.from(piece));
  return { data: Buffer.concat(pieces), pieces: pieces.length };
}

function crcBase64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

const service = s3Service({
  async PutObject(input: Record<string, unknown>) {
    const { Body, ...rest } = input;
    seen.PutObject = rest;
    seen.PutObjectBodyIsBuffer = Buffer.isBuffer(Body);
    const { data, pieces } = await drain(Body as AsyncIterable<Uint8Array>);
    seen.PutObjectPieces = pieces;
    objects.set(`${input.Bucket}/${input.Key}`, {
      body: data,
      contentType: input.ContentType as string | undefined,
      metadata: input.Metadata as Record<string, string> | undefined,
    });
    return {
      ETag: `"${createHash('md5').update(data).digest('hex')}"`,
      ChecksumCRC32: crcBase64(data),
      VersionId: 'v1',
      Size: data.length,
    };
  },
  GetObject(input: Record<string, unknown>) {
    seen.GetObject = input;
    const stored = objects.get(`${input.Bucket}/${input.Key}`);
    if (!stored) {
      throw new RestServiceError(
        'NoSuchKey',
        'The specified key does not exist.',
        { Key: input.Key },
        { status: 404 },
      );
    }
    return {
      Body: Readable.from([stored.body.subarray(0, 3), stored.body.subarray(3)]),
      ContentLength: stored.body.length,
      ContentType: stored.contentType,
      ETag: '"etag"',
      LastModified: lastModified,
      Expires: new Date('2027-01-01T00:00:00Z'),
      Metadata: stored.metadata,
      PartsCount: 3,
      DeleteMarker: false,
    };
  },
  HeadObject(input: Record<string, unknown>) {
    const stored = objects.get(`${input.Bucket}/${input.Key}`);
    if (!stored)
      throw new RestServiceError(
        'NoSuchKey',
        'The specified key does not exist.',
        { Key: input.Key },
        { status: 404 },
      );
    return { ContentLength: stored.body.length, ETag: '"etag"', Metadata: stored.metadata };
  },
  ListObjectsV2(input: Record<string, unknown>) {
    seen.ListObjectsV2 = input;
    return {
      IsTruncated: true,
      Name: input.Bucket,
      Prefix: input.Prefix,
      Delimiter: input.Delimiter,
      MaxKeys: input.MaxKeys,
      KeyCount: 2,
      NextContinuationToken: 'token/+=',
      Contents: [
        {
          Key: 'photos/a & <b> "c" \'d\'.jpg',
          LastModified: lastModified,
          ETag: '"e1"',
          ChecksumAlgorithm: ['CRC32', 'SHA256'],
          Size: 2 ** 40,
          StorageClass: 'STANDARD',
          Owner: { DisplayName: 'me', ID: 'abc' },
        },
        { Key: ' padded ', LastModified: lastModified, Size: 0 },
      ],
      CommonPrefixes: [{ Prefix: 'photos/2026/' }, { Prefix: 'photos/2027/' }],
      RequestCharged: 'requester',
    };
  },
  DeleteObjects(input: Record<string, unknown>) {
    seen.DeleteObjects = input;
    const del = input.Delete as { Objects: Array<{ Key: string; VersionId?: string }> };
    return {
      Deleted: del.Objects.filter((o) => o.Key !== 'locked').map((o) => ({
        Key: o.Key,
        VersionId: o.VersionId,
        DeleteMarker: true,
      })),
      Errors: del.Objects.filter((o) => o.Key === 'locked').map((o) => ({
        Key: o.Key,
        Code: 'AccessDenied',
        Message: 'Access Denied',
      })),
    };
  },
  PutBucketPolicy(input: Record<string, unknown>) {
    seen.PutBucketPolicy = input;
    policies.set(input.Bucket as string, input.Policy as string);
    return {};
  },
  GetBucketPolicy(input: Record<string, unknown>) {
    const policy = policies.get(input.Bucket as string);
    if (policy === undefined) {
      throw new RestServiceError(
        'NoSuchBucketPolicy',
        'The bucket policy does not exist',
        { BucketName: input.Bucket },
        { status: 404 },
      );
    }
    return { Policy: policy };
  },
  CreateMultipartUpload(input: Record<string, unknown>) {
    seen.CreateMultipartUpload = input;
    return {
      Bucket: input.Bucket,
      Key: input.Key,
      UploadId: 'upload-1',
      AbortDate: new Date('2026-12-14T00:00:00Z'),
    };
  },
});

let server: RestTestServer;
let s3: S3Client;

before(async () => {
  server = await startRestServer(service);
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

after(async () => {
  s3.destroy();
  await server.close();
});

describe('restXml with @aws-sdk/client-s3', () => {
  it('PutObject carries labels, headers, timestamps, booleans and x-amz-meta-* to the handler, and headers back', async () => {
    const key = 'dir/sub dir/ü ?&=+#%.txt';
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: 'bucket-1',
        Key: key,
        Body: 'hello world',
        ContentType: 'text/plain',
        Metadata: { colour: 'blue', 'Mixed-Case': 'v' },
        ObjectLockRetainUntilDate: new Date('2027-03-04T05:06:07Z'),
        BucketKeyEnabled: true,
      }),
    );
    const input = seen.PutObject as Record<string, unknown>;
    assert.equal(input.Bucket, 'bucket-1');
    assert.equal(input.Key, key);
    assert.equal(input.ContentType, 'text/plain');
    assert.equal(input.ContentLength, 11);
    assert.deepEqual(input.Metadata, { colour: 'blue', 'mixed-case': 'v' });
    assert.deepEqual(input.ObjectLockRetainUntilDate, new Date('2027-03-04T05:06:07Z'));
    assert.equal(input.BucketKeyEnabled, true);
    // A string body goes plainly, with its CRC32 in a header: checked as the handler read it.
    assert.equal(input.ChecksumCRC32, crcBase64(Buffer.from('hello world')));
    assert.equal(seen.PutObjectBodyIsBuffer, false);
    assert.equal(objects.get(`bucket-1/${key}`)?.body.toString(), 'hello world');
    assert.equal(out.ETag, `"${createHash('md5').update('hello world').digest('hex')}"`);
    assert.equal(out.VersionId, 'v1');
    assert.equal(out.Size, 11);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(out.$metadata.requestId?.startsWith('req-'));
    assert.ok(out.$metadata.extendedRequestId);
  });

  it('a Readable upload of a few MiB arrives as a stream in aws-chunked framing, its CRC32 trailer checked', async () => {
    const size = 5 * 1024 * 1024 + 17;
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
    const before = server.requests.length;
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: 'bucket-1',
        Key: 'big.bin',
        Body: Readable.from(
          (function* () {
            for (let o = 0; o < size; o += 65536) yield data.subarray(o, o + 65536);
          })(),
        ),
        ContentLength: size,
      }),
    );
    const wire = server.requests[before];
    assert.equal(wire.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.equal(wire.headers['x-amz-trailer'], 'x-amz-checksum-crc32');
    assert.equal(wire.headers['content-encoding'], 'aws-chunked');
    assert.equal(wire.headers['x-amz-decoded-content-length'], String(size));
    assert.equal(seen.PutObjectBodyIsBuffer, false);
    // The object's length and encoding, not the framing's.
    assert.equal((seen.PutObject as Record<string, unknown>).ContentLength, size);
    assert.ok((seen.PutObjectPieces as number) > 1, 'the handler read the upload piece by piece');
    assert.ok(objects.get('bucket-1/big.bin')?.body.equals(data));
    assert.equal(out.ChecksumCRC32, crcBase64(data));
  });

  it('a checksum header that does not match the body is S3 BadDigest, in S3’s error form', async () => {
    const err = await s3
      .send(
        new PutObjectCommand({ Bucket: 'bucket-1', Key: 'bad', Body: 'payload', ChecksumCRC32: 'AAAAAA==' }),
      )
      .then(
        () => assert.fail('accepted'),
        (e: S3ServiceException) => e,
      );
    assert.ok(err instanceof S3ServiceException);
    assert.equal(err.name, 'BadDigest');
    assert.equal(err.message, 'The CRC32 you specified did not match the calculated checksum.');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.ok(err.$metadata.requestId?.startsWith('req-'));
    assert.ok(err.$metadata.extendedRequestId);
    assert.equal(err.$fault, 'client');
    assert.equal(objects.has('bucket-1/bad'), false);
  });

  it('GetObject reads query values and date headers, and streams the body back with its headers', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'b',
        Key: 'k/v.txt',
        Body: 'streamed back',
        ContentType: 'text/x',
        Metadata: { a: '1' },
      }),
    );
    const out = await s3.send(
      new GetObjectCommand({
        Bucket: 'b',
        Key: 'k/v.txt',
        VersionId: 'ver/1+2',
        PartNumber: 2,
        ResponseExpires: new Date('2027-02-03T04:05:06Z'),
        IfModifiedSince: new Date('2026-01-02T03:04:05Z'),
        Range: 'bytes=0-',
      }),
    );
    const input = seen.GetObject as Record<string, unknown>;
    assert.equal(input.VersionId, 'ver/1+2');
    assert.equal(input.PartNumber, 2);
    assert.deepEqual(input.ResponseExpires, new Date('2027-02-03T04:05:06Z'));
    assert.deepEqual(input.IfModifiedSince, new Date('2026-01-02T03:04:05Z'));
    assert.equal(input.Range, 'bytes=0-');
    assert.equal(await out.Body?.transformToString(), 'streamed back');
    assert.equal(out.ContentLength, 13);
    assert.equal(out.ContentType, 'text/x');
    assert.deepEqual(out.LastModified, lastModified);
    assert.deepEqual(out.Metadata, { a: '1' });
    assert.equal(out.PartsCount, 3);
    assert.equal(out.DeleteMarker, false);
  });

  it('an error with modeled members surfaces as the SDK’s NoSuchKey with its fields', async () => {
    const err = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'missing/key' })).then(
      () => assert.fail('found'),
      (e: S3ServiceException & { Key?: string }) => e,
    );
    assert.equal(err.name, 'NoSuchKey');
    assert.equal(err.message, 'The specified key does not exist.');
    assert.equal(err.Key, 'missing/key');
    assert.equal(err.$metadata.httpStatusCode, 404);
  });

  it('HeadObject answers headers only; its 404 has no body, as S3 sends none', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'h', Body: 'xyz', Metadata: { m: 'n' } }));
    const out = await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'h' }));
    assert.equal(out.ContentLength, 3);
    assert.deepEqual(out.Metadata, { m: 'n' });
    const err = await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'nope' })).then(
      () => assert.fail('found'),
      (e: S3ServiceException) => e,
    );
    assert.equal(err.name, 'NotFound');
    assert.equal(err.$metadata.httpStatusCode, 404);
  });

  it('ListObjectsV2 matches the ?list-type=2 literal and round-trips flattened lists, escapes and big numbers', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'bucket-1',
        Prefix: 'photos/ & more',
        Delimiter: '/',
        MaxKeys: 2,
        FetchOwner: true,
        ContinuationToken: 'a+b/c=',
        OptionalObjectAttributes: ['RestoreStatus'],
      }),
    );
    const input = seen.ListObjectsV2 as Record<string, unknown>;
    assert.deepEqual(input, {
      Bucket: 'bucket-1',
      Prefix: 'photos/ & more',
      Delimiter: '/',
      MaxKeys: 2,
      FetchOwner: true,
      ContinuationToken: 'a+b/c=',
      OptionalObjectAttributes: ['RestoreStatus'],
    });
    assert.equal(out.IsTruncated, true);
    assert.equal(out.Name, 'bucket-1');
    assert.equal(out.Prefix, 'photos/ & more');
    assert.equal(out.KeyCount, 2);
    assert.equal(out.MaxKeys, 2);
    assert.equal(out.NextContinuationToken, 'token/+=');
    assert.equal(out.RequestCharged, 'requester');
    assert.equal(out.Contents?.length, 2);
    assert.equal(out.Contents?.[0].Key, 'photos/a & <b> "c" \'d\'.jpg');
    assert.deepEqual(out.Contents?.[0].LastModified, lastModified);
    assert.deepEqual(out.Contents?.[0].ChecksumAlgorithm, ['CRC32', 'SHA256']);
    assert.equal(out.Contents?.[0].Size, 2 ** 40);
    assert.deepEqual(out.Contents?.[0].Owner, { DisplayName: 'me', ID: 'abc' });
    assert.equal(out.Contents?.[1].Key, ' padded ');
    assert.deepEqual(
      out.CommonPrefixes?.map((p) => p.Prefix),
      ['photos/2026/', 'photos/2027/'],
    );
  });

  it('DeleteObjects sends an XML payload with its required checksum; both flattened result lists come back', async () => {
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'bucket-1',
        Delete: {
          Objects: [{ Key: 'a' }, { Key: ' spaced <key> ', VersionId: 'v2' }, { Key: 'locked' }],
          Quiet: false,
        },
      }),
    );
    const input = seen.DeleteObjects as { Bucket: string; Delete: { Objects: unknown[]; Quiet: boolean } };
    assert.equal(input.Bucket, 'bucket-1');
    assert.deepEqual(input.Delete, {
      Objects: [{ Key: 'a' }, { Key: ' spaced <key> ', VersionId: 'v2' }, { Key: 'locked' }],
      Quiet: false,
    });
    assert.deepEqual(
      out.Deleted?.map((d) => [d.Key, d.VersionId, d.DeleteMarker]),
      [
        ['a', undefined, true],
        [' spaced <key> ', 'v2', true],
      ],
    );
    assert.deepEqual(out.Errors, [{ Key: 'locked', Code: 'AccessDenied', Message: 'Access Denied' }]);
  });

  it('PutBucketPolicy and GetBucketPolicy carry a string payload as the whole body, both ways', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::p/*' }],
    });
    const put = await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'p', Policy: policy, ConfirmRemoveSelfBucketAccess: false }),
    );
    assert.equal(put.$metadata.httpStatusCode, 200);
    const input = seen.PutBucketPolicy as Record<string, unknown>;
    assert.equal(input.Policy, policy);
    assert.equal(input.ConfirmRemoveSelfBucketAccess, false);
    const got = await s3.send(new GetBucketPolicyCommand({ Bucket: 'p' }));
    assert.equal(got.Policy, policy);
    const err = await s3.send(new GetBucketPolicyCommand({ Bucket: 'none' })).then(
      () => assert.fail('found'),
      (e: S3ServiceException & { BucketName?: string }) => e,
    );
    assert.equal(err.name, 'NoSuchBucketPolicy');
    assert.equal(err.message, 'The bucket policy does not exist');
    assert.equal(err.BucketName, 'none');
  });

  it('CreateMultipartUpload is told from the other POSTs by ?uploads and answers its XML root and a date header', async () => {
    const out = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'bucket-1',
        Key: 'multi/part',
        ContentType: 'video/mp4',
        Metadata: { x: 'y' },
      }),
    );
    assert.deepEqual(seen.CreateMultipartUpload, {
      Bucket: 'bucket-1',
      Key: 'multi/part',
      ContentType: 'video/mp4',
      Metadata: { x: 'y' },
    });
    assert.equal(out.Bucket, 'bucket-1');
    assert.equal(out.Key, 'multi/part');
    assert.equal(out.UploadId, 'upload-1');
    assert.deepEqual(out.AbortDate, new Date('2026-12-14T00:00:00Z'));
  });
});
