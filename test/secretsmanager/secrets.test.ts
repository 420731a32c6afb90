import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, smRaw, withSmServer } from './support.js';

const TOKEN_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const TOKEN_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

// Secrets Manager API Reference (CreateSecret, GetSecretValue, PutSecretValue, UpdateSecret,
// DescribeSecret) and AWS's recorded answers: names of letters, digits and -/_+=.@!, ARNs with a
// 6-character suffix, AWSCURRENT on the first version, AWSPREVIOUS following the old current one.
describe('Secrets Manager secrets and values', () => {
  const t = withSmServer();

  it('creates a secret, reads it back by name, ARN and partial ARN, and describes it', async () => {
    const name = uniqueName('app/db');
    const created = await t.sm.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: 'my_secret',
        Description: 'Testing secret creation.',
      }),
    );
    assert.match(
      created.ARN!,
      new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-[A-Za-z0-9]{6}$`),
    );
    assert.equal(created.Name, name);
    assert.ok(created.VersionId);
    for (const id of [name, created.ARN!, created.ARN!.slice(0, -7)]) {
      const got = await t.sm.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(got.SecretString, 'my_secret');
      assert.equal(got.VersionId, created.VersionId);
      assert.deepEqual(got.VersionStages, ['AWSCURRENT']);
      assert.equal(got.ARN, created.ARN);
      assert.ok(got.CreatedDate instanceof Date);
    }
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.Description, 'Testing secret creation.');
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'] });
    assert.equal(described.KmsKeyId, undefined, 'the AWS-managed key is not shown');
    assert.equal(described.RotationEnabled, undefined);
    assert.equal(described.Tags, undefined);
    // LastAccessedDate is a date: midnight UTC of the day of the read.
    assert.equal(described.LastAccessedDate!.getTime() % 86_400_000, 0);
    assert.ok(described.LastChangedDate instanceof Date);
  });

  it('keeps binary secrets as bytes', async () => {
    const name = uniqueName('bin');
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const got = await t.sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.deepEqual(Buffer.from(got.SecretBinary!), Buffer.from(bytes));
    assert.equal(got.SecretString, undefined);
  });

  it('moves AWSCURRENT to each new value and AWSPREVIOUS to the one before', async () => {
    const name = uniqueName('rot');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }));
    const v2 = await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }));
    assert.deepEqual(v2.VersionStages, ['AWSCURRENT']);
    const v3 = await t.sm.send(
      new UpdateSecretCommand({ SecretId: name, SecretString: 'three', Description: 'd' }),
    );
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.deepEqual(described.VersionIdsToStages, {
      [v2.VersionId!]: ['AWSPREVIOUS'],
      [v3.VersionId!]: ['AWSCURRENT'],
    });
    assert.equal(described.Description, 'd');
    const previous = await t.sm.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    );
    assert.equal(previous.SecretString, 'two');
    // The first version lost every label: deprecated, still readable by id, hidden from the list.
    const old = await t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId }));
    assert.equal(old.SecretString, 'one');
    assert.equal(old.VersionStages, undefined);
    const listed = await t.sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    assert.deepEqual(
      listed.Versions!.map((v) => v.VersionId),
      [v2.VersionId, v3.VersionId],
    );
    assert.deepEqual(listed.Versions![0]!.KmsKeyIds, ['DefaultEncryptionKey']);
    const all = await t.sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    assert.equal(all.Versions!.length, 3);
    assert.equal(all.Versions![0]!.VersionStages, undefined);
    const paged = await t.sm.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 2 }),
    );
    assert.equal(paged.Versions!.length, 2);
    const rest = await t.sm.send(
      new ListSecretVersionIdsCommand({
        SecretId: name,
        IncludeDeprecated: true,
        NextToken: paged.NextToken,
      }),
    );
    assert.deepEqual(
      rest.Versions!.map((v) => v.VersionId),
      [v3.VersionId],
    );
    assert.equal(rest.NextToken, undefined);
  });

  it('an UpdateSecret without a value changes the description and makes no version', async () => {
    const name = uniqueName('desc');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const updated = await t.sm.send(
      new UpdateSecretCommand({ SecretId: name, Description: 'MyDescription' }),
    );
    assert.equal(updated.VersionId, undefined);
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.Description, 'MyDescription');
    assert.equal(Object.keys(described.VersionIdsToStages!).length, 1);
  });

  it('a secret without a value has no version until PutSecretValue makes the first one AWSCURRENT', async () => {
    const name = uniqueName('empty');
    const created = await t.sm.send(new CreateSecretCommand({ Name: name }));
    assert.equal(created.VersionId, undefined);
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.VersionIdsToStages, undefined);
    assertSmError(
      await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name }))),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );
    const put = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'v', VersionStages: ['X'] }),
    );
    assert.deepEqual(put.VersionStages, ['AWSCURRENT', 'X']);
  });

  it('retries with the same token and value get the same answer; another value is refused', async () => {
    const name = uniqueName('idem');
    const first = await t.sm.send(
      new CreateSecretCommand({ Name: name, SecretString: 's', ClientRequestToken: TOKEN_A }),
    );
    const again = await t.sm.send(
      new CreateSecretCommand({ Name: name, SecretString: 's', ClientRequestToken: TOKEN_A }),
    );
    assert.deepEqual([again.ARN, again.VersionId], [first.ARN, TOKEN_A]);
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new CreateSecretCommand({ Name: name, SecretString: 'other', ClientRequestToken: TOKEN_A }),
        ),
      ),
      'ResourceExistsException',
      "You can't modify an existing version, you can only create a new version.",
    );
    assertSmError(
      await errorOf(() => t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 's' }))),
      'ResourceExistsException',
      `The operation failed because the secret ${name} already exists.`,
    );
    const put1 = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'n', ClientRequestToken: TOKEN_B }),
    );
    const put2 = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'n', ClientRequestToken: TOKEN_B }),
    );
    assert.equal(put2.VersionId, put1.VersionId);
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new PutSecretValueCommand({
            SecretId: name,
            SecretBinary: Buffer.from('n'),
            ClientRequestToken: TOKEN_B,
          }),
        ),
      ),
      'ResourceExistsException',
    );
  });

  it('refuses bad names, two values at once, and a missing ClientRequestToken', async () => {
    for (const bad of ['Inv Name', ' Inv*Name? ', 'a#b']) {
      assertSmError(
        await errorOf(() => t.sm.send(new CreateSecretCommand({ Name: bad, SecretString: 'x' }))),
        'ValidationException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new CreateSecretCommand({
            Name: uniqueName('two'),
            SecretString: 'x',
            SecretBinary: Buffer.from('y'),
          }),
        ),
      ),
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
    const raw = await smRaw(t.server.endpoint, 'CreateSecret', {
      Name: uniqueName('tok'),
      SecretString: 'x',
    });
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.body, {
      __type: 'InvalidRequestException',
      Message: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
    });
    const tooShort = await smRaw(t.server.endpoint, 'GetSecretValue', { SecretId: '' });
    assert.equal(tooShort.body.__type, 'ValidationException');
    assert.match(
      tooShort.body.Message,
      /^1 validation error detected: Value '' at 'secretId' failed to satisfy constraint/,
    );
  });

  it('answers AWS texts for missing secrets, versions and labels', async () => {
    for (const call of [
      () => t.sm.send(new GetSecretValueCommand({ SecretId: 'does-not-exist' })),
      () => t.sm.send(new ListSecretVersionIdsCommand({ SecretId: 'does-not-exist' })),
      () =>
        t.sm.send(
          new DescribeSecretCommand({
            SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-abcdef',
          }),
        ),
    ]) {
      assertSmError(await errorOf(call), 'ResourceNotFoundException', NOT_FOUND);
    }
    const name = uniqueName('errs');
    const { VersionId } = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    assertSmError(
      await errorOf(() =>
        t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' })),
      ),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId, VersionStage: 'AWSPENDING' })),
      ),
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    );
    assertSmError(
      await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: TOKEN_B }))),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${TOKEN_B}`,
    );
  });
});
