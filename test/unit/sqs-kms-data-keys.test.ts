import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { KeyFacts, KeyFailure, KeyFrontDoor } from '../../src/services/kms/front-door.js';
import { QueueEncryption } from '../../src/services/sqs/encryption.js';
import type { QueueRecord } from '../../src/storage/types.js';

const KEY: KeyFacts = {
  ok: true,
  keyId: 'k1',
  arn: 'arn:aws:kms:us-east-1:000000000000:key/k1',
  account: '000000000000',
  region: 'us-east-1',
  manager: 'CUSTOMER',
  state: 'Enabled',
};

/** A KMS that counts its calls and can be switched off; data keys are wrapped trivially (the blob is the key). */
function countingKms() {
  const calls = { generate: 0, decrypt: 0, check: 0 };
  let refusal: KeyFailure | undefined;
  const kms: KeyFrontDoor = {
    describe: () => KEY,
    awsManagedKey: () => KEY,
    check: () => {
      calls.check++;
      return refusal ?? KEY;
    },
    encrypt: () => ({ ok: true, blob: Buffer.alloc(0), key: KEY }),
    decrypt: (blob) => {
      calls.decrypt++;
      return refusal ?? { ok: true, plaintext: Buffer.from(blob), key: KEY };
    },
    generateDataKey: () => {
      calls.generate++;
      if (refusal) return refusal;
      const plaintext = randomBytes(32);
      return { ok: true, plaintext, blob: Buffer.from(plaintext), key: KEY };
    },
  };
  return {
    kms,
    calls,
    refuse: (f: KeyFailure | undefined) => {
      refusal = f;
    },
  };
}

function queue(attributes: Record<string, string>): QueueRecord {
  return {
    id: 'q',
    account: '000000000000',
    region: 'us-east-1',
    name: 'q',
    arn: 'arn:aws:sqs:us-east-1:000000000000:q',
    fifo: false,
    attributes,
    tags: {},
    createdAt: 0,
    modifiedAt: 0,
  };
}

describe("SQS's data keys", () => {
  it('asks KMS once per reuse period, however many messages are sent', () => {
    const clock = new Clock();
    clock.freeze();
    const { kms, calls } = countingKms();
    const sse = new QueueEncryption(kms, clock, createLogger('silent'), true);
    const q = queue({ KmsMasterKeyId: 'k1', KmsDataKeyReusePeriodSeconds: '60' });
    for (let i = 0; i < 1000; i++) sse.sendingKey(q);
    assert.equal(calls.generate, 1);
    clock.advance(59_999);
    sse.sendingKey(q);
    assert.equal(calls.generate, 1);
    clock.advance(1);
    sse.sendingKey(q);
    assert.equal(calls.generate, 2);
  });

  it('keeps each service principal and source on a data key of its own', () => {
    const clock = new Clock();
    const { kms, calls } = countingKms();
    const sse = new QueueEncryption(kms, clock, createLogger('silent'), false);
    const q = queue({ KmsMasterKeyId: 'k1' });
    const origin = (topic: string) => ({
      principal: 'sns.amazonaws.com',
      sourceArn: `arn:aws:sns:us-east-1:000000000000:${topic}`,
      sourceAccount: '000000000000',
    });
    for (let i = 0; i < 100; i++) {
      assert.equal(sse.deliveryRefusal(q, origin('a')).refusal, undefined);
      assert.equal(sse.deliveryRefusal(q, origin('b')).refusal, undefined);
    }
    sse.sendingKey(q);
    assert.equal(calls.generate, 3);
    // A principal's data key was also opened (kms:Decrypt under the queue's context), once.
    assert.equal(calls.decrypt, 2);
    assert.equal(calls.check, 0);
  });

  it('seals only for a journal, and opens what it sealed', () => {
    const clock = new Clock();
    const { kms } = countingKms();
    const q = queue({ KmsMasterKeyId: 'k1' });
    const inMemory = new QueueEncryption(kms, clock, createLogger('silent'), false);
    assert.equal(inMemory.seal(inMemory.sendingKey(q), 'body'), undefined);
    const journaled = new QueueEncryption(kms, clock, createLogger('silent'), true);
    const sealed = journaled.seal(journaled.sendingKey(q), 'héllo wörld')!;
    assert.doesNotMatch(sealed, /llo/);
    // A fresh instance, as after a restart: the blob goes back to KMS.
    assert.equal(
      new QueueEncryption(kms, clock, createLogger('silent'), true).open(q, sealed),
      'héllo wörld',
    );
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.throws(() => journaled.open(q, tampered), { code: 'KmsAccessDenied' });
  });

  it('does not remember a refusal: the next call asks KMS again', () => {
    const clock = new Clock();
    const { kms, calls, refuse } = countingKms();
    const sse = new QueueEncryption(kms, clock, createLogger('silent'), false);
    const q = queue({ KmsMasterKeyId: 'k1' });
    refuse({ ok: false, code: 'DisabledException', message: `${KEY.arn} is disabled.` });
    assert.throws(() => sse.sendingKey(q), { code: 'KmsDisabled', queryCode: 'KMS.DisabledException' });
    refuse(undefined);
    sse.sendingKey(q);
    assert.equal(calls.generate, 2);
  });

  it('leaves a queue without a key alone, and everything when there is no KMS', () => {
    const clock = new Clock();
    const { kms } = countingKms();
    assert.equal(new QueueEncryption(kms, clock, createLogger('silent'), true).encrypts(queue({})), false);
    const none = new QueueEncryption(undefined, clock, createLogger('silent'), true);
    assert.equal(none.encrypts(queue({ KmsMasterKeyId: 'k1' })), false);
    none.checkReceive(queue({ KmsMasterKeyId: 'k1' }));
  });
});
