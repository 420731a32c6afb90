import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import type { RequestContext } from '../../../src/protocols/service.js';
import type { FrontDoors } from '../../../src/services/registry.js';
import { checksumOf, compositeChecksum, fullObjectCrc } from '../../../src/services/s3/checksum-combine.js';
import type { ObjectEvent } from '../../../src/services/s3/model.js';
import { multipartOperations } from '../../../src/services/s3/multipart.js';
import type { S3Handlers } from '../../../src/services/s3/operations.js';
import { S3State } from '../../../src/services/s3/state.js';
import { uploadsOf } from '../../../src/services/s3/uploads.js';
import { MemoryBodies } from '../../../src/storage/embedded/bodies.js';
import { Journal } from '../../../src/storage/embedded/journal.js';
import type { BodyRef, BodyStore, BodyWriter } from '../../../src/storage/types.js';
import { captureLogger } from '../../support/log-capture.js';

/**
 * The multipart operations driven through their handlers over a real S3State and body store:
 * every answer and error as AWS recorded them (LocalStack's AWS-validated snapshots), bytes read
 * back exactly.
 */

const ACCOUNT = '000000000000';
const MiB = 1024 * 1024;

/** A body store that remembers what was released, to show no part body is left behind. */
class WatchedBodies implements BodyStore {
  private readonly inner = new MemoryBodies();
  readonly released = new Set<string>();
  live: BodyRef[] = [];
  create(): BodyWriter {
    return this.inner.create();
  }
  read(ref: BodyRef, start?: number, end?: number): AsyncIterable<Uint8Array> {
    return this.inner.read(ref, start, end);
  }
  async release(ref: BodyRef): Promise<void> {
    this.released.add(ref.id);
    await this.inner.release(ref);
  }
  async sweep(live: Iterable<BodyRef>): Promise<void> {
    this.live = [...live];
  }
  clear(): Promise<void> {
    return this.inner.clear();
  }
}

interface Harness {
  state: S3State;
  bodies: WatchedBodies;
  ops: Required<Pick<S3Handlers, MultipartName>>;
  ctx: RequestContext;
  events: ObjectEvent[];
  call(name: MultipartName, input: Record<string, unknown>): Promise<any>;
}

type MultipartName =
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads';

async function harness(journal?: Journal, bucket = 'bucket'): Promise<Harness> {
  const clock = new Clock();
  const log = captureLogger();
  const bodies = new WatchedBodies();
  const state = new S3State(clock, log, bodies, journal);
  await state.open();
  if (!state.bucket(bucket))
    await state.createBucket({ name: bucket, account: ACCOUNT, region: 'us-east-1', created: clock.now() });
  const ops = multipartOperations({ state, clock, log, frontDoors: {} as FrontDoors }) as Harness['ops'];
  const ctx = {
    requestId: 'req',
    caller: { account: ACCOUNT, region: 'us-east-1' },
    baseUrl: 'http://127.0.0.1:4566',
  } as RequestContext;
  const events: ObjectEvent[] = [];
  state.onObjectEvent((e) => events.push(e));
  return {
    state,
    bodies,
    ops,
    ctx,
    events,
    call: async (name, input) => ops[name]({ Bucket: bucket, ...input }, ctx),
  };
}

async function* streamOf(data: Buffer, piece = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece);
}

async function readAll(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const p of iterable) pieces.push(Buffer.from(p));
  return Buffer.concat(pieces);
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}

