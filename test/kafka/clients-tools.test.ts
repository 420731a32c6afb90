import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKcatOutput, runChild, runPython } from '../support/kafka-tools.js';

// The helpers the Kafka client suites stand on: if they misread a byte, every suite above them
// would blame the broker.
describe('Kafka test tools', () => {
  it('reads kcat output with binary keys and values, null keys and null values', () => {
    const value = Buffer.from([0x0a, 0x00, 0x20, 0x0a, 0xff, 0x09]);
    const out = Buffer.concat([
      Buffer.from('0 5 1700000000000 3 6\n'),
      Buffer.from('k\n '),
      value,
      Buffer.from('\n'),
      Buffer.from('2 0 1700000000001 -1 -1\n\n'),
      Buffer.from('1 7 1700000000002 0 2\nab\n'),
    ]);
    const messages = parseKcatOutput(out);
    assert.equal(messages.length, 3);
    assert.deepEqual(messages[0], {
      partition: 0,
      offset: 5,
      timestamp: 1700000000000,
      key: Buffer.from('k\n '),
      value,
    });
    assert.deepEqual(messages[1], {
      partition: 2,
      offset: 0,
      timestamp: 1700000000001,
      key: null,
      value: null,
    });
    assert.deepEqual(messages[2], {
      partition: 1,
      offset: 7,
      timestamp: 1700000000002,
      key: Buffer.alloc(0),
      value: Buffer.from('ab'),
    });
  });

  it('refuses kcat output whose lengths do not match its bytes', () => {
    assert.throws(() => parseKcatOutput(Buffer.from('0 0 1 -1 5\nabc\n')), /5 bytes promised/);
    assert.throws(() => parseKcatOutput(Buffer.from('0 0 1 -1 2\nabc\n')), /no newline/);
    assert.throws(() => parseKcatOutput(Buffer.from('% error text\n')), /unreadable header/);
  });

  it('kills a child at its timeout and says so with its stderr', async () => {
    const started = Date.now();
    // A shell starts in milliseconds even on a loaded machine, so its line is out long before
    // the kill.
    await assert.rejects(
      runChild('sh', ['-c', 'echo stuck here >&2; exec sleep 60'], { timeoutMs: 2000 }),
      /killed after 2000 ms[\s\S]*stuck here/,
    );
    assert.ok(Date.now() - started < 15_000);
  });

  it("runs the fixtures with Debian's Python, which has both Kafka bindings", async () => {
    // The script gets past its imports (so the interpreter is the right one) and its failure
    // surfaces with the traceback rather than as unparsed output.
    await assert.rejects(
      runPython('confluent_client.py', { op: 'nonexistent' }, { timeoutMs: 20_000 }),
      /exited 1[\s\S]*KeyError: 'nonexistent'/,
    );
  });
});
