import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { advance } from '../support/tideway.js';
import { bodyOf, bucketName, s3Rejects, withS3Server } from './objects-client.js';

/** Conditional reads and writes as S3 answers them (texts from AWS's recorded answers). */

const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';

describe('S3 conditional requests', () => {
  const suite = withS3Server();

  async function bucketWith(key: string, body: string): Promise<{ Bucket: string; etag: string }> {
    const Bucket = bucketName('cond');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await suite.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }));
    return { Bucket, etag: put.ETag! };
  }

  it('GetObject: If-Match and If-Unmodified-Since fail with 412, If-None-Match and If-Modified-Since with 304', async () => {
    const { Bucket, etag } = await bucketWith('k', 'data');
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfMatch: '"nope"' })), {
      code: 'PreconditionFailed',
      status: 412,
      message: PRECONDITION,
      fields: { Condition: 'If-Match' },
    });
    const past = new Date(Date.now() - 3600_000);
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfUnmodifiedSince: past })), {
      code: 'PreconditionFailed',
      status: 412,
      fields: { Condition: 'If-Unmodified-Since' },
    });
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfNoneMatch: etag })), {
      status: 304,
    });
    // An ETag without its quotes matches too.
    await s3Rejects(
      suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'k', IfNoneMatch: etag.replaceAll('"', '') })),
      { status: 304 },
    );
    const later = new Date(Date.now() + 2000);
    await advance(suite.server, 10);
    // Not modified since a moment after it was written: 304.
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfModifiedSince: later })), {
      status: 304,
    });
    // A date in the future is ignored: the object comes back.
    const future = new Date(Date.now() + 86400_000);
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfModifiedSince: future }));
    assert.equal((await bodyOf(got.Body)).toString(), 'data');
    // If-Match holding wins over a failing If-Unmodified-Since (RFC 7232 precedence).
    const both = await suite.s3.send(
      new GetObjectCommand({ Bucket, Key: 'k', IfMatch: etag, IfUnmodifiedSince: past }),
    );
    assert.equal((await bodyOf(both.Body)).toString(), 'data');
  });

  it('PutObject: If-None-Match: * refuses an existing key, If-Match needs the current ETag', async () => {
    const { Bucket, etag } = await bucketWith('k', 'first');
    await s3Rejects(suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', IfNoneMatch: '*' })), {
      code: 'PreconditionFailed',
      status: 412,
      message: PRECONDITION,
      fields: { Condition: 'If-None-Match' },
    });
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', IfMatch: '"other"' })),
      {
        code: 'PreconditionFailed',
        status: 412,
        fields: { Condition: 'If-Match' },
      },
    );
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'absent', Body: 'x', IfMatch: etag })),
      {
        code: 'NoSuchKey',
        status: 404,
        fields: { Key: 'absent' },
      },
    );
    const ok = await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'second', IfMatch: etag }));
    assert.notEqual(ok.ETag, etag);
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'fresh', Body: 'x', IfNoneMatch: '*' }));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    assert.equal((await bodyOf(got.Body)).toString(), 'second');
  });

  it('refuses condition forms S3 does not implement with 501', async () => {
    const { Bucket } = await bucketWith('k', 'v');
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', IfNoneMatch: '"abc"' })),
      {
        code: 'NotImplemented',
        status: 501,
        message: 'A header you provided implies functionality that is not implemented',
        fields: { Header: 'If-None-Match' },
      },
    );
    await s3Rejects(suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', IfMatch: '*' })), {
      code: 'NotImplemented',
      status: 501,
      fields: { Header: 'If-Match' },
    });
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', IfMatch: '"a"', IfNoneMatch: '*' })),
      { code: 'NotImplemented', status: 501, fields: { Header: 'If-Match,If-None-Match' } },
    );
  });

  it('a write whose key changed while its body streamed in gets 409 ConditionalRequestConflict', async () => {
    const { Bucket, etag } = await bucketWith('race', 'v1');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowBody() {
      yield Buffer.from('slow-');
      await gate;
      yield Buffer.from('end');
    }
    const slow = suite.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'race',
        Body: Readable.from(slowBody()),
        ContentLength: 8,
        IfMatch: etag,
      }),
    );
    // Another identical write lands while the first one is still uploading.
    await new Promise((r) => setTimeout(r, 100));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'race', Body: 'v1' }));
    release();
    await s3Rejects(slow, {
      code: 'ConditionalRequestConflict',
      status: 409,
      message: 'The conditional request cannot succeed due to a conflicting operation against this resource.',
      fields: { Condition: 'If-Match', Key: 'race' },
    });
  });

  it('DeleteObject with If-Match, and DeleteObjects with ETag entries', async () => {
    const { Bucket, etag } = await bucketWith('k', 'v');
    await s3Rejects(suite.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', IfMatch: '"bad"' })), {
      code: 'PreconditionFailed',
      status: 412,
      fields: { Condition: 'If-Match' },
    });
    const missing = await suite.s3.send(new DeleteObjectCommand({ Bucket, Key: 'never-was' }));
    assert.equal(missing.$metadata.httpStatusCode, 204);
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k2', Body: 'v2' }));
    const result = await suite.s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'k', ETag: etag }, { Key: 'k2', ETag: '"wrong"' }, { Key: 'gone' }] },
      }),
    );
    assert.deepEqual(
      result.Deleted?.map((d) => d.Key),
      ['k', 'gone'],
    );
    assert.deepEqual(result.Errors, [{ Key: 'k2', Code: 'PreconditionFailed', Message: PRECONDITION }]);
    const quiet = await suite.s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'k2' }], Quiet: true } }),
    );
    assert.equal(quiet.Deleted, undefined);
    await s3Rejects(suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'k2' })), {
      code: 'NotFound',
      status: 404,
    });
  });

  it('CopyObject honours the copy-source conditions (412 naming the x-amz-copy-source header)', async () => {
    const { Bucket, etag } = await bucketWith('src', 'copy me');
    await s3Rejects(
      suite.s3.send(
        new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src`, CopySourceIfMatch: '"x"' }),
      ),
      { code: 'PreconditionFailed', status: 412, fields: { Condition: 'x-amz-copy-source-If-Match' } },
    );
    await s3Rejects(
      suite.s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: 'dst',
          CopySource: `${Bucket}/src`,
          CopySourceIfNoneMatch: etag,
        }),
      ),
      { code: 'PreconditionFailed', status: 412, fields: { Condition: 'x-amz-copy-source-If-None-Match' } },
    );
    await advance(suite.server, 5);
    const copied = await suite.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src`, CopySourceIfMatch: etag }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, etag);
    await s3Rejects(
      suite.s3.send(
        new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src`, IfNoneMatch: '*' }),
      ),
      { code: 'PreconditionFailed', status: 412, fields: { Condition: 'If-None-Match' } },
    );
  });
});
