import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { KeyFacts, KeyFailure } from '../../src/services/kms/front-door.js';
import { Keyring } from '../../src/services/kms/keyring.js';
import { MasterKey } from '../../src/services/kms/master-key.js';
import { Journal } from '../../src/storage/embedded/journal.js';
import { keyPolicy } from '../support/kms.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

function keyring(): Keyring {
  return new Keyring(undefined, new Clock(), MasterKey.load(undefined, {}), createLogger('silent'));
}

function customerKey(ring: Keyring, policy?: string): KeyFacts {
  const key = ring.newKey({
    account: ACCOUNT,
    region: REGION,
    description: '',
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    manager: 'CUSTOMER',
    multiRegion: false,
    state: 'Enabled',
    policy: policy ?? keyPolicy([], ACCOUNT),
    tags: [],
  });
  ring.stage(ring.keys, key.arn, key);
  return ring.describe(key.arn, { account: ACCOUNT, region: REGION }) as KeyFacts;
}

function failed(result: KeyFacts | KeyFailure | { ok: boolean }): KeyFailure {
  assert.equal(result.ok, false);
  return result as KeyFailure;
}

// The front door runs what KMS runs for the same call: the key, its state, then its key policy
// (AWS KMS Developer Guide, "AWS managed keys": their policy allows use only through the service,
// kms:ViaService, by principals of the account, kms:CallerAccount).
describe('KMS front door', () => {
  it('creates an AWS-managed key once per service, account and region', () => {
    const ring = keyring();
    const first = ring.awsManagedKey('sqs', ACCOUNT, REGION);
    assert.equal(first.manager, 'AWS');
    assert.equal(ring.awsManagedKey('sqs', ACCOUNT, REGION).arn, first.arn);
    assert.notEqual(ring.awsManagedKey('sns', ACCOUNT, REGION).arn, first.arn);
    assert.notEqual(ring.awsManagedKey('sqs', ACCOUNT, 'eu-west-1').arn, first.arn);
    const byAlias = ring.describe('alias/aws/sqs', { account: ACCOUNT, region: REGION });
    assert.equal(byAlias.ok && byAlias.arn, first.arn);
  });

  it('lets a service use its AWS-managed key for the account, and nobody else', () => {
    const ring = keyring();
    const key = ring.awsManagedKey('sqs', ACCOUNT, REGION);
    const via = { account: ACCOUNT, region: REGION, viaService: `sqs.${REGION}.amazonaws.com` };
    assert.equal(ring.check('alias/aws/sqs', 'kms:GenerateDataKey', via).ok, true);
    const sealed = ring.encrypt(key.arn, Buffer.from('hi'), { a: 'b' }, via);
    assert.ok(sealed.ok);
    const opened = ring.decrypt(sealed.blob, { a: 'b' }, via);
    assert.ok(opened.ok);
    assert.equal(opened.plaintext.toString(), 'hi');

    // Directly, with the account's own credentials: no kms:ViaService.
    const direct = failed(ring.check(key.arn, 'kms:Encrypt', { account: ACCOUNT, region: REGION }));
    assert.equal(direct.code, 'AccessDeniedException');
    assert.equal(
      direct.message,
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: kms:Encrypt on resource: ${key.arn} because no resource-based policy allows the kms:Encrypt action`,
    );
    // Through another service, or as a service principal: refused too.
    assert.equal(
      failed(ring.check(key.arn, 'kms:Encrypt', { ...via, viaService: `sns.${REGION}.amazonaws.com` })).code,
      'AccessDeniedException',
    );
    const sns = { account: ACCOUNT, region: REGION, principal: 'sns.amazonaws.com', sourceAccount: ACCOUNT };
    assert.equal(failed(ring.check(key.arn, 'kms:GenerateDataKey', sns)).code, 'AccessDeniedException');
    // Another account through the right service: kms:CallerAccount does not match.
    assert.equal(
      failed(ring.decrypt(sealed.blob, { a: 'b' }, { ...via, account: '444455556666' })).code,
      'AccessDeniedException',
    );
  });

  it('gives each service the uses its AWS-managed key policy lists', () => {
    const ring = keyring();
    const sns = ring.awsManagedKey('sns', ACCOUNT, REGION);
    const viaSns = { account: ACCOUNT, region: REGION, viaService: `sns.${REGION}.amazonaws.com` };
    // aws/sns allows SNS data keys and decryption, not Encrypt.
    assert.equal(ring.check(sns.arn, 'kms:GenerateDataKey', viaSns).ok, true);
    assert.equal(ring.check(sns.arn, 'kms:Decrypt', viaSns).ok, true);
    assert.equal(failed(ring.check(sns.arn, 'kms:Encrypt', viaSns)).code, 'AccessDeniedException');
    // aws/secretsmanager: data keys through Secrets Manager in any region, the rest in its own.
    const sm = ring.awsManagedKey('secretsmanager', ACCOUNT, REGION);
    const elsewhere = {
      account: ACCOUNT,
      region: REGION,
      viaService: 'secretsmanager.eu-west-1.amazonaws.com',
    };
    assert.equal(ring.check(sm.arn, 'kms:GenerateDataKey', elsewhere).ok, true);
    assert.equal(failed(ring.check(sm.arn, 'kms:Encrypt', elsewhere)).code, 'AccessDeniedException');
  });

  it('lets a service principal use a customer key only when its policy names it, with its conditions', () => {
    const ring = keyring();
    const plain = customerKey(ring);
    const sns = {
      account: ACCOUNT,
      region: REGION,
      principal: 'sns.amazonaws.com',
      sourceArn: `arn:aws:sns:${REGION}:${ACCOUNT}:orders`,
      sourceAccount: ACCOUNT,
    };
    assert.equal(failed(ring.check(plain.arn, 'kms:GenerateDataKey', sns)).code, 'AccessDeniedException');
    assert.equal(ring.check(plain.arn, 'kms:GenerateDataKey', { account: ACCOUNT, region: REGION }).ok, true);

    const named = customerKey(
      ring,
      keyPolicy(
        [
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:${REGION}:${ACCOUNT}:orders` } },
          },
        ],
        ACCOUNT,
      ),
    );
    assert.equal(ring.check(named.arn, 'kms:GenerateDataKey', sns).ok, true);
    assert.equal(
      failed(
        ring.check(named.arn, 'kms:GenerateDataKey', {
          ...sns,
          sourceArn: `arn:aws:sns:${REGION}:${ACCOUNT}:other`,
        }),
      ).code,
      'AccessDeniedException',
    );
    assert.equal(failed(ring.check(named.arn, 'kms:Encrypt', sns)).code, 'AccessDeniedException');
  });

  it('honours a grant to a service principal, within its constraints', () => {
    const ring = keyring();
    const facts = customerKey(ring);
    const sns = { account: ACCOUNT, region: REGION, principal: 'sns.amazonaws.com' };
    assert.equal(failed(ring.check(facts.arn, 'kms:GenerateDataKey', sns)).code, 'AccessDeniedException');
    ring.stage(ring.grants, 'g1', {
      grantId: 'g1',
      grantToken: 't1',
      keyArn: facts.arn,
      keyId: facts.keyId,
      account: ACCOUNT,
      region: REGION,
      granteePrincipal: 'sns.amazonaws.com',
      issuingAccount: ACCOUNT,
      operations: ['GenerateDataKey', 'Decrypt'],
      constraints: { EncryptionContextSubset: { topic: 'orders' } },
      createdAt: 0,
    });
    const data = ring.generateDataKey(facts.arn, { topic: 'orders', extra: 'x' }, sns);
    assert.ok(data.ok);
    assert.equal(
      failed(ring.generateDataKey(facts.arn, { topic: 'other' }, sns)).code,
      'AccessDeniedException',
    );
    assert.equal(failed(ring.check(facts.arn, 'kms:Encrypt', sns)).code, 'AccessDeniedException');
    const opened = ring.decrypt(data.blob, { topic: 'orders', extra: 'x' }, sns);
    assert.ok(opened.ok);
    assert.deepEqual(opened.plaintext, data.plaintext);
  });

  it('checks the state before the key policy', () => {
    const ring = keyring();
    const facts = customerKey(ring);
    const record = ring.keys.get(facts.arn)!;
    ring.stage(ring.keys, facts.arn, { ...record, state: 'Disabled' });
    const sns = { account: ACCOUNT, region: REGION, principal: 'sns.amazonaws.com' };
    const refused = failed(ring.check(facts.arn, 'kms:Encrypt', sns));
    assert.equal(refused.code, 'DisabledException');
    assert.equal(refused.message, `${facts.arn} is disabled.`);
  });

  it('resolves names as KMS does, with its NotFoundException texts', () => {
    const ring = keyring();
    const user = { account: ACCOUNT, region: REGION };
    assert.equal(failed(ring.describe('nope', user)).message, "Invalid keyId 'nope'");
    assert.equal(
      failed(ring.describe('alias/missing', user)).message,
      `Alias arn:aws:kms:${REGION}:${ACCOUNT}:alias/missing is not found.`,
    );
    const id = '0b0b0b0b-1111-2222-3333-444444444444';
    assert.equal(
      failed(ring.describe(id, user)).message,
      `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`,
    );
  });

  it("writes the AWS-managed key it creates to the journal, durable with the caller's commit", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-kms-unit-'));
    try {
      const master = MasterKey.load(dir, {});
      let journal = new Journal(dir);
      let ring = new Keyring(journal, new Clock(), master, createLogger('silent'));
      const created = ring.awsManagedKey('sqs', ACCOUNT, REGION);
      const via = { account: ACCOUNT, region: REGION, viaService: `sqs.${REGION}.amazonaws.com` };
      const sealed = ring.encrypt('alias/aws/sqs', Buffer.from('kept'), undefined, via);
      assert.ok(sealed.ok);
      // The calling service's own commit makes the staged key durable.
      await journal.commit();
      journal.close();

      journal = new Journal(dir);
      ring = new Keyring(journal, new Clock(), MasterKey.load(dir, {}), createLogger('silent'));
      assert.equal(ring.awsManagedKey('sqs', ACCOUNT, REGION).arn, created.arn);
      const opened = ring.decrypt(sealed.blob, undefined, via);
      assert.ok(opened.ok);
      assert.equal(opened.plaintext.toString(), 'kept');
      journal.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