function assertS3Error(
  err: any,
  code: string,
  status: number,
  message: string,
  fields?: Record<string, unknown>,
) {
  assert.equal(err.code, code, err.message);
  assert.equal(err.status, status);
  assert.equal(err.message, message);
  if (fields) for (const [k, v] of Object.entries(fields)) assert.equal(String(err.fields[k]), String(v), k);
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('CreateMultipartUpload checksum settings', () => {
  it('accepts the algorithm/type pairs AWS allows, with its defaults', async () => {
    const h = await harness();
    const cases: Array<[string, string | undefined, string]> = [
      ['CRC32', 'COMPOSITE', 'COMPOSITE'],
      ['CRC32', 'FULL_OBJECT', 'FULL_OBJECT'],
      ['CRC32C', 'COMPOSITE', 'COMPOSITE'],
      ['CRC32C', 'FULL_OBJECT', 'FULL_OBJECT'],
      ['SHA1', 'COMPOSITE', 'COMPOSITE'],
      ['SHA256', 'COMPOSITE', 'COMPOSITE'],
      ['CRC64NVME', 'FULL_OBJECT', 'FULL_OBJECT'],
      ['CRC32', undefined, 'COMPOSITE'],
      ['SHA1', undefined, 'COMPOSITE'],
      ['CRC64NVME', undefined, 'FULL_OBJECT'],
    ];
    for (const [algorithm, type, expected] of cases) {
      const out = await h.call('CreateMultipartUpload', {
        Key: 'k',
        ChecksumAlgorithm: algorithm,
        ChecksumType: type,
      });
      assert.equal(out.ChecksumAlgorithm, algorithm);
      assert.equal(out.ChecksumType, expected, `${algorithm} ${type}`);
      assert.equal(out.ServerSideEncryption, 'AES256');
      assert.match(out.UploadId, /^[A-Za-z0-9_-]{40,}$/);
    }
    const plain = await h.call('CreateMultipartUpload', { Key: 'k' });
    assert.equal(plain.ChecksumAlgorithm, undefined);
    assert.equal(plain.ChecksumType, undefined);
  });

  it("refuses the pairs AWS refuses, in AWS's words", async () => {
    const h = await harness();
    const refused: Array<[string | undefined, string | undefined, string]> = [
      [
        'CRC64NVME',
        'COMPOSITE',
        'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
      ],
      [
        'SHA1',
        'FULL_OBJECT',
        'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.',
      ],
      [
        'SHA256',
        'FULL_OBJECT',
        'The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.',
      ],
      [
        undefined,
        'COMPOSITE',
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      ],
      [
        undefined,
        'FULL_OBJECT',
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      ],
      [
        'TEST',
        undefined,
        'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
      ],
    ];
    for (const [algorithm, type, message] of refused) {
      const err = await rejection(
        h.call('CreateMultipartUpload', { Key: 'k', ChecksumAlgorithm: algorithm, ChecksumType: type }),
      );
      assertS3Error(err, 'InvalidRequest', 400, message);
    }
  });

  it('carries content headers, metadata, tags and storage class to the object', async () => {
    const h = await harness();
    const bad = await rejection(h.call('CreateMultipartUpload', { Key: 'k', StorageClass: 'BOGUS' }));
    assertS3Error(bad, 'InvalidStorageClass', 400, 'The storage class you specified is not valid', {
      StorageClassRequested: 'BOGUS',
    });
    const { UploadId } = await h.call('CreateMultipartUpload', {
      Key: 'k',
      ContentType: 'text/csv',
      CacheControl: 'no-cache',
      Metadata: { Team: 'blue' },
      Tagging: 'env=test&owner=me',
      StorageClass: 'STANDARD_IA',
    });
    const parts = await h.call('ListParts', { Key: 'k', UploadId });
    assert.equal(parts.StorageClass, 'STANDARD_IA');
    const part = await h.call('UploadPart', {
      Key: 'k',
      UploadId,
      PartNumber: 1,
      Body: streamOf(Buffer.from('x,y')),
    });
    await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    });
    const record = h.state.object('bucket', 'k')!;
    assert.deepEqual(
      [record.contentType, record.cacheControl, record.metadata, record.tags, record.storageClass],
      [
        'text/csv',
        'no-cache',
        { team: 'blue' },
        [
          { Key: 'env', Value: 'test' },
          { Key: 'owner', Value: 'me' },
        ],
        'STANDARD_IA',
      ],
    );
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    const h = await harness();
    const err = await rejection(
      h.ops.CreateMultipartUpload({ Bucket: 'nope', Key: 'k' }, h.ctx) as Promise<unknown>,
    );
    assertS3Error(err, 'NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: 'nope' });
  });
});

