import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mskScramSecretRule } from '../../../src/knowhow/rules/msk-scram-secret.js';
import { base, context, model, ref } from '../../support/knowhow-model.js';
import { association, cluster, secret } from './rules-builders.js';

const check = (m: ReturnType<typeof model>, c = context()) => mskScramSecretRule.check(m, c);

/** The MSKSampleStack shape: a SCRAM cluster, a secret, and the BatchScramSecret between them. */
function sample(secretFields: Parameters<typeof secret>[1]) {
  return model({
    clusters: [cluster('MSKCluster', { scram: true, iam: true })],
    secrets: [secret('CredentialsSecret', { origin: { file: 'v08.yml', line: 354 }, ...secretFields })],
    scramAssociations: [association('SecretMSKAssociation', ref('MSKCluster'), [ref('CredentialsSecret')])],
  });
}

describe('msk-scram-secret', () => {
  it('does not fire on the sample: AmazonMSK_ name and a customer key', () => {
    assert.deepEqual(check(sample({ name: 'AmazonMSK_Credentials', kmsKey: ref('CredentialsKMSKey') })), []);
  });

  it('fires on a secret under the default key (corpus v08), on the secret', () => {
    const findings = check(sample({ name: 'AmazonMSK_Credentials', kmsKey: 'alias/aws/secretsmanager' }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'msk-scram-secret');
    assert.equal(findings[0]?.severity, 'error');
    assert.equal(findings[0]?.resource, 'CredentialsSecret');
    assert.equal(findings[0]?.line, 354);
    assert.match(
      findings[0]?.message ?? '',
      /CredentialsSecret, associated with MSKCluster .*default key alias\/aws\/secretsmanager/,
    );
    assert.match(findings[0]?.fix ?? '', /AmazonMSK_/);
  });

  it('fires on a secret without the AmazonMSK_ prefix (corpus v09)', () => {
    const findings = check(sample({ name: 'MSK_Credentials', kmsKey: ref('CredentialsKMSKey') }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /is named MSK_Credentials, without the AmazonMSK_ prefix/);
  });

  it('fires once, with both problems, on a secret with no name and no key', () => {
    const findings = check(sample({}));
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]?.message ?? '',
      /has no Name.* and is encrypted with the default aws\/secretsmanager key/,
    );
  });

  it('fires on a live secret whose key id or key ARN designates an AWS managed key, not a customer one', () => {
    const keyArn = (id: string) => `arn:aws:kms:us-east-1:000000000000:key/${id}`;
    const liveKey = (id: string, manager: string, aliases: string[]) => ({
      ...base(keyArn(id), 'AWS::KMS::Key'),
      arn: keyArn(id),
      attributes: { KeyId: id, KeyManager: manager },
      policy: null,
      aliases,
    });
    const m = model(
      {
        clusters: [cluster('C', { scram: true })],
        keys: [
          liveKey('1111', 'AWS', ['alias/aws/secretsmanager']),
          liveKey('2222', 'CUSTOMER', ['alias/orders']),
        ],
        secrets: [
          secret('ById', { name: 'AmazonMSK_a', kmsKey: '1111' }),
          secret('ByArn', { name: 'AmazonMSK_b', kmsKey: keyArn('1111') }),
          secret('Customer', { name: 'AmazonMSK_c', kmsKey: '2222' }),
          secret('CustomerAlias', { name: 'AmazonMSK_d', kmsKey: 'alias/orders' }),
        ],
        scramAssociations: [
          association('Assoc', ref('C'), [ref('ById'), ref('ByArn'), ref('Customer'), ref('CustomerAlias')]),
        ],
      },
      'live',
    );
    const findings = check(m);
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['ById', 'ByArn'],
    );
    assert.match(findings[0]?.message ?? '', /AWS managed key 1111 \(alias\/aws\/secretsmanager\)/);
  });

  it('fires on the association for a literal secret ARN whose name lacks the prefix', () => {
    const m = model({
      clusters: [cluster('C', { scram: true })],
      scramAssociations: [
        association('Assoc', ref('C'), [
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-users-AbCdEf',
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_orders-AbCdEf',
        ]),
      ],
    });
    const c = context();
    const findings = check(m, c);
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['Assoc'],
    );
    assert.match(findings[0]?.message ?? '', /Secret orders-users/);
    // The well-named one's key cannot be seen.
    assert.match(c.notes[0]?.message ?? '', /outside the template; its key is not known/);
  });

  it('explains an unknown name, key or secret instead of guessing', () => {
    const c = context();
    const m = model({
      secrets: [
        secret('S', {
          name: { $unknown: 'parameter Name', param: 'Name' },
          kmsKey: { $unknown: 'parameter Key' },
        }),
      ],
      scramAssociations: [association('A', ref('C'), [ref('S'), { $unknown: 'parameter OtherSecret' }])],
    });
    assert.deepEqual(check(m, c), []);
    const text = c.notes.map((n) => n.message).join('\n');
    assert.match(text, /name of S is not known/);
    assert.match(text, /KMS key of S is not known/);
    assert.match(text, /secret associated by A is not known/);
  });

  it('explains a SCRAM cluster whose associations are not visible', () => {
    const c = context();
    assert.deepEqual(check(model({ clusters: [cluster('C', { scram: true })] }), c), []);
    assert.match(c.notes[0]?.message ?? '', /C uses SASL\/SCRAM but no secret association is visible/);
  });

  it('is silenced by Metadata ignore on the secret or on the association', () => {
    const onSecret = sample({ name: 'MSK_Credentials', ignore: ['msk-scram-secret'] });
    assert.deepEqual(check(onSecret), []);
    const onAssociation = sample({ name: 'MSK_Credentials' });
    onAssociation.scramAssociations[0]?.ignore.push('msk-scram-secret');
    assert.deepEqual(check(onAssociation), []);
  });
});
