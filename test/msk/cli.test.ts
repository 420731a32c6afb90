import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateClusterCommand, DescribeClusterCommand } from '@aws-sdk/client-kafka';
import { runCli, startCli, stopCli } from '../support/server.js';
import { uniqueName } from '../support/tideway.js';
import { mskClient, provisioned } from './helpers.js';

describe('--msk-status-delay', () => {
  it('is in --help, refuses a bad value, and sets the delay (flag or TIDEWAY_MSK_STATUS_DELAY)', async () => {
    const help = await runCli(['--help']);
    assert.ok(help.stdout.includes('--msk-status-delay'));
    assert.ok(help.stdout.includes('TIDEWAY_MSK_STATUS_DELAY'));
    const bad = await runCli(['--msk-status-delay', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--msk-status-delay/);

    for (const [args, env] of [
      [['--msk-status-delay', '60000'], {}],
      [[], { TIDEWAY_MSK_STATUS_DELAY: '60000' }],
    ] as const) {
      const cli = await startCli(['--port', '0', '--log-level', 'warn', ...args], { env });
      const client = mskClient(cli.endpoint);
      try {
        const created = await client.send(new CreateClusterCommand(provisioned(uniqueName('cli'))));
        const { ClusterInfo } = await client.send(
          new DescribeClusterCommand({ ClusterArn: created.ClusterArn }),
        );
        assert.equal(ClusterInfo?.State, 'CREATING');
      } finally {
        client.destroy();
        await stopCli(cli);
      }
    }
  });
});
