import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCdkOut, readCdkOut } from '../../../src/knowhow/templates/cdk-out.js';
import { TemplateError } from '../../../src/knowhow/templates/cloudformation.js';

const CDK_OUT = fileURLToPath(
  new URL(
    '../../../../test/fixtures/lint-corpus/solutions-constructs/evtsqs-rule-dlq/cdk.out',
    import.meta.url,
  ),
);

describe('cdk.out', () => {
  it('is recognised by its manifest', async () => {
    assert.equal(await isCdkOut(CDK_OUT), true);
    assert.equal(await isCdkOut(path.dirname(CDK_OUT)), false);
  });

  it('gives one model per stack artifact, reporting each template’s own path', async () => {
    const models = await readCdkOut(CDK_OUT);
    assert.equal(models.length, 2);
    const [assertions, stack] = models;
    // The integ-test assertion stack has no resources: an empty model with a note, not an error.
    assert.equal(assertions.queues.length + assertions.rules.length, 0);
    assert.match(assertions.notes[0].message, /no resources/);
    const file = path.join(CDK_OUT, 'evtsqs-rule-dlq.template.json');
    const [rule] = stack.rules;
    assert.equal(rule.origin.file, file);
    assert.equal(rule.hasSchedule, true);
    assert.equal(rule.targets.length, 1);
    const target = stack.queues.find((queue) => queue.id === (rule.targets[0].arn as { $ref: string }).$ref);
    const dlq = stack.queues.find((queue) => queue.id === (rule.targets[0].dlq as { $ref: string }).$ref);
    assert.ok(target && dlq, 'the rule’s target and DLQ are queues of the stack');
    assert.ok(dlq.policies.length > 0, 'CDK gives the rule’s DLQ a queue policy');
    assert.ok(JSON.stringify(dlq.policies.map((policy) => policy.document)).includes('events.amazonaws.com'));
  });

  it('a folder whose manifest is missing is a TemplateError', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
    await assert.rejects(readCdkOut(dir), TemplateError);
    writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } },
        },
      }),
    );
    writeFileSync(
      path.join(dir, 'S.template.json'),
      JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }),
    );
    const [model] = await readCdkOut(dir);
    assert.equal(model.queues[0].origin.file, path.join(dir, 'S.template.json'));
    assert.equal(model.queues[0].origin.line, 1);
  });
});
