import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { checksumOf, compositeChecksum } from '../../src/services/s3/checksum-combine.js';
import { bodyOf, bucketName, s3Rejects, withS3Server } from './objects-client.js';

/**
 * Multipart checksums as clients send them: part checksums verified as the part streams in
 * (headers and aws-chunked trailers), the forms each algorithm allows, and boto3's managed
 * transfer, whose parts carry CRC32 as botocore sends it.
 */

const MiB = 1024 * 1024;
const exec = promisify(execFile);
const PYTHON = '/root/.pyenv/versions/3.11.7/bin/python';

describe('S3 multipart checksums', () => {
  const suite = withS3Server();

  async function bucket(): Promise<string> {
    const Bucket = bucketName('sum');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    return Bucket;
  }

  it("refuses a part whose checksum does not match, in AWS's words, and keeps nothing of it", async () => {
    const Bucket = await bucket();
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'k', ChecksumAlgorithm: 'SHA256' }),
    );
    await s3Rejects(
      suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: 1,
          Body: Buffer.from('right body'),
          ChecksumSHA256: checksumOf('SHA256', Buffer.from('bad data')),
        }),
      ),
      {
        code: 'BadDigest',
        status: 400,
        message: 'The SHA256 you specified did not match the calculated checksum.',
      },
    );
    await s3Rejects(
      suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: 1,
          Body: Buffer.from('abc'),
          ChecksumSHA256: 'notbase64',
        }),
      ),
      { code: 'InvalidRequest', status: 400, message: 'Value for x-amz-checksum-sha256 header is invalid.' },
    );
    await s3Rejects(
      suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: 1,
          Body: Buffer.from('abc'),
          ChecksumAlgorithm: 'CRC32',
        }),
      ),
      {
        code: 'InvalidRequest',
        status: 400,
        message:
          'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
      },
    );
    const listed = await suite.s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId }));
    assert.equal(listed.Parts, undefined);
  });

  for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
    it(`${algorithm} composite: parts streamed with trailers, the object's checksum is -N`, async () => {
      const Bucket = await bucket();
      const { UploadId, ChecksumType } = await suite.s3.send(
        new CreateMultipartUploadCommand({ Bucket, Key: 'k', ChecksumAlgorithm: algorithm }),
      );
      assert.equal(ChecksumType, 'COMPOSITE');
      const datas = [randomBytes(5 * MiB), randomBytes(333)];
      const parts = [];
      for (const [i, data] of datas.entries()) {
        const out = await suite.s3.send(
          new UploadPartCommand({
            Bucket,
            Key: 'k',
            UploadId,
            PartNumber: i + 1,
            Body: Readable.from([data]),
            ContentLength: data.length,
            ChecksumAlgorithm: algorithm,
          }),
        );
        assert.equal(out[`Checksum${algorithm}`], checksumOf(algorithm, data));
        parts.push({
          PartNumber: i + 1,
          ETag: out.ETag,
          [`Checksum${algorithm}`]: out[`Checksum${algorithm}`],
        });
      }
      const done = await suite.s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, MultipartUpload: { Parts: parts } }),
      );
      const expected = compositeChecksum(
        algorithm,
        datas.map((d) => checksumOf(algorithm, d)),
      );
      assert.equal(done[`Checksum${algorithm}`], expected);
      assert.equal(done.ChecksumType, 'COMPOSITE');
      const head = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
      assert.equal(head[`Checksum${algorithm}`], expected);
    });
  }

  it('CRC64NVME is full-object only, and its object checksum is the CRC of all the bytes', async () => {
    const Bucket = await bucket();
    await s3Rejects(
      suite.s3.send(
        new CreateMultipartUploadCommand({
          Bucket,
          Key: 'k',
          ChecksumAlgorithm: 'CRC64NVME',
          ChecksumType: 'COMPOSITE',
        }),
      ),
      {
        code: 'InvalidRequest',
        status: 400,
        message: 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
      },
    );
    const { UploadId, ChecksumType } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'k', ChecksumAlgorithm: 'CRC64NVME' }),
    );
    assert.equal(ChecksumType, 'FULL_OBJECT');
    const datas = [randomBytes(5 * MiB + 1), randomBytes(2 * MiB)];
    const parts = [];
    for (const [i, data] of datas.entries()) {
      const out = await suite.s3.send(
        new UploadPartCommand({
          Bucket,
          Key: 'k',
          UploadId,
          PartNumber: i + 1,
          Body: data,
          ChecksumCRC64NVME: checksumOf('CRC64NVME', data),
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: out.ETag });
    }
    const whole = Buffer.concat(datas);
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, MultipartUpload: { Parts: parts } }),
    );
    assert.equal(done.ChecksumCRC64NVME, checksumOf('CRC64NVME', whole));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC64NVME, checksumOf('CRC64NVME', whole));
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    assert.ok((await bodyOf(got.Body)).equals(whole));
  });

  it("boto3's managed transfer uploads and downloads a multipart object intact", {
    skip: !fs.existsSync(PYTHON),
  }, async () => {
    const Bucket = await bucket();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-boto3-'));
    try {
      const file = path.join(dir, 'in.bin');
      const data = randomBytes(11 * MiB + 17);
      fs.writeFileSync(file, data);
      const script = [
        'import sys, boto3',
        'from boto3.s3.transfer import TransferConfig',
        'ep, bucket, src, dst = sys.argv[1:5]',
        "s3 = boto3.client('s3', endpoint_url=ep, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')",
        'cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)',
        "s3.upload_file(src, bucket, 'boto/file.bin', Config=cfg)",
        "s3.download_file(bucket, 'boto/file.bin', dst, Config=cfg)",
        "h = s3.head_object(Bucket=bucket, Key='boto/file.bin', ChecksumMode='ENABLED')",
        "print(h['ETag'], h.get('ChecksumType', ''))",
      ].join('\n');
      const out = path.join(dir, 'out.bin');
      const { stdout } = await exec(PYTHON, ['-c', script, suite.server.endpoint, Bucket, file, out]);
      assert.ok(fs.readFileSync(out).equals(data));
      const [etag] = stdout.trim().split(' ');
      assert.match(etag, /^"[0-9a-f]{32}-3"$/);
      const head = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'boto/file.bin' }));
      assert.equal(head.ContentLength, data.length);
      assert.equal(head.ETag, etag);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
