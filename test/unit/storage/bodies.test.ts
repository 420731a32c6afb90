import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createBodyStore, FileBodies, MemoryBodies } from '../../../src/storage/embedded/bodies.js';
import { INLINE_LIMIT } from '../../../src/storage/embedded/body-files.js';
import type { BodyRef, BodyStore } from '../../../src/storage/types.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-bodies-'));
  dirs.push(dir);
  return dir;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/** Writes `bytes` in pieces of `piece` bytes and commits. */
async function put(store: BodyStore, bytes: Buffer, piece = 64 * 1024): Promise<BodyRef> {
  const writer = store.create();
  for (let at = 0; at < bytes.length; at += piece) await writer.write(bytes.subarray(at, at + piece));
  return writer.commit();
}

function s3Files(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 's3')).sort();
}

const engines: Array<[string, () => BodyStore]> = [
  ['memory', () => new MemoryBodies()],
  ['files', () => new FileBodies(dataDir())],
];

for (const [name, make] of engines) {
  describe(`body store (${name})`, () => {
    it('reads back what was written, whole and by inclusive range', async () => {
      const store = make();
      // Across the file store's write batches and read chunks, in uneven pieces.
      const bytes = randomBytes(700 * 1024 + 13);
      const ref = await put(store, bytes, 100_003);
      assert.equal(ref.size, bytes.length);
      assert.deepEqual(await collect(store.read(ref)), bytes);
      assert.deepEqual(await collect(store.read(ref, 0, 0)), bytes.subarray(0, 1));
      assert.deepEqual(await collect(store.read(ref, 100_000, 400_000)), bytes.subarray(100_000, 400_001));
      assert.deepEqual(await collect(store.read(ref, bytes.length - 5)), bytes.subarray(bytes.length - 5));
    });

    it('stores an empty body', async () => {
      const store = make();
      const ref = await store.create().commit();
      assert.equal(ref.size, 0);
      assert.equal((await collect(store.read(ref))).length, 0);
      await store.release(ref);
    });

    it('keeps bodies apart, and a released body stays whole for a read asked for before', async () => {
      const store = make();
      const a = await put(store, Buffer.alloc(300_000, 'a'));
      const b = await put(store, Buffer.alloc(300_000, 'b'));
      assert.notEqual(a.id, b.id);
      const reading = store.read(a);
      await store.release(a);
      const got = await collect(reading);
      assert.equal(got.length, 300_000);
      assert.ok(got.every((c) => c === 0x61));
      assert.deepEqual(await collect(store.read(b, 0, 2)), Buffer.from('bbb'));
    });

    it('refuses writes after commit and forgets an aborted body', async () => {
      const store = make();
      const writer = store.create();
      await writer.write(Buffer.from('kept'));
      await writer.commit();
      await assert.rejects(writer.write(Buffer.from('late')), /already committed/);
      const dropped = store.create();
      await dropped.write(Buffer.alloc(400_000, 1));
      await dropped.abort();
      await assert.rejects(dropped.commit(), /already committed or aborted/);
    });

    it('drops every body on clear', async () => {
      const store = make();
      const ref = await put(store, Buffer.alloc(20_000, 'g'));
      await store.clear();
      // Memory forgets the chunks; the file store loses the file the read would open.
      await assert.rejects(collect(store.read(ref)).then((b) => assert.equal(b.length, ref.size)));
    });
  });
}

