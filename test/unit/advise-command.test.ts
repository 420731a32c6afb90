import assert from 'node:assert/strict';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/advise.js';
import { WORKLOAD_DIMENSIONS } from '../../src/knowhow/advise/index.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function ask(lines: string[], argv: string[] = []) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, {
    input: Readable.from([lines.map((l) => `${l}\n`).join('')]),
    interactive: true,
    stdout,
    stderr,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// The answers in the order WORKLOAD_DIMENSIONS asks them; '' takes the default.
function answers(given: Record<string, string>): string[] {
  return WORKLOAD_DIMENSIONS.map((d) => given[d.name] ?? '');
}

describe('tideway advise on a terminal', () => {
  it('asks one question per dimension, with its answers and default, on stderr', async () => {
    const { code, stdout, stderr } = await ask(answers({}), ['--format', 'json']);
    assert.equal(code, 0, stderr);
    for (const dim of WORKLOAD_DIMENSIONS) assert.ok(stderr.includes(dim.question), dim.name);
    assert.ok(stderr.includes('[none/per-group/per-partition] (default: none)'));
    assert.ok(stderr.includes('[yes/no] (default: no)'));
    // Only the advice on stdout: the defaults give the standard queue.
    assert.equal(JSON.parse(stdout).pattern, 'Work queue: SQS standard queue');
  });

  it('uses the answers typed, and asks again after a wrong one', async () => {
    const lines = answers({ consumers: 'fan-out', ordering: 'per-group' });
    const orderingAt = WORKLOAD_DIMENSIONS.findIndex((d) => d.name === 'ordering');
    lines.splice(orderingAt, 0, 'sideways');
    const { code, stdout, stderr } = await ask(lines, ['--format', 'json']);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /ordering must be one of none, per-group, per-partition, not "sideways"/);
    const advice = JSON.parse(stdout);
    assert.deepEqual(
      advice.services.map((s: { id: string }) => s.id),
      ['sns', 'sqs'],
    );
    assert.match(advice.pattern, /SNS FIFO/);
  });

  it('reads answers that arrive while an earlier question is pending, in order', async () => {
    const input = new PassThrough();
    const stdout = new Capture();
    const stderr = new Capture();
    const done = run(['--format', 'json'], { input, interactive: true, stdout, stderr });
    input.write(answers({ replay: 'yes', stateful: 'yes' }).join('\n'));
    input.end('\n');
    assert.equal(await done, 0, stderr.text);
    assert.deepEqual(
      JSON.parse(stdout.text).services.map((s: { id: string }) => s.id),
      ['kinesis-data-streams', 'managed-flink'],
    );
  });

  it('fails with exit 2 when the input ends before the last question', async () => {
    const { code, stderr, stdout } = await ask(['yes', 'per-group']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /input ended before every question was answered/);
  });

  it('does not ask when flags are given, even on a terminal', async () => {
    const { code, stdout, stderr } = await ask([], ['--replay']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    assert.match(stdout, /^Pattern: Event streaming on Amazon Kinesis Data Streams/);
  });

  it('refuses to wait for answers when the input is not a terminal', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run([], { input: Readable.from([]), interactive: false, stdout, stderr });
    assert.equal(code, 2);
    assert.match(stderr.text, /no workload: give dimension flags or --workload FILE/);
    assert.match(stderr.text, /tideway advise --help/);
  });
});
