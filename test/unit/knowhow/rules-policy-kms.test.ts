import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model, Sym } from '../../../src/knowhow/model.js';
import { awsManagedKeyBlocksDeliveryRule } from '../../../src/knowhow/rules/aws-managed-key-blocks-delivery.js';
import { context, model, queue, ref, topic } from '../../support/knowhow-model.js';
import { bucket, key, ROOT_STATEMENT, rule, sourceArn, subscription } from './rules-policy-builders.js';

const check = (m: Model, ctx = context()) => awsManagedKeyBlocksDeliveryRule.check(m, ctx);

const snsToQueue = (kmsKey: Sym, keys: ReturnType<typeof key>[] = []) =>
  model({
    topics: [topic('Topic')],
    queues: [queue('Queue', { kmsKey })],
    subscriptions: [subscription('Sub', 'Topic', ref('Queue', 'Arn'))],
    keys,
  });

describe('aws-managed-key-blocks-delivery: AWS managed keys', () => {
  it('fires on a queue encrypted with alias/aws/sqs that an SNS topic delivers to', () => {
    const findings = check(snsToQueue('alias/aws/sqs'));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'Queue');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.message ?? '', /alias\/aws\/sqs/);
    assert.match(findings[0]?.fix ?? '', /customer managed key/);
  });

  it('recognises the alias by ARN too', () => {
    assert.equal(check(snsToQueue('arn:aws:kms:us-east-1:111111111111:alias/aws/sqs')).length, 1);
  });

  it('fires for EventBridge targets and DLQs, and S3 notifications to a topic with alias/aws/sns', () => {
    const m = model({
      queues: [queue('Target', { kmsKey: 'alias/aws/sqs' }), queue('Dlq', { kmsKey: 'alias/aws/sqs' })],
      topics: [topic('Topic', { kmsKey: 'alias/aws/sns' })],
      rules: [rule('R', [{ arn: ref('Target', 'Arn'), dlq: ref('Dlq', 'Arn') }])],
      buckets: [bucket('B', [{ kind: 'topic', target: ref('Topic') }])],
    });
    assert.deepEqual(
      check(m)
        .map((finding) => finding.resource)
        .sort(),
      ['Dlq', 'Target', 'Topic'],
    );
  });

  it("does not fire on a queue that no service delivers to (CDK's redrive DLQ with alias/aws/sqs)", () => {
    const m = model({
      queues: [queue('Main', { redriveDlq: ref('Dlq', 'Arn') }), queue('Dlq', { kmsKey: 'alias/aws/sqs' })],
    });
    assert.deepEqual(check(m), []);
  });
});

describe('aws-managed-key-blocks-delivery: customer managed keys', () => {
  const snsStatement = (actions: Sym, condition?: Sym): Sym => {
    const statement: Record<string, Sym> = {
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: actions,
      Resource: '*',
    };
    if (condition) statement.Condition = condition;
    return statement;
  };
  const keyWith = (statements: Sym[], aliases: string[] = []) =>
    key('QueueKey', { Version: '2012-10-17', Statement: statements }, aliases);

  it("does not fire on CDK's key policy: kms:Decrypt and kms:GenerateDataKey for sns.amazonaws.com with SourceArn", () => {
    const statements = [
      ROOT_STATEMENT,
      snsStatement(['kms:Decrypt', 'kms:GenerateDataKey'], sourceArn(ref('Topic'))),
    ];
    assert.deepEqual(check(snsToQueue(ref('QueueKey', 'Arn'), [keyWith(statements)])), []);
    assert.deepEqual(check(snsToQueue(ref('QueueKey', 'Arn'), [keyWith([snsStatement('kms:*')])])), []);
  });

  it('fires on the key when its policy does not let the service use it', () => {
    const findings = check(snsToQueue(ref('QueueKey', 'Arn'), [keyWith([ROOT_STATEMENT])]));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'QueueKey');
    assert.match(findings[0]?.message ?? '', /sns\.amazonaws\.com/);
    assert.match(findings[0]?.fix ?? '', /kms:GenerateDataKey\*/);
  });

  it('fires when only one of the two actions is allowed', () => {
    const findings = check(snsToQueue(ref('QueueKey', 'Arn'), [keyWith([snsStatement('kms:Decrypt')])]));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /kms:GenerateDataKey/);
  });

  it('resolves a live key named by its bare key id', () => {
    const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const liveKey = { ...keyWith([ROOT_STATEMENT]), arn: `arn:aws:kms:us-east-1:111111111111:key/${keyId}` };
    assert.equal(check(snsToQueue(keyId, [liveKey])).length, 1);
  });

  it('resolves a key named by one of its aliases', () => {
    assert.equal(check(snsToQueue('alias/orders', [keyWith([ROOT_STATEMENT], ['alias/orders'])])).length, 1);
  });

  it('explains when the key or its policy is unknown', () => {
    const ctx = context();
    assert.deepEqual(check(snsToQueue('arn:aws:kms:us-east-1:111111111111:key/abc'), ctx), []);
    assert.match(ctx.notes[0]?.message ?? '', /not declared/);
    const ctx2 = context();
    const unknownKey = key('QueueKey', { $unknown: 'known after apply' });
    assert.deepEqual(check(snsToQueue(ref('QueueKey', 'Arn'), [unknownKey]), ctx2), []);
    assert.match(ctx2.notes[0]?.message ?? '', /known after apply/);
  });
});
