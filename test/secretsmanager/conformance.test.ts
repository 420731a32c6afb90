import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { keyPolicy } from '../support/kms.js';
import { advance, errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, smClient, smRaw, withSmServer } from './support.js';

// Scenarios replayed from AWS's recorded answers (fields present or absent, codes, texts, label
// movements): each step checks what AWS answered at that step.
describe('Secrets Manager conformance with AWS recordings', () => {
  const t = withSmServer();
  const TOKEN_TEXT = 'You must provide a ClientRequestToken value. We recommend a UUID-type value.';
  const INVALID_NAME =
    'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

  /** A secret's resource policy that lets another account do anything with it (`extra` joins the statement). */
  function allowAccount(account: string, extra: object = {}): string {
    const statement = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: ['secretsmanager:*'],
      Resource: '*',
      ...extra,
    };
    return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  }

  async function versions(name: string, includeDeprecated = false) {
    const { Versions } = await t.sm.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: includeDeprecated }),
    );
    return Versions!.map((v) => [v.VersionId, v.VersionStages ?? []]);
  }

  it('asks for the ClientRequestToken before looking for the secret, RotateSecret as InvalidParameterException', async () => {
    const missing = uniqueName('notoken');
    const body = { SecretString: 'thisisthesecret', Description: 'My secret string' };
    for (const [operation, type] of [
      ['CreateSecret', 'InvalidRequestException'],
      ['UpdateSecret', 'InvalidRequestException'],
      ['RotateSecret', 'InvalidParameterException'],
      ['PutSecretValue', 'InvalidRequestException'],
    ] as const) {
      const request =
        operation === 'CreateSecret' ? { ...body, Name: missing } : { ...body, SecretId: missing };
      const raw = await smRaw(t.server.endpoint, operation, request);
      assert.equal(raw.status, 400, operation);
      assert.deepEqual(raw.body, { __type: type, Message: TOKEN_TEXT }, operation);
    }
  });

  it('refuses an impossible secret name in every operation with the name text', async () => {
    for (const bad of ['Inv Name', ' Inv Name', ' Inv*Name? ', ' Inv *?!]Name\\-']) {
      const calls = [
        () => t.sm.send(new CreateSecretCommand({ Name: bad, SecretString: 'MySecretString' })),
        () => t.sm.send(new DeleteSecretCommand({ SecretId: bad, ForceDeleteWithoutRecovery: true })),
        () => t.sm.send(new DescribeSecretCommand({ SecretId: bad })),
        () => t.sm.send(new GetSecretValueCommand({ SecretId: bad })),
        () => t.sm.send(new ListSecretVersionIdsCommand({ SecretId: bad, IncludeDeprecated: true })),
        () => t.sm.send(new PutSecretValueCommand({ SecretId: bad, SecretString: 'MySecretString' })),
        () => t.sm.send(new TagResourceCommand({ SecretId: bad, Tags: [{ Key: 'FirstTag', Value: 'v' }] })),
        () => t.sm.send(new UntagResourceCommand({ SecretId: bad, TagKeys: ['FirstTag'] })),
        () => t.sm.send(new UpdateSecretCommand({ SecretId: bad, Description: 'MyNewDescription' })),
        () =>
          t.sm.send(
            new ValidateResourcePolicyCommand({
              SecretId: bad,
              ResourcePolicy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: '*',
                  },
                ],
              }),
            }),
          ),
      ];
      for (const call of calls) assertSmError(await errorOf(call), 'ValidationException', INVALID_NAME);
    }
  });

  it('answers a forced delete of a secret that does not exist as a deletion', async () => {
    const name = uniqueName('never');
    const res = await t.sm.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    );
    assert.equal(res.Name, name);
    assert.match(res.ARN!, new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-`));
    assert.ok(res.DeletionDate instanceof Date);
    // Without ForceDeleteWithoutRecovery the secret must exist.
    assertSmError(
      await errorOf(() => t.sm.send(new DeleteSecretCommand({ SecretId: name }))),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
  });

  it('a secret created empty has no version until PutSecretValue gives it AWSCURRENT', async () => {
    const name = uniqueName('empty');
    const created = await t.sm.send(new CreateSecretCommand({ Name: name, Description: '' }));
    assert.deepEqual(
      Object.keys(created)
        .filter((k) => k !== '$metadata')
        .sort(),
      ['ARN', 'Name'],
    );
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: created.ARN }));
    assert.deepEqual(
      Object.keys(described)
        .filter((k) => k !== '$metadata')
        .sort(),
      ['ARN', 'CreatedDate', 'LastChangedDate', 'Name'],
    );
    for (const [input, text] of [
      [{}, "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"],
      [
        { VersionStage: 'AWSPENDING' },
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
      ],
    ] as const) {
      assertSmError(
        await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name, ...input }))),
        'ResourceNotFoundException',
        text,
      );
    }
    const id = randomUUID();
    assertSmError(
      await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: id }))),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${id}`,
    );
    const put = await t.sm.send(
      new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'example' }),
    );
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
  });

  it('UpdateSecret: a description alone makes no version, a value makes AWSCURRENT and AWSPREVIOUS', async () => {
    const name = uniqueName('desc');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 's' }));
    const first = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(first.Description, undefined);
    const onlyDescription = await t.sm.send(
      new UpdateSecretCommand({ SecretId: name, Description: 'MyDescription' }),
    );
    assert.equal(onlyDescription.VersionId, undefined);
    assert.equal(
      (await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).Description,
      'MyDescription',
    );
    const v2 = await t.sm.send(
      new UpdateSecretCommand({ SecretId: name, Description: 'MyNewDescription', SecretString: 's2' }),
    );
    const d2 = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(d2.Description, 'MyNewDescription');
    assert.deepEqual(d2.VersionIdsToStages, {
      [v2.VersionId!]: ['AWSCURRENT'],
      [v1.VersionId!]: ['AWSPREVIOUS'],
    });
    const v3 = await t.sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: 's3' }));
    const d3 = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.deepEqual(d3.VersionIdsToStages, {
      [v2.VersionId!]: ['AWSPREVIOUS'],
      [v3.VersionId!]: ['AWSCURRENT'],
    });
  });

  it('custom labels ride along with AWSCURRENT moves, AWSPENDING stays with the version it was on', async () => {
    const name = uniqueName('cycle');
    // The steps below put values with labels and move AWSCURRENT, each checked after it.
    const put = (value: string, stages: string[]) =>
      t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: value, VersionStages: stages }));
    const moveCurrent = (to: string, from: string) =>
      t.sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: to,
          RemoveFromVersionId: from,
        }),
      );
    const v1 = (await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'S1' }))).VersionId!;
    const v2 = (await put('S1b', ['AWSCURRENT', 'PUT0'])).VersionId!;
    const v3put = await put('S2', ['AWSPENDING', 'PUT1']);
    assert.deepEqual(v3put.VersionStages, ['AWSPENDING', 'PUT1']);
    const v3 = v3put.VersionId!;
    assert.deepEqual(await versions(name), [
      [v1, ['AWSPREVIOUS']],
      [v2, ['AWSCURRENT', 'PUT0']],
      [v3, ['AWSPENDING', 'PUT1']],
    ]);
    const moved = await moveCurrent(v3, v2);
    assert.deepEqual(
      Object.keys(moved)
        .filter((k) => k !== '$metadata')
        .sort(),
      ['ARN', 'Name'],
    );
    assert.deepEqual(await versions(name), [
      [v2, ['AWSPREVIOUS', 'PUT0']],
      [v3, ['AWSCURRENT', 'AWSPENDING', 'PUT1']],
    ]);
    const current = await t.sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.deepEqual(current.VersionStages, ['AWSCURRENT', 'AWSPENDING', 'PUT1']);
    const v4 = (await put('S3', ['AWSPENDING', 'PUT2'])).VersionId!;
    assert.deepEqual(await versions(name), [
      [v2, ['AWSPREVIOUS', 'PUT0']],
      [v3, ['AWSCURRENT', 'PUT1']],
      [v4, ['AWSPENDING', 'PUT2']],
    ]);
    await moveCurrent(v4, v3);
    assert.deepEqual(await versions(name), [
      [v2, ['PUT0']],
      [v3, ['AWSPREVIOUS', 'PUT1']],
      [v4, ['AWSCURRENT', 'AWSPENDING', 'PUT2']],
    ]);
    // Removing a custom label from the current version leaves AWSCURRENT alone.
    await t.sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'PUT2', RemoveFromVersionId: v4 }),
    );
    const after = await t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v4 }));
    assert.deepEqual(after.VersionStages, ['AWSCURRENT', 'AWSPENDING']);
  });

  it('GetSecretValue: a missing AWSPREVIOUS and a stage not on the version, with AWS texts', async () => {
    const name = uniqueName('gsv');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    assertSmError(
      await errorOf(() =>
        t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' })),
      ),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId, VersionStage: 'AWSPREVIOUS' }),
        ),
      ),
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    );
  });

  it('tags: absent until tagged, then listed in order, [] once all are removed', async () => {
    const name = uniqueName('tags');
    const { ARN } = await t.sm.send(new CreateSecretCommand({ Name: name }));
    assert.equal((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Tags, undefined);
    await t.sm.send(new TagResourceCommand({ SecretId: ARN, Tags: [{ Key: 'tag1', Value: 'value1' }] }));
    await t.sm.send(new TagResourceCommand({ SecretId: ARN, Tags: [{ Key: 'tag2', Value: 'value2' }] }));
    assert.deepEqual((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Tags, [
      { Key: 'tag1', Value: 'value1' },
      { Key: 'tag2', Value: 'value2' },
    ]);
    await t.sm.send(new UntagResourceCommand({ SecretId: ARN, TagKeys: ['tag1'] }));
    await t.sm.send(new UntagResourceCommand({ SecretId: ARN, TagKeys: ['tag2'] }));
    assert.deepEqual((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Tags, []);
  });

  it('keeps 100 versions without labels past AWSCURRENT and AWSPREVIOUS, however young', async () => {
    const name = uniqueName('many');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'original' }));
    for (let i = 0; i < 130; i++) {
      await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `update${i}` }));
    }
    assert.equal((await versions(name, true)).length, 102);
    assert.equal((await versions(name)).length, 2);
  });

  it('a forced delete of a scheduled secret, DescribeSecret showing DeletedDate between', async () => {
    const name = uniqueName('forced');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    await t.sm.send(new DeleteSecretCommand({ SecretId: name }));
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.ok(described.DeletedDate instanceof Date);
    const forced = await t.sm.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    );
    assert.equal(forced.Name, name);
    assert.equal(forced.ARN, described.ARN);
  });

  it('a first rotation without a function ARN changes nothing DescribeSecret shows', async () => {
    const name = uniqueName('norot');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    assertSmError(
      await errorOf(() => t.sm.send(new RotateSecretCommand({ SecretId: name }))),
      'InvalidRequestException',
      'No Lambda rotation function ARN is associated with this secret.',
    );
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.RotationEnabled, undefined);
    assert.equal(described.RotationLambdaARN, undefined);
    assert.equal(described.LastRotatedDate, undefined);
  });

  it('BatchGetSecretValue reports an impossible name and a missing secret per entry', async () => {
    const name = uniqueName('batch');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    const missing = uniqueName('batch-missing');
    const out = await t.sm.send(
      new BatchGetSecretValueCommand({ SecretIdList: [name, 'bad name', missing] }),
    );
    assert.deepEqual(
      out.SecretValues!.map((v) => [v.Name, v.SecretString]),
      [[name, 'v']],
    );
    assert.deepEqual(out.Errors, [
      { SecretId: 'bad name', ErrorCode: 'ValidationException', Message: INVALID_NAME },
      {
        SecretId: missing,
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
    ]);
  });

  it('ListSecrets answers in creation order by default, every field AWS shows and no more', async () => {
    const prefix = uniqueName('order');
    const created = [];
    for (const n of ['c', 'a', 'b']) {
      created.push(
        await t.sm.send(
          new CreateSecretCommand({
            Name: `${prefix}-${n}`,
            SecretString: n,
            Description: 'testing creation of secrets',
          }),
        ),
      );
      await advance(t.server, 1);
    }
    const { SecretList } = await t.sm.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }] }),
    );
    assert.deepEqual(
      SecretList!.map((s) => s.ARN),
      created.map((c) => c.ARN),
    );
    const entry = SecretList![0]!;
    assert.deepEqual(Object.keys(entry).sort(), [
      'ARN',
      'CreatedDate',
      'Description',
      'LastChangedDate',
      'Name',
      'SecretVersionsToStages',
    ]);
    assert.deepEqual(entry.SecretVersionsToStages, { [created[0]!.VersionId!]: ['AWSCURRENT'] });
  });

  it("a partial ARN finds its secret unless it ends like a full ARN's suffix", async () => {
    for (const [name, found] of [
      ['s-c64bdc03', true],
      ['Valid/_+=.@-Name', true],
      ['Valid/_+=.@-Name-a1b2', true],
      ['Valid/_+=.@-Name-a1b2c3-', true],
      ['Invalid/_+=.@-Name-a1b2c3', false],
    ] as const) {
      const unique = `${uniqueName('p')}/${name}`;
      const { ARN } = await t.sm.send(new CreateSecretCommand({ Name: unique, SecretString: 'my_secret' }));
      assert.equal(ARN!.split('-').at(-1)!.length, 6);
      const partial = ARN!.slice(0, -7);
      if (found) {
        const got = await t.sm.send(new GetSecretValueCommand({ SecretId: partial }));
        assert.equal(got.ARN, ARN);
      } else {
        assertSmError(
          await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: partial }))),
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      assert.equal((await t.sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString, 'my_secret');
    }
  });

  it('another account allowed by policy reaches a secret, but not a value under the default key', async () => {
    const OTHER = '444455556666';
    const other = smClient(t.server.endpoint, OTHER);
    try {
      const { ARN } = await t.sm.send(
        new CreateSecretCommand({ Name: uniqueName('xacct'), SecretString: 'secret' }),
      );
      await t.sm.send(new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: allowAccount(OTHER) }));
      assert.equal((await other.send(new DescribeSecretCommand({ SecretId: ARN }))).ARN, ARN);
      const DEFAULT_KEY =
        "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.";
      assertSmError(
        await errorOf(() => other.send(new GetSecretValueCommand({ SecretId: ARN }))),
        'InvalidRequestException',
        DEFAULT_KEY,
      );
      assertSmError(
        await errorOf(() =>
          other.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'new-secret' })),
        ),
        'InvalidRequestException',
        DEFAULT_KEY,
      );
      const sid = allowAccount(OTHER, { Sid: 'AllowCrossAccount' });
      await other.send(new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: sid }));
      const got = await other.send(new GetResourcePolicyCommand({ SecretId: ARN }));
      assert.equal(JSON.parse(got.ResourcePolicy!).Statement[0].Sid, 'AllowCrossAccount');
      assert.equal(
        (await other.send(new ListSecretVersionIdsCommand({ SecretId: ARN }))).Versions!.length,
        1,
      );
      assert.deepEqual((await other.send(new ListSecretsCommand({}))).SecretList, []);
      await other.send(new TagResourceCommand({ SecretId: ARN, Tags: [{ Key: 'tag1', Value: 'value1' }] }));
      assert.deepEqual((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Tags, [
        { Key: 'tag1', Value: 'value1' },
      ]);
      await other.send(new UntagResourceCommand({ SecretId: ARN, TagKeys: ['tag1'] }));
      assert.deepEqual((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Tags, []);
      await other.send(new DeleteSecretCommand({ SecretId: ARN, ForceDeleteWithoutRecovery: true }));
    } finally {
      other.destroy();
    }
  });

  it('another account reads, writes, deletes and restores a secret under a key it may use', async () => {
    const OTHER = '444455556667';
    const other = smClient(t.server.endpoint, OTHER);
    try {
      const policy = keyPolicy([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
        },
      ]);
      const { KeyMetadata } = await t.kms.send(
        new CreateKeyCommand({ Description: 'test-key', Policy: policy }),
      );
      const { ARN } = await t.sm.send(
        new CreateSecretCommand({
          Name: uniqueName('xkey'),
          SecretString: 'secret',
          KmsKeyId: KeyMetadata!.Arn,
        }),
      );
      await t.sm.send(
        new PutResourcePolicyCommand({
          SecretId: ARN,
          ResourcePolicy: allowAccount(OTHER),
        }),
      );
      assert.equal((await other.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString, 'secret');
      await other.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'new-secret' }));
      assert.equal(
        (await other.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString,
        'new-secret',
      );
      await other.send(
        new DeleteSecretCommand({
          SecretId: ARN,
          ForceDeleteWithoutRecovery: false,
          RecoveryWindowInDays: 7,
        }),
      );
      assert.ok((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).DeletedDate instanceof Date);
      await other.send(new RestoreSecretCommand({ SecretId: ARN }));
      assert.equal((await t.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).DeletedDate, undefined);
    } finally {
      other.destroy();
    }
  });

  it('refuses the model members for features Tideway does not keep instead of ignoring them', async () => {
    const name = uniqueName('unsupported');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    for (const call of [
      () => t.sm.send(new CreateSecretCommand({ Name: uniqueName('typed'), Type: 'external' })),
      () => t.sm.send(new UpdateSecretCommand({ SecretId: name, Type: 'external' })),
      () => smRawError('GetResourcePolicy', { SecretId: name, PolicyName: 'p' }),
    ]) {
      const err = await errorOf(call);
      assert.equal(err.name, 'InvalidRequestException', String(err));
      assert.match(err.message, /^Tideway does not support /);
    }
  });

  async function smRawError(operation: string, body: object): Promise<never> {
    const raw = await smRaw(t.server.endpoint, operation, body);
    const err = new Error(raw.body.Message);
    err.name = raw.body.__type;
    throw err;
  }
});
