// kcat (librdkafka 2.0) producing with each compression and consuming back, byte for byte, with
// keys and headers, through a Tideway's default cluster: batches are stored as sent and handed back.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { uniqueName } from '../support/tideway.js';
import { withKafkaServer } from './broker-support.js';

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
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

const CODEC_IDS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

describe('kcat through the data path', () => {
  const suite = withKafkaServer();

  async function topic(configs: Record<string, string> = {}): Promise<string> {
    const name = uniqueName('kcat');
    const admin = await suite.admin();
    await admin.createTopics({
      topics: [
        {
          topic: name,
          numPartitions: 1,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    return name;
  }

  for (const codec of CODEC_IDS) {
    it(`produces and consumes back with -z ${codec}`, async () => {
      const name = await topic();
      const sent = messages(codec);
      await kcat(
        ['-b', suite.bootstrap, '-P', '-t', name, '-z', codec, '-K', ':', '-H', 'h1=one', '-H', 'h2='],
        `${sent.map((m) => `${m.key}:${m.value}`).join('\n')}\n`,
      );
      const out = await kcat(['-b', suite.bootstrap, '-C', '-t', name, '-o', 'beginning', '-e', '-J', '-q']);
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

  it('sends compressed batches, as the broker lists what librdkafka needs to compress', async () => {
    const name = await topic();
    const log = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        'kcat',
        ['-b', suite.bootstrap, '-P', '-t', name, '-z', 'lz4', '-d', 'msg'],
        { timeout: 30_000 },
        (err, _out, stderr) => (err ? reject(err) : resolve(stderr)),
      );
      child.stdin?.end(`${'compress me '.repeat(50)}\n`);
    });
    assert.match(log, /MsgVersion 2.*lz4\)/);
    assert.doesNotMatch(log, /does not support compression/);
  });

  it('consumes from the end and by time with -o', async () => {
    const name = await topic();
    await kcat(['-b', suite.bootstrap, '-P', '-t', name], 'a\nb\nc\n');
    const tail = await kcat([
      '-b',
      suite.bootstrap,
      '-C',
      '-t',
      name,
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
      suite.bootstrap,
      '-C',
      '-t',
      name,
      '-o',
      's@0',
      '-e',
      '-f',
      '%o\\n',
      '-q',
    ]);
    assert.equal(byTime, '0\n1\n2\n');
  });

  it('answers LogAppendTime topics with the broker time on every record', async () => {
    const name = await topic({ 'message.timestamp.type': 'LogAppendTime' });
    await kcat(['-b', suite.bootstrap, '-P', '-t', name, '-z', 'gzip'], 'x\ny\n');
    const out = await kcat(['-b', suite.bootstrap, '-C', '-t', name, '-o', 'beginning', '-e', '-J', '-q']);
    const got = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      got.map((m) => m.tstype),
      ['logappend', 'logappend'],
    );
    assert.equal(got[0].ts, got[1].ts);
  });
});
