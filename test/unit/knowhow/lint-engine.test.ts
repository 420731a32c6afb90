import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Finding, KnowHowRule } from '../../../src/knowhow/findings.js';
import { type LintDependencies, LintInputError, lintPaths } from '../../../src/knowhow/lint.js';
import { emptyModel, type Model, type Queue } from '../../../src/knowhow/model.js';
import { TemplateError } from '../../../src/knowhow/templates/cloudformation.js';

// The engine's own behaviour (walking, detection, suppression, --disable, sorting, notes), with
// small stand-ins for the readers and rules so that it is tested apart from them.

/** Reads `Resources` of type AWS::SQS::Queue, with each one's line and Metadata ignore list. */
function fakeCloudFormation(text: string, file: string): Model {
  const doc = parse(text, { logLevel: 'silent' }) as { Resources?: Record<string, any> };
  if (typeof doc?.Resources !== 'object' || doc.Resources === null) throw new TemplateError('no Resources');
  const model = emptyModel('template');
  const lines = text.split('\n');
  for (const [id, resource] of Object.entries(doc.Resources)) {
    if (resource?.Type !== 'AWS::SQS::Queue') continue;
    const line = lines.findIndex((l) => l.trim() === `${id}:` || l.includes(`"${id}"`)) + 1;
    const queue: Queue = {
      id,
      type: resource.Type,
      origin: { file, line: line || undefined },
      ignore: resource.Metadata?.tideway?.ignore ?? [],
      fifo: false,
      policies: [],
      receiveWaitTimeSeconds: resource.Properties?.ReceiveMessageWaitTimeSeconds,
    };
    model.queues.push(queue);
  }
  return model;
}

function queueFinding(rule: string, severity: Finding['severity'], queue: Queue): Finding {
  return {
    rule,
    severity,
    resource: queue.id,
    file: queue.origin.file,
    line: queue.origin.line,
    message: `${queue.id} is a queue`,
    fix: 'none needed',
  };
}

/** Flags every queue; explains every queue whose wait time is a parameter. */
const everyQueue: KnowHowRule = {
  id: 'every-queue',
  severity: 'error',
  title: 'Every queue',
  check: (model, context) =>
    model.queues.flatMap((queue) => {
      const wait = queue.receiveWaitTimeSeconds;
      if (typeof wait === 'object' && wait !== null) {
        context.explain({ resource: queue.id, origin: queue.origin, message: 'wait time unresolved' });
        return [];
      }
      return [queueFinding('every-queue', 'error', queue)];
    }),
};

/** A notice that the production profile raises to a warning. */
const profiled: KnowHowRule = {
  id: 'profiled',
  severity: 'notice',
  title: 'Profile-dependent',
  check: (model, context) =>
    model.queues.map((queue) =>
      queueFinding('profiled', context.profile === 'production' ? 'warning' : 'notice', queue),
    ),
};

const throwing: KnowHowRule = {
  id: 'throwing',
  severity: 'error',
  title: 'Always fails',
  check: () => {
    throw new Error('boom');
  },
};

const QUEUE_A = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  QueueA:
    Type: AWS::SQS::Queue
  QueueB:
    Type: AWS::SQS::Queue
    Metadata:
      tideway:
        ignore: [every-queue]
