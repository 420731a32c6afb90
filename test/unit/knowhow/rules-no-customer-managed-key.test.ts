import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noCustomerManagedKeyRule } from '../../../src/knowhow/rules/no-customer-managed-key.js';
import { context, model, queue, ref, topic } from '../../support/knowhow-model.js';

describe('no-customer-managed-key', () => {
  it('is a notice on a queue and a topic without KmsMasterKeyId', () => {
    const findings = noCustomerManagedKeyRule.check(
      model({ queues: [queue('Q')], topics: [topic('T')] }),
      context(),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource, f.severity]),
      [
        ['Q', 'notice'],
        ['T', 'notice'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /Queue Q has no KmsMasterKeyId/);
    assert.match(findings[1]?.message ?? '', /Topic T has no KmsMasterKeyId/);
  });

  it('is a warning with the production profile', () => {
    const findings = noCustomerManagedKeyRule.check(model({ queues: [queue('Q')] }), context('production'));
    assert.equal(findings[0]?.severity, 'warning');
  });

  it('fires on AWS-managed aliases, by name or ARN, and on SSE-SQS alone', () => {
    const findings = noCustomerManagedKeyRule.check(
      model({
        queues: [
          queue('Alias', { kmsKey: 'alias/aws/sqs' }),
          queue('AliasArn', { kmsKey: 'arn:aws:kms:us-east-1:123456789012:alias/aws/sqs' }),
          queue('SseSqs', { sqsManagedSse: true }),
        ],
        topics: [topic('SnsAlias', { kmsKey: 'alias/aws/sns' })],
      }),
      context(),
    );
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['Alias', 'AliasArn', 'SseSqs', 'SnsAlias'],
    );
    assert.match(findings[0]?.message ?? '', /AWS-managed key alias\/aws\/sqs/);
  });

  it('does not fire on a customer key: a reference, a key ARN, a key id or a customer alias', () => {
    const findings = noCustomerManagedKeyRule.check(
      model({
        queues: [
          queue('Ref', { kmsKey: ref('Key', 'Arn') }),
          queue('Arn', {
            kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          }),
          queue('Alias', { kmsKey: 'alias/orders' }),
        ],
        topics: [topic('T', { kmsKey: ref('Key') })],
      }),
      context(),
    );
    assert.deepEqual(findings, []);
  });

  it('makes no finding on an unknown key and explains', () => {
    const c = context();
    const findings = noCustomerManagedKeyRule.check(
      model({ queues: [queue('Q', { kmsKey: { $unknown: 'parameter KeyArn', param: 'KeyArn' } })] }),
      c,
    );
    assert.deepEqual(findings, []);
    assert.match(c.notes[0]?.message ?? '', /KMS key of Q is not known \(parameter KeyArn\)/);
  });

  it('honours Metadata ignore', () => {
    const findings = noCustomerManagedKeyRule.check(
      model({ queues: [queue('Q', { ignore: ['no-customer-managed-key'] })] }),
      context(),
    );
    assert.deepEqual(findings, []);
  });
});
