import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ReplicateSecretToRegionsCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { keyPolicy } from '../support/kms.js';
import { errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, smClient, smRaw, withSmServer } from './support.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:rotate-me';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});

// Tags, resource policies, rotation records and GetRandomPassword (API Reference; AWS's recorded
// answers for tags, policies and rotation).
describe('Secrets Manager tags, policies, rotation and passwords', () => {
  const t = withSmServer();

  it('tags and untags; Tags appears once a secret has been tagged, even empty', async () => {
    const name = uniqueName('tags');
    await t.sm.send(new CreateSecretCommand({ Name: name }));
    const tagsOf = async () => (await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags;
    assert.equal(await tagsOf(), undefined);
    await t.sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'tag1', Value: 'value1' }] }));
    await t.sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'tag2', Value: 'value2' }] }));
    assert.deepEqual(await tagsOf(), [
      { Key: 'tag1', Value: 'value1' },
      { Key: 'tag2', Value: 'value2' },
    ]);
    await t.sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'tag1', Value: 'new' }] }));
    await t.sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['tag2'] }));
    assert.deepEqual(await tagsOf(), [{ Key: 'tag1', Value: 'new' }]);
    await t.sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['tag1'] }));
    assert.deepEqual(await tagsOf(), []);
    assertSmError(
      await errorOf(() =>
        t.sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'aws:x', Value: 'v' }] })),
      ),
      'InvalidParameterException',
    );
  });

  it('puts, reads, validates and deletes a resource policy', async () => {
    const name = uniqueName('policy');
    const { ARN } = await t.sm.send(new CreateSecretCommand({ Name: name }));
    const none = await t.sm.send(new GetResourcePolicyCommand({ SecretId: name }));
    assert.deepEqual([none.ARN, none.Name, none.ResourcePolicy], [ARN, name, undefined]);
    const put = await t.sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: POLICY }));
    assert.deepEqual([put.ARN, put.Name], [ARN, name]);
    assert.deepEqual(
      JSON.parse((await t.sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy!),
      JSON.parse(POLICY),
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: POLICY, BlockPublicPolicy: true }),
        ),
      ),
      'PublicPolicyException',
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: '{not json' })),
      ),
      'MalformedPolicyDocumentException',
      'This resource policy contains a syntax error.',
    );
    const valid = await t.sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: POLICY }));
    assert.equal(valid.PolicyValidationPassed, true);
    const invalid = await t.sm.send(
      new ValidateResourcePolicyCommand({
        SecretId: name,
        ResourcePolicy: JSON.stringify({ Statement: [{ Effect: 'Maybe' }] }),
      }),
    );
    assert.equal(invalid.PolicyValidationPassed, false);
    assert.equal(invalid.ValidationErrors!.length, 1);
    await t.sm.send(new DeleteResourcePolicyCommand({ SecretId: name }));
    assert.equal(
      (await t.sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy,
      undefined,
    );
  });

  it('refuses rotation without a function, records it with one, and rotates immediately', async () => {
    const name = uniqueName('rotate');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'pw', Description: 'r' }));
    assertSmError(
      await errorOf(() => t.sm.send(new RotateSecretCommand({ SecretId: name }))),
      'InvalidRequestException',
      'No Lambda rotation function ARN is associated with this secret.',
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: 'not-an-arn' })),
      ),
      'AccessDeniedException',
      'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new RotateSecretCommand({
            SecretId: name,
            RotationLambdaARN: LAMBDA,
            RotationRules: { AutomaticallyAfterDays: 1, ScheduleExpression: 'rate(2 days)' },
          }),
        ),
      ),
      'InvalidParameterException',
    );
    const raw = await smRaw(t.server.endpoint, 'RotateSecret', { SecretId: name, RotationLambdaARN: LAMBDA });
    assert.equal(
      raw.body.Message,
      'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
    );
    const rotated = await t.sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: LAMBDA,
        RotationRules: { AutomaticallyAfterDays: 1 },
      }),
    );
    assert.ok(rotated.VersionId && rotated.VersionId !== v1.VersionId);
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.RotationEnabled, true);
    assert.equal(described.RotationLambdaARN, LAMBDA);
    assert.deepEqual(described.RotationRules, { AutomaticallyAfterDays: 1 });
    assert.ok(described.LastRotatedDate instanceof Date);
    assert.equal(described.NextRotationDate!.getTime() - described.LastRotatedDate!.getTime(), 86_400_000);
    assert.deepEqual(described.VersionIdsToStages, {
      [v1.VersionId!]: ['AWSPREVIOUS'],
      [rotated.VersionId!]: ['AWSCURRENT'],
    });
    const current = await t.sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(current.SecretString, 'pw', 'no function ran: the new version carries the value over');
    // Rotating again uses the recorded function.
    const again = await t.sm.send(new RotateSecretCommand({ SecretId: name }));
    const versions = await t.sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    assert.deepEqual(
      versions.Versions!.map((v) => [v.VersionId, v.VersionStages]),
      [
        [rotated.VersionId, ['AWSPREVIOUS']],
        [again.VersionId, ['AWSCURRENT']],
      ],
    );
    const cancelled = await t.sm.send(new CancelRotateSecretCommand({ SecretId: name }));
    assert.equal(cancelled.Name, name);
    const off = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(off.RotationEnabled, false);
    assert.equal(off.NextRotationDate, undefined);
  });

  it('RotateImmediately false records the schedule without a new version', async () => {
    const name = uniqueName('sched');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'pw' }));
    const out = await t.sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: LAMBDA,
        RotateImmediately: false,
        RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '3h' },
      }),
    );
    assert.equal(out.VersionId, undefined);
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.deepEqual(described.RotationRules, { ScheduleExpression: 'rate(10 days)', Duration: '3h' });
    assert.equal(described.LastRotatedDate, undefined);
    assert.equal(Object.keys(described.VersionIdsToStages!).length, 1);
  });

  it('promotes the AWSPENDING version a rotation function would have written under the token', async () => {
    const name = uniqueName('staged');
    const first = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'old' }));
    const token = '11111111-2222-3333-4444-555555555555';
    await t.sm.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: 'new',
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
      }),
    );
    const out = await t.sm.send(
      new RotateSecretCommand({ SecretId: name, RotationLambdaARN: LAMBDA, ClientRequestToken: token }),
    );
    assert.equal(out.VersionId, token);
    assert.equal((await t.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'new');
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.deepEqual(described.VersionIdsToStages, {
      [first.VersionId!]: ['AWSPREVIOUS'],
      [token]: ['AWSCURRENT'],
    });
  });

  it('GetRandomPassword honours its parameters', async () => {
    const plain = await t.sm.send(new GetRandomPasswordCommand({}));
    assert.equal(plain.RandomPassword!.length, 32);
    assert.ok(!plain.RandomPassword!.includes(' '));
    const digits = await t.sm.send(
      new GetRandomPasswordCommand({
        PasswordLength: 50,
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludePunctuation: true,
        ExcludeCharacters: '01',
      }),
    );
    assert.match(digits.RandomPassword!, /^[2-9]{50}$/);
    const each = await t.sm.send(
      new GetRandomPasswordCommand({ PasswordLength: 4, RequireEachIncludedType: true }),
    );
    const p = each.RandomPassword!;
    assert.ok(/[a-z]/.test(p) && /[A-Z]/.test(p) && /[0-9]/.test(p) && /[^A-Za-z0-9]/.test(p), p);
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new GetRandomPasswordCommand({
            ExcludeLowercase: true,
            ExcludeUppercase: true,
            ExcludeNumbers: true,
            ExcludePunctuation: true,
          }),
        ),
      ),
      'InvalidParameterException',
    );
  });

  it('answers replication with an error saying Tideway does not support it', async () => {
    const name = uniqueName('repl');
    await t.sm.send(new CreateSecretCommand({ Name: name }));
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new ReplicateSecretToRegionsCommand({
            SecretId: name,
            AddReplicaRegions: [{ Region: 'eu-west-1' }],
          }),
        ),
      ),
      'InvalidRequestException',
      /Tideway does not support ReplicateSecretToRegions/,
    );
  });
});

