import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { freePort, health, queryRequest, runCli, startCli, stopCli, xmlText } from '../support/server.js';
import { sqsClient, testEngine, uniqueName } from '../support/tideway.js';

// The CLI's contract is Tideway's own (README, "Options"). What the server then does is AWS's:
// a queue's ARN is arn:aws:sqs:<region>:<account>:<name> (SQS API Reference,
// GetQueueAttributes: QueueArn), and the region of an unsigned request is --region.
describe('tideway CLI', () => {
  it('--help lists every option and exits 0', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const flag of ['--port', '--host', '--data-dir', '--region', '--log-level']) {
      assert.ok(run.stdout.includes(flag), `--help mentions ${flag}`);
    }
    for (const env of [
      'TIDEWAY_PORT',
      'TIDEWAY_HOST',
      'TIDEWAY_DATA_DIR',
      'TIDEWAY_REGION',
      'TIDEWAY_LOG_LEVEL',
      'TIDEWAY_KMS_MASTER_KEY',
    ]) {
      assert.ok(run.stdout.includes(env), `--help mentions ${env}`);
    }
    const short = await runCli(['-h']);
    assert.equal(short.code, 0);
    assert.equal(short.stdout, run.stdout);
  });

  it('--port 0 listens on a free port, prints the endpoint, and stops cleanly on SIGTERM', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'warn']);
    try {
      const url = new URL(cli.endpoint);
      assert.ok(Number(url.port) > 0, cli.endpoint);
      const { status, body } = await health(cli.endpoint);
      assert.equal(status, 200);
      assert.equal(body.status, 'ok');
      assert.equal(body.persistence, testEngine === 'data-dir');
      const sqs = sqsClient(cli.endpoint);
      const name = uniqueName('cli');
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      assert.equal(QueueUrl, `${cli.endpoint}/000000000000/${name}`);
      sqs.destroy();
    } finally {
      const exit = await stopCli(cli);
      assert.equal(exit.code, 0, cli.stderr());
    }
  });

  it('binds 127.0.0.1 by default', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'warn']);
    try {
      assert.match(cli.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(cli.stderr().includes('reachable from other machines'), false);
    } finally {
      await stopCli(cli);
    }
  });

  for (const bad of ['abc', '-1', '65536', '80.5', '']) {
    it(`rejects --port '${bad}' with exit code 2 and a message`, async () => {
      const run = await runCli(['--port', bad]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /--port/);
      assert.equal(run.stdout.includes('listening'), false);
    });
  }

  it('rejects an invalid TIDEWAY_PORT the same way', async () => {
    const run = await runCli([], { TIDEWAY_PORT: 'not-a-port' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--port/);
  });

  it('rejects an unknown option, an unknown command and a bad log level with exit code 2', async () => {
    for (const args of [['--no-such-flag'], ['frobnicate'], ['--log-level', 'loud']]) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stderr.length > 0);
    }
  });

  it('takes the port from TIDEWAY_PORT, and --port over TIDEWAY_PORT', async () => {
    const port = await freePort();
    const cli = await startCli(['--log-level', 'warn'], { env: { TIDEWAY_PORT: String(port) } });
    try {
      assert.equal(cli.endpoint, `http://127.0.0.1:${port}`);
      assert.equal((await health(cli.endpoint)).status, 200);
    } finally {
      await stopCli(cli);
    }
    const flagWins = await startCli(['--port', '0', '--log-level', 'warn'], {
      env: { TIDEWAY_PORT: String(port) },
    });
    try {
      assert.notEqual(new URL(flagWins.endpoint).port, String(port));
    } finally {
      await stopCli(flagWins);
    }
  });

  it('fails with exit code 2 when the port is taken', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'warn']);
    try {
      const run = await runCli(['--port', new URL(cli.endpoint).port]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /could not start/);
    } finally {
      await stopCli(cli);
    }
  });

  it('--region is the region of unsigned requests; signed ones keep their own', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'warn', '--region', 'eu-west-1']);
    try {
      const name = uniqueName('region');
      const created = await queryRequest(cli.endpoint, {
        Action: 'CreateQueue',
        Version: '2012-11-05',
        QueueName: name,
      });
      assert.equal(created.status, 200, created.body);
      const attrs = await queryRequest(cli.endpoint, {
        Action: 'GetQueueAttributes',
        Version: '2012-11-05',
        QueueUrl: xmlText(created.body, 'QueueUrl')!,
        'AttributeName.1': 'QueueArn',
      });
      assert.ok(attrs.body.includes(`<Value>arn:aws:sqs:eu-west-1:000000000000:${name}</Value>`), attrs.body);
      // An SDK signing for eu-west-1 sees it; one signing for us-east-1 does not.
      const west = sqsClient(cli.endpoint, 'json', { region: 'eu-west-1' });
      const east = sqsClient(cli.endpoint, 'json', { region: 'us-east-1' });
      const seen = await west.send(new ListQueuesCommand({ QueueNamePrefix: name }));
      assert.equal(seen.QueueUrls?.length, 1);
      const arn = await west.send(
        new GetQueueAttributesCommand({ QueueUrl: seen.QueueUrls![0], AttributeNames: ['QueueArn'] }),
      );
      assert.equal(arn.Attributes?.QueueArn, `arn:aws:sqs:eu-west-1:000000000000:${name}`);
      const unseen = await east.send(new ListQueuesCommand({ QueueNamePrefix: name }));
      assert.equal(unseen.QueueUrls, undefined);
      west.destroy();
      east.destroy();
    } finally {
      await stopCli(cli);
    }
  });

  it('takes the region from TIDEWAY_REGION', async () => {
    const cli = await startCli(['--port', '0', '--log-level', 'warn'], {
      env: { TIDEWAY_REGION: 'ap-south-1' },
    });
    try {
      assert.match(cli.stdout(), /region ap-south-1/);
      const name = uniqueName('envregion');
      const west = sqsClient(cli.endpoint, 'json', { region: 'ap-south-1' });
      await queryRequest(cli.endpoint, { Action: 'CreateQueue', Version: '2012-11-05', QueueName: name });
      const seen = await west.send(new ListQueuesCommand({ QueueNamePrefix: name }));
      assert.equal(seen.QueueUrls?.length, 1);
      west.destroy();
    } finally {
      await stopCli(cli);
    }
  });
});
