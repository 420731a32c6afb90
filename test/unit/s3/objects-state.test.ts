import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import type { ObjectEvent, ObjectRecord } from '../../../src/services/s3/model.js';
import { S3State } from '../../../src/services/s3/state.js';
import { MemoryBodies } from '../../../src/storage/embedded/bodies.js';

const who = { account: '000000000000', requestId: 'r', sourceIp: '127.0.0.1' };

async function stateWithBucket(): Promise<{ state: S3State; bodies: MemoryBodies }> {
  const bodies = new MemoryBodies();
  const state = new S3State(new Clock(), createLogger('silent'), bodies);
  await state.open();
  await state.createBucket({ name: 'b', account: who.account, region: 'us-east-1', created: 0 });
  return { state, bodies };
}

async function objectOf(
  state: S3State,
  key: string,
  text: string,
  etag = `"${text}"`,
): Promise<ObjectRecord> {
  const writer = state.bodies.create();
  await writer.write(Buffer.from(text));
  const ref = await writer.commit();
  return {
    bucket: 'b',
    key,
    size: ref.size,
    etag,
    lastModified: 0,
    body: [ref],
    metadata: {},
    owner: who.account,
  };
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const piece of stream) out += Buffer.from(piece).toString();
  return out;
}

describe('S3State', () => {
  it('emits object events after each change, with growing sequencers', async () => {
    const { state } = await stateWithBucket();
    const events: ObjectEvent[] = [];
    const stop = state.onObjectEvent((e) => events.push(e));
    await state.commitObject(await objectOf(state, 'k', 'one'), {}, 'ObjectCreated:Put', who);
    await state.commitObject(await objectOf(state, 'k', 'two'), {}, 'ObjectCreated:Copy', who);
    await state.deleteObject('b', 'k', {}, who);
    await state.deleteObject('b', 'k', {}, who);
    stop();
    await state.commitObject(await objectOf(state, 'k', 'three'), {}, 'ObjectCreated:Put', who);
    assert.deepEqual(
      events.map((e) => [e.name, e.key, e.size, e.etag]),
      [
        ['ObjectCreated:Put', 'k', 3, 'one'],
        ['ObjectCreated:Copy', 'k', 3, 'two'],
        ['ObjectRemoved:Delete', 'k', undefined, undefined],
      ],
    );
    assert.ok(events[0].sequencer < events[1].sequencer && events[1].sequencer < events[2].sequencer);
    assert.equal(events[0].sequencer.length, events[2].sequencer.length);
  });

  it('answers 409 when conditions hold but the key changed after the write began, 412 when they fail', async () => {
    const { state } = await stateWithBucket();
    await state.commitObject(await objectOf(state, 'k', 'v1'), {}, 'ObjectCreated:Put', who);
    const since = state.mark();
    await state.commitObject(await objectOf(state, 'k', 'v1'), {}, 'ObjectCreated:Put', who);
    await assert.rejects(
      state.commitObject(
        await objectOf(state, 'k', 'v2'),
        { ifMatch: '"v1"', since },
        'ObjectCreated:Put',
        who,
      ),
      { code: 'ConditionalRequestConflict', status: 409 },
    );
    await assert.rejects(
      state.commitObject(
        await objectOf(state, 'k', 'v2'),
        { ifMatch: '"v0"', since },
        'ObjectCreated:Put',
        who,
      ),
      { code: 'PreconditionFailed', status: 412 },
    );
    await state.commitObject(
      await objectOf(state, 'k', 'v2'),
      { ifMatch: '"v1"', since: state.mark() },
      'ObjectCreated:Put',
      who,
    );
    assert.equal(state.object('b', 'k')?.etag, '"v2"');
  });

  it('keeps a replaced body until the read that started on it ends, then releases it', async () => {
    const { state, bodies } = await stateWithBucket();
    const first = await objectOf(state, 'k', 'old bytes');
    await state.commitObject(first, {}, 'ObjectCreated:Put', who);
    const reading = state.readObject(first, 4);
    await state.commitObject(await objectOf(state, 'k', 'new'), {}, 'ObjectCreated:Put', who);
    assert.equal(await text(reading), 'bytes');
    await new Promise((r) => setImmediate(r));
    assert.equal(await text(bodies.read(first.body[0])), '');
  });

  it('reads across segments by range', async () => {
    const { state } = await stateWithBucket();
    const a = await objectOf(state, 'k', 'abc');
    const b = await objectOf(state, 'k', 'defg');
    const record: ObjectRecord = { ...a, size: 7, body: [a.body[0], b.body[0]] };
    await state.commitObject(record, {}, 'ObjectCreated:CompleteMultipartUpload', who);
    assert.equal(await text(state.readObject(record)), 'abcdefg');
    assert.equal(await text(state.readObject(record, 2, 4)), 'cde');
    assert.equal(await text(state.readObject(record, 3, 3)), 'd');
  });

  it('refuses to delete a bucket with objects and tells listeners when one goes', async () => {
    const { state } = await stateWithBucket();
    const gone: string[] = [];
    state.onBucketDeleted((b) => gone.push(b.name));
    await state.commitObject(await objectOf(state, 'k', 'v'), {}, 'ObjectCreated:Put', who);
    await assert.rejects(state.deleteBucket('b'), { code: 'BucketNotEmpty' });
    await state.deleteObject('b', 'k', {}, who);
    await state.deleteBucket('b');
    assert.deepEqual(gone, ['b']);
    assert.throws(() => state.requireBucket('b'), { code: 'NoSuchBucket' });
  });
});
