// Expected behaviour follows these pages of the AWS IAM User Guide
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/<page>.html):
// - "IAM JSON policy elements: Condition operators" (reference_policies_elements_condition_operators)
// - "Policy evaluation logic" (reference_policies_evaluation-logic)
// - "Conditions with multiple context keys or values": OR across values, NOR for negated operators
//   (reference_policies_condition-logic-multiple-context-keys-or-values)
// - "Single-valued vs. multivalued context keys": ForAllValues / ForAnyValue with a missing key
//   (reference_policies_condition-single-vs-multi-valued-context-keys)
// - "AWS JSON policy elements: Principal" (reference_policies_elements_principal)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluatePolicy,
  evaluatePolicyDetailed,
  explainPolicy,
  type PolicyDocument,
  PolicyError,
  type PolicyRequest,
  type PolicyStatement,
  parsePolicy,
  validatePolicy,
} from '../../src/core/policy.js';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:order-events`;

const sns = { kind: 'Service', id: 'sns.amazonaws.com' } as const;
const account = (id: string) => ({ kind: 'AWS', id }) as const;
const anonymous = { kind: 'Anonymous' } as const;

function request(overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return { principal: account(ACCOUNT), action: 'sqs:SendMessage', resource: QUEUE, ...overrides };
}

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const allowAll: PolicyStatement = { Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: QUEUE };

describe('SNS to SQS subscription policy', () => {
  const snsPolicy = policy({
    Sid: 'topic-to-queue',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: QUEUE,
    Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
  });

  it('allows the topic named in aws:SourceArn', () => {
    const decision = evaluatePolicy(
      snsPolicy,
      request({ principal: sns, context: { 'aws:SourceArn': TOPIC } }),
    );
    assert.equal(decision, 'Allow');
  });

  it('rejects another topic, and a request without aws:SourceArn', () => {
    const otherTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:other`;
    assert.equal(
      evaluatePolicy(snsPolicy, request({ principal: sns, context: { 'aws:SourceArn': otherTopic } })),
      'ImplicitDeny',
    );
    assert.equal(evaluatePolicy(snsPolicy, request({ principal: sns })), 'ImplicitDeny');
  });

  it('does not let the queue owner account through a Service-only statement', () => {
    const decision = evaluatePolicy(snsPolicy, request({ context: { 'aws:SourceArn': TOPIC } }));
    assert.equal(decision, 'ImplicitDeny');
  });

  it('only grants the listed action', () => {
    const decision = evaluatePolicy(
      snsPolicy,
      request({ principal: sns, action: 'sqs:DeleteMessage', context: { 'aws:SourceArn': TOPIC } }),
    );
    assert.equal(decision, 'ImplicitDeny');
  });

  it('ArnLike matches wildcards per ARN part', () => {
    const doc = policy({
      Effect: 'Allow',
      Principal: { Service: ['sns.amazonaws.com'] },
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:order-*` } },
    });
    const from = (arn: string) =>
      evaluatePolicy(doc, request({ principal: sns, context: { 'aws:SourceArn': arn } }));
    assert.equal(from(TOPIC), 'Allow');
    assert.equal(from(`arn:aws:sns:eu-west-1:${ACCOUNT}:order-refunds`), 'Allow');
    assert.equal(from(`arn:aws:sns:us-east-1:${OTHER}:order-events`), 'ImplicitDeny');
    assert.equal(from(`arn:aws:sns:us-east-1:${ACCOUNT}:billing`), 'ImplicitDeny');
    // A whole-string glob would let the region `*` swallow "us-east-1:<other account>".
    assert.equal(from(`arn:aws:sns:us-east-1:${OTHER}:${ACCOUNT}:order-x`), 'ImplicitDeny');
    assert.equal(from('not-an-arn'), 'ImplicitDeny');
  });

  it('ArnEquals also accepts wildcards, as AWS documents', () => {
    const doc = policy({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
      Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:order-?vents` } },
    });
    assert.equal(
      evaluatePolicy(doc, request({ principal: sns, context: { 'aws:SourceArn': TOPIC } })),
      'Allow',
    );
  });

  it('works from the JSON a client would send in SetQueueAttributes', () => {
    const json = JSON.stringify(snsPolicy);
    assert.equal(
      evaluatePolicy(json, request({ principal: sns, context: { 'aws:sourcearn': TOPIC } })),
      'Allow',
    );
  });
});

