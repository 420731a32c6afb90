import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetPolicyMissingRule } from '../../../src/knowhow/rules/target-policy-missing.js';
import { context, model, queue, ref, topic } from '../../support/knowhow-model.js';
import { policy, role, rule, trustFor } from './rules-policy-builders.js';

const check = (m: ReturnType<typeof model>, ctx = context()) => targetPolicyMissingRule.check(m, ctx);

// EventBridge's guide: for SQS, SNS and Lambda targets it uses either an execution role or the
// resource-based policy; with a RoleArn, the role must allow sqs:SendMessage / sns:Publish.
describe('target-policy-missing: EventBridge targets that name a RoleArn', () => {
  const build = (statements: object[] | undefined, arn = ref('MySqsQueue', 'Arn')) =>
    model({
      queues: [queue('MySqsQueue')],
      topics: [topic('MyTopic')],
      rules: [rule('EventRule', [{ arn, roleArn: ref('TargetRole', 'Arn') }])],
      roles: statements
        ? [
            role('TargetRole', trustFor('events.amazonaws.com'), [
              policy('TargetRolePolicy', statements as never),
            ]),
          ]
        : [],
    });

  it('does not fire when the role allows sqs:SendMessage on the queue, though the queue has no policy', () => {
    const allowed = [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref('MySqsQueue', 'Arn') }];
    assert.deepEqual(check(build(allowed)), []);
  });

  it('fires on the role when its policies do not allow sending to the queue', () => {
    const findings = check(
      build([{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: ref('MySqsQueue', 'Arn') }]),
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.rule, 'target-policy-missing');
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.resource, 'TargetRole');
    assert.match(finding?.message ?? '', /EventBridge sends to with its execution role TargetRole/);
    assert.match(finding?.message ?? '', /FailedInvocations/);
    assert.match(finding?.fix ?? '', /"Action":"sqs:SendMessage"/);
  });

  it('asks for sns:Publish when the target is a topic', () => {
    const findings = check(
      build([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }], ref('MyTopic')),
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /sns:Publish/);
  });

  it('makes no finding when the role is not in the model, and says why', () => {
    const ctx = context();
    assert.deepEqual(check(build(undefined), ctx), []);
    const notes = ctx.notes.map((note) => note.message).join('\n');
    assert.match(notes, /names a RoleArn/);
    assert.match(notes, /execution role .* not declared in the model/);
  });
});
