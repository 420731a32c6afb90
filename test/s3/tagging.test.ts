import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { bucketName, s3Rejects, withS3Server } from './objects-client.js';

/** Object tags: the x-amz-tagging header, Put/Get/DeleteObjectTagging and their checks. */

describe('S3 object tagging', () => {
  const suite = withS3Server();

  it('takes tags from x-amz-tagging, replaces and deletes them', async () => {
    const Bucket = bucketName('otag');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', Tagging: 'a=1&b=two%20words' }));
    const first = await suite.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(first.TagSet, [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: 'two words' },
    ]);
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    assert.equal(got.TagCount, 2);
    await suite.s3.send(
      new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }),
    );
    const second = await suite.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(second.TagSet, [{ Key: 'c', Value: '3' }]);
    const deleted = await suite.s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const none = await suite.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(none.TagSet, []);
  });

  it('refuses duplicate, system and malformed tags with S3 texts', async () => {
    const Bucket = bucketName('otagv');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await s3Rejects(
      suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', Tagging: 'a=1&a=2' })),
      {
        code: 'InvalidArgument',
        status: 400,
        message:
          "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
      },
    );
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const put = (TagSet: Array<{ Key: string; Value: string }>) =>
      suite.s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet } }));
    await s3Rejects(
      put([
        { Key: 'x', Value: '1' },
        { Key: 'x', Value: '2' },
      ]),
      {
        code: 'InvalidTag',
        status: 400,
        message: 'Cannot provide multiple Tags with the same key',
        fields: { TagKey: 'x' },
      },
    );
    await s3Rejects(put([{ Key: 'aws:prefixed', Value: '1' }]), {
      code: 'InvalidTag',
      status: 400,
      message: 'Your TagKey cannot be prefixed with aws:',
    });
    await s3Rejects(put([{ Key: 'Key1,Key2', Value: '1' }]), {
      code: 'InvalidTag',
      status: 400,
      message: 'The TagKey you have provided is invalid',
    });
    await s3Rejects(put([{ Key: 'Key1', Value: 'Val1,Val2' }]), {
      code: 'InvalidTag',
      status: 400,
      message: 'The TagValue you have provided is invalid',
      fields: { TagKey: 'Key1', TagValue: 'Val1,Val2' },
    });
    await s3Rejects(put(Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))), {
      code: 'BadRequest',
      status: 400,
      message: 'Object tags cannot be greater than 10',
    });
    await s3Rejects(suite.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' })), {
      code: 'NoSuchKey',
      status: 404,
    });
  });
});
