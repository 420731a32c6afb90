import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicPolicy, mayWrite } from '../../src/services/s3/access.js';
import type { BucketRecord } from '../../src/services/s3/model.js';

// The decisions behind deliveries into a bucket (Firehose writing its objects) and
// GetBucketPolicyStatus, on bucket records directly.

const OWNER = '111111111111';
const OTHER = '222222222222';
const STREAM = `arn:aws:firehose:us-east-1:${OTHER}:deliverystream/logs`;

function bucket(policy?: object): BucketRecord {
  return {
    name: 'landing',
    account: OWNER,
    region: 'us-east-1',
    created: 0,
    policy: policy === undefined ? undefined : JSON.stringify(policy),
  };
}

const origin = (account: string, roleArn?: string) => ({
  principal: 'firehose.amazonaws.com',
  sourceArn: STREAM.replace(OTHER, account),
  sourceAccount: account,
  roleArn,
});

describe('mayWrite: deliveries from other services', () => {
  it("the bucket's own account writes without a policy, another account does not", () => {
    assert.equal(mayWrite(bucket(), origin(OWNER, `arn:aws:iam::${OWNER}:role/firehose`), 'a/b'), true);
    assert.equal(mayWrite(bucket(), origin(OWNER), 'a/b'), true, "the source account's root");
    assert.equal(mayWrite(bucket(), origin(OTHER, `arn:aws:iam::${OTHER}:role/firehose`), 'a/b'), false);
  });

  it("another account's role writes where the policy allows it, pinned by aws:SourceArn", () => {
    const role = `arn:aws:iam::${OTHER}:role/firehose`;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: role },
          Action: ['s3:PutObject'],
          Resource: 'arn:aws:s3:::landing/logs/*',
          Condition: { ArnEquals: { 'aws:SourceArn': STREAM } },
        },
      ],
    };
    assert.equal(mayWrite(bucket(policy), origin(OTHER, role), 'logs/2026/x.gz'), true);
    assert.equal(
      mayWrite(bucket(policy), origin(OTHER, role), 'elsewhere/x.gz'),
      false,
      'outside the resource',
    );
    const otherStream = { ...origin(OTHER, role), sourceArn: `${STREAM}-2` };
    assert.equal(mayWrite(bucket(policy), otherStream, 'logs/x.gz'), false, 'another SourceArn');
    assert.equal(
      mayWrite(bucket(policy), origin(OTHER, `arn:aws:iam::${OTHER}:role/another`), 'logs/x.gz'),
      false,
      'another role',
    );
  });

  it('an explicit Deny stops even the owner', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::landing/*',
          Condition: { StringNotEquals: { 'aws:SourceAccount': '333333333333' } },
        },
      ],
    };
    assert.equal(mayWrite(bucket(policy), origin(OWNER, `arn:aws:iam::${OWNER}:role/r`), 'k'), false);
  });
});

describe('isPublicPolicy', () => {
  const statement = (extra: object) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::landing/*', ...extra }],
    });

  it('anyone without a pinning condition is public; a named account or a source condition is not', () => {
    assert.equal(isPublicPolicy(statement({ Principal: '*' })), true);
    assert.equal(isPublicPolicy(statement({ Principal: { AWS: ['*'] } })), true);
    assert.equal(isPublicPolicy(statement({ Principal: { AWS: OTHER } })), false);
    assert.equal(
      isPublicPolicy(
        statement({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } }),
      ),
      false,
    );
    assert.equal(
      isPublicPolicy(statement({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      true,
      'a transport condition does not pin the caller',
    );
  });
});