`;

const QUEUE_JSON = `{
  "Resources": {
    "JsonQueue": { "Type": "AWS::SQS::Queue", "Properties": { "ReceiveMessageWaitTimeSeconds": { "Ref": "Wait" } } }
  }
}
`;

const PLAN = JSON.stringify({ format_version: '1.2', planned_values: { root_module: {} } });

describe('lintPaths', () => {
  let root: string;
  const calls = { cdkOut: [] as string[], plans: [] as unknown[] };
  const deps: LintDependencies = {
    readers: {
      cloudFormation: fakeCloudFormation,
      cdkOut: async (dir) => {
        calls.cdkOut.push(dir);
        if (dir.includes('broken')) throw new TemplateError('manifest.json names no stack');
        const model = emptyModel('template');
        model.queues.push({
          id: 'CdkQueue',
          type: 'AWS::SQS::Queue',
          origin: { file: path.join(dir, 'Stack.template.json'), line: 3 },
          ignore: [],
          fifo: false,
          policies: [],
        });
        return [model];
      },
      terraformPlan: (json, file) => {
        calls.plans.push(json);
        const model = emptyModel('template');
        model.queues.push({
          id: 'aws_sqs_queue.orders',
          type: 'aws_sqs_queue',
          origin: { file },
          ignore: [],
          fifo: false,
          policies: [],
        });
        model.notes.push({ resource: 'aws_sqs_queue.orders', message: 'policy known after apply' });
        return model;
      },
    },
    rules: [everyQueue, profiled],
  };

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tideway-lint-'));
    const files: Record<string, string> = {
      'app/template.yaml': QUEUE_A,
      'app/nested/queue.json': QUEUE_JSON,
      'app/nested/tfplan.json': PLAN,
      'app/package.json': '{ "name": "app" }',
      'app/README.md': '# app\n',
      'app/workflow.yml': 'on: push\njobs: {}\n',
      'app/node_modules/dep/template.yaml': QUEUE_A,
      'app/.aws-sam/build/template.yaml': QUEUE_A,
      'app/infra/cdk.out/manifest.json': '{}',
      'app/infra/cdk.out/Stack.template.json': '{ "Resources": {} }',
      'app/assembly/manifest.json': '{}',
      'app/assembly/Other.template.json': '{ "Resources": {} }',
      'broken/cdk.out/manifest.json': '{}',
      'plain/bad.yaml': 'Resources: [unclosed\n',
      'dup/template.yml': 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n',
      'plain/notes.txt': 'hello\n',
      'plain/broken.json': '{ "Resources": ',
      'empty/readme.md': 'nothing here\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), text);
    }
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads an explicit template and reports findings at its lines, as the path was given', async () => {
    const file = path.join(root, 'app/template.yaml');
    const result = await lintPaths([file], {}, deps);
    assert.deepEqual(result.files, [file]);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.severity, f.resource, f.file, f.line]),
      [
        ['every-queue', 'error', 'QueueA', file, 3],
        ['profiled', 'notice', 'QueueA', file, 3],
        ['profiled', 'notice', 'QueueB', file, 5],
      ],
    );
  });

  it('suppresses a rule through the resource Metadata and says so in the notes', async () => {
    const file = path.join(root, 'app/template.yaml');
    const result = await lintPaths([file], {}, deps);
    assert.equal(
      result.findings.some((f) => f.rule === 'every-queue' && f.resource === 'QueueB'),
      false,
    );
    const note = result.notes.find((n) => n.resource === 'QueueB');
    assert.ok(note, 'a note for the suppressed finding');
    assert.match(note.message, /every-queue suppressed/);
    assert.deepEqual(note.origin, { file, line: 5 });
  });

  it('--disable skips a rule everywhere', async () => {
    const result = await lintPaths([path.join(root, 'app/template.yaml')], { disable: ['profiled'] }, deps);
    assert.deepEqual(
      result.findings.map((f) => `${f.rule}:${f.resource}`),
      ['every-queue:QueueA'],
    );
  });

  it('hands the profile to the rules', async () => {
    const result = await lintPaths([path.join(root, 'app/template.yaml')], { profile: 'production' }, deps);
    assert.deepEqual(
      result.findings.filter((f) => f.rule === 'profiled').map((f) => f.severity),
      ['warning', 'warning'],
    );
  });

  it('walks a folder: templates, plans and cdk.out folders, skipping node_modules, dot folders and other files', async () => {
    calls.cdkOut.length = 0;
    calls.plans.length = 0;
    const app = path.join(root, 'app');
    const result = await lintPaths([app], {}, deps);
    assert.deepEqual(result.files, [
      path.join(app, 'assembly'),
      path.join(app, 'infra/cdk.out'),
      path.join(app, 'nested/queue.json'),
      path.join(app, 'nested/tfplan.json'),
      path.join(app, 'template.yaml'),
    ]);
    assert.deepEqual(calls.cdkOut, [path.join(app, 'assembly'), path.join(app, 'infra/cdk.out')]);
    assert.deepEqual(calls.plans, [JSON.parse(PLAN)]);
    const skippedFiles = result.notes
      .filter((n) => n.message.startsWith('skipped'))
      .map((n) => path.relative(app, n.origin!.file));
    assert.deepEqual(skippedFiles.sort(), ['README.md', 'package.json', 'workflow.yml']);
    assert.equal(
      result.notes.some(
        (n) => n.origin?.file.includes('node_modules') || n.origin?.file.includes('.aws-sam'),
      ),
      false,
    );
    assert.deepEqual(result.skipped, []);
  });

  it('sorts findings by file, then line (unknown last), then rule', async () => {
    const app = path.join(root, 'app');
    const result = await lintPaths([app], {}, deps);
    const keys = result.findings.map((f) => `${path.relative(app, f.file)}:${f.line ?? '-'}:${f.rule}`);
    assert.deepEqual(keys, [
      'assembly/Stack.template.json:3:every-queue',
      'assembly/Stack.template.json:3:profiled',
      'infra/cdk.out/Stack.template.json:3:every-queue',
      'infra/cdk.out/Stack.template.json:3:profiled',
      'nested/queue.json:3:profiled',
      'nested/tfplan.json:-:every-queue',
      'nested/tfplan.json:-:profiled',
      'template.yaml:3:every-queue',
      'template.yaml:3:profiled',
      'template.yaml:5:profiled',
    ]);
  });

  it("collects the rules' explanations and the readers' notes", async () => {
    const app = path.join(root, 'app');
    const result = await lintPaths([app], {}, deps);
    const messages = result.notes.map((n) => `${n.resource ?? ''}: ${n.message}`);
    assert.ok(messages.includes('JsonQueue: wait time unresolved'), messages.join('\n'));
    assert.ok(messages.includes('aws_sqs_queue.orders: policy known after apply'), messages.join('\n'));
  });

  it('reads a file or folder named twice, or a file inside a folder named too, once', async () => {
    const app = path.join(root, 'app');
    const file = path.join(app, 'template.yaml');
    const result = await lintPaths([file, app, file, path.join(app, 'infra/cdk.out')], {}, deps);
    assert.equal(result.files.filter((f) => f === file).length, 1);
    assert.equal(result.findings.filter((f) => f.file === file && f.rule === 'every-queue').length, 1);
    assert.equal(result.files.filter((f) => f.endsWith('cdk.out')).length, 1);
  });

  it('leaves duplicate keys to the reader rather than refusing the file', async () => {
    const file = path.join(root, 'dup/template.yml');
    const result = await lintPaths([file], {}, deps);
    assert.deepEqual(result.files, [file]);
  });

  it('names a cdk.out folder explicitly', async () => {
    const dir = path.join(root, 'app/infra/cdk.out');
    const result = await lintPaths([dir], {}, deps);
    assert.deepEqual(result.files, [dir]);
    assert.deepEqual(
      result.findings.map((f) => f.resource),
      ['CdkQueue', 'CdkQueue'],
    );
  });

  it('skips, with a note and a skipped entry, a template its reader refuses while walking', async () => {
    const result = await lintPaths([root], {}, deps);
    const refused = result.skipped.map((s) => [path.relative(root, s.path), s.reason]);
    assert.deepEqual(refused, [['broken/cdk.out', 'cdk.out not read: manifest.json names no stack']]);
    const bad = result.notes.find((n) => n.origin?.file === path.join(root, 'plain/bad.yaml'));
    assert.ok(bad);
    assert.match(bad.message, /^skipped: not a template or plan: invalid YAML/);
  });

  it('refuses every unreadable explicit input at once: missing, not a template, nothing in a folder', async () => {
    const missing = path.join(root, 'missing.yaml');
    const notes = path.join(root, 'plain/notes.txt');
    const pkg = path.join(root, 'app/package.json');
    const empty = path.join(root, 'empty');
    const brokenJson = path.join(root, 'plain/broken.json');
    const broken = path.join(root, 'broken/cdk.out');
    await assert.rejects(
      lintPaths(
        [missing, notes, pkg, empty, broken, brokenJson, path.join(root, 'app/template.yaml')],
        {},
        deps,
      ),
      (err: unknown) => {
        assert.ok(err instanceof LintInputError);
        assert.deepEqual(
          err.problems.map((p) => p.path),
          [missing, notes, pkg, empty, broken, brokenJson],
        );
        const reasons = err.problems.map((p) => p.reason);
        assert.equal(reasons[0], 'no such file or folder');
        assert.match(reasons[1], /^not a CloudFormation or SAM template .* nor a Terraform plan/);
        assert.match(reasons[2], /^not a CloudFormation or SAM template/);
        assert.match(
          reasons[3],
          /^no CloudFormation or SAM template, cdk.out folder or Terraform plan found/,
        );
        assert.equal(reasons[4], 'cdk.out not read: manifest.json names no stack');
        assert.match(reasons[5], /^not a template or plan: invalid JSON/);
        assert.match(err.message, /^cannot read .*missing\.yaml: no such file or folder/);
        return true;
      },
    );
  });

  it("reports a reader's failure on an explicit file as a reason, not a crash", async () => {
    const file = path.join(root, 'app/template.yaml');
    const failing: LintDependencies = {
      ...deps,
      readers: {
        ...deps.readers,
        cloudFormation: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'Type')");
        },
      },
    };
    await assert.rejects(lintPaths([file], {}, failing), (err: unknown) => {
      assert.ok(err instanceof LintInputError);
      assert.match(err.problems[0].reason, /^the reader failed \(Cannot read properties/);
      return true;
    });
  });

  it("keeps the other rules' findings when one rule throws, and notes the failure", async () => {
    const file = path.join(root, 'app/template.yaml');
    const result = await lintPaths([file], {}, { ...deps, rules: [throwing, everyQueue] });
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['every-queue'],
    );
    assert.ok(result.notes.some((n) => /rule throwing could not check this input \(boom\)/.test(n.message)));
  });
});
