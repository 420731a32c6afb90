// kcat (librdkafka 2.0) producing with each compression and consuming back, byte for byte, with
// keys and headers: the batches it compresses are stored as sent and handed back unchanged.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { decodeRecords } from '../../src/protocols/kafka/record-batch.js';
import { type MiniBroker, startMiniBroker } from './data-mini-broker.js';

const run = promisify(execFile);

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: 20_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input ?? '');
  });
}

function messages(codec: string): Array<{ key: string; value: string }> {
  return Array.from({ length: 40 }, (_, i) => ({
    key: `${codec}-${i}`,
    value: `${codec} value ${i} `.repeat(i % 7 === 0 ? 90 : 1 + i),
  }));
}

describe('kcat through the data path', () => {
  let broker: MiniBroker;
  before(async () => {
    await run('kcat', ['-V']);
    broker = await startMiniBroker();
  });
  after(() => broker.close());

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`produces and consumes back with -z ${codec}`, async () => {
      const topic = `kcat-${codec}`;
      broker.fake.log.addTopic(topic, 1);
      const sent = messages(codec);
      await kcat(
        [
          '-b',
          broker.bootstrap,
          '-P',
          '-t',
          topic,
          '-z',
          codec,
          '-K',
          ':',
          '-H',
          'h1=one',
          '-H',
          'h2=',
          '-X',
          'linger.ms=5',
        ],
        `${sent.map((m) => `${m.key}:${m.value}`).join('\n')}\n`,
      );
      const stored = broker.fake.log.partitions.get(`${topic}/0`)?.batches ?? [];
      assert.ok(stored.length > 0);
      if (codec !== 'none')
        assert.equal(
          stored[0]?.readInt16BE(21) & 7,
          ['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec),
        );
      assert.deepEqual(
        stored.flatMap((b) => decodeRecords(b)).map((r) => r.value?.toString()),
        sent.map((m) => m.value),
      );
      const out = await kcat([
        '-b',
        broker.bootstrap,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-J',
        '-q',
      ]);
      const got = out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        got.map((m) => [m.offset, m.key, m.payload, m.headers]),
        sent.map((m, i) => [i, m.key, m.value, ['h1', 'one', 'h2', '']]),
      );
    });
  }

  it('consumes from the end and by time with -o', async () => {
    const topic = 'kcat-offsets';
    broker.fake.log.addTopic(topic, 1);
    await kcat(['-b', broker.bootstrap, '-P', '-t', topic], 'a\nb\nc\n');
    const tail = await kcat([
      '-b',
      broker.bootstrap,
      '-C',
      '-t',
      topic,
      '-o',
      '-1',
      '-e',
      '-f',
      '%o:%s\\n',
      '-q',
    ]);
    assert.equal(tail, '2:c\n');
    const byTime = await kcat([
      '-b',
      broker.bootstrap,
      '-C',
      '-t',
      topic,
      '-o',
      's@0',
      '-e',
      '-f',
      '%o\\n',
      '-q',
    ]);
    assert.equal(byTime, '0\n1\n2\n');
  });
});