describe('UploadPart', () => {
  it('stores the part with its md5 ETag and the checksum it was declared with', async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    const data = Buffer.from('upload-part-1'.repeat(5));
    const out = await h.call('UploadPart', {
      Key: 'k',
      UploadId,
      PartNumber: 1,
      Body: streamOf(data, 7),
      ChecksumCRC32: checksumOf('CRC32', data),
    });
    assert.equal(out.ETag, `"${md5(data)}"`);
    assert.equal(out.ChecksumCRC32, checksumOf('CRC32', data));
    // The upload has no algorithm: ListParts shows no checksum, as AWS answers.
    const parts = await h.call('ListParts', { Key: 'k', UploadId });
    assert.deepEqual(
      parts.Parts.map((p: any) => [p.PartNumber, p.ETag, p.Size, p.ChecksumCRC32]),
      [[1, `"${md5(data)}"`, 65, undefined]],
    );
  });

  it('refuses part numbers outside 1–10000 and unknown uploads', async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    for (const n of [-1, 0, 10001]) {
      const err = await rejection(
        h.call('UploadPart', { Key: 'k', UploadId, PartNumber: n, Body: streamOf(Buffer.from('x')) }),
      );
      assertS3Error(
        err,
        'InvalidArgument',
        400,
        'Part number must be an integer between 1 and 10000, inclusive',
        {
          ArgumentName: 'partNumber',
          ArgumentValue: n,
        },
      );
    }
    for (const [key, id] of [
      ['k', 'not-an-upload'],
      ['other-key', UploadId],
    ]) {
      const err = await rejection(
        h.call('UploadPart', { Key: key, UploadId: id, PartNumber: 1, Body: streamOf(Buffer.from('x')) }),
      );
      assertS3Error(
        err,
        'NoSuchUpload',
        404,
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { UploadId: id },
      );
    }
  });

  it("refuses a checksum of another algorithm than the upload's", async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k', ChecksumAlgorithm: 'SHA256' });
    const err = await rejection(
      h.call('UploadPart', {
        Key: 'k',
        UploadId,
        PartNumber: 1,
        Body: streamOf(Buffer.from('abc')),
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    assertS3Error(
      err,
      'InvalidRequest',
      400,
      'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
    );
  });

  it("computes the upload's checksum when the part declares none", async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', {
      Key: 'k',
      ChecksumAlgorithm: 'CRC32C',
      ChecksumType: 'FULL_OBJECT',
    });
    const out = await h.call('UploadPart', {
      Key: 'k',
      UploadId,
      PartNumber: 1,
      Body: streamOf(Buffer.from('abc')),
    });
    // AWS's recorded answer for "abc" in a CRC32C upload.
    assert.equal(out.ChecksumCRC32C, 'Nks/tw==');
    assert.equal(out.ETag, '"900150983cd24fb0d6963f7d28e17f72"');
  });

  it('a part uploaded again replaces the first, whose body is released', async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    await h.call('UploadPart', { Key: 'k', UploadId, PartNumber: 1, Body: streamOf(Buffer.from('first')) });
    const [first] = uploadsOf(h.state).get(UploadId)!.parts;
    await h.call('UploadPart', { Key: 'k', UploadId, PartNumber: 1, Body: streamOf(Buffer.from('second!')) });
    const parts = uploadsOf(h.state).get(UploadId)!.parts;
    assert.equal(parts.length, 1);
    assert.equal(parts[0].body.size, 7);
    assert.ok(h.bodies.released.has(first.body.id));
  });
});

/** Uploads `sizes` as parts 1..n of a new upload, random bytes; answers the parts and the bytes. */
async function uploadParts(h: Harness, key: string, sizes: number[], create: Record<string, unknown> = {}) {
  const { UploadId, ChecksumAlgorithm } = await h.call('CreateMultipartUpload', { Key: key, ...create });
  const datas = sizes.map((n) => randomBytes(n));
  const parts: Array<Record<string, unknown>> = [];
  for (const [i, data] of datas.entries()) {
    const out = await h.call('UploadPart', { Key: key, UploadId, PartNumber: i + 1, Body: streamOf(data) });
    const entry: Record<string, unknown> = { PartNumber: i + 1, ETag: out.ETag };
    if (ChecksumAlgorithm) entry[`Checksum${ChecksumAlgorithm}`] = out[`Checksum${ChecksumAlgorithm}`];
    parts.push(entry);
  }
  return { UploadId, parts, datas, whole: Buffer.concat(datas) };
}

