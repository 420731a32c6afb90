import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, withSmServer } from './support.js';

// PutSecretValue's VersionStages and UpdateSecretVersionStage (API Reference; AWS's recorded
// answers): each label sits on one version; moving AWSCURRENT drags AWSPREVIOUS to the version it
// left; AWSCURRENT can be moved but never removed; a label on another version must be named in
// RemoveFromVersionId.
describe('Secrets Manager staging labels', () => {
  const t = withSmServer();

  async function stagesOf(name: string, includeDeprecated = false) {
    const { Versions } = await t.sm.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: includeDeprecated }),
    );
    return Object.fromEntries(Versions!.map((v) => [v.VersionId!, v.VersionStages ?? []]));
  }

  /** A secret whose first value ('a') is AWSCURRENT and whose second ('b') waits as AWSPENDING. */
  async function withPendingVersion(name: string) {
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'a' }));
    const v2 = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'b', VersionStages: ['AWSPENDING'] }),
    );
    return { v1, v2 };
  }

  /** Moves AWSCURRENT from one version to another, as the end of a rotation does. */
  function moveCurrent(name: string, to: string, from: string) {
    return t.sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: to,
        RemoveFromVersionId: from,
      }),
    );
  }

  it('custom labels on a new version leave AWSCURRENT where it was, and move off older versions', async () => {
    const name = uniqueName('labels');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v0' }));
    const v2 = await t.sm.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: 'v1',
        VersionStages: ['one', 'two', 'three'],
      }),
    );
    assert.deepEqual(v2.VersionStages, ['one', 'three', 'two']);
    const v3 = await t.sm.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: 'v2',
        VersionStages: ['one', 'two', 'three', 'four'],
      }),
    );
    assert.deepEqual(v3.VersionStages, ['four', 'one', 'three', 'two']);
    assert.deepEqual(await stagesOf(name), {
      [v1.VersionId!]: ['AWSCURRENT'],
      [v3.VersionId!]: ['four', 'one', 'three', 'two'],
    });
    const current = await t.sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(current.SecretString, 'v0');
    const pending = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'p', VersionStages: ['AWSPENDING'] }),
    );
    const got = await t.sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' }));
    assert.equal(got.VersionId, pending.VersionId);
  });

  it('moves AWSCURRENT with UpdateSecretVersionStage, AWSPREVIOUS following', async () => {
    const name = uniqueName('move');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'SS' }));
    const v2 = await t.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'S1', VersionStages: ['PENDING'] }),
    );
    const moved = await moveCurrent(name, v2.VersionId!, v1.VersionId!);
    assert.deepEqual({ ARN: moved.ARN, Name: moved.Name }, { ARN: v1.ARN, Name: name });
    assert.deepEqual(await stagesOf(name), {
      [v1.VersionId!]: ['AWSPREVIOUS'],
      [v2.VersionId!]: ['AWSCURRENT', 'PENDING'],
    });
    await t.sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'PENDING',
        RemoveFromVersionId: v2.VersionId,
      }),
    );
    assert.deepEqual(await stagesOf(name), {
      [v1.VersionId!]: ['AWSPREVIOUS'],
      [v2.VersionId!]: ['AWSCURRENT'],
    });
  });

  it('a new value after a finished rotation takes AWSPENDING off the old current version', async () => {
    const name = uniqueName('pending');
    const { v1, v2 } = await withPendingVersion(name);
    await moveCurrent(name, v2.VersionId!, v1.VersionId!);
    assert.deepEqual(await stagesOf(name), {
      [v1.VersionId!]: ['AWSPREVIOUS'],
      [v2.VersionId!]: ['AWSCURRENT', 'AWSPENDING'],
    });
    const v3 = await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'c' }));
    assert.deepEqual(v3.VersionStages, ['AWSCURRENT']);
    assert.deepEqual(await stagesOf(name), {
      [v2.VersionId!]: ['AWSPREVIOUS'],
      [v3.VersionId!]: ['AWSCURRENT'],
    });
  });

  it('checks RemoveFromVersionId, and never lets AWSCURRENT go', async () => {
    const name = uniqueName('checks');
    const { v1, v2 } = await withPendingVersion(name);
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: v2.VersionId,
          }),
        ),
      ),
      'InvalidParameterException',
      `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            RemoveFromVersionId: v1.VersionId,
          }),
        ),
      ),
      'InvalidParameterException',
      "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.",
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSPENDING',
            RemoveFromVersionId: v1.VersionId,
          }),
        ),
      ),
      'InvalidParameterException',
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'X',
            MoveToVersionId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
          }),
        ),
      ),
      'ResourceNotFoundException',
    );
    // Nothing changed.
    assert.deepEqual(await stagesOf(name), {
      [v1.VersionId!]: ['AWSCURRENT'],
      [v2.VersionId!]: ['AWSPENDING'],
    });
  });

  it('lists versions without labels only with IncludeDeprecated', async () => {
    const name = uniqueName('deprecated');
    const v1 = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: '1' }));
    const v2 = await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: '2' }));
    const v3 = await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: '3' }));
    const v4 = await t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: '4' }));
    assert.deepEqual(await stagesOf(name), {
      [v3.VersionId!]: ['AWSPREVIOUS'],
      [v4.VersionId!]: ['AWSCURRENT'],
    });
    assert.deepEqual(await stagesOf(name, true), {
      [v1.VersionId!]: [],
      [v2.VersionId!]: [],
      [v3.VersionId!]: ['AWSPREVIOUS'],
      [v4.VersionId!]: ['AWSCURRENT'],
    });
  });
});
