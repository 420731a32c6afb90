import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

const ROOT = 'arn:aws:iam::000000000000:root';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const rootStatement = {
  Sid: 'root',
  Effect: 'Allow',
  Principal: { AWS: ROOT },
  Action: 'kms:*',
  Resource: '*',
};

// KMS Developer Guide, "Default key policy" and "AWS managed keys"; API Reference, GetKeyPolicy,
// PutKeyPolicy (MalformedPolicyDocumentException), ListKeyPolicies.
describe('KMS key policies', () => {
  const t = withKmsServer();

  it('writes the default key policy when CreateKey gets none', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const got = await t.kms.send(
      new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, PolicyName: 'default' }),
    );
    assert.equal(got.PolicyName, 'default');
    assert.deepEqual(JSON.parse(got.Policy!), {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: ROOT },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const listed = await t.kms.send(new ListKeyPoliciesCommand({ KeyId: KeyMetadata!.KeyId }));
    assert.deepEqual(listed.PolicyNames, ['default']);
    assert.equal(listed.Truncated, false);
  });

  it('replaces the policy and enforces it', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const arn = KeyMetadata!.Arn!;
    const denyEncrypt = policy(rootStatement, {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Encrypt',
      Resource: '*',
    });
    await t.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: denyEncrypt }));
    assert.equal((await t.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy, denyEncrypt);
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
      `User: ${ROOT} is not authorized to perform: kms:Encrypt on resource: ${arn} with an explicit deny in a resource-based policy`,
    );
    const data = await t.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    await t.kms.send(new DecryptCommand({ CiphertextBlob: data.CiphertextBlob }));
  });

  it('refuses malformed policies with KMS texts', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await kmsRejects(
      t.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: 'not json' })),
      'MalformedPolicyDocumentException',
      '',
    );
    await kmsRejects(
      t.kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyId,
          Policy: policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }),
        }),
      ),
      'MalformedPolicyDocumentException',
      'Policy contains a statement with no principal.',
    );
    await kmsRejects(
      t.kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyId,
          Policy: policy({ Effect: 'Allow', Principal: { AWS: 'somebody' }, Action: 'kms:*', Resource: '*' }),
        }),
      ),
      'MalformedPolicyDocumentException',
      'Policy contains a statement with one or more invalid principals.',
    );
    const lockout = policy({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    await kmsRejects(
      t.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: lockout })),
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ Policy: lockout })),
      'MalformedPolicyDocumentException',
    );
    // With the safety check bypassed, the account locks itself out, as in AWS.
    await t.kms.send(
      new PutKeyPolicyCommand({ KeyId: keyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }),
    );
    await kmsRejects(t.kms.send(new DescribeKeyCommand({ KeyId: keyId })), 'AccessDeniedException');
  });

  it('gives AWS-managed keys their service-only policy, and refuses direct use and changes', async () => {
    const { KeyMetadata } = await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/sns' }));
    const arn = KeyMetadata!.Arn!;
    assert.equal(
      KeyMetadata?.Description,
      'Default key that protects my SNS data when no other key is defined',
    );
    const doc = JSON.parse((await t.kms.send(new GetKeyPolicyCommand({ KeyId: arn }))).Policy!);
    assert.equal(doc.Statement.length, 2);
    assert.deepEqual(doc.Statement[0].Principal, { AWS: '*' });
    assert.deepEqual(doc.Statement[0].Condition, {
      StringEquals: { 'kms:CallerAccount': '000000000000', 'kms:ViaService': 'sns.us-east-1.amazonaws.com' },
    });
    assert.deepEqual(doc.Statement[1].Principal, { AWS: ROOT });
    assert.deepEqual(doc.Statement[1].Action, ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant']);

    const denied = (action: string) =>
      `User: ${ROOT} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`;
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: 'alias/aws/sns', Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
      denied('kms:Encrypt'),
    );
    await kmsRejects(
      t.kms.send(new DisableKeyCommand({ KeyId: arn })),
      'AccessDeniedException',
      denied('kms:DisableKey'),
    );
    await kmsRejects(
      t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn })),
      'AccessDeniedException',
      denied('kms:ScheduleKeyDeletion'),
    );
    await kmsRejects(
      t.kms.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: policy(rootStatement) })),
      'AccessDeniedException',
      denied('kms:PutKeyPolicy'),
    );
  });
});
