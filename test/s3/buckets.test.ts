import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { rawRequest, sigv4 } from '../support/server.js';
import { bucketName, s3Client, s3Rejects, withS3Server } from './objects-client.js';

/** Buckets through @aws-sdk/client-s3: create, head, list, delete, location, tagging, versioning. */

describe('S3 buckets', () => {
  const suite = withS3Server();

  it('creates a bucket, heads it, finds it in ListBuckets and deletes it once empty', async () => {
    const Bucket = bucketName();
    const created = await suite.s3.send(new CreateBucketCommand({ Bucket }));
    assert.equal(created.Location, `/${Bucket}`);
    const head = await suite.s3.send(new HeadBucketCommand({ Bucket }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const listed = await suite.s3.send(new ListBucketsCommand({ Prefix: Bucket }));
    assert.deepEqual(
      listed.Buckets?.map((b) => [b.Name, b.BucketRegion]),
      [[Bucket, 'us-east-1']],
    );
    assert.match(listed.Owner!.ID!, /^[0-9a-f]{64}$/);
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    await s3Rejects(suite.s3.send(new DeleteBucketCommand({ Bucket })), {
      code: 'BucketNotEmpty',
      status: 409,
      message: 'The bucket you tried to delete is not empty',
      fields: { BucketName: Bucket },
    });
    await suite.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    const deleted = await suite.s3.send(new DeleteBucketCommand({ Bucket }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await s3Rejects(suite.s3.send(new HeadBucketCommand({ Bucket })), { code: 'NotFound', status: 404 });
    await s3Rejects(suite.s3.send(new DeleteBucketCommand({ Bucket })), {
      code: 'NoSuchBucket',
      status: 404,
      message: 'The specified bucket does not exist',
    });
  });

  it('checks bucket names and location constraints as S3 does', async () => {
    for (const bad of [
      'ab',
      'Upper-case',
      'under_score',
      'double..dot',
      '192.168.1.1',
      '-lead',
      'xn--punycode',
      'x'.repeat(64),
    ])
      await s3Rejects(suite.s3.send(new CreateBucketCommand({ Bucket: bad })), {
        code: 'InvalidBucketName',
        status: 400,
        message: 'The specified bucket is not valid.',
      });
    await s3Rejects(
      suite.s3.send(
        new CreateBucketCommand({
          Bucket: bucketName(),
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never },
        }),
      ),
      {
        code: 'InvalidLocationConstraint',
        status: 400,
        message: 'The specified location-constraint is not valid',
      },
    );
    const west = bucketName('west');
    await suite.s3.send(
      new CreateBucketCommand({
        Bucket: west,
        CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
      }),
    );
    const location = await suite.s3.send(new GetBucketLocationCommand({ Bucket: west }));
    assert.equal(location.LocationConstraint, 'us-west-2');
    // The region is the root element's text, as botocore's own parser reads it.
    const raw = await rawRequest(suite.server.endpoint, {
      method: 'GET',
      path: `/${west}?location`,
      headers: { authorization: sigv4('s3') },
    });
    assert.match(
      raw.body,
      /<LocationConstraint xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">us-west-2<\/LocationConstraint>$/,
    );
    const east = bucketName('east');
    await suite.s3.send(new CreateBucketCommand({ Bucket: east }));
    const none = await suite.s3.send(new GetBucketLocationCommand({ Bucket: east }));
    assert.equal(none.LocationConstraint ?? null, null);
    const ohio = s3Client(suite.server.endpoint, { region: 'us-east-2' });
    try {
      // The SDK adds its region as the constraint; a bare request has none.
      const bare = await rawRequest(suite.server.endpoint, {
        method: 'PUT',
        path: `/${bucketName()}`,
        headers: { authorization: sigv4('s3', 'us-east-2') },
      });
      assert.equal(bare.status, 400);
      assert.match(bare.body, /<Code>IllegalLocationConstraintException<\/Code>/);
      assert.match(
        bare.body,
        /<Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/,
      );
      await s3Rejects(
        ohio.send(
          new CreateBucketCommand({
            Bucket: bucketName(),
            CreateBucketConfiguration: { LocationConstraint: 'us-west-1' },
          }),
        ),
        {
          code: 'IllegalLocationConstraintException',
          status: 400,
          message:
            'The us-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
        },
      );
      const here = bucketName('ohio');
      await ohio.send(
        new CreateBucketCommand({
          Bucket: here,
          CreateBucketConfiguration: { LocationConstraint: 'us-east-2' },
        }),
      );
      const head = await ohio.send(new HeadBucketCommand({ Bucket: here }));
      assert.equal(head.BucketRegion, 'us-east-2');
      const filtered = await ohio.send(new ListBucketsCommand({ BucketRegion: 'us-east-2', Prefix: 'ohio' }));
      assert.ok(filtered.Buckets?.every((b) => b.BucketRegion === 'us-east-2'));
      assert.ok(filtered.Buckets?.some((b) => b.Name === here));
    } finally {
      ohio.destroy();
    }
  });

  it('answers an existing name: yours again in us-east-1 succeeds, elsewhere 409, another account BucketAlreadyExists', async () => {
    const Bucket = bucketName('dup');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const again = await suite.s3.send(new CreateBucketCommand({ Bucket }));
    assert.equal(again.$metadata.httpStatusCode, 200);
    const west = bucketName('dupw');
    await suite.s3.send(
      new CreateBucketCommand({
        Bucket: west,
        CreateBucketConfiguration: { LocationConstraint: 'us-west-1' },
      }),
    );
    await s3Rejects(
      suite.s3.send(
        new CreateBucketCommand({
          Bucket: west,
          CreateBucketConfiguration: { LocationConstraint: 'us-west-1' },
        }),
      ),
      {
        code: 'BucketAlreadyOwnedByYou',
        status: 409,
        message: 'Your previous request to create the named bucket succeeded and you already own it.',
        fields: { BucketName: west },
      },
    );
    const other = s3Client(suite.server.endpoint, {
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
    });
    try {
      await s3Rejects(other.send(new CreateBucketCommand({ Bucket })), {
        code: 'BucketAlreadyExists',
        status: 409,
      });
      const theirs = await other.send(new ListBucketsCommand({}));
      assert.ok(!theirs.Buckets?.some((b) => b.Name === Bucket));
    } finally {
      other.destroy();
    }
  });

  it('pages ListBuckets with MaxBuckets and ContinuationToken', async () => {
    const prefix = bucketName('page');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const Bucket of names) await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await suite.s3.send(
        new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: token }),
      );
      seen.push(...(page.Buckets ?? []).map((b) => b.Name!));
      assert.equal(page.Prefix, prefix);
      token = page.ContinuationToken;
    } while (token);
    assert.deepEqual(seen, names);
  });

  it('keeps bucket tags, answers NoSuchTagSet without them, and validates them', async () => {
    const Bucket = bucketName('tags');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await s3Rejects(suite.s3.send(new GetBucketTaggingCommand({ Bucket })), {
      code: 'NoSuchTagSet',
      status: 404,
      message: 'The TagSet does not exist',
    });
    await suite.s3.send(
      new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }),
    );
    const got = await suite.s3.send(new GetBucketTaggingCommand({ Bucket }));
    assert.deepEqual(got.TagSet, [{ Key: 'team', Value: 'data' }]);
    await s3Rejects(
      suite.s3.send(
        new PutBucketTaggingCommand({
          Bucket,
          Tagging: {
            TagSet: [
              { Key: 'k', Value: 'a' },
              { Key: 'k', Value: 'b' },
            ],
          },
        }),
      ),
      {
        code: 'InvalidTag',
        status: 400,
        message: 'Cannot provide multiple Tags with the same key',
        fields: { TagKey: 'k' },
      },
    );
    await s3Rejects(
      suite.s3.send(
        new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'aws:x', Value: 'a' }] } }),
      ),
      { code: 'InvalidTag', status: 400, message: 'System tags cannot be added/updated by requester' },
    );
    await suite.s3.send(new DeleteBucketTaggingCommand({ Bucket }));
    await s3Rejects(suite.s3.send(new GetBucketTaggingCommand({ Bucket })), {
      code: 'NoSuchTagSet',
      status: 404,
    });
  });

  it('versioning: never enabled, Suspended on request, Enabled refused as not supported', async () => {
    const Bucket = bucketName('ver');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const before = await suite.s3.send(new GetBucketVersioningCommand({ Bucket }));
    assert.equal(before.Status, undefined);
    await s3Rejects(
      suite.s3.send(
        new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      ),
      { code: 'NotImplemented', status: 501 },
    );
    await suite.s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    const after = await suite.s3.send(new GetBucketVersioningCommand({ Bucket }));
    assert.equal(after.Status, 'Suspended');
    await s3Rejects(
      suite.s3.send(
        new CreateBucketCommand({ Bucket: bucketName('lock'), ObjectLockEnabledForBucket: true }),
      ),
      {
        code: 'NotImplemented',
        status: 501,
        message: "Tideway's S3 does not support Object Lock (CreateBucket).",
      },
    );
  });

  it('checks x-amz-expected-bucket-owner before the operation runs', async () => {
    const Bucket = bucketName('owner');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const mine = await suite.s3.send(
      new GetBucketVersioningCommand({ Bucket, ExpectedBucketOwner: '000000000000' }),
    );
    assert.equal(mine.$metadata.httpStatusCode, 200);
    await s3Rejects(
      suite.s3.send(
        new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', ExpectedBucketOwner: '111111111111' }),
      ),
      {
        code: 'AccessDenied',
        status: 403,
        message: 'Access Denied',
      },
    );
    await s3Rejects(suite.s3.send(new GetBucketLocationCommand({ Bucket, ExpectedBucketOwner: 'abcd' })), {
      code: 'InvalidBucketOwnerAWSAccountID',
      status: 400,
      message: 'The value of the expected bucket owner parameter must be an AWS Account ID... [abcd]',
    });
  });
});
