import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { advance, errorOf, serverNow, uniqueName } from '../support/tideway.js';
import { assertSmError, withSmServer } from './support.js';

const DAY = 86_400_000;
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

// DeleteSecret (API Reference): a recovery window of 7 to 30 days, 30 by default, during which
// the secret is described but refuses reads and writes, and RestoreSecret brings it back; or
// ForceDeleteWithoutRecovery, never both. After the window the secret is gone and its name free.
describe('Secrets Manager deletion and restore', () => {
  const t = withSmServer();

  it('schedules deletion 30 days out by default, refuses use meanwhile, and restores', async () => {
    const name = uniqueName('del');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const now = await serverNow(t.server);
    const deleted = await t.sm.send(new DeleteSecretCommand({ SecretId: name }));
    const due = deleted.DeletionDate!.getTime() - now;
    assert.ok(Math.abs(due - 30 * DAY) < 60_000, `deletion in ${due} ms`);
    const described = await t.sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.ok(described.DeletedDate instanceof Date);
    for (const call of [
      () => t.sm.send(new GetSecretValueCommand({ SecretId: name })),
      () => t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'y' })),
      () => t.sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'd' })),
      () => t.sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] })),
      () => t.sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['k'] })),
      () => t.sm.send(new DeleteSecretCommand({ SecretId: name })),
    ]) {
      assertSmError(await errorOf(call), 'InvalidRequestException', MARKED);
    }
    assertSmError(
      await errorOf(() => t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))),
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
    const listed = await t.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }));
    assert.equal(listed.SecretList!.length, 0);
    const planned = await t.sm.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }], IncludePlannedDeletion: true }),
    );
    assert.equal(planned.SecretList!.length, 1);
    const restored = await t.sm.send(new RestoreSecretCommand({ SecretId: name }));
    assert.equal(restored.Name, name);
    const got = await t.sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(got.SecretString, 'x');
    assert.equal((await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate, undefined);
  });

  it('is gone when the recovery window ends on the clock, and the name is free again', async () => {
    const name = uniqueName('window');
    const first = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    await t.sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    await advance(t.server, 6 * 86_400);
    assert.ok((await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate);
    await advance(t.server, 86_400 + 60);
    assertSmError(
      await errorOf(() => t.sm.send(new DescribeSecretCommand({ SecretId: name }))),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
    const second = await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'y' }));
    assert.notEqual(second.ARN, first.ARN, 'a new secret gets a new ARN suffix');
  });

  it('force deletes at once, even a secret already scheduled', async () => {
    const name = uniqueName('force');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    await t.sm.send(new DeleteSecretCommand({ SecretId: name }));
    const forced = await t.sm.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    );
    assert.ok(forced.DeletionDate instanceof Date);
    assertSmError(
      await errorOf(() => t.sm.send(new DescribeSecretCommand({ SecretId: name }))),
      'ResourceNotFoundException',
    );
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'again' }));
  });

  it('refuses a window out of range and a window with ForceDeleteWithoutRecovery', async () => {
    const name = uniqueName('bad');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    for (const days of [6, 31]) {
      assertSmError(
        await errorOf(() =>
          t.sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: days })),
        ),
        'InvalidParameterException',
        'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      );
    }
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new DeleteSecretCommand({
            SecretId: name,
            RecoveryWindowInDays: 7,
            ForceDeleteWithoutRecovery: true,
          }),
        ),
      ),
      'InvalidParameterException',
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
    assert.equal((await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate, undefined);
  });
});
