// End to end with --data-dir: a put Firehose acknowledged is delivered even when the server
// stops before the buffering interval ends, once the restarted server's clock gets there.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { type RunningCli, startCli } from '../support/server.js';
import { advance, credentials, type RunningTideway, startServer } from '../support/tideway.js';
import {
  assertStampWithin,
  directPutStream,
  gunzip,
  hourPrefix,
  landed,
  now,
  parseKey,
  putAll,
  records,
  settledObjects,
} from './e2e-support.js';
import { bucket, type IntegrationSuite, REGION } from './integrations-support.js';

describe('Firehose → S3 across a restart with --data-dir', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-firehose-e2e-restart-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function start(): Promise<IntegrationSuite> {
    const server = await startServer({ dataDir: dir });
    const config = { endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 };
    return {
      server,
      firehose: new FirehoseClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
    };
  }

  async function stop(suite: IntegrationSuite): Promise<void> {
    suite.firehose.destroy();
    suite.s3.destroy();
    await suite.server.stop();
  }

  it('delivers acknowledged records after the restart, at the interval, as one object', async () => {
    const first = await start();
    let b: { name: string; arn: string };
    let stream: { name: string; arn: string };
    let put: { from: number; to: number };
    const batches = [records(500, 1024, 'x'), records(10, 64, 'y')];
    try {
      b = await bucket(first.s3);
      stream = await directPutStream(first, b.arn);
      const from = await now(first);
      for (const batch of batches) await putAll(first, stream.name, batch);
      put = { from, to: await now(first) };
      await advance(first.server, 30);
      assert.deepEqual(await settledObjects(first, b.name), [], 'nothing before the restart');
    } finally {
      await stop(first);
    }

    const second = await start();
    try {
      // The restored buffer is due 60 s after its first record arrived, whatever the restart took.
      assert.deepEqual(await settledObjects(second, b.name), [], 'nothing before the interval');
      await advance(second.server, 61);
      const [object, ...more] = await landed(second, b.name);
      assert.deepEqual(more, []);
      const key = parseKey(object!.key, stream.name);
      assertStampWithin(key.time, put.from, put.to);
      assert.equal(key.prefix, hourPrefix(key.time));
      assert.ok(object!.body.equals(Buffer.concat(batches.flat())), 'every acknowledged record, in order');
      // Delivered once: the journal let go of the records, so a later start writes nothing again.
      await advance(second.server, 120);
      assert.equal((await settledObjects(second, b.name)).length, 1);
    } finally {
      await stop(second);
    }

    const third = await start();
    try {
      await advance(third.server, 400);
      assert.equal(
        (await settledObjects(third, b.name)).length,
        1,
        'no second delivery after another restart',
      );
    } finally {
      await stop(third);
    }
  });

  it('delivers acknowledged records after kill -9, from the journal', async () => {
    const launched: RunningCli[] = [];
    const launch = async (): Promise<IntegrationSuite & { cli: RunningCli }> => {
      const cli = await startCli(['--port', '0', '--log-level', 'warn', '--data-dir', dir]);
      launched.push(cli);
      const config = { endpoint: cli.endpoint, region: REGION, credentials, maxAttempts: 1 };
      return {
        cli,
        // Only the endpoint is read by the clock and hint helpers.
        server: { endpoint: cli.endpoint } as RunningTideway,
        firehose: new FirehoseClient(config),
        s3: new S3Client({ ...config, forcePathStyle: true }),
      };
    };
    try {
      const first = await launch();
      const b = await bucket(first.s3);
      const stream = await directPutStream(first, b.arn, { CompressionFormat: 'GZIP' });
      const data = records(300, 512, 'k');
      await putAll(first, stream.name, data);
      first.firehose.destroy();
      first.s3.destroy();
      first.cli.child.kill('SIGKILL');
      assert.equal((await first.cli.exited).signal, 'SIGKILL');

      const second = await launch();
      try {
        assert.deepEqual(await settledObjects(second, b.name), [], 'nothing before the interval');
        await advance(second.server, 61);
        const [object, ...more] = await landed(second, b.name);
        assert.deepEqual(more, []);
        parseKey(object!.key, stream.name, '.gz');
        assert.ok(gunzip(object!.body).equals(Buffer.concat(data)), 'every acknowledged record, in order');
      } finally {
        second.firehose.destroy();
        second.s3.destroy();
      }
    } finally {
      for (const cli of launched) {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
        await cli.exited;
      }
    }
  });
});