describe('CompleteMultipartUpload', () => {
  it('makes the object of its parts, with the -N ETag and a full-object CRC64NVME by default', async () => {
    const h = await harness();
    const { UploadId, parts, datas, whole } = await uploadParts(h, 'big/object', [
      5 * MiB,
      5 * MiB + 3,
      1000,
    ]);
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'big/object',
      UploadId,
      MultipartUpload: { Parts: parts },
    });
    const etagHash = createHash('md5');
    for (const d of datas) etagHash.update(createHash('md5').update(d).digest());
    assert.equal(out.ETag, `"${etagHash.digest('hex')}-3"`);
    assert.equal(out.ChecksumCRC64NVME, checksumOf('CRC64NVME', whole));
    assert.equal(out.ChecksumType, 'FULL_OBJECT');
    assert.equal(out.Location, 'http://127.0.0.1:4566/bucket/big/object');
    const record = h.state.object('bucket', 'big/object')!;
    assert.equal(record.size, whole.length);
    assert.deepEqual(record.checksum, {
      algorithm: 'CRC64NVME',
      type: 'FULL_OBJECT',
      value: out.ChecksumCRC64NVME,
    });
    assert.deepEqual(
      record.parts?.map((p) => p.size),
      datas.map((d) => d.length),
    );
    assert.ok((await readAll(h.state.readObject(record))).equals(whole));
    assert.ok(
      (await readAll(h.state.readObject(record, 5 * MiB - 2, 5 * MiB + 2))).equals(
        whole.subarray(5 * MiB - 2, 5 * MiB + 3),
      ),
    );
    assert.deepEqual(
      h.events.map((e) => [e.name, e.key, e.size, e.etag]),
      [['ObjectCreated:CompleteMultipartUpload', 'big/object', whole.length, out.ETag.replaceAll('"', '')]],
    );
    const gone = await rejection(h.call('ListParts', { Key: 'big/object', UploadId }));
    assert.equal(gone.code, 'NoSuchUpload');
    assert.deepEqual((await h.call('ListMultipartUploads', {})).Uploads, []);
  });

  it('composite: hashes the part digests, and asks for every part checksum', async () => {
    const h = await harness();
    const { UploadId, parts, datas } = await uploadParts(h, 'k', [5 * MiB, 10], {
      ChecksumAlgorithm: 'SHA256',
    });
    const missing = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag })) },
      }),
    );
    assertS3Error(
      missing,
      'InvalidRequest',
      400,
      'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    );
    const wrong = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: {
          Parts: [parts[0], { ...parts[1], ChecksumSHA256: checksumOf('SHA256', Buffer.from('bbb')) }],
        },
      }),
    );
    assertS3Error(wrong, 'InvalidPart', 400, wrong.message, { PartNumber: 2, UploadId });
    const otherAlgorithm = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: {
          Parts: [{ PartNumber: 1, ETag: parts[0].ETag, ChecksumCRC32: 'AAAAAA==' }, parts[1]],
        },
      }),
    );
    assertS3Error(
      otherAlgorithm,
      'BadDigest',
      400,
      'The crc32 you specified for part 1 did not match what we received.',
    );
    const mode = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    assertS3Error(
      mode,
      'InvalidRequest',
      400,
      'The upload was created using the COMPOSITE checksum mode. The complete request must use the same checksum mode.',
    );
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: parts },
    });
    const expected = compositeChecksum(
      'SHA256',
      datas.map((d) => checksumOf('SHA256', d)),
    );
    assert.match(expected, /-2$/);
    assert.equal(out.ChecksumSHA256, expected);
    assert.equal(out.ChecksumType, 'COMPOSITE');
    assert.deepEqual(
      h.state.object('bucket', 'k')!.parts?.map((p) => p.checksum),
      datas.map((d) => checksumOf('SHA256', d)),
    );
  });

  it('full object: combines the part CRCs and checks the checksum the client claims', async () => {
    const h = await harness();
    const { UploadId, parts, whole } = await uploadParts(h, 'k', [5 * MiB + 1, 77], {
      ChecksumAlgorithm: 'CRC32C',
      ChecksumType: 'FULL_OBJECT',
    });
    const expected = checksumOf('CRC32C', whole);
    const noType = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
        ChecksumCRC32C: expected,
      }),
    );
    assertS3Error(
      noType,
      'BadDigest',
      400,
      'The crc32c you specified did not match the calculated checksum.',
    );
    const bad = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: parts },
        ChecksumType: 'FULL_OBJECT',
        ChecksumCRC32: checksumOf('CRC32', Buffer.from('bad string')),
      }),
    );
    assertS3Error(bad, 'BadDigest', 400, 'The crc32c you specified did not match the calculated checksum.');
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: parts },
      ChecksumType: 'FULL_OBJECT',
      ChecksumCRC32C: expected,
    });
    assert.equal(out.ChecksumCRC32C, expected);
    assert.equal(out.ChecksumType, 'FULL_OBJECT');
    assert.equal(h.state.object('bucket', 'k')!.parts?.[0].checksum, undefined);
    assert.equal(
      fullObjectCrc('CRC32C', [
        { checksum: checksumOf('CRC32C', whole.subarray(0, 5 * MiB + 1)), size: 5 * MiB + 1 },
        { checksum: checksumOf('CRC32C', whole.subarray(5 * MiB + 1)), size: 77 },
      ]),
      expected,
    );
  });

  it("an upload without an algorithm refuses part checksums and a checksum mode, and ignores the object's", async () => {
    const h = await harness();
    const { UploadId, parts, datas } = await uploadParts(h, 'k', [3]);
    const withChecksum = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: [{ ...parts[0], ChecksumCRC32C: checksumOf('CRC32C', datas[0]) }] },
      }),
    );
    assertS3Error(withChecksum, 'InvalidPart', 400, withChecksum.message, {
      PartNumber: 1,
      ETag: md5(datas[0]),
      UploadId,
    });
    for (const type of ['FULL_OBJECT', 'COMPOSITE']) {
      const err = await rejection(
        h.call('CompleteMultipartUpload', {
          Key: 'k',
          UploadId,
          MultipartUpload: { Parts: parts },
          ChecksumType: type,
        }),
      );
      assertS3Error(
        err,
        'InvalidRequest',
        400,
        'The upload was created using the null checksum mode. The complete request must use the same checksum mode.',
      );
    }
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: parts },
      ChecksumCRC32C: 'AAAAAA==-2',
    });
    assert.equal(out.ChecksumCRC64NVME, checksumOf('CRC64NVME', datas[0]));
  });

  it("answers AWS's errors for missing, unordered, unknown and small parts and a wrong size", async () => {
    const h = await harness();
    const { UploadId, parts } = await uploadParts(h, 'k', [4, 4]);
    const fourBytes = await h.call('UploadPart', {
      Key: 'k',
      UploadId,
      PartNumber: 1,
      Body: streamOf(Buffer.from('data')),
    });
    await h.call('UploadPart', { Key: 'k', UploadId, PartNumber: 2, Body: streamOf(Buffer.from('data')) });
    parts[0].ETag = fourBytes.ETag;
    parts[1].ETag = fourBytes.ETag;
    for (const MultipartUpload of [undefined, { Parts: [] }]) {
      const err = await rejection(h.call('CompleteMultipartUpload', { Key: 'k', UploadId, MultipartUpload }));
      assertS3Error(err, 'InvalidRequest', 400, 'You must specify at least one part');
    }
    const unordered = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: [parts[1], parts[0]] },
      }),
    );
    assertS3Error(
      unordered,
      'InvalidPartOrder',
      400,
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      { UploadId },
    );
    const unknown = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: 'd41d8cd98f00b204e9800998ecf8427e' }] },
      }),
    );
    assertS3Error(
      unknown,
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { UploadId, PartNumber: 1, ETag: 'd41d8cd98f00b204e9800998ecf8427e' },
    );
    const small = await rejection(
      h.call('CompleteMultipartUpload', { Key: 'k', UploadId, MultipartUpload: { Parts: parts } }),
    );
    assertS3Error(
      small,
      'EntityTooSmall',
      400,
      'Your proposed upload is smaller than the minimum allowed size',
      {
        ETag: '8d777f385d3dfec8815d20f7496026dc',
        MinSizeAllowed: 5242880,
        PartNumber: 1,
        ProposedSize: 4,
      },
    );
    const size = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId,
        MultipartUpload: { Parts: [parts[0]] },
        MpuObjectSize: '5',
      }),
    );
    assertS3Error(
      size,
      'InvalidRequest',
      400,
      "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4",
    );
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: [parts[0]] },
      MpuObjectSize: '4',
    });
    assert.match(out.ETag, /-1"$/);
    // Part 2 was left out: its body goes with the upload.
    assert.equal(h.state.object('bucket', 'k')!.body.length, 1);
    assert.equal(h.bodies.released.size >= 3, true);
  });

  it('If-None-Match: * on an existing key fails with 412 and keeps the upload', async () => {
    const h = await harness();
    const first = await uploadParts(h, 'k', [5]);
    await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId: first.UploadId,
      MultipartUpload: { Parts: first.parts },
    });
    const second = await uploadParts(h, 'k', [6]);
    const err = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId: second.UploadId,
        MultipartUpload: { Parts: second.parts },
        IfNoneMatch: '*',
      }),
    );
    assertS3Error(
      err,
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'If-None-Match',
      },
    );
    assert.equal((await h.call('ListParts', { Key: 'k', UploadId: second.UploadId })).Parts.length, 1);
    const current = h.state.object('bucket', 'k')!;
    const out = await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId: second.UploadId,
      MultipartUpload: { Parts: second.parts },
      IfMatch: current.etag,
    });
    assert.ok((await readAll(h.state.readObject(h.state.object('bucket', 'k')!))).equals(second.whole));
    assert.equal(h.state.object('bucket', 'k')!.etag, out.ETag);
  });

  it('a key changed after the upload began makes If-None-Match: * a lost race (409)', async () => {
    const h = await harness();
    const upload = await uploadParts(h, 'k', [5]);
    const other = await uploadParts(h, 'k', [7]);
    await h.call('CompleteMultipartUpload', {
      Key: 'k',
      UploadId: other.UploadId,
      MultipartUpload: { Parts: other.parts },
    });
    const record = h.state.object('bucket', 'k')!;
    await h.state.deleteObject(
      'bucket',
      'k',
      {},
      { account: ACCOUNT, requestId: 'r', sourceIp: '127.0.0.1' },
    );
    assert.equal(h.state.object('bucket', 'k'), undefined);
    assert.ok(record);
    const err = await rejection(
      h.call('CompleteMultipartUpload', {
        Key: 'k',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: upload.parts },
        IfNoneMatch: '*',
      }),
    );
    assertS3Error(
      err,
      'ConditionalRequestConflict',
      409,
      'The conditional request cannot succeed due to a conflicting operation against this resource.',
    );
  });
});

