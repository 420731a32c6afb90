import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetObjectAclCommand,
  GetObjectLockConfigurationCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketWebsiteCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3_OPERATIONS } from '../../src/protocols/models/s3.js';
import { credentials, errorOf, type RunningTideway, startServer } from '../support/tideway.js';

// What Tideway's S3 does not do answers 501 NotImplemented naming the feature; the canned
// private ACL, the one Tideway keeps, is served; docs/s3.md lists every operation.

function assertNotImplemented(err: any, feature: RegExp): void {
  assert.equal(err.name, 'NotImplemented', `${err.name}: ${err.message}`);
  assert.equal(err.$metadata.httpStatusCode, 501);
  assert.match(err.message, feature);
}

describe('S3 features Tideway does not support', () => {
  let server: RunningTideway;
  let s3: S3Client;
  const bucket = 'unsupported-bucket';

  before(async () => {
    server = await startServer();
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'body' }));
  });
  after(async () => {
    s3.destroy();
    await server.stop();
  });

  it('lifecycle, replication, website and object lock operations answer NotImplemented', async () => {
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket: bucket,
            LifecycleConfiguration: {
              Rules: [{ ID: 'r', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }],
            },
          }),
        ),
      ),
      /^Tideway.s S3 does not support lifecycle configurations \(PutBucketLifecycle(Configuration)?\)\.$/,
    );
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutBucketReplicationCommand({
            Bucket: bucket,
            ReplicationConfiguration: {
              Role: 'arn:aws:iam::000000000000:role/r',
              Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::elsewhere' } }],
            },
          }),
        ),
      ),
      /replication/,
    );
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutBucketWebsiteCommand({
            Bucket: bucket,
            WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } },
          }),
        ),
      ),
      /static website hosting/,
    );
    assertNotImplemented(
      await errorOf(() => s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))),
      /Object Lock/,
    );
  });

  it('SSE-C and Object Lock headers on a PutObject answer NotImplemented and store nothing', async () => {
    const key = Buffer.alloc(32, 7);
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'sse-c.txt',
            Body: 'secret',
            SSECustomerAlgorithm: 'AES256',
            SSECustomerKey: key.toString('base64'),
          }),
        ),
      ),
      /customer-provided keys \(SSE-C\)/,
    );
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'locked.txt',
            Body: 'x',
            ObjectLockMode: 'GOVERNANCE',
            ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
          }),
        ),
      ),
      /Object Lock/,
    );
    // Buckets enforce bucket-owner ownership, as S3's default: a public ACL is refused as S3 does.
    const publicAcl = await errorOf(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public.txt', Body: 'x', ACL: 'public-read' })),
    );
    assert.equal(publicAcl.name, 'AccessControlListNotSupported');
    assert.equal(publicAcl.$metadata?.httpStatusCode, 400);
    // The canned private ACL is what every object has anyway.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private.txt', Body: 'x', ACL: 'private' }));
  });

  it('ACLs: Get answers the owner with FULL_CONTROL; Put takes private and refuses anything else', async () => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.equal(acl.Grants?.length, 1);
    assert.match(acl.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    assert.equal(acl.Grants?.[0].Grantee?.Type, 'CanonicalUser');
    assert.equal(acl.Grants?.[0].Grantee?.ID, acl.Owner?.ID);
    assert.equal(acl.Grants?.[0].Permission, 'FULL_CONTROL');
    const objectAcl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k.txt' }));
    assert.deepEqual(objectAcl.Grants, acl.Grants);

    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k.txt', ACL: 'private' }));
    await s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: { Owner: acl.Owner, Grants: acl.Grants },
      }),
    );
    assertNotImplemented(
      await errorOf(() => s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }))),
      /access control lists beyond the canned private ACL \(PutBucketAcl\)/,
    );
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutObjectAclCommand({
            Bucket: bucket,
            Key: 'k.txt',
            GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
          }),
        ),
      ),
      /\(PutObjectAcl\)/,
    );
    const missing = await errorOf(() => s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'nope' })));
    assert.equal(missing.name, 'NoSuchKey');
  });

  it('bucket encryption: SSE-S3 (AES256) by default as on AWS; only that can be put', async () => {
    const expected = {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
    };
    const got = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.deepEqual(got.ServerSideEncryptionConfiguration, expected);
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    assertNotImplemented(
      await errorOf(() =>
        s3.send(
          new PutBucketEncryptionCommand({
            Bucket: bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/k' },
                },
              ],
            },
          }),
        ),
      ),
      /default bucket encryption with aws:kms/,
    );
    const deleted = await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const after = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.deepEqual(after.ServerSideEncryptionConfiguration, expected);
    const missing = await errorOf(() =>
      s3.send(new GetBucketEncryptionCommand({ Bucket: 'no-such-enc-bucket' })),
    );
    assert.equal(missing.name, 'NoSuchBucket');
  });

  it('docs/s3.md lists every operation of the S3 model with its status', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/s3.md', import.meta.url)), 'utf8');
    const rows = new Map<string, string>();
    for (const match of docs.matchAll(/^\|\s*`?([A-Za-z0-9]+)`?\s*\|\s*([^|]+?)\s*\|/gm))
      rows.set(match[1], match[2]);
    for (const name of Object.keys(S3_OPERATIONS)) {
      assert.ok(rows.has(name), `docs/s3.md has no row for ${name}`);
      assert.match(rows.get(name)!, /^(served|partly served|not supported)/i, `${name}'s status`);
    }
  });
});
