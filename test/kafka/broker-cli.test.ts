// The CLI's Kafka flags (README, "Options"): --kafka-port (default 9092, 0 for a free port,
// TIDEWAY_KAFKA_PORT), --no-kafka, and the bootstrap server printed at start.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runCli, startCli, stopCli } from '../support/server.js';

const run = promisify(execFile);

function bootstrapOf(stdout: string): string | undefined {
  return /Kafka bootstrap server: (\S+)/.exec(stdout)?.[1];
}

describe('tideway CLI: Kafka', () => {
  it('--help lists the Kafka options', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const text of ['--kafka-port', '--no-kafka', 'TIDEWAY_KAFKA_PORT', '9092']) {
      assert.ok(help.stdout.includes(text), text);
    }
  });

  it('--kafka-port 0 serves the default cluster on a free port and prints its bootstrap', async () => {
    const cli = await startCli(['--port', '0', '--kafka-port', '0', '--log-level', 'warn']);
    try {
      const bootstrap = bootstrapOf(cli.stdout());
      assert.match(bootstrap ?? '', /^127\.0\.0\.1:\d+$/);
      assert.notEqual(bootstrap, '127.0.0.1:0');
      const { stdout } = await run('kcat', ['-b', bootstrap as string, '-L', '-J', '-m', '5'], {
        timeout: 20_000,
      });
      assert.deepEqual(JSON.parse(stdout).brokers, [{ id: 1, name: bootstrap }]);
    } finally {
      const exit = await stopCli(cli);
      assert.equal(exit.code, 0, cli.stderr());
    }
  });

  it('TIDEWAY_KAFKA_PORT sets the port, and --no-kafka turns Kafka off', async () => {
    const viaEnv = await startCli(['--port', '0', '--log-level', 'warn'], {
      env: { TIDEWAY_KAFKA_PORT: '0' },
    });
    try {
      assert.ok(bootstrapOf(viaEnv.stdout()));
    } finally {
      await stopCli(viaEnv);
    }
    const off = await startCli(['--port', '0', '--no-kafka', '--log-level', 'warn']);
    try {
      assert.equal(bootstrapOf(off.stdout()), undefined);
      assert.equal(off.stdout().includes('Kafka'), false);
    } finally {
      await stopCli(off);
    }
  });

  it('rejects a bad --kafka-port, and --no-kafka with --kafka-port, with exit code 2', async () => {
    for (const args of [
      ['--kafka-port', 'abc'],
      ['--kafka-port', '65536'],
      ['--kafka-port', '0', '--no-kafka'],
    ]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /--kafka-port/);
    }
  });

  it('a Kafka port already taken stops the start with a message naming the flags', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await runCli(['--port', '0', '--kafka-port', String(port)], {}, { timeoutMs: 10_000 });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`Kafka listener on 127\\.0\\.0\\.1:${port}.*--kafka-port.*--no-kafka`),
      );
    } finally {
      blocker.close();
    }
  });
});
