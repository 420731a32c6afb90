import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { eventsClient } from '../support/events.js';
import { advance, serverNow, startServer } from '../support/tideway.js';

// Archives and replays are kept in the journal: after a restart an archive is still there, and a
// replay the restart interrupted carries on to COMPLETED on the new server's clock.
describe('EventBridge archives and replays across restarts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-events-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps archives, and finishes a replay after a restart', async () => {
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    let server = await startServer({ dataDir: dir });
    let events = eventsClient(server.endpoint);
    try {
      const { ArchiveArn } = await events.send(
        new CreateArchiveCommand({ ArchiveName: 'kept', EventSourceArn: bus, RetentionDays: 3 }),
      );
      const now = await serverNow(server);
      await events.send(
        new StartReplayCommand({
          ReplayName: 'interrupted',
          EventSourceArn: ArchiveArn,
          EventStartTime: new Date(now - 60_000),
          EventEndTime: new Date(now),
          Destination: { Arn: bus },
        }),
      );
      events.destroy();
      await server.stop();

      server = await startServer({ dataDir: dir });
      events = eventsClient(server.endpoint);
      const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: 'kept' }));
      assert.equal(archive.ArchiveArn, ArchiveArn);
      assert.equal(archive.RetentionDays, 3);
      await advance(server, 3);
      const replay = await events.send(new DescribeReplayCommand({ ReplayName: 'interrupted' }));
      assert.equal(replay.State, 'COMPLETED');
    } finally {
      events.destroy();
      await server.stop();
    }
  });
});