// Resource policies decide access as AWS's do (User Guide, "Resource-based policies"; "Access
// AWS Secrets Manager secrets from a different account"): another account needs a statement
// allowing the action, and a key it may use — never the AWS-managed key; for the owner only an
// explicit Deny matters.
describe('Secrets Manager resource policies in force', () => {
  const t = withSmServer();
  const OTHER = '111122223333';

  it('lets another account read only what the policy allows, and an explicit Deny stops the owner', async () => {
    const other = smClient(t.server.endpoint, OTHER);
    try {
      const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
      await t.kms.send(
        new PutKeyPolicyCommand({
          KeyId: KeyMetadata!.KeyId,
          PolicyName: 'default',
          Policy: keyPolicy([
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
              Action: 'kms:Decrypt',
              Resource: '*',
            },
          ]),
        }),
      );
      const shared = await t.sm.send(
        new CreateSecretCommand({
          Name: uniqueName('shared'),
          SecretString: 's',
          KmsKeyId: KeyMetadata!.Arn,
        }),
      );
      const managed = await t.sm.send(
        new CreateSecretCommand({ Name: uniqueName('managed'), SecretString: 'm' }),
      );
      const denied = await errorOf(() => other.send(new GetSecretValueCommand({ SecretId: shared.ARN })));
      assertSmError(
        denied,
        'AccessDeniedException',
        `User: arn:aws:iam::${OTHER}:root is not authorized to perform: secretsmanager:GetSecretValue on resource: ${shared.ARN} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
      );
      const grant = (arn: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
              Action: 'secretsmanager:GetSecretValue',
              Resource: arn,
            },
          ],
        });
      await t.sm.send(
        new PutResourcePolicyCommand({ SecretId: shared.ARN, ResourcePolicy: grant(shared.ARN!) }),
      );
      await t.sm.send(
        new PutResourcePolicyCommand({ SecretId: managed.ARN, ResourcePolicy: grant(managed.ARN!) }),
      );
      assert.equal((await other.send(new GetSecretValueCommand({ SecretId: shared.ARN }))).SecretString, 's');
      assertSmError(
        await errorOf(() => other.send(new DescribeSecretCommand({ SecretId: shared.ARN }))),
        'AccessDeniedException',
      );
      // The AWS-managed key never serves another account (AWS-validated text).
      assertSmError(
        await errorOf(() => other.send(new GetSecretValueCommand({ SecretId: managed.ARN }))),
        'InvalidRequestException',
        "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
      );
      await t.sm.send(
        new PutResourcePolicyCommand({
          SecretId: managed.ARN,
          ResourcePolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' },
            ],
          }),
        }),
      );
      assertSmError(
        await errorOf(() => t.sm.send(new DeleteSecretCommand({ SecretId: managed.ARN }))),
        'AccessDeniedException',
        `User: arn:aws:iam::000000000000:root is not authorized to perform: secretsmanager:DeleteSecret on resource: ${managed.ARN} with an explicit deny in a resource-based policy`,
      );
      assert.equal((await t.sm.send(new GetSecretValueCommand({ SecretId: managed.ARN }))).SecretString, 'm');
    } finally {
      other.destroy();
    }
  });
});
