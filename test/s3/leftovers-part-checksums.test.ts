import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ChecksumAlgorithm,
  type ChecksumType,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { checksumOf, compositeChecksum } from '../../src/services/s3/checksum-combine.js';
import { bodyOf, bucketName, withS3Server } from './objects-client.js';

/**
 * Reads of one part with ChecksumMode ENABLED: a composite object answers that part's own
 * checksum, a full-object one none (as for a range); GetObjectAttributes lists part checksums
 * only for composite objects. Shapes as AWS recorded them.
 */

const MiB = 1024 * 1024;

describe('S3 part reads and their checksums', () => {
  const suite = withS3Server();

  async function multipart(
    algorithm: 'CRC32' | 'SHA256',
    type: ChecksumType,
    bodies: Buffer[],
  ): Promise<{ Bucket: string; Key: string; parts: string[]; whole: string | undefined }> {
    const Bucket = bucketName('partsum');
    const Key = `object-${type.toLowerCase()}`;
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key,
        ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
        ChecksumType: type,
      }),
    );
    const member = `Checksum${algorithm}` as const;
    const completed: Record<string, unknown>[] = [];
    const parts: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const checksum = checksumOf(algorithm, body);
      const out = await suite.s3.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: body, [member]: checksum }),
      );
      assert.equal(out[member], checksum);
      parts.push(checksum);
      completed.push({ PartNumber: i + 1, ETag: out.ETag, [member]: checksum });
    }
    const done = await suite.s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } }),
    );
    assert.equal(done.ChecksumType, type);
    return { Bucket, Key, parts, whole: done[member] };
  }

  it("a part of a composite object answers that part's checksum and the parts count", async () => {
    const bodies = [
      Buffer.alloc(5 * MiB + 1, 'a'),
      Buffer.alloc(5 * MiB + 1, 'b'),
      Buffer.from('tail-bytes'),
    ];
    const { Bucket, Key, parts, whole } = await multipart('CRC32', 'COMPOSITE', bodies);
    assert.equal(whole, compositeChecksum('CRC32', parts));
    const size = bodies.reduce((n, b) => n + b.length, 0);
    let start = 0;
    for (const [i, body] of bodies.entries()) {
      const PartNumber = i + 1;
      const got = await suite.s3.send(
        new GetObjectCommand({ Bucket, Key, PartNumber, ChecksumMode: 'ENABLED' }),
      );
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ChecksumCRC32, parts[i]);
      assert.equal(got.ChecksumType, 'COMPOSITE');
      assert.equal(got.PartsCount, 3);
      assert.equal(got.ContentLength, body.length);
      assert.equal(got.ContentRange, `bytes ${start}-${start + body.length - 1}/${size}`);
      assert.ok((await bodyOf(got.Body)).equals(body));
      const head = await suite.s3.send(
        new HeadObjectCommand({ Bucket, Key, PartNumber, ChecksumMode: 'ENABLED' }),
      );
      assert.equal(head.$metadata.httpStatusCode, 206);
      assert.equal(head.ChecksumCRC32, parts[i]);
      assert.equal(head.ChecksumType, 'COMPOSITE');
      assert.equal(head.PartsCount, 3);
      start += body.length;
    }
    // Without ChecksumMode no checksum is named; the whole object names the composite one.
    const plain = await suite.s3.send(new HeadObjectCommand({ Bucket, Key, PartNumber: 2 }));
    assert.equal(plain.ChecksumCRC32, undefined);
    assert.equal(plain.PartsCount, 3);
    const all = await suite.s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(all.ChecksumCRC32, whole);
    assert.match(all.ChecksumCRC32 ?? '', /-3$/);
  });

  it('the single part of a composite object names its own checksum, not the composite one', async () => {
    const body = Buffer.from('test content 123');
    const { Bucket, Key, parts, whole } = await multipart('SHA256', 'COMPOSITE', [body]);
    assert.match(whole ?? '', /-1$/);
    const got = await suite.s3.send(
      new GetObjectCommand({ Bucket, Key, PartNumber: 1, ChecksumMode: 'ENABLED' }),
    );
    assert.equal(got.ChecksumSHA256, parts[0]);
    assert.equal(got.ChecksumType, 'COMPOSITE');
    assert.equal(got.PartsCount, 1);
    assert.equal(got.ContentRange, `bytes 0-${body.length - 1}/${body.length}`);
    assert.equal((await bodyOf(got.Body)).toString(), 'test content 123');
  });

  it('a part of a full-object checksum names none, and GetObjectAttributes only counts its parts', async () => {
    const bodies = [Buffer.alloc(5 * MiB, 'x'), Buffer.from('end')];
    const { Bucket, Key, whole } = await multipart('CRC32', 'FULL_OBJECT', bodies);
    const part = await suite.s3.send(
      new HeadObjectCommand({ Bucket, Key, PartNumber: 1, ChecksumMode: 'ENABLED' }),
    );
    assert.equal(part.$metadata.httpStatusCode, 206);
    assert.equal(part.ChecksumCRC32, undefined);
    assert.equal(part.ChecksumType, undefined);
    assert.equal(part.PartsCount, 2);
    const attributes = await suite.s3.send(
      new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['Checksum', 'ObjectParts'] }),
    );
    assert.deepEqual(attributes.Checksum, { ChecksumCRC32: whole, ChecksumType: 'FULL_OBJECT' });
    assert.deepEqual(attributes.ObjectParts, { TotalPartsCount: 2 });
  });

  it('GetObjectAttributes lists the parts of a composite object with their checksums, the checksum without its count', async () => {
    const bodies = [
      Buffer.alloc(5 * MiB + 1, 'a'),
      Buffer.alloc(5 * MiB + 1, 'a'),
      Buffer.from('aaaaaaaaaa'),
    ];
    const { Bucket, Key, parts, whole } = await multipart('CRC32', 'COMPOSITE', bodies);
    // The values AWS recorded for these very bytes.
    assert.deepEqual(parts, ['NRU+Sw==', 'NRU+Sw==', 'TBHN8A==']);
    assert.equal(whole, '5FRUiw==-3');
    const attributes = await suite.s3.send(
      new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['Checksum', 'ObjectParts'] }),
    );
    assert.deepEqual(attributes.Checksum, {
      ChecksumCRC32: whole?.replace(/-3$/, ''),
      ChecksumType: 'COMPOSITE',
    });
    assert.deepEqual(attributes.ObjectParts, {
      TotalPartsCount: 3,
      PartNumberMarker: '0',
      NextPartNumberMarker: '3',
      MaxParts: 1000,
      IsTruncated: false,
      Parts: bodies.map((b, i) => ({ PartNumber: i + 1, Size: b.length, ChecksumCRC32: parts[i] })),
    });
    const paged = await suite.s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key,
        ObjectAttributes: ['ObjectParts'],
        MaxParts: 1,
        PartNumberMarker: '1',
      }),
    );
    assert.equal(paged.ObjectParts?.IsTruncated, true);
    assert.equal(paged.ObjectParts?.NextPartNumberMarker, '2');
    assert.deepEqual(paged.ObjectParts?.Parts, [
      { PartNumber: 2, Size: bodies[1].length, ChecksumCRC32: parts[1] },
    ]);
  });

  it('part 1 of a plain object is the whole object with its checksum and no parts count', async () => {
    const Bucket = bucketName('partsum');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await suite.s3.send(
      new PutObjectCommand({ Bucket, Key: 'one', Body: 'test-123', ChecksumAlgorithm: 'CRC32' }),
    );
    const got = await suite.s3.send(
      new GetObjectCommand({ Bucket, Key: 'one', PartNumber: 1, ChecksumMode: 'ENABLED' }),
    );
    assert.equal(got.$metadata.httpStatusCode, 206);
    assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    assert.equal(got.PartsCount, undefined);
    assert.equal(got.ContentRange, 'bytes 0-7/8');
    assert.equal((await bodyOf(got.Body)).toString(), 'test-123');
  });
});
