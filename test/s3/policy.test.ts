import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { errorOf, type RunningTideway, startServer } from '../support/tideway.js';

// Bucket policies: stored as given, checked as PutBucketPolicy checks them (MalformedPolicy),
// and enforced: another account (named by its access key id) is denied unless a statement
// allows it, and the owner is allowed unless a statement denies it.

const OWNER = '111111111111';
const OTHER = '222222222222';

function client(endpoint: string, account: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: account, secretAccessKey: 'test' },
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

function policy(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

describe('S3 bucket policies', () => {
  let server: RunningTideway;
  let owner: S3Client;
  let other: S3Client;
  const bucket = 'policy-bucket';

  before(async () => {
    server = await startServer();
    owner = client(server.endpoint, OWNER);
    other = client(server.endpoint, OTHER);
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/a.txt', Body: 'shared' }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'private/b.txt', Body: 'private' }));
  });
  after(async () => {
    owner.destroy();
    other.destroy();
    await server.stop();
  });

  it('Put, Get and DeleteBucketPolicy keep the document as given; none is NoSuchBucketPolicy', async () => {
    const none = await errorOf(() => owner.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    assert.equal(none.name, 'NoSuchBucketPolicy');
    assert.equal(none.message, 'The bucket policy does not exist');
    assert.equal(none.$metadata.httpStatusCode, 404);
    const noStatus = await errorOf(() => owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })));
    assert.equal(noStatus.name, 'NoSuchBucketPolicy');

    const document = policy([
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER } },
      },
    ]);
    const put = await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: document }));
    assert.equal(put.$metadata.httpStatusCode, 204);
    const got = await owner.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    assert.equal(got.Policy, document);
    const status = await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status.PolicyStatus?.IsPublic, false, 'a condition on the principal account pins it');

    const removed = await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const gone = await errorOf(() => owner.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    assert.equal(gone.name, 'NoSuchBucketPolicy');
  });

  it('GetBucketPolicyStatus says public for a statement allowing anyone without conditions', async () => {
    await owner.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: policy([
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ]),
      }),
    );
    const status = await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status.PolicyStatus?.IsPublic, true);
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });

  it('refuses malformed policies with S3 MalformedPolicy texts', async () => {
    const cases: Array<[string, string]> = [
      ['not json', "Policies must be valid JSON and the first byte must be '{'"],
      ['{"Version":"2012-10-17"', "Policies must be valid JSON and the first byte must be '{'"],
      [JSON.stringify({ Version: '2012-10-17' }), 'Missing required field Statement'],
      [
        policy([
          { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: `arn:aws:s3:::${bucket}` },
        ]),
        'Policy has invalid action',
      ],
      [
        policy([
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::another-bucket/*',
          },
        ]),
        'Policy has invalid resource',
      ],
      [
        policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }]),
        'Missing required field Principal',
      ],
      [
        policy([
          { Effect: 'Maybe', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ]),
        'Invalid effect: Maybe',
      ],
    ];
    for (const [document, message] of cases) {
      const err = await errorOf(() =>
        owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: document })),
      );
      assert.equal(err.name, 'MalformedPolicy', document);
      assert.equal(err.message, message, document);
      assert.equal(err.$metadata.httpStatusCode, 400);
    }
    const none = await errorOf(() => owner.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    assert.equal(none.name, 'NoSuchBucketPolicy', 'nothing was stored');
  });

  it('another account is denied without a policy, and allowed only what a statement allows', async () => {
    const denied = await errorOf(() =>
      other.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/a.txt' })),
    );
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.message, 'Access Denied');
    assert.equal(denied.$metadata.httpStatusCode, 403);
    const listDenied = await errorOf(() => other.send(new ListObjectsV2Command({ Bucket: bucket })));
    assert.equal(listDenied.name, 'AccessDenied');

    await owner.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: policy([
          {
            Sid: 'ReadShared',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
            Action: ['s3:GetObject'],
            Resource: `arn:aws:s3:::${bucket}/shared/*`,
          },
        ]),
      }),
    );
    const read = await other.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/a.txt' }));
    assert.equal(await read.Body!.transformToString(), 'shared');
    const otherKey = await errorOf(() =>
      other.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/b.txt' })),
    );
    assert.equal(otherKey.name, 'AccessDenied');
    const write = await errorOf(() =>
      other.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/new.txt', Body: 'nope' })),
    );
    assert.equal(write.name, 'AccessDenied');
    const policyRead = await errorOf(() => other.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    assert.equal(policyRead.name, 'AccessDenied');
    // The owner keeps every right nothing denies.
    const own = await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/b.txt' }));
    assert.equal(await own.Body!.transformToString(), 'private');
  });

  it("a copy needs the source bucket's permission to read as well", async () => {
    await other.send(new CreateBucketCommand({ Bucket: 'policy-other-bucket' }));
    try {
      const denied = await errorOf(() =>
        other.send(
          new CopyObjectCommand({
            Bucket: 'policy-other-bucket',
            Key: 'copied.txt',
            CopySource: `${bucket}/private/b.txt`,
          }),
        ),
      );
      assert.equal(denied.name, 'AccessDenied');
      await owner.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: policy([
            {
              Effect: 'Allow',
              Principal: { AWS: OTHER },
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${bucket}/private/*`,
            },
          ]),
        }),
      );
      await other.send(
        new CopyObjectCommand({
          Bucket: 'policy-other-bucket',
          Key: 'copied.txt',
          CopySource: `${bucket}/private/b.txt`,
        }),
      );
      const copied = await other.send(
        new GetObjectCommand({ Bucket: 'policy-other-bucket', Key: 'copied.txt' }),
      );
      assert.equal(await copied.Body!.transformToString(), 'private');
    } finally {
      await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
  });

  it('an explicit Deny binds the owner too', async () => {
    await owner.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: policy([
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${bucket}/private/*`,
          },
        ]),
      }),
    );
    const denied = await errorOf(() =>
      owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'private/c.txt', Body: 'x' })),
    );
    assert.equal(denied.name, 'AccessDenied');
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/c.txt', Body: 'x' }));
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'private/c.txt', Body: 'x' }));
  });

  it('x-amz-expected-bucket-owner: another account is AccessDenied, a malformed one is refused', async () => {
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: bucket, ExpectedBucketOwner: OWNER }));
    assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
    const mismatch = await errorOf(() =>
      owner.send(new GetBucketAclCommand({ Bucket: bucket, ExpectedBucketOwner: OTHER })),
    );
    assert.equal(mismatch.name, 'AccessDenied');
    assert.equal(mismatch.$metadata.httpStatusCode, 403);
    const malformed = await errorOf(() =>
      owner.send(new GetBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: 'abcd' })),
    );
    assert.equal(malformed.name, 'InvalidBucketOwnerAWSAccountID');
    assert.equal(
      malformed.message,
      'The value of the expected bucket owner parameter must be an AWS Account ID... [abcd]',
    );
    assert.equal(malformed.$metadata.httpStatusCode, 400);
  });
});
