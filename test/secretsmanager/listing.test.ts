import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  type Filter,
  ListSecretsCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, withSmServer } from './support.js';

// ListSecrets and BatchGetSecretValue (API Reference; Filter): name, tag-key and tag-value are
// case-sensitive prefix matches, description is not case-sensitive, `all` matches words of any
// attribute, a leading `!` negates; values of one filter are alternatives, filters all hold.
describe('Secrets Manager listing and batch reads', () => {
  const t = withSmServer();
  const prefix = uniqueName('lst');
  const names = { alpha: `${prefix}/alpha`, beta: `${prefix}/beta`, gamma: `${prefix}/Gamma` };

  async function list(filters: Filter[], extra: object = {}): Promise<string[]> {
    const { SecretList } = await t.sm.send(new ListSecretsCommand({ Filters: filters, ...extra }));
    return SecretList!.map((s) => s.Name!).sort();
  }

  it('creates the fixtures', async () => {
    await t.sm.send(
      new CreateSecretCommand({
        Name: names.alpha,
        SecretString: 'a',
        Description: 'Production database password',
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    await t.sm.send(
      new CreateSecretCommand({
        Name: names.beta,
        SecretString: 'b',
        Description: 'staging api key',
        Tags: [
          { Key: 'team', Value: 'search' },
          { Key: 'env', Value: 'staging' },
        ],
      }),
    );
    await t.sm.send(new CreateSecretCommand({ Name: names.gamma, Description: 'no value yet' }));
  });

  it('filters by name prefix (case-sensitive), with negation', async () => {
    assert.deepEqual(
      await list([{ Key: 'name', Values: [prefix] }]),
      [names.gamma, names.alpha, names.beta].sort(),
    );
    assert.deepEqual(await list([{ Key: 'name', Values: [`${prefix}/a`, `${prefix}/b`] }]), [
      names.alpha,
      names.beta,
    ]);
    assert.deepEqual(await list([{ Key: 'name', Values: [`${prefix}/g`] }]), []);
    assert.deepEqual(
      await list([
        { Key: 'name', Values: [prefix] },
        { Key: 'name', Values: [`!${prefix}/alpha`] },
      ]),
      [names.gamma, names.beta].sort(),
    );
  });

  it('filters by description (not case-sensitive), tag key and tag value', async () => {
    const mine = { Key: 'name', Values: [prefix] } as Filter;
    assert.deepEqual(await list([mine, { Key: 'description', Values: ['production'] }]), [names.alpha]);
    assert.deepEqual(await list([mine, { Key: 'description', Values: ['API'] }]), [names.beta]);
    assert.deepEqual(await list([mine, { Key: 'tag-key', Values: ['env'] }]), [names.beta]);
    assert.deepEqual(await list([mine, { Key: 'tag-value', Values: ['pay'] }]), [names.alpha]);
    assert.deepEqual(await list([mine, { Key: 'tag-value', Values: ['Pay'] }]), []);
    assert.deepEqual(await list([mine, { Key: 'all', Values: ['PAYMENTS'] }]), [names.alpha]);
    assert.deepEqual(await list([mine, { Key: 'primary-region', Values: ['us'] }]), []);
  });

  it('sorts, pages and hides secrets planned for deletion unless asked', async () => {
    const mine: Filter[] = [{ Key: 'name', Values: [prefix] }];
    const asc = await t.sm.send(new ListSecretsCommand({ Filters: mine, SortBy: 'name', SortOrder: 'asc' }));
    assert.deepEqual(
      asc.SecretList!.map((s) => s.Name),
      [names.gamma, names.alpha, names.beta],
    );
    const entry = asc.SecretList!.find((s) => s.Name === names.alpha)!;
    assert.equal(Object.values(entry.SecretVersionsToStages!)[0]![0], 'AWSCURRENT');
    assert.deepEqual(entry.Tags, [{ Key: 'team', Value: 'payments' }]);
    const first = await t.sm.send(new ListSecretsCommand({ Filters: mine, MaxResults: 2 }));
    assert.equal(first.SecretList!.length, 2);
    const second = await t.sm.send(
      new ListSecretsCommand({ Filters: mine, MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.equal(second.SecretList!.length, 1);
    assert.equal(second.NextToken, undefined);
    assertSmError(
      await errorOf(() => t.sm.send(new ListSecretsCommand({ NextToken: 'bm9wZQ==' }))),
      'InvalidNextTokenException',
    );
  });

  it('BatchGetSecretValue by ids reports each failure beside the values', async () => {
    const out = await t.sm.send(
      new BatchGetSecretValueCommand({
        SecretIdList: [names.alpha, 'missing-secret', names.gamma, names.beta],
      }),
    );
    assert.deepEqual(
      out.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages]),
      [
        [names.alpha, 'a', ['AWSCURRENT']],
        [names.beta, 'b', ['AWSCURRENT']],
      ],
    );
    assert.deepEqual(
      out.Errors!.map((e) => [e.SecretId, e.ErrorCode, e.Message]),
      [
        ['missing-secret', 'ResourceNotFoundException', "Secrets Manager can't find the specified secret."],
        [
          names.gamma,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        ],
      ],
    );
  });

  it('BatchGetSecretValue by filters, paged; ids and filters together are refused', async () => {
    const filters: Filter[] = [
      { Key: 'tag-key', Values: ['team'] },
      { Key: 'name', Values: [prefix] },
    ];
    const page = await t.sm.send(new BatchGetSecretValueCommand({ Filters: filters, MaxResults: 1 }));
    assert.equal(page.SecretValues!.length, 1);
    const rest = await t.sm.send(
      new BatchGetSecretValueCommand({ Filters: filters, NextToken: page.NextToken }),
    );
    assert.deepEqual([...page.SecretValues!, ...rest.SecretValues!].map((v) => v.SecretString).sort(), [
      'a',
      'b',
    ]);
    assertSmError(
      await errorOf(() =>
        t.sm.send(new BatchGetSecretValueCommand({ Filters: filters, SecretIdList: [names.alpha] })),
      ),
      'InvalidParameterException',
    );
    await t.sm.send(new DeleteSecretCommand({ SecretId: names.beta }));
    const afterDelete = await t.sm.send(new BatchGetSecretValueCommand({ Filters: filters }));
    assert.deepEqual(
      afterDelete.SecretValues!.map((v) => v.Name),
      [names.alpha],
    );
    const byId = await t.sm.send(new BatchGetSecretValueCommand({ SecretIdList: [names.beta] }));
    assert.equal(byId.Errors![0]!.ErrorCode, 'InvalidRequestException');
  });
});
