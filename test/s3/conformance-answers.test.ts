import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { conformanceBucket, elementText, s3Raw } from './conformance-client.js';
import { withS3Server } from './objects-client.js';

/**
 * S3's successful answers against AWS's recorded ones (LocalStack's validated snapshots): the
 * response headers and the shapes of results, where AWS's differ from what one would guess.
 */

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

describe('S3 conformance: answers as AWS recorded them', () => {
  const suite = withS3Server();

  it('an in-place copy naming the object’s own storage class is allowed (test_s3_copy_object_in_place_storage_class)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await suite.s3.send(
      new PutObjectCommand({ Bucket, Key: 'obj', Body: 'test', StorageClass: 'STANDARD' }),
    );
    const copied = await suite.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'obj', CopySource: `${Bucket}/obj`, StorageClass: 'STANDARD' }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, put.ETag);
    assert.equal(copied.CopyObjectResult?.ChecksumType, 'FULL_OBJECT');
    assert.equal(copied.ServerSideEncryption, 'AES256');
    const attrs = await suite.s3.send(
      new GetObjectAttributesCommand({ Bucket, Key: 'obj', ObjectAttributes: ['StorageClass'] }),
    );
    assert.equal(attrs.StorageClass, 'STANDARD');
  });

  it('a copy keeps the source’s checksum and says so in CopyObjectResult (test_s3_copy_object_with_default_checksum)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const body = Buffer.from('{"key": "value"}');
    await suite.s3.send(
      new PutObjectCommand({ Bucket, Key: 'src', Body: body, ChecksumAlgorithm: 'SHA256' }),
    );
    const copied = await suite.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src` }),
    );
    assert.equal(copied.CopyObjectResult?.ChecksumSHA256, sha256(body));
    assert.equal(copied.CopyObjectResult?.ChecksumType, 'FULL_OBJECT');
    assert.equal(copied.CopyObjectResult?.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
  });

  it('ListMultipartUploads ignores an upload-id marker without a key marker (test_list_multiparts_next_marker)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const first = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'a' }));
    await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'b' }));
    const listed = await suite.s3.send(
      new ListMultipartUploadsCommand({ Bucket, UploadIdMarker: first.UploadId, MaxUploads: 1 }),
    );
    assert.equal(listed.UploadIdMarker, '');
    assert.equal(listed.KeyMarker, '');
    assert.equal(listed.IsTruncated, true);
    assert.deepEqual(
      listed.Uploads?.map((u) => u.UploadId),
      [first.UploadId],
    );
    assert.equal(listed.NextKeyMarker, 'a');
    assert.equal(listed.NextUploadIdMarker, first.UploadId);
  });

  it('ListBuckets with an empty continuation token lists from the start (test_list_buckets_when_continuation_token_is_empty)', async () => {
    await suite.s3.send(new CreateBucketCommand({ Bucket: conformanceBucket() }));
    await suite.s3.send(new CreateBucketCommand({ Bucket: conformanceBucket() }));
    const res = await s3Raw(suite.server.endpoint, {
      method: 'GET',
      path: '/?continuation-token=&max-buckets=1',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal([...res.body.matchAll(/<Bucket>/g)].length, 1);
    assert.ok(elementText(res.body, 'ContinuationToken'));
    const all = await suite.s3.send(new ListBucketsCommand({}));
    assert.equal(elementText(res.body, 'Name'), all.Buckets?.[0].Name);
  });

  it('ListParts reads an empty part-number-marker or max-parts as absent (test_list_parts_empty_part_number_marker)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mpu' }));
    await suite.s3.send(new UploadPartCommand({ Bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: 'data' }));
    for (const query of ['part-number-marker=', 'max-parts=']) {
      const res = await s3Raw(suite.server.endpoint, {
        method: 'GET',
        path: `/${Bucket}/mpu?uploadId=${UploadId}&${query}`,
      });
      assert.equal(res.status, 200, res.body);
      assert.equal(elementText(res.body, 'PartNumberMarker'), '0');
      assert.equal(elementText(res.body, 'NextPartNumberMarker'), '1');
      assert.equal(elementText(res.body, 'MaxParts'), '1000');
      assert.equal(elementText(res.body, 'IsTruncated'), 'false');
      assert.equal(elementText(res.body, 'StorageClass'), 'STANDARD');
    }
    // A marker past the last part: an empty page whose next marker is 0.
    const past = await s3Raw(suite.server.endpoint, {
      method: 'GET',
      path: `/${Bucket}/mpu?uploadId=${UploadId}&part-number-marker=10&max-parts=1`,
    });
    assert.equal(elementText(past.body, 'PartNumberMarker'), '10');
    assert.equal(elementText(past.body, 'NextPartNumberMarker'), '0');
    assert.equal(elementText(past.body, 'IsTruncated'), 'false');
    assert.doesNotMatch(past.body, /<Part>/);
  });

  it('ListObjects v1 gives NextMarker only with a delimiter (test_list_objects_next_marker)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    for (const Key of ['a', 'b', 'c']) await suite.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const withDelimiter = await suite.s3.send(
      new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 1, EncodingType: 'url' }),
    );
    assert.equal(withDelimiter.IsTruncated, true);
    assert.equal(withDelimiter.NextMarker, 'a');
    assert.equal(withDelimiter.Marker, '');
    assert.equal(withDelimiter.EncodingType, 'url');
    const without = await suite.s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 1, Marker: '' }));
    assert.equal(without.IsTruncated, true);
    assert.equal(without.NextMarker, undefined);
    assert.deepEqual(
      without.Contents?.map((c) => [c.Key, c.StorageClass, c.ChecksumType]),
      [['a', 'STANDARD', 'FULL_OBJECT']],
    );
  });

  it('multipart answers carry x-amz-server-side-encryption, and the completed object its CRC64NVME (test_multipart_and_list_parts)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: '0123456789' }));
    const created = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mpu' }));
    assert.equal(created.ServerSideEncryption, 'AES256');
    const UploadId = created.UploadId;
    const copied = await suite.s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'mpu',
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/src`,
        CopySourceRange: 'bytes=0-0',
      }),
    );
    assert.equal(copied.ServerSideEncryption, 'AES256');
    assert.equal(copied.CopyPartResult?.ETag, `"${createHash('md5').update('0').digest('hex')}"`);
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'mpu',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: copied.CopyPartResult?.ETag }] },
      }),
    );
    assert.equal(done.ServerSideEncryption, 'AES256');
    assert.equal(done.ChecksumType, 'FULL_OBJECT');
    assert.match(done.ChecksumCRC64NVME ?? '', /^[A-Za-z0-9+/]{11}=$/);
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-1"$/);
    const listed = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    assert.equal(listed.Uploads, undefined);
    assert.equal(listed.NextKeyMarker, '');
    assert.equal(listed.NextUploadIdMarker, '');
  });

  it('GetObject ranges: what AWS serves, ignores or refuses, and when the checksum comes along (test_get_object_range)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(
      new PutObjectCommand({ Bucket, Key: 'k', Body: '0123456789', ChecksumAlgorithm: 'CRC32' }),
    );
    // [Range, status, Content-Range, body, whether x-amz-checksum-crc32 is sent]
    const recorded: Array<[string, number, string | undefined, string, boolean]> = [
      ['bytes=0-8', 206, 'bytes 0-8/10', '012345678', false],
      ['bytes=1-1', 206, 'bytes 1-1/10', '1', false],
      ['bytes=1-0', 200, undefined, '0123456789', true],
      ['bytes=1-', 206, 'bytes 1-9/10', '123456789', false],
      ['bytes=-1-', 200, undefined, '0123456789', true],
      ['bytes=-2', 206, 'bytes 8-9/10', '89', false],
      ['bytes=-15', 206, 'bytes 0-9/10', '0123456789', true],
      ['bytes=0-100', 206, 'bytes 0-9/10', '0123456789', true],
      ['bytes=0--1', 200, undefined, '0123456789', true],
      ['bytes=0-1,3-4,7-9', 200, undefined, '0123456789', true],
      ['0-1', 200, undefined, '0123456789', true],
      ['bytes=-', 200, undefined, '0123456789', true],
    ];
    for (const [range, status, contentRange, body, checksum] of recorded) {
      const res = await s3Raw(suite.server.endpoint, {
        method: 'GET',
        path: `/${Bucket}/k`,
        headers: { range, 'x-amz-checksum-mode': 'ENABLED' },
      });
      assert.equal(res.status, status, range);
      assert.equal(res.headers['content-range'], contentRange, range);
      assert.equal(res.body, body, range);
      assert.equal(res.headers['content-length'], String(body.length), range);
      assert.equal(res.headers['accept-ranges'], 'bytes', range);
      assert.equal(res.headers['x-amz-server-side-encryption'], 'AES256', range);
      assert.equal(res.headers['x-amz-checksum-crc32'] !== undefined, checksum, range);
    }
    const refused = await s3Raw(suite.server.endpoint, {
      method: 'GET',
      path: `/${Bucket}/k`,
      headers: { range: 'bytes=-0' },
    });
    assert.equal(refused.status, 416);
    assert.equal(elementText(refused.body, 'RangeRequested'), 'bytes=-0');
    assert.equal(elementText(refused.body, 'ActualObjectSize'), '10');
  });

  it('Expires goes out as an HTTP date, stored or overridden (test_s3_get_object_header_overrides)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await s3Raw(suite.server.endpoint, {
      method: 'PUT',
      path: `/${Bucket}/k`,
      body: 'something',
      headers: { expires: 'Wed, 21 Oct 2015 07:28:00 GMT' },
    });
    const stored = await s3Raw(suite.server.endpoint, { method: 'HEAD', path: `/${Bucket}/k` });
    assert.equal(stored.headers.expires, 'Wed, 21 Oct 2015 07:28:00 GMT');
    const overrides = new URLSearchParams({
      'response-cache-control': 'max-age=74',
      'response-content-disposition': 'attachment; filename="foo.jpg"',
      'response-content-encoding': 'identity',
      'response-content-language': 'de-DE',
      'response-content-type': 'image/jpeg',
      'response-expires': 'Thu, 22 Oct 2015 07:28:00 GMT',
    });
    const got = await s3Raw(suite.server.endpoint, { method: 'GET', path: `/${Bucket}/k?${overrides}` });
    assert.equal(got.status, 200);
    assert.equal(got.body, 'something');
    assert.equal(got.headers['cache-control'], 'max-age=74');
    assert.equal(got.headers['content-disposition'], 'attachment; filename="foo.jpg"');
    assert.equal(got.headers['content-encoding'], 'identity');
    assert.equal(got.headers['content-language'], 'de-DE');
    assert.equal(got.headers['content-type'], 'image/jpeg');
    assert.equal(got.headers.expires, 'Thu, 22 Oct 2015 07:28:00 GMT');
  });

  it('ListObjectsV2 resumes from the token alone, StartAfter ignored and not echoed (test_list_objects_v2_continuation_start_after)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    for (let i = 0; i < 12; i++)
      await suite.s3.send(new PutObjectCommand({ Bucket, Key: `test_${i}`, Body: 'content 123' }));
    const first = await suite.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 5 }));
    assert.deepEqual(
      first.Contents?.map((c) => c.Key),
      ['test_0', 'test_1', 'test_10', 'test_11', 'test_2'],
    );
    const startAfter = await suite.s3.send(
      new ListObjectsV2Command({ Bucket, StartAfter: 'test_7', MaxKeys: 2 }),
    );
    assert.deepEqual(
      startAfter.Contents?.map((c) => c.Key),
      ['test_8', 'test_9'],
    );
    assert.equal(startAfter.StartAfter, 'test_7');
    const both = await suite.s3.send(
      new ListObjectsV2Command({
        Bucket,
        StartAfter: 'test_7',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    assert.deepEqual(
      both.Contents?.map((c) => c.Key),
      ['test_3', 'test_4', 'test_5', 'test_6', 'test_7', 'test_8', 'test_9'],
    );
    assert.equal(both.StartAfter, undefined);
    assert.equal(both.ContinuationToken, first.NextContinuationToken);
    assert.equal(both.KeyCount, 7);
    assert.equal(both.IsTruncated, false);
  });

  it('GetObjectAttributes pages the checksummed parts like ListParts (test_list_parts_via_object_attrs_pagination)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'mpu', ChecksumAlgorithm: 'SHA256' }),
    );
    const data = Buffer.alloc(5242881, 'a');
    const parts = [];
    for (const PartNumber of [1, 2]) {
      const part = await suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'mpu',
          UploadId,
          PartNumber,
          Body: data,
          ChecksumSHA256: sha256(data),
        }),
      );
      parts.push({ PartNumber, ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256 });
    }
    const listed = await s3Raw(suite.server.endpoint, {
      method: 'GET',
      path: `/${Bucket}/mpu?uploadId=${UploadId}`,
    });
    assert.equal(elementText(listed.body, 'ChecksumAlgorithm'), 'SHA256');
    assert.equal(elementText(listed.body, 'ChecksumType'), 'COMPOSITE');
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'mpu', UploadId, MultipartUpload: { Parts: parts } }),
    );
    assert.equal(done.ETag, '"14cb3f95b2dfe6bd47fb59d47949e00e-2"');
    assert.equal(done.ChecksumSHA256, '2Wjxbc3N6c1y3Eqve6x8X+xPy4qXhB1vAMgge0qeZJM=-2');
    assert.equal(done.ChecksumType, 'COMPOSITE');
    const attrs = (extra: { MaxParts?: number; PartNumberMarker?: string }) =>
      suite.s3.send(
        new GetObjectAttributesCommand({ Bucket, Key: 'mpu', ObjectAttributes: ['ObjectParts'], ...extra }),
      );
    const all = await attrs({});
    assert.deepEqual(
      {
        ...all.ObjectParts,
        Parts: all.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumSHA256]),
      },
      {
        TotalPartsCount: 2,
        PartNumberMarker: '0',
        NextPartNumberMarker: '2',
        MaxParts: 1000,
        IsTruncated: false,
        Parts: [
          [1, 5242881, 'DjU70AB1bON8k0n0fVHv2PJQVWcA/jWsITp6ti20Tbs='],
          [2, 5242881, 'DjU70AB1bON8k0n0fVHv2PJQVWcA/jWsITp6ti20Tbs='],
        ],
      },
    );
    const next = await attrs({ MaxParts: 1, PartNumberMarker: '1' });
    assert.equal(next.ObjectParts?.NextPartNumberMarker, '2');
    assert.equal(next.ObjectParts?.IsTruncated, false);
    assert.deepEqual(
      next.ObjectParts?.Parts?.map((p) => p.PartNumber),
      [2],
    );
    const past = await attrs({ MaxParts: 1, PartNumberMarker: '10' });
    assert.equal(past.ObjectParts?.PartNumberMarker, '10');
    assert.equal(past.ObjectParts?.NextPartNumberMarker, '0');
    assert.equal(past.ObjectParts?.IsTruncated, false);
    assert.equal(past.ObjectParts?.Parts, undefined);
    assert.equal(past.ObjectParts?.TotalPartsCount, 2);
  });

  it('HEAD errors are bodiless with the status only (test_create_bucket_head_bucket, test_s3_get_object_preconditions)', async () => {
    const Bucket = conformanceBucket();
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    const missingBucket = await s3Raw(suite.server.endpoint, { method: 'HEAD', path: `/${Bucket}-nope` });
    assert.equal(missingBucket.status, 404);
    assert.equal(missingBucket.body, '');
    const failed = await s3Raw(suite.server.endpoint, {
      method: 'HEAD',
      path: `/${Bucket}/k`,
      headers: { 'if-match': '"nope"' },
    });
    assert.equal(failed.status, 412);
    assert.equal(failed.body, '');
  });
});
