import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DirSync } from '../../../src/storage/embedded/dir-sync.js';

/** A sync that finishes when the test says so, recording when each one began. */
function manualSyncs() {
  const started: Array<() => void> = [];
  return {
    started,
    once: () =>
      new Promise<void>((resolve) => {
        started.push(resolve);
      }),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('shared folder sync', () => {
  it('runs one sync for a lone caller', async () => {
    const syncs = manualSyncs();
    const dir = new DirSync('/unused', syncs.once);
    const done = dir.sync();
    assert.equal(syncs.started.length, 1);
    syncs.started[0]();
    await done;
  });

  it('makes callers that arrive during a sync wait for one more, shared by all of them', async () => {
    const syncs = manualSyncs();
    const dir = new DirSync('/unused', syncs.once);
    const first = dir.sync();
    let laterDone = 0;
    const later = Array.from({ length: 10 }, () => dir.sync().then(() => laterDone++));
    assert.equal(syncs.started.length, 1);
    syncs.started[0]();
    await first;
    await tick();
    // The first sync may have begun before their renames: they are not done with it.
    assert.equal(laterDone, 0);
    assert.equal(syncs.started.length, 2);
    syncs.started[1]();
    await Promise.all(later);
    assert.equal(laterDone, 10);
    assert.equal(syncs.started.length, 2);
  });

  it('passes a failed sync to its callers and syncs again for the next', async () => {
    let calls = 0;
    const dir = new DirSync('/unused', async () => {
      calls++;
      if (calls === 1) throw new Error('EIO');
    });
    await assert.rejects(dir.sync(), /EIO/);
    await dir.sync();
    assert.equal(calls, 2);
  });

  it('syncs a real folder', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-dirsync-'));
    try {
      await Promise.all([new DirSync(folder).sync(), new DirSync(folder).sync()]);
      await assert.rejects(new DirSync(path.join(folder, 'missing')).sync(), { code: 'ENOENT' });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