describe('principals', () => {
  const byAccountId = policy({ ...allowAll, Principal: { AWS: ACCOUNT } });
  const byRootArn = policy({ ...allowAll, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } });

  for (const [name, doc] of [
    ['account id', byAccountId],
    ['root ARN', byRootArn],
  ] as const) {
    it(`an account given as ${name} covers every principal in that account`, () => {
      for (const id of [
        ACCOUNT,
        `arn:aws:iam::${ACCOUNT}:root`,
        `arn:aws:iam::${ACCOUNT}:user/alice`,
        `arn:aws:iam::${ACCOUNT}:role/app/worker`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/worker/session-1`,
      ]) {
        assert.equal(evaluatePolicy(doc, request({ principal: account(id) })), 'Allow', id);
      }
    });

    it(`an account given as ${name} covers neither other accounts nor services`, () => {
      assert.equal(evaluatePolicy(doc, request({ principal: account(OTHER) })), 'ImplicitDeny');
      assert.equal(
        evaluatePolicy(doc, request({ principal: account(`arn:aws:iam::${OTHER}:user/alice`) })),
        'ImplicitDeny',
      );
      assert.equal(evaluatePolicy(doc, request({ principal: sns })), 'ImplicitDeny');
      assert.equal(evaluatePolicy(doc, request({ principal: anonymous })), 'ImplicitDeny');
    });
  }

  it('a specific user ARN matches only that user', () => {
    const doc = policy({ ...allowAll, Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:user/alice`] } });
    assert.equal(
      evaluatePolicy(doc, request({ principal: account(`arn:aws:iam::${ACCOUNT}:user/alice`) })),
      'Allow',
    );
    assert.equal(
      evaluatePolicy(doc, request({ principal: account(`arn:aws:iam::${ACCOUNT}:user/bob`) })),
      'ImplicitDeny',
    );
    assert.equal(evaluatePolicy(doc, request({ principal: account(ACCOUNT) })), 'ImplicitDeny');
  });

  it('a role ARN matches sessions of that role', () => {
    const doc = policy({ ...allowAll, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app/worker` } });
    const session = (arn: string) => evaluatePolicy(doc, request({ principal: account(arn) }));
    assert.equal(session(`arn:aws:sts::${ACCOUNT}:assumed-role/worker/s1`), 'Allow');
    assert.equal(session(`arn:aws:sts::${ACCOUNT}:assumed-role/other/s1`), 'ImplicitDeny');
    assert.equal(session(`arn:aws:sts::${OTHER}:assumed-role/worker/s1`), 'ImplicitDeny');
  });

  it('"*" and {"AWS": "*"} match everyone, including services and anonymous callers', () => {
    for (const principal of ['*', { AWS: '*' }]) {
      const doc = policy({ ...allowAll, Principal: principal });
      assert.equal(evaluatePolicy(doc, request()), 'Allow');
      assert.equal(evaluatePolicy(doc, request({ principal: account(OTHER) })), 'Allow');
      assert.equal(evaluatePolicy(doc, request({ principal: sns })), 'Allow');
      assert.equal(evaluatePolicy(doc, request({ principal: anonymous })), 'Allow');
    }
  });

  it('a Service principal does not match an AWS principal', () => {
    const doc = policy({ ...allowAll, Principal: { Service: 'sns.amazonaws.com' } });
    assert.equal(evaluatePolicy(doc, request({ principal: account('sns.amazonaws.com') })), 'ImplicitDeny');
    assert.equal(
      evaluatePolicy(doc, request({ principal: { kind: 'Service', id: 'events.amazonaws.com' } })),
      'ImplicitDeny',
    );
  });

  it('a statement may list several principal types', () => {
    const doc = policy({ ...allowAll, Principal: { AWS: [OTHER], Service: ['sns.amazonaws.com'] } });
    assert.equal(evaluatePolicy(doc, request({ principal: sns })), 'Allow');
    assert.equal(evaluatePolicy(doc, request({ principal: account(OTHER) })), 'Allow');
    assert.equal(evaluatePolicy(doc, request()), 'ImplicitDeny');
  });

  it('NotPrincipal applies the statement to everyone not listed', () => {
    const doc = policy(allowAll, {
      Effect: 'Deny',
      NotPrincipal: { AWS: ACCOUNT },
      Action: 'sqs:*',
      Resource: QUEUE,
    });
    assert.equal(evaluatePolicy(doc, request()), 'Allow');
    assert.equal(evaluatePolicy(doc, request({ principal: account(OTHER) })), 'ExplicitDeny');
    assert.equal(evaluatePolicy(doc, request({ principal: sns })), 'ExplicitDeny');
    assert.equal(evaluatePolicy(doc, request({ principal: anonymous })), 'ExplicitDeny');
  });
});

describe('evaluation logic', () => {
  it('denies implicitly when there are no statements or none match', () => {
    assert.equal(evaluatePolicy({ Statement: [] }, request()), 'ImplicitDeny');
    assert.equal(
      evaluatePolicy(policy({ ...allowAll, Action: 'sqs:ReceiveMessage' }), request()),
      'ImplicitDeny',
    );
  });

  it('accepts a single statement object', () => {
    assert.equal(evaluatePolicy({ Statement: allowAll }, request()), 'Allow');
  });

  it('an explicit deny beats an allow, whatever the order', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 'sqs:SendMessage' };
    assert.equal(evaluatePolicy(policy(allowAll, deny), request()), 'ExplicitDeny');
    assert.equal(evaluatePolicy(policy(deny, allowAll), request()), 'ExplicitDeny');
    // The deny does not touch other actions.
    assert.equal(evaluatePolicy(policy(allowAll, deny), request({ action: 'sqs:ReceiveMessage' })), 'Allow');
  });

  it('a deny alone is still a deny, not an allow', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Principal: '*', Action: 'sqs:DeleteQueue' };
    assert.equal(evaluatePolicy(policy(deny), request()), 'ImplicitDeny');
    assert.equal(evaluatePolicy(policy(deny), request({ action: 'sqs:DeleteQueue' })), 'ExplicitDeny');
  });

  it('reports which statement decided', () => {
    const doc = policy({ ...allowAll, Sid: 'A' }, { Effect: 'Deny', Principal: '*', Action: 'sqs:Purge*' });
    assert.deepEqual(evaluatePolicyDetailed(doc, request()).statement, { index: 0, sid: 'A' });
    const denied = evaluatePolicyDetailed(doc, request({ action: 'sqs:PurgeQueue' }));
    assert.equal(denied.decision, 'ExplicitDeny');
    assert.deepEqual(denied.statement, { index: 1, sid: undefined });
  });
});

describe('actions', () => {
  const allows = (action: string | string[], requested: string) =>
    evaluatePolicy(policy({ ...allowAll, Action: action }), request({ action: requested }));

  it('matches wildcards and ignores case', () => {
    assert.equal(allows('sqs:*', 'sqs:SendMessage'), 'Allow');
    assert.equal(allows('*', 'sqs:SendMessage'), 'Allow');
    assert.equal(allows('sqs:Send*', 'sqs:SendMessageBatch'), 'Allow');
    assert.equal(allows('sqs:?endMessage', 'sqs:SendMessage'), 'Allow');
    assert.equal(allows('SQS:sendmessage', 'sqs:SendMessage'), 'Allow');
    assert.equal(allows('sqs:SendMessage', 'SQS:SENDMESSAGE'), 'Allow');
    assert.equal(allows(['sqs:ReceiveMessage', 'sqs:SendMessage'], 'sqs:SendMessage'), 'Allow');
  });

  it('does not match other actions or services', () => {
    assert.equal(allows('sqs:Send*', 'sqs:ReceiveMessage'), 'ImplicitDeny');
    assert.equal(allows('sqs:?endMessage', 'sqs:SSendMessage'), 'ImplicitDeny');
    assert.equal(allows('sns:*', 'sqs:SendMessage'), 'ImplicitDeny');
    assert.equal(allows('sqs:SendMessage', 'sqs:SendMessageBatch'), 'ImplicitDeny');
  });

  it('NotAction allows everything except the listed actions', () => {
    const doc = policy({ Effect: 'Allow', Principal: '*', NotAction: ['sqs:DeleteQueue', 'sqs:Set*'] });
    assert.equal(evaluatePolicy(doc, request()), 'Allow');
    assert.equal(evaluatePolicy(doc, request({ action: 'sqs:DeleteQueue' })), 'ImplicitDeny');
    assert.equal(evaluatePolicy(doc, request({ action: 'sqs:SetQueueAttributes' })), 'ImplicitDeny');
  });

  it('Deny with NotAction denies everything except the listed actions', () => {
    const doc = policy(allowAll, { Effect: 'Deny', Principal: '*', NotAction: 'sqs:ReceiveMessage' });
    assert.equal(evaluatePolicy(doc, request()), 'ExplicitDeny');
    assert.equal(evaluatePolicy(doc, request({ action: 'sqs:ReceiveMessage' })), 'Allow');
  });
});

describe('resources', () => {
  const allows = (resource: PolicyStatement['Resource'], requested: string) =>
    evaluatePolicy(policy({ ...allowAll, Resource: resource }), request({ resource: requested }));

  it('matches wildcards case-sensitively', () => {
    assert.equal(allows(`arn:aws:sqs:*:${ACCOUNT}:*`, QUEUE), 'Allow');
    assert.equal(allows(`arn:aws:sqs:us-east-1:${ACCOUNT}:order?`, QUEUE), 'Allow');
    assert.equal(allows('*', QUEUE), 'Allow');
    assert.equal(allows([`arn:aws:sqs:us-east-1:${ACCOUNT}:other`, QUEUE], QUEUE), 'Allow');
    assert.equal(allows(`arn:aws:sqs:us-east-1:${ACCOUNT}:Orders`, QUEUE), 'ImplicitDeny');
    assert.equal(allows(`arn:aws:sqs:us-east-1:${OTHER}:*`, QUEUE), 'ImplicitDeny');
  });

  it('a statement without Resource matches any resource', () => {
    const { Resource: _, ...noResource } = allowAll;
    assert.equal(evaluatePolicy(policy(noResource), request()), 'Allow');
  });

  it('NotResource excludes the listed resources', () => {
    const { Resource: _, ...base } = allowAll;
    const doc = policy({ ...base, NotResource: `arn:aws:sqs:*:*:secret-*` });
    assert.equal(evaluatePolicy(doc, request()), 'Allow');
    assert.equal(
      evaluatePolicy(doc, request({ resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:secret-q` })),
      'ImplicitDeny',
    );
  });
});