describe('AbortMultipartUpload', () => {
  it('releases every part body and forgets the upload', async () => {
    const h = await harness();
    const { UploadId } = await uploadParts(h, 'k', [10, 20]);
    const refs = uploadsOf(h.state)
      .get(UploadId)!
      .parts.map((p) => p.body.id);
    assert.deepEqual(await h.call('AbortMultipartUpload', { Key: 'k', UploadId }), {});
    for (const id of refs) assert.ok(h.bodies.released.has(id));
    const err = await rejection(h.call('AbortMultipartUpload', { Key: 'k', UploadId }));
    assert.equal(err.code, 'NoSuchUpload');
  });

  it('checks x-amz-if-match-initiated-time', async () => {
    const h = await harness();
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    const initiated = (await h.call('ListMultipartUploads', {})).Uploads[0].Initiated as number;
    const err = await rejection(
      h.call('AbortMultipartUpload', {
        Key: 'k',
        UploadId,
        IfMatchInitiatedTime: new Date(initiated - 5000),
      }),
    );
    assertS3Error(
      err,
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
    );
    await h.call('AbortMultipartUpload', { Key: 'k', UploadId, IfMatchInitiatedTime: new Date(initiated) });
    assert.equal(uploadsOf(h.state).get(UploadId), undefined);
  });

  it('a deleted bucket takes its uploads and their bodies with it', async () => {
    const h = await harness();
    const { UploadId } = await uploadParts(h, 'k', [10]);
    const [part] = uploadsOf(h.state).get(UploadId)!.parts;
    await h.state.deleteBucket('bucket');
    await new Promise((r) => setImmediate(r));
    assert.equal(uploadsOf(h.state).get(UploadId), undefined);
    assert.ok(h.bodies.released.has(part.body.id));
  });
});