describe('file body store', () => {
  it('names files by random ids under <data-dir>/s3, never after anything the caller holds', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const refs = [];
    for (let i = 0; i < 5; i++)
      refs.push(await put(store, Buffer.from(`body ${i}`.padEnd(INLINE_LIMIT + 1))));
    const names = s3Files(dir);
    assert.deepEqual(names, refs.map((r) => r.id).sort());
    for (const n of names) assert.match(n, /^[0-9a-f]{32}$/);
    // Nothing but s3/ beside it: the store writes nowhere else in the data folder.
    assert.deepEqual(fs.readdirSync(dir), ['s3']);
  });

  it('refuses a ref whose id is not one of its own, so no id becomes a path outside the folder', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    fs.writeFileSync(path.join(dir, 'secret'), 'outside');
    for (const id of ['../secret', '/etc/passwd', 'a\0b', 'x'.repeat(2000), '..', '']) {
      const ref = { id, size: 7 };
      assert.throws(() => store.read(ref), /not a body id/);
      await assert.rejects(store.release(ref), /not a body id/);
    }
    assert.equal(fs.readFileSync(path.join(dir, 'secret'), 'utf8'), 'outside');
  });

  it('shows a body under its final name only once committed', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const writer = store.create();
    // The first batch is written while the second gathers: once the second is taken, the first
    // is on disk.
    await writer.write(Buffer.alloc(300_000, 7));
    await writer.write(Buffer.alloc(300_000, 7));
    const during = s3Files(dir);
    assert.equal(during.length, 1);
    assert.match(during[0], /^[0-9a-f]{32}\.tmp$/);
    const ref = await writer.commit();
    assert.deepEqual(s3Files(dir), [ref.id]);
    assert.equal(fs.statSync(path.join(dir, 's3', ref.id)).size, 600_000);
  });

  it('removes the temporary of an aborted body', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const writer = store.create();
    await writer.write(Buffer.alloc(300_000, 7));
    await writer.abort();
    assert.deepEqual(s3Files(dir), []);
  });

  it('sweeps temporaries and bodies no live ref names, and leaves what is not its own', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const live = await put(store, Buffer.from('journaled'.padEnd(INLINE_LIMIT + 1)));
    const orphan = await put(store, Buffer.from('committed, never journaled'.padEnd(INLINE_LIMIT + 1)));
    const unfinished = store.create();
    await unfinished.write(Buffer.alloc(300_000, 1));
    fs.writeFileSync(path.join(dir, 's3', 'README'), 'not a body');

    const restarted = new FileBodies(dir);
    await restarted.sweep([live]);
    assert.deepEqual(s3Files(dir), [live.id, 'README'].sort());
    assert.ok(!s3Files(dir).includes(orphan.id));
    assert.deepEqual(await collect(restarted.read(live)), Buffer.from('journaled'.padEnd(INLINE_LIMIT + 1)));
  });

  it('sweeps a data folder that has no s3 folder yet, and creates nothing', async () => {
    const dir = dataDir();
    await new FileBodies(dir).sweep([]);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('streams a large body through in bounded pieces, byte for byte', async () => {
    const store = new FileBodies(dataDir());
    const piece = randomBytes(1024 * 1024);
    const writer = store.create();
    const sent = createHash('sha256');
    for (let i = 0; i < 24; i++) {
      // A chunk handed to a store is its own from then on (a batch is written while the next
      // gathers, and memory keeps chunks as they are): each write gets a fresh one.
      const chunk = Buffer.from(piece);
      chunk[0] = i;
      sent.update(chunk);
      await writer.write(chunk);
    }
    const ref = await writer.commit();
    const got = createHash('sha256');
    let largest = 0;
    for await (const chunk of store.read(ref)) {
      largest = Math.max(largest, chunk.length);
      got.update(chunk);
    }
    assert.equal(got.digest('hex'), sent.digest('hex'));
    assert.ok(largest <= 256 * 1024, `read pieces of at most 256 KiB, got ${largest}`);
  });

  it('fails a read whose file was cut short behind its back instead of ending quietly', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const ref = await put(store, Buffer.alloc(10_000, 3));
    fs.truncateSync(path.join(dir, 's3', ref.id), 4_000);
    await assert.rejects(collect(store.read(ref)), /ended 6000 bytes short/);
  });

  it('closes its file when a download stops early, with a read still ahead in flight', async () => {
    const store = new FileBodies(dataDir());
    const ref = await put(store, Buffer.alloc(2 * 1024 * 1024, 9));
    const openFiles = () => fs.readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for await (const piece of store.read(ref)) {
      assert.equal(piece.length, 256 * 1024);
      break;
    }
    assert.equal(openFiles(), before);
  });

  it('is the store createBodyStore picks with a data folder; memory without', () => {
    assert.ok(createBodyStore(dataDir()) instanceof FileBodies);
    assert.ok(createBodyStore(undefined) instanceof MemoryBodies);
  });
});