describe('conditions', () => {
  const withCondition = (condition: PolicyStatement['Condition'], effect: 'Allow' | 'Deny' = 'Allow') =>
    effect === 'Allow'
      ? policy({ ...allowAll, Condition: condition })
      : policy(allowAll, { ...allowAll, Effect: 'Deny', Condition: condition });
  const run = (doc: PolicyDocument, context?: PolicyRequest['context'], principal = request().principal) =>
    evaluatePolicy(doc, request({ principal, context }));

  it('aws:SourceAccount StringEquals', () => {
    const doc = withCondition({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    assert.equal(run(doc, { 'aws:SourceAccount': ACCOUNT }, sns), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': OTHER }, sns), 'ImplicitDeny');
    assert.equal(run(doc, {}, sns), 'ImplicitDeny');
  });

  it('StringEquals is case-sensitive, StringEqualsIgnoreCase is not', () => {
    assert.equal(
      run(withCondition({ StringEquals: { 'custom:Tier': 'Gold' } }), { 'custom:Tier': 'gold' }),
      'ImplicitDeny',
    );
    assert.equal(
      run(withCondition({ StringEqualsIgnoreCase: { 'custom:Tier': 'Gold' } }), { 'custom:Tier': 'gold' }),
      'Allow',
    );
    assert.equal(
      run(withCondition({ StringNotEqualsIgnoreCase: { 'custom:Tier': 'Gold' } }), { 'custom:Tier': 'GOLD' }),
      'ImplicitDeny',
    );
  });

  it('looks condition keys up case-insensitively', () => {
    const doc = withCondition({ StringEquals: { 'AWS:SOURCEACCOUNT': ACCOUNT } });
    assert.equal(run(doc, { 'aws:sourceAccount': ACCOUNT }, sns), 'Allow');
  });

  it('multiple values for one key are ORed', () => {
    const doc = withCondition({ StringEquals: { 'aws:SourceAccount': [OTHER, ACCOUNT] } });
    assert.equal(run(doc, { 'aws:SourceAccount': ACCOUNT }, sns), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': OTHER }, sns), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': '111111111111' }, sns), 'ImplicitDeny');
  });

  it('multiple values for a negated operator are NORed', () => {
    const doc = withCondition({ StringNotEquals: { 'aws:SourceAccount': [OTHER, ACCOUNT] } });
    assert.equal(run(doc, { 'aws:SourceAccount': ACCOUNT }, sns), 'ImplicitDeny');
    assert.equal(run(doc, { 'aws:SourceAccount': OTHER }, sns), 'ImplicitDeny');
    assert.equal(run(doc, { 'aws:SourceAccount': '111111111111' }, sns), 'Allow');
  });

  it('keys within an operator, and operators within a Condition, are ANDed', () => {
    const doc = withCondition({
      StringEquals: { 'aws:SourceAccount': ACCOUNT, 'custom:Tier': 'gold' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' },
    });
    const full = { 'aws:SourceAccount': ACCOUNT, 'custom:Tier': 'gold', 'aws:SourceArn': TOPIC };
    assert.equal(run(doc, full, sns), 'Allow');
    assert.equal(run(doc, { ...full, 'custom:Tier': 'silver' }, sns), 'ImplicitDeny');
    assert.equal(run(doc, { ...full, 'aws:SourceArn': QUEUE }, sns), 'ImplicitDeny');
  });

  it('aws:SecureTransport Deny blocks plain HTTP only', () => {
    const doc = withCondition({ Bool: { 'aws:SecureTransport': 'false' } }, 'Deny');
    assert.equal(run(doc, { 'aws:SecureTransport': 'false' }), 'ExplicitDeny');
    assert.equal(run(doc, { 'aws:SecureTransport': 'FALSE' }), 'ExplicitDeny');
    assert.equal(run(doc, { 'aws:SecureTransport': 'true' }), 'Allow');
    // Bool is a positive operator: without the key the deny does not apply.
    assert.equal(run(doc, {}), 'Allow');
  });

  it('Bool accepts JSON booleans in the policy', () => {
    const doc = withCondition({ Bool: { 'aws:SecureTransport': true } });
    assert.equal(run(doc, { 'aws:SecureTransport': 'True' }), 'Allow');
    assert.equal(run(doc, { 'aws:SecureTransport': 'false' }), 'ImplicitDeny');
  });

  it('a missing key makes positive operators false and negated operators true', () => {
    for (const operator of [
      'StringEquals',
      'StringLike',
      'ArnEquals',
      'ArnLike',
      'Bool',
      'StringEqualsIgnoreCase',
    ]) {
      const doc = withCondition({ [operator]: { 'aws:SourceArn': TOPIC } });
      assert.equal(run(doc, {}), 'ImplicitDeny', operator);
    }
    for (const operator of [
      'StringNotEquals',
      'StringNotLike',
      'ArnNotEquals',
      'ArnNotLike',
      'StringNotEqualsIgnoreCase',
    ]) {
      const doc = withCondition({ [operator]: { 'aws:SourceArn': TOPIC } });
      assert.equal(run(doc, {}), 'Allow', operator);
    }
  });

  it('a Deny on StringNotEquals aws:SourceAccount also catches requests that lack the key', () => {
    const doc = withCondition({ StringNotEquals: { 'aws:SourceAccount': ACCOUNT } }, 'Deny');
    assert.equal(run(doc, { 'aws:SourceAccount': ACCOUNT }, sns), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': OTHER }, sns), 'ExplicitDeny');
    assert.equal(run(doc, {}, sns), 'ExplicitDeny');
  });

  it('...IfExists holds when the key is absent and tests the value when present', () => {
    const doc = withCondition({ StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } });
    assert.equal(run(doc, {}), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': undefined }), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': ACCOUNT }), 'Allow');
    assert.equal(run(doc, { 'aws:SourceAccount': OTHER }), 'ImplicitDeny');

    const arnDoc = withCondition({ ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:sns:*:*:order-*' } });
    assert.equal(run(arnDoc, {}), 'Allow');
    assert.equal(run(arnDoc, { 'aws:SourceArn': TOPIC }), 'Allow');
    assert.equal(run(arnDoc, { 'aws:SourceArn': QUEUE }), 'ImplicitDeny');

    // Negated + IfExists: absent still holds, so a Deny applies to a missing key.
    const deny = withCondition({ StringNotEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }, 'Deny');
    assert.equal(run(deny, {}), 'ExplicitDeny');
    assert.equal(run(deny, { 'aws:SourceAccount': ACCOUNT }), 'Allow');
  });

  it('StringLike and StringNotLike use * and ?', () => {
    const like = withCondition({ StringLike: { 'aws:SourceArn': '*:order-?vents' } });
    assert.equal(run(like, { 'aws:SourceArn': TOPIC }), 'Allow');
    assert.equal(run(like, { 'aws:SourceArn': `${TOPIC}x` }), 'ImplicitDeny');
    const notLike = withCondition({ StringNotLike: { 'aws:SourceArn': ['*:billing', '*:order-*'] } });
    assert.equal(run(notLike, { 'aws:SourceArn': TOPIC }), 'ImplicitDeny');
    assert.equal(run(notLike, { 'aws:SourceArn': QUEUE.replace('orders', 'misc') }), 'Allow');
  });

  it('ArnNotEquals / ArnNotLike', () => {
    const doc = withCondition({ ArnNotLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:*` } }, 'Deny');
    assert.equal(run(doc, { 'aws:SourceArn': TOPIC }, sns), 'Allow');
    assert.equal(run(doc, { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER}:t` }, sns), 'ExplicitDeny');
    const equals = withCondition({ ArnNotEquals: { 'aws:SourceArn': TOPIC } });
    assert.equal(run(equals, { 'aws:SourceArn': TOPIC }), 'ImplicitDeny');
  });

  it('Null tests whether a key is present', () => {
    const absent = withCondition({ Null: { 'aws:SourceArn': 'true' } });
    assert.equal(run(absent, {}), 'Allow');
    assert.equal(run(absent, { 'aws:SourceArn': TOPIC }), 'ImplicitDeny');
    const present = withCondition({ Null: { 'aws:SourceArn': false } });
    assert.equal(run(present, {}), 'ImplicitDeny');
    assert.equal(run(present, { 'aws:SourceArn': TOPIC }), 'Allow');
    assert.equal(run(present, { 'aws:SourceArn': [] }), 'ImplicitDeny');
  });

  it('ForAnyValue needs one request value to match; a missing key is false', () => {
    const doc = withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } });
    assert.equal(run(doc, { 'aws:TagKeys': ['owner', 'env'] }), 'Allow');
    assert.equal(run(doc, { 'aws:TagKeys': ['owner'] }), 'ImplicitDeny');
    assert.equal(run(doc, {}), 'ImplicitDeny');
    assert.equal(run(doc, { 'aws:TagKeys': [] }), 'ImplicitDeny');
  });

  it('ForAllValues needs every request value to match; a missing key is true', () => {
    const doc = withCondition({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['team', 'env-*'] } });
    assert.equal(run(doc, { 'aws:TagKeys': ['team', 'env-prod'] }), 'Allow');
    assert.equal(run(doc, { 'aws:TagKeys': ['team', 'owner'] }), 'ImplicitDeny');
    assert.equal(run(doc, {}), 'Allow');
  });

  it('negated set operators test each request value against none of the policy values', () => {
    const all = withCondition({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret', 'internal'] } });
    assert.equal(run(all, { 'aws:TagKeys': ['team', 'env'] }), 'Allow');
    assert.equal(run(all, { 'aws:TagKeys': ['team', 'secret'] }), 'ImplicitDeny');
    const any = withCondition({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } });
    assert.equal(run(any, { 'aws:TagKeys': ['secret', 'team'] }), 'Allow');
    assert.equal(run(any, { 'aws:TagKeys': ['secret'] }), 'ImplicitDeny');
    assert.equal(run(any, {}), 'ImplicitDeny');
  });

  it('without a set operator, a multi-valued key matches when any of its values does', () => {
    const positive = withCondition({ StringEquals: { 'aws:TagKeys': 'team' } });
    assert.equal(run(positive, { 'aws:TagKeys': ['env', 'team'] }), 'Allow');
    const negated = withCondition({ StringNotEquals: { 'aws:TagKeys': 'team' } });
    assert.equal(run(negated, { 'aws:TagKeys': ['env', 'team'] }), 'ImplicitDeny');
    assert.equal(run(negated, { 'aws:TagKeys': ['env', 'owner'] }), 'Allow');
  });

  it('ForAnyValue with IfExists holds when the key is absent', () => {
    const doc = withCondition({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'team' } });
    assert.equal(run(doc, {}), 'Allow');
  });

  it('derives aws:PrincipalAccount and aws:PrincipalArn from the caller', () => {
    const doc = withCondition({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT } });
    assert.equal(run(doc, {}, account(`arn:aws:iam::${ACCOUNT}:user/alice`)), 'Allow');
    assert.equal(run(doc, {}, account(ACCOUNT)), 'Allow');
    assert.equal(run(doc, {}, sns), 'ImplicitDeny');
    // An explicit value in the context wins over the derived one.
    assert.equal(run(doc, { 'aws:PrincipalAccount': OTHER }, account(ACCOUNT)), 'ImplicitDeny');
    const arnDoc = withCondition({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:*` } });
    assert.equal(run(arnDoc, {}, account(ACCOUNT)), 'Allow');
  });

  it('numeric, date and IP operators', () => {
    assert.equal(run(withCondition({ NumericLessThan: { 'custom:N': 10 } }), { 'custom:N': '9.5' }), 'Allow');
    assert.equal(
      run(withCondition({ NumericLessThan: { 'custom:N': 10 } }), { 'custom:N': '10' }),
      'ImplicitDeny',
    );
    assert.equal(
      run(withCondition({ NumericEquals: { 'custom:N': '10' } }), { 'custom:N': 'ten' }),
      'ImplicitDeny',
    );
    const before = withCondition({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } });
    assert.equal(run(before, { 'aws:CurrentTime': '2029-12-31T23:59:59Z' }), 'Allow');
    assert.equal(run(before, { 'aws:CurrentTime': '2030-06-01T00:00:00Z' }), 'ImplicitDeny');
    assert.equal(run(before, { 'aws:CurrentTime': '1700000000' }), 'Allow');
    const ip = withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } });
    assert.equal(run(ip, { 'aws:SourceIp': '10.1.2.3' }), 'Allow');
    assert.equal(run(ip, { 'aws:SourceIp': '2001:db8::1' }), 'Allow');
    assert.equal(run(ip, { 'aws:SourceIp': '192.168.0.1' }), 'ImplicitDeny');
    const notIp = withCondition({ NotIpAddress: { 'aws:SourceIp': '127.0.0.1' } }, 'Deny');
    assert.equal(run(notIp, { 'aws:SourceIp': '127.0.0.1' }), 'Allow');
    assert.equal(run(notIp, { 'aws:SourceIp': '10.0.0.1' }), 'ExplicitDeny');
  });

  it('an unknown operator makes the statement not match', () => {
    const allow = withCondition({ StringSortOf: { 'aws:SourceAccount': ACCOUNT } });
    assert.equal(run(allow, { 'aws:SourceAccount': ACCOUNT }), 'ImplicitDeny');
    const deny = withCondition({ StringSortOf: { 'aws:SourceAccount': ACCOUNT } }, 'Deny');
    assert.equal(run(deny, { 'aws:SourceAccount': ACCOUNT }), 'Allow');
  });
});

describe('parsePolicy', () => {
  const statement = { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: QUEUE };
  const rejects = (json: string, pattern: RegExp) =>
    assert.throws(
      () => parsePolicy(json),
      (err: unknown) => err instanceof PolicyError && pattern.test(err.message),
    );

  it('returns the document for a valid policy', () => {
    const doc = parsePolicy(JSON.stringify({ Version: '2012-10-17', Id: 'q', Statement: [statement] }));
    assert.deepEqual(doc.Statement, [statement]);
    assert.deepEqual(parsePolicy(JSON.stringify({ Statement: statement })).Statement, statement);
  });

  it('rejects invalid JSON and non-objects', () => {
    rejects('{"Statement": [', /not valid JSON/);
    rejects('[]', /must be a JSON object/);
    rejects('null', /must be a JSON object/);
    rejects('"policy"', /must be a JSON object/);
  });

  it('rejects structural mistakes with a message naming the statement', () => {
    rejects('{}', /missing the Statement/);
    rejects(JSON.stringify({ Statement: [statement, 'x'] }), /statement 1: must be a JSON object/);
    rejects(
      JSON.stringify({ Statement: { ...statement, Effect: 'allow' } }),
      /Effect must be "Allow" or "Deny"/,
    );
    rejects(JSON.stringify({ Statement: { ...statement, Effect: undefined } }), /Effect/);
    rejects(
      JSON.stringify({ Statement: { ...statement, Sid: 'S1', Action: undefined } }),
      /"S1".*Action or NotAction/,
    );
    rejects(JSON.stringify({ Statement: { ...statement, NotAction: 'sqs:*' } }), /both Action and NotAction/);
    rejects(
      JSON.stringify({ Statement: { ...statement, NotResource: '*' } }),
      /both Resource and NotResource/,
    );
    rejects(
      JSON.stringify({ Statement: { ...statement, NotPrincipal: '*' } }),
      /both Principal and NotPrincipal/,
    );
    rejects(JSON.stringify({ Statement: { ...statement, Action: [] } }), /must not be an empty list/);
    rejects(JSON.stringify({ Statement: { ...statement, Action: 'SendMessage' } }), /prefixed by a service/);
    rejects(
      JSON.stringify({ Statement: { ...statement, Actions: 'sqs:*' } }),
      /unsupported element "Actions"/,
    );
    rejects(
      JSON.stringify({ Statement: { ...statement, Principal: { User: 'x' } } }),
      /principal type "User"/,
    );
    rejects(JSON.stringify({ Statement: { ...statement, Principal: 'alice' } }), /Principal must be/);
    rejects(JSON.stringify({ Version: '2020-01-01', Statement: statement }), /Version/);
    rejects(JSON.stringify({ Statement: statement, Extra: 1 }), /unsupported element "Extra"/);
  });

  it('validates Condition operators and values', () => {
    const withCondition = (condition: unknown) =>
      JSON.stringify({ Statement: { ...statement, Condition: condition } });
    rejects(withCondition({ StringSortOf: { k: 'v' } }), /unknown condition operator "StringSortOf"/);
    rejects(withCondition({ NullIfExists: { k: 'true' } }), /unknown condition operator/);
    rejects(withCondition({ 'ForSomeValues:StringEquals': { k: 'v' } }), /unknown condition operator/);
    rejects(withCondition({ StringEquals: 'v' }), /must map condition keys/);
    rejects(withCondition({ StringEquals: { k: { nested: true } } }), /must be a string, number, boolean/);
    rejects(withCondition([]), /Condition must be an object/);
    for (const operator of [
      'StringEquals',
      'StringNotEqualsIgnoreCase',
      'ArnLikeIfExists',
      'ForAllValues:StringLike',
      'ForAnyValue:ArnNotLikeIfExists',
      'Bool',
      'Null',
      'NumericGreaterThanEquals',
      'DateLessThan',
      'NotIpAddress',
      'BinaryEquals',
    ]) {
      assert.doesNotThrow(() => parsePolicy(withCondition({ [operator]: { k: 'true' } })), operator);
    }
  });

  it('evaluatePolicy parses string policies and surfaces PolicyError', () => {
    assert.throws(() => evaluatePolicy('not json', request()), PolicyError);
    assert.equal(evaluatePolicy(JSON.stringify({ Statement: statement }), request()), 'Allow');
  });

  it('validatePolicy checks an already-decoded document', () => {
    assert.throws(() => validatePolicy({ Statement: { Effect: 'Allow' } }), PolicyError);
    assert.deepEqual(validatePolicy({ Statement: [] }).Statement, []);
  });
});

describe('explainPolicy', () => {
  it('says which statement allowed or denied', () => {
    const doc = policy(
      { ...allowAll, Sid: 'AllowAll' },
      { Effect: 'Deny', Sid: 'NoPurge', Principal: '*', Action: 'sqs:PurgeQueue' },
    );
    assert.equal(
      explainPolicy(doc, request()),
      `statement 0 ("AllowAll") allows ${ACCOUNT} to sqs:SendMessage on ${QUEUE}`,
    );
    assert.match(
      explainPolicy(doc, request({ action: 'sqs:PurgeQueue' })),
      /statement 1 \("NoPurge"\) explicitly denies/,
    );
  });

  it('points at the closest Allow statement when nothing allows', () => {
    const doc = policy(
      { ...allowAll, Sid: 'Owner', Principal: { AWS: OTHER } },
      {
        Sid: 'TopicOnly',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
      },
    );
    const text = explainPolicy(doc, request({ principal: sns, context: { 'aws:SourceArn': QUEUE } }));
    assert.equal(
      text,
      `no statement allows sns.amazonaws.com to sqs:SendMessage on ${QUEUE}; ` +
        'closest: statement 1 ("TopicOnly") did not match on Condition (ArnEquals aws:SourceArn)',
    );
    assert.equal(
      explainPolicy({ Statement: [] }, request({ principal: anonymous })),
      `no statement allows an anonymous caller to sqs:SendMessage on ${QUEUE}`,
    );
  });
});