describe('UploadPartCopy', () => {
  async function withSource(h: Harness, data: Buffer) {
    const writer = h.bodies.create();
    await writer.write(data);
    const body = await writer.commit();
    await h.state.commitObject(
      {
        bucket: 'bucket',
        key: 'source',
        size: data.length,
        etag: `"${md5(data)}"`,
        lastModified: 1_700_000_000_000,
        body: [body],
        metadata: {},
        owner: ACCOUNT,
      },
      {},
      'ObjectCreated:Put',
      { account: ACCOUNT, requestId: 'r', sourceIp: '127.0.0.1' },
    );
  }

  it('copies a range of an object into a part', async () => {
    const h = await harness();
    const data = Buffer.from('0123456789');
    await withSource(h, data);
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    const whole = await h.call('UploadPartCopy', {
      Key: 'k',
      UploadId,
      PartNumber: 1,
      CopySource: 'bucket/source',
    });
    assert.equal(whole.CopyPartResult.ETag, `"${md5(data)}"`);
    const ranged = await h.call('UploadPartCopy', {
      Key: 'k',
      UploadId,
      PartNumber: 2,
      CopySource: '/bucket/source',
      CopySourceRange: 'bytes=1-9',
    });
    // AWS's recorded ETag for bytes 1-9 of "0123456789".
    assert.equal(ranged.CopyPartResult.ETag, `"${md5(Buffer.from('123456789'))}"`);
    const one = await h.call('UploadPartCopy', {
      Key: 'k',
      UploadId,
      PartNumber: 3,
      CopySource: 'bucket/source',
      CopySourceRange: 'bytes=1-1',
    });
    assert.equal(one.CopyPartResult.ETag, '"c4ca4238a0b923820dcc509a6f75849b"');
    const listed = await h.call('ListParts', { Key: 'k', UploadId });
    assert.deepEqual(
      listed.Parts.map((p: any) => p.Size),
      [10, 9, 1],
    );
  });

  it("answers AWS's range errors", async () => {
    const h = await harness();
    await withSource(h, Buffer.from('0123456789'));
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    const copy = (range: string) =>
      rejection(
        h.call('UploadPartCopy', {
          Key: 'k',
          UploadId,
          PartNumber: 1,
          CopySource: 'bucket/source',
          CopySourceRange: range,
        }),
      );
    for (const range of [
      '0-8',
      'bytes=1-0',
      'bytes=-1-',
      'bytes=0--1',
      'bytes=0-1,3-4,7-9',
      'bytes=-',
      'bytes=-0',
      'bytes=1-',
      'bytes=-2',
    ]) {
      assertS3Error(
        await copy(range),
        'InvalidArgument',
        400,
        'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: range },
      );
    }
    assertS3Error(
      await copy('bytes=0-100'),
      'InvalidArgument',
      400,
      'Range specified is not valid for source object of size: 10',
      {
        ArgumentValue: 'bytes=0-100',
      },
    );
    assertS3Error(
      await copy('bytes=100-200'),
      'InvalidRequest',
      400,
      'The specified copy range is invalid for the source object size',
    );
  });

  it('checks the copy-source conditions and the source', async () => {
    const h = await harness();
    await withSource(h, Buffer.from('abc'));
    const { UploadId } = await h.call('CreateMultipartUpload', { Key: 'k' });
    const err = await rejection(
      h.call('UploadPartCopy', {
        Key: 'k',
        UploadId,
        PartNumber: 1,
        CopySource: 'bucket/source',
        CopySourceIfMatch: '"nope"',
      }),
    );
    assertS3Error(
      err,
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'x-amz-copy-source-If-Match',
      },
    );
    const missing = await rejection(
      h.call('UploadPartCopy', { Key: 'k', UploadId, PartNumber: 1, CopySource: 'bucket/none' }),
    );
    assertS3Error(missing, 'NoSuchKey', 404, 'The specified key does not exist.', { Key: 'none' });
    const noBucket = await rejection(
      h.call('UploadPartCopy', { Key: 'k', UploadId, PartNumber: 1, CopySource: 'gone/x' }),
    );
    assert.equal(noBucket.code, 'NoSuchBucket');
  });
});

