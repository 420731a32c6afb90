import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Journal } from '../../../src/storage/embedded/journal.js';
import { body, type Harness, harness, STREAM_ARN, s3Stream } from './pipeline-support.js';

let dir: string;
let journal: Journal | undefined;
let h: Harness | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firehose-buffers-'));
});
afterEach(() => {
  h?.stop();
  journal?.close();
  h = undefined;
  journal = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Ends the running pipeline as a crash would leave its folder: what was committed, nothing more. */
function crash(): void {
  h?.stop();
  journal?.close();
  h = undefined;
  journal = undefined;
}

function restart(): Harness {
  journal = new Journal(dir);
  h = harness(journal);
  return h;
}

const rows = async (j: Journal) => {
  await j.commit();
  return j.resources('firehoseBuffers').length;
};

describe('Firehose buffers across restarts', () => {
  it('journals an acknowledged batch before ingest resolves, and delivers it after a restart', async () => {
    const first = restart();
    const stream = s3Stream();
    await first.put(stream, 'a', 'b');
    await first.put(stream, 'c');
    assert.equal(first.s3.objects.length, 0);
    assert.equal(await rows(journal as Journal), 2);
    crash();

    const second = restart();
    await second.pipeline.open([stream]);
    await second.pipeline.idle();
    await second.advance(299_000);
    assert.equal(second.s3.objects.length, 0, 'the interval still runs from the first arrival');
    await second.advance(1_000);
    assert.deepEqual(second.s3.objects.map(body), ['abc']);
    assert.equal(await rows(journal as Journal), 0, 'delivered batches leave the journal');
  });

  it('does not deliver again what reached S3 before the restart', async () => {
    const first = restart();
    const stream = s3Stream({ BufferingHints: { IntervalInSeconds: 60 } });
    await first.put(stream, 'x');
    await first.advance(60_000);
    assert.equal(first.s3.objects.length, 1);
    assert.equal(await rows(journal as Journal), 0);
    crash();

    const second = restart();
    await second.pipeline.open([stream]);
    await second.advance(600_000);
    assert.equal(second.s3.attempts, 0);
  });

  it('keeps a batch until S3 takes it, retries included', async () => {
    const first = restart();
    first.s3.refusals = 2;
    const stream = s3Stream({ BufferingHints: { IntervalInSeconds: 0 } });
    await first.put(stream, 'y');
    assert.equal(await rows(journal as Journal), 1, 'refused: still journaled');
    await first.advance(5_000);
    await first.advance(5_000);
    assert.deepEqual(first.s3.objects.map(body), ['y']);
    assert.equal(await rows(journal as Journal), 0);
  });

  it('keeps the batches of writes cut short by shutdown, and of buffers never written', async () => {
    const first = restart();
    first.s3.refusals = Number.POSITIVE_INFINITY;
    const refused = s3Stream({ BufferingHints: { IntervalInSeconds: 0 } });
    const waiting = s3Stream({}, { name: 'waiting', arn: STREAM_ARN.replace('orders', 'waiting') });
    await first.put(refused, 'r');
    await first.put(waiting, 'w');
    await first.advance(5_000);
    assert.equal(first.s3.attempts, 2);
    crash();

    const second = restart();
    await second.pipeline.open([refused, waiting]);
    await second.pipeline.idle();
    await second.advance(300_000);
    assert.deepEqual(second.s3.objects.map(body).sort(), ['r', 'w']);
    assert.equal(await rows(journal as Journal), 0);
  });

  it("drops a deleted stream's batches, and those of streams no longer there at start", async () => {
    const first = restart();
    const kept = s3Stream();
    const deleted = s3Stream({}, { name: 'gone', arn: STREAM_ARN.replace('orders', 'gone') });
    const vanished = s3Stream({}, { name: 'vanished', arn: STREAM_ARN.replace('orders', 'vanished') });
    await first.put(kept, 'k');
    await first.put(deleted, 'd');
    await first.put(vanished, 'v');
    await first.pipeline.deleted(deleted);
    assert.equal(await rows(journal as Journal), 2);
    crash();

    const second = restart();
    await second.pipeline.open([kept]);
    assert.equal(await rows(journal as Journal), 1);
    await second.advance(300_000);
    assert.deepEqual(second.s3.objects.map(body), ['k']);
  });

  it('clears every batch on reset', async () => {
    const first = restart();
    await first.put(s3Stream(), 'k');
    await first.pipeline.clear();
    assert.equal(await rows(journal as Journal), 0);
  });
});
