import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { checksumOf, compositeChecksum } from '../../src/services/s3/checksum-combine.js';
import { bodyOf, bucketName, s3Rejects, withS3Server } from './objects-client.js';

/**
 * Multipart uploads through @aws-sdk/client-s3 and @aws-sdk/lib-storage as they send them
 * (aws-chunked parts with CRC32 trailers, CRC32 composite uploads by default), bytes compared
 * exactly.
 */

const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

function multipartEtag(parts: Buffer[]): string {
  const hash = createHash('md5');
  for (const p of parts) hash.update(createHash('md5').update(p).digest());
  return `"${hash.digest('hex')}-${parts.length}"`;
}

describe('S3 multipart uploads', () => {
  const suite = withS3Server();

  async function bucket(): Promise<string> {
    const Bucket = bucketName('mpu');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  }

  it("lib-storage's Upload: a CRC32 composite object read back byte for byte", async () => {
    const Bucket = await bucket();
    const data = randomBytes(12 * MiB + 12345);
    const upload = new Upload({
      client: suite.s3,
      params: {
        Bucket,
        Key: 'lib/storage.bin',
        Body: Readable.from([data]),
        ContentType: 'application/x-test',
      },
      partSize: 5 * MiB,
      queueSize: 3,
    });
    const done = await upload.done();
    const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)];
    assert.equal(done.ETag, multipartEtag(parts));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'lib/storage.bin' }));
    assert.equal(got.ContentType, 'application/x-test');
    assert.equal(got.ETag, done.ETag);
    assert.ok((await bodyOf(got.Body)).equals(data));
    const head = await suite.s3.send(
      new HeadObjectCommand({ Bucket, Key: 'lib/storage.bin', ChecksumMode: 'ENABLED' }),
    );
    assert.equal(head.ChecksumType, 'COMPOSITE');
    assert.equal(
      head.ChecksumCRC32,
      compositeChecksum(
        'CRC32',
        parts.map((p) => checksumOf('CRC32', p)),
      ),
    );
    assert.equal(head.ContentLength, data.length);
    const part2 = await suite.s3.send(
      new GetObjectCommand({ Bucket, Key: 'lib/storage.bin', PartNumber: 2 }),
    );
    assert.ok((await bodyOf(part2.Body)).equals(parts[1]));
    assert.equal(part2.PartsCount, 3);
  });

  it("lib-storage's Upload with SHA256 parts", async () => {
    const Bucket = await bucket();
    const data = randomBytes(6 * MiB);
    const done = await new Upload({
      client: suite.s3,
      params: { Bucket, Key: 'sha', Body: data, ChecksumAlgorithm: 'SHA256' },
      partSize: 5 * MiB,
    }).done();
    const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB)];
    assert.equal(done.ETag, multipartEtag(parts));
    assert.equal(
      done.ChecksumSHA256,
      compositeChecksum(
        'SHA256',
        parts.map((p) => checksumOf('SHA256', p)),
      ),
    );
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'sha' }));
    assert.ok((await bodyOf(got.Body)).equals(data));
  });

  it('full-object CRC32C: streamed parts combine into the CRC of the whole', async () => {
    const Bucket = await bucket();
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key: 'full',
        ChecksumAlgorithm: 'CRC32C',
        ChecksumType: 'FULL_OBJECT',
        Metadata: { Origin: 'test' },
      }),
    );
    const datas = [randomBytes(5 * MiB + 7), randomBytes(4321)];
    const parts = [];
    for (const [i, data] of datas.entries()) {
      const out = await suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'full',
          UploadId,
          PartNumber: i + 1,
          Body: Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
          ContentLength: data.length,
          ChecksumAlgorithm: 'CRC32C',
        }),
      );
      assert.equal(out.ETag, `"${md5(data)}"`);
      assert.equal(out.ChecksumCRC32C, checksumOf('CRC32C', data));
      parts.push({ PartNumber: i + 1, ETag: out.ETag });
    }
    const whole = Buffer.concat(datas);
    const listed = await suite.s3.send(new ListPartsCommand({ Bucket, Key: 'full', UploadId }));
    assert.deepEqual(
      listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumCRC32C]),
      datas.map((d, i) => [i + 1, d.length, checksumOf('CRC32C', d)]),
    );
    assert.equal(listed.ChecksumType, 'FULL_OBJECT');
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'full',
        UploadId,
        MultipartUpload: { Parts: parts },
        ChecksumType: 'FULL_OBJECT',
        ChecksumCRC32C: checksumOf('CRC32C', whole),
      }),
    );
    assert.equal(done.ChecksumCRC32C, checksumOf('CRC32C', whole));
    assert.equal(done.ChecksumType, 'FULL_OBJECT');
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'full', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32C, checksumOf('CRC32C', whole));
    assert.deepEqual(got.Metadata, { origin: 'test' });
    assert.ok((await bodyOf(got.Body)).equals(whole));
  });

  it("answers AWS's errors with their fields over the wire", async () => {
    const Bucket = await bucket();
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small' }));
    const parts = [];
    for (const n of [1, 2]) {
      const out = await suite.s3.send(
        new UploadPartCommand({ Bucket, Key: 'small', UploadId, PartNumber: n, Body: Buffer.from('data') }),
      );
      parts.push({ PartNumber: n, ETag: out.ETag });
    }
    await s3Rejects(
      suite.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'small',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
      {
        code: 'EntityTooSmall',
        status: 400,
        message: 'Your proposed upload is smaller than the minimum allowed size',
        fields: {
          ETag: '8d777f385d3dfec8815d20f7496026dc',
          MinSizeAllowed: '5242880',
          PartNumber: '1',
          ProposedSize: '4',
        },
      },
    );
    await s3Rejects(
      suite.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'small',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 3, ETag: parts[0].ETag }] },
        }),
      ),
      { code: 'InvalidPart', status: 400, fields: { PartNumber: '3', UploadId: UploadId as string } },
    );
    await s3Rejects(
      suite.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'small',
          UploadId,
          MultipartUpload: { Parts: [parts[1], parts[0]] },
        }),
      ),
      { code: 'InvalidPartOrder', status: 400 },
    );
    await s3Rejects(
      suite.s3.send(
        new UploadPartCommand({ Bucket, Key: 'small', UploadId, PartNumber: 10001, Body: Buffer.from('x') }),
      ),
      {
        code: 'InvalidArgument',
        status: 400,
        message: 'Part number must be an integer between 1 and 10000, inclusive',
        fields: { ArgumentName: 'partNumber', ArgumentValue: '10001' },
      },
    );
    await s3Rejects(
      suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumType: 'COMPOSITE' })),
      {
        code: 'InvalidRequest',
        status: 400,
        message: 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      },
    );
    assert.equal(
      (await suite.s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small', UploadId }))).$metadata
        .httpStatusCode,
      204,
    );
    await s3Rejects(suite.s3.send(new ListPartsCommand({ Bucket, Key: 'small', UploadId })), {
      code: 'NoSuchUpload',
      status: 404,
      message:
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      fields: { UploadId: UploadId as string },
    });
  });

  it('UploadPartCopy copies ranges of an object into parts', async () => {
    const Bucket = await bucket();
    const source = randomBytes(5 * MiB + 100);
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: source }));
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'copied' }));
    const first = await suite.s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'copied',
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/src`,
        CopySourceRange: `bytes=0-${5 * MiB - 1}`,
      }),
    );
    assert.equal(first.CopyPartResult?.ETag, `"${md5(source.subarray(0, 5 * MiB))}"`);
    assert.ok(first.CopyPartResult?.LastModified instanceof Date);
    const second = await suite.s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key: 'copied',
        UploadId,
        PartNumber: 2,
        CopySource: `/${Bucket}/src`,
        CopySourceRange: `bytes=${5 * MiB}-${5 * MiB + 99}`,
      }),
    );
    await s3Rejects(
      suite.s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: 'copied',
          UploadId,
          PartNumber: 3,
          CopySource: `${Bucket}/src`,
          CopySourceRange: 'bytes=0-99999999',
        }),
      ),
      {
        code: 'InvalidArgument',
        status: 400,
        message: `Range specified is not valid for source object of size: ${source.length}`,
      },
    );
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'copied',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: second.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    assert.equal(done.ETag, multipartEtag([source.subarray(0, 5 * MiB), source.subarray(5 * MiB)]));
    assert.equal(done.ChecksumCRC64NVME, checksumOf('CRC64NVME', source));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'copied' }));
    assert.ok((await bodyOf(got.Body)).equals(source));
  });

  it('ListMultipartUploads pages with markers; DeleteBucket takes the uploads with it', async () => {
    const Bucket = await bucket();
    const ids = [];
    for (const Key of ['b/2', 'a/1', 'b/1'])
      ids.push((await suite.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId);
    const first = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket, MaxUploads: 2 }));
    assert.deepEqual(
      first.Uploads?.map((u) => u.Key),
      ['a/1', 'b/1'],
    );
    assert.equal(first.IsTruncated, true);
    assert.equal(first.Uploads?.[0].Initiator?.ID, first.Uploads?.[0].Owner?.ID);
    const next = await suite.s3.send(
      new ListMultipartUploadsCommand({
        Bucket,
        KeyMarker: first.NextKeyMarker,
        UploadIdMarker: first.NextUploadIdMarker,
      }),
    );
    assert.deepEqual(
      next.Uploads?.map((u) => [u.Key, u.UploadId]),
      [['b/2', ids[0]]],
    );
    const grouped = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket, Delimiter: '/' }));
    assert.deepEqual(
      grouped.CommonPrefixes?.map((p) => p.Prefix),
      ['a/', 'b/'],
    );
    await suite.s3.send(new DeleteBucketCommand({ Bucket }));
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const after = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    assert.equal(after.Uploads, undefined);
  });
});