describe('ListMultipartUploads and ListParts', () => {
  it('pages uploads by key then start, with both markers, as AWS does', async () => {
    const h = await harness();
    const ids: Record<string, string[]> = { a: [], b: [], c: [] };
    for (const key of ['c', 'b', 'a', 'a', 'a'])
      ids[key].push((await h.call('CreateMultipartUpload', { Key: key })).UploadId);
    const all = await h.call('ListMultipartUploads', {});
    assert.deepEqual(
      all.Uploads.map((u: any) => [u.Key, u.UploadId]),
      [
        ['a', ids.a[0]],
        ['a', ids.a[1]],
        ['a', ids.a[2]],
        ['b', ids.b[0]],
        ['c', ids.c[0]],
      ],
    );
    assert.equal(all.NextKeyMarker, 'c');
    assert.equal(all.NextUploadIdMarker, ids.c[0]);
    assert.equal(all.IsTruncated, false);
    assert.equal(all.MaxUploads, 1000);
    assert.equal(all.KeyMarker, '');
    assert.equal(all.UploadIdMarker, '');
    const one = await h.call('ListMultipartUploads', { MaxUploads: 1 });
    assert.deepEqual([one.IsTruncated, one.NextKeyMarker, one.NextUploadIdMarker], [true, 'a', ids.a[0]]);
    const keyOnly = await h.call('ListMultipartUploads', { MaxUploads: 1, KeyMarker: 'a' });
    assert.deepEqual([keyOnly.Uploads[0].Key, keyOnly.IsTruncated], ['b', true]);
    const both = await h.call('ListMultipartUploads', {
      MaxUploads: 1,
      KeyMarker: 'a',
      UploadIdMarker: ids.a[0],
    });
    assert.equal(both.Uploads[0].UploadId, ids.a[1]);
    const idOnly = await h.call('ListMultipartUploads', { MaxUploads: 1, UploadIdMarker: ids.b[0] });
    assert.equal(idOnly.Uploads[0].UploadId, ids.a[0]);
    const last = await h.call('ListMultipartUploads', {
      MaxUploads: 1,
      KeyMarker: 'b',
      UploadIdMarker: ids.b[0],
    });
    assert.deepEqual([last.Uploads[0].Key, last.IsTruncated], ['c', false]);
    const end = await h.call('ListMultipartUploads', { MaxUploads: 1, KeyMarker: 'c' });
    assert.deepEqual(
      [end.Uploads, end.NextKeyMarker, end.NextUploadIdMarker, end.IsTruncated],
      [[], '', '', false],
    );
    const wrong = await rejection(
      h.call('ListMultipartUploads', { KeyMarker: 'a', UploadIdMarker: ids.b[0] }),
    );
    assertS3Error(wrong, 'InvalidArgument', 400, 'Invalid uploadId marker', {
      ArgumentName: 'upload-id-marker',
      ArgumentValue: ids.b[0],
    });
    const encoding = await rejection(h.call('ListMultipartUploads', { EncodingType: 'value' }));
    assertS3Error(encoding, 'InvalidArgument', 400, 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: 'value',
    });
  });

  it('groups keys under CommonPrefixes with a delimiter', async () => {
    const h = await harness();
    for (const key of [
      'test/foo/bar/x',
      'test/foo/y',
      'test/bar/z',
      'folder/file1',
      'folder/aSubfolder/subFile1',
    ])
      await h.call('CreateMultipartUpload', { Key: key });
    const first = await h.call('ListMultipartUploads', {
      Prefix: 'test/',
      Delimiter: '/',
      EncodingType: 'url',
    });
    assert.deepEqual(first.CommonPrefixes, [{ Prefix: 'test/bar/' }, { Prefix: 'test/foo/' }]);
    assert.deepEqual(first.Uploads, []);
    const second = await h.call('ListMultipartUploads', { Prefix: 'test/foo/', Delimiter: '/' });
    assert.deepEqual(second.CommonPrefixes, [{ Prefix: 'test/foo/bar/' }]);
    assert.deepEqual(
      second.Uploads.map((u: any) => u.Key),
      ['test/foo/y'],
    );
    const page = await h.call('ListMultipartUploads', { Prefix: 'folder/', Delimiter: '/', MaxUploads: 1 });
    assert.deepEqual(
      [page.CommonPrefixes, page.IsTruncated, page.NextKeyMarker],
      [[{ Prefix: 'folder/aSubfolder/' }], true, ''],
    );
    const after = await h.call('ListMultipartUploads', {
      Prefix: 'folder/',
      Delimiter: '/',
      MaxUploads: 1,
      KeyMarker: 'folder/aSubfolder/',
    });
    assert.deepEqual(
      [after.Uploads.map((u: any) => u.Key), after.CommonPrefixes, after.NextKeyMarker],
      [['folder/file1'], [], 'folder/file1'],
    );
  });

  it('ListParts pages by part number and shows the upload checksum', async () => {
    const h = await harness();
    const { UploadId, datas } = await uploadParts(h, 'k', [1, 2, 3], { ChecksumAlgorithm: 'CRC32' });
    const page = await h.call('ListParts', { Key: 'k', UploadId, MaxParts: 2 });
    assert.deepEqual(
      [page.IsTruncated, page.NextPartNumberMarker, page.PartNumberMarker, page.MaxParts],
      [true, 2, 0, 2],
    );
    assert.deepEqual(
      page.Parts.map((p: any) => [p.PartNumber, p.Size, p.ChecksumCRC32]),
      [
        [1, 1, checksumOf('CRC32', datas[0])],
        [2, 2, checksumOf('CRC32', datas[1])],
      ],
    );
    assert.deepEqual(
      [page.ChecksumAlgorithm, page.ChecksumType, page.StorageClass],
      ['CRC32', 'COMPOSITE', 'STANDARD'],
    );
    assert.match(page.Initiator.ID, /^[0-9a-f]{64}$/);
    assert.equal(page.Owner.ID, page.Initiator.ID);
    const rest = await h.call('ListParts', { Key: 'k', UploadId, PartNumberMarker: '2' });
    assert.deepEqual(
      [rest.Parts.map((p: any) => p.PartNumber), rest.IsTruncated, rest.NextPartNumberMarker],
      [[3], false, 3],
    );
  });
});

describe('uploads with --data-dir', () => {
  it('survive a restart with their parts, whose bodies the sweep keeps', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-mpu-'));
    try {
      let journal = new Journal(dir);
      const h = await harness(journal);
      const { UploadId } = await uploadParts(h, 'k', [10, 20], { ChecksumAlgorithm: 'SHA1' });
      const refs = uploadsOf(h.state)
        .get(UploadId)!
        .parts.map((p) => p.body);
      journal.close();
      journal = new Journal(dir);
      const again = await harness(journal);
      assert.deepEqual(again.bodies.live.map((r) => r.id).sort(), refs.map((r) => r.id).sort());
      const listed = await again.call('ListParts', { Key: 'k', UploadId });
      assert.deepEqual(
        listed.Parts.map((p: any) => [p.PartNumber, p.Size]),
        [
          [1, 10],
          [2, 20],
        ],
      );
      assert.equal(listed.ChecksumAlgorithm, 'SHA1');
      await again.call('AbortMultipartUpload', { Key: 'k', UploadId });
      journal.close();
      journal = new Journal(dir);
      const third = await harness(journal);
      assert.deepEqual((await third.call('ListMultipartUploads', {})).Uploads, []);
      journal.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
