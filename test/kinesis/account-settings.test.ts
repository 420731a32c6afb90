// DescribeAccountSettings / UpdateAccountSettings: the minimum throughput billing commitment.
//
// Sources (AWS docs):
// - Kinesis API Reference, UpdateAccountSettings, DescribeAccountSettings,
//   MinimumThroughputBillingCommitmentInput ("Commitments have a minimum duration of 24 hours ... If you
//   attempt to disable a commitment before the minimum commitment period ends, the commitment will be
//   scheduled for automatic disable at the earliest allowed end time ... You can cancel a pending
//   disable by enabling the commitment again") and MinimumThroughputBillingCommitmentOutput (statuses
//   ENABLED, DISABLED, ENABLED_UNTIL_EARLIEST_ALLOWED_END; StartedAt, EndedAt, EarliestAllowedEndAt).
// - Kinesis guide, how-do-i-size-a-stream.html ("On-demand Advantage"): an account-level setting for
//   the Region; to leave it, "you must first remove any warm throughput configured" on on-demand streams.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeAccountSettingsCommand,
  type KinesisClient,
  UpdateAccountSettingsCommand,
  UpdateStreamWarmThroughputCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../support/kinesis.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  serverNow,
  startServer,
  uniqueName,
} from '../support/tideway.js';

const DAY_MS = 24 * 3_600_000;

describe('Kinesis account settings', () => {
  let server: RunningTideway;
  const clients: KinesisClient[] = [];
  let accounts = 0;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  /** A client for an account of its own, so that each test starts from the default settings. */
  function freshAccount(): KinesisClient {
    accounts++;
    const client = kinesisClient(server.endpoint, String(222200000000 + accounts));
    clients.push(client);
    return client;
  }

  const setStatus = (client: KinesisClient, Status: 'ENABLED' | 'DISABLED') =>
    client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status } }));

  it('starts disabled', async () => {
    const client = freshAccount();
    const out = await client.send(new DescribeAccountSettingsCommand({}));
    assert.deepEqual(out.MinimumThroughputBillingCommitment, { Status: 'DISABLED' });
  });

  it('commits for at least 24 hours, and a disable asked for sooner waits', async () => {
    const client = freshAccount();
    const before = await serverNow(server);
    const enabled = (await setStatus(client, 'ENABLED')).MinimumThroughputBillingCommitment!;
    const afterwards = await serverNow(server);
    assert.equal(enabled.Status, 'ENABLED');
    const started = enabled.StartedAt!.getTime();
    assert.ok(started >= before && started <= afterwards);
    assert.equal(enabled.EarliestAllowedEndAt!.getTime() - started, DAY_MS);
    assert.equal(enabled.EndedAt, undefined);

    const pending = (await setStatus(client, 'DISABLED')).MinimumThroughputBillingCommitment!;
    assert.equal(pending.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    assert.equal(pending.EarliestAllowedEndAt!.getTime(), started + DAY_MS);
    // Enabling again cancels the pending disable and keeps the commitment as it was.
    const again = (await setStatus(client, 'ENABLED')).MinimumThroughputBillingCommitment!;
    assert.equal(again.Status, 'ENABLED');
    assert.equal(again.StartedAt!.getTime(), started);

    await setStatus(client, 'DISABLED');
    await advance(server, 24 * 3600);
    const ended = (await client.send(new DescribeAccountSettingsCommand({})))
      .MinimumThroughputBillingCommitment!;
    assert.equal(ended.Status, 'DISABLED');
    assert.equal(ended.StartedAt!.getTime(), started);
    assert.equal(ended.EndedAt!.getTime(), started + DAY_MS);
    assert.equal(ended.EarliestAllowedEndAt, undefined);
  });

  it('disables at once after the first 24 hours, and a new commitment starts afresh', async () => {
    const client = freshAccount();
    await setStatus(client, 'ENABLED');
    await advance(server, 24 * 3600 + 1);
    const before = await serverNow(server);
    const off = (await setStatus(client, 'DISABLED')).MinimumThroughputBillingCommitment!;
    assert.equal(off.Status, 'DISABLED');
    assert.ok(off.EndedAt!.getTime() >= before);
    const on = (await setStatus(client, 'ENABLED')).MinimumThroughputBillingCommitment!;
    assert.equal(on.Status, 'ENABLED');
    assert.ok(on.StartedAt!.getTime() >= before);
    assert.equal(on.EndedAt, undefined);
  });

  it('keeps each account to itself', async () => {
    const one = freshAccount();
    const two = freshAccount();
    await setStatus(one, 'ENABLED');
    const other = await two.send(new DescribeAccountSettingsCommand({}));
    assert.equal(other.MinimumThroughputBillingCommitment?.Status, 'DISABLED');
  });

  it('refuses an unknown status', async () => {
    const client = freshAccount();
    const err = await errorOf(() => setStatus(client, 'PAUSED' as 'ENABLED'));
    assert.equal(err.name, 'ValidationException');
    assert.equal(
      err.message,
      "1 validation error detected: Value 'PAUSED' at 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
    );
  });

  it('stays on while an on-demand stream has warm throughput', async () => {
    const client = freshAccount();
    await setStatus(client, 'ENABLED');
    await advance(server, 24 * 3600 + 1);
    const StreamName = uniqueName('warm');
    await client.send(new CreateStreamCommand({ StreamName }));
    await client.send(new UpdateStreamWarmThroughputCommand({ StreamName, WarmThroughputMiBps: 100 }));
    const err = await errorOf(() => setStatus(client, 'DISABLED'));
    assert.equal(err.name, 'InvalidArgumentException');
    assert.match(err.message, new RegExp(`warm throughput configured: ${StreamName}\\.`));
    await client.send(new UpdateStreamWarmThroughputCommand({ StreamName, WarmThroughputMiBps: 0 }));
    const off = await setStatus(client, 'DISABLED');
    assert.equal(off.MinimumThroughputBillingCommitment?.Status, 'DISABLED');
  });
});
