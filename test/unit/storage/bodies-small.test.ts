// Small bodies with --data-dir skip the temporary file: up to 8 KiB they travel in their ref (and
// so in the journal row naming them), and up to one write batch they are written whole at commit
// under their final name. These check what each path leaves on disk and that it reads back like
// any other body; and that record ids drawn from a shared random pool stay distinct past a refill.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { newRecordId, newRecordIds } from '../../../src/services/firehose/records-api.js';
import { FileBodies } from '../../../src/storage/embedded/bodies.js';
import { INLINE_LIMIT } from '../../../src/storage/embedded/body-files.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-small-bodies-'));
  dirs.push(dir);
  return dir;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('file body store, bodies of at most 8 KiB', () => {
  it('keeps the bytes in the ref: no file, read back by range, nothing to release or sweep', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const writer = store.create();
    const pieces = [Buffer.from('hello, '), Buffer.from('small '), Buffer.from('body')];
    for (const piece of pieces) await writer.write(piece);
    const ref = await writer.commit();
    assert.deepEqual(ref, {
      id: ref.id,
      size: 17,
      inline: Buffer.from('hello, small body').toString('base64'),
    });
    assert.equal(fs.existsSync(path.join(dir, 's3')), false);
    assert.equal((await collect(store.read(ref))).toString(), 'hello, small body');
    assert.equal((await collect(store.read(ref, 7, 11))).toString(), 'small');
    // A ref as the journal gives it back after a restart reads the same.
    const restarted = new FileBodies(dir);
    await restarted.sweep([JSON.parse(JSON.stringify(ref))]);
    assert.equal((await collect(restarted.read(JSON.parse(JSON.stringify(ref)), 13))).toString(), 'body');
    await restarted.release(ref);
    assert.equal(fs.existsSync(path.join(dir, 's3')), false);
  });

  it('draws the line at 8 KiB exactly', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const at = store.create();
    await at.write(Buffer.alloc(INLINE_LIMIT, 1));
    assert.equal(typeof (await at.commit()).inline, 'string');
    const over = store.create();
    await over.write(Buffer.alloc(INLINE_LIMIT + 1, 1));
    const ref = await over.commit();
    assert.equal(ref.inline, undefined);
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')), [ref.id]);
  });

  it('refuses an inline ref whose bytes do not match its size', async () => {
    const store = new FileBodies(dataDir());
    const ref = { id: 'x', size: 5, inline: Buffer.from('four').toString('base64') };
    await assert.rejects(collect(store.read(ref)), /holds 4 of 5 bytes/);
  });
});

describe('file body store, bodies over 8 KiB and under one write batch', () => {
  it('opens no file before commit, then holds the body under its final name only', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const writer = store.create();
    const pieces = [Buffer.from('hello, '), Buffer.from('small '), Buffer.alloc(INLINE_LIMIT, 'b')];
    for (const piece of pieces) await writer.write(piece);
    assert.equal(fs.existsSync(path.join(dir, 's3')), false);
    const ref = await writer.commit();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')), [ref.id]);
    assert.equal(ref.size, 13 + INLINE_LIMIT);
    assert.deepEqual(fs.readFileSync(path.join(dir, 's3', ref.id)), Buffer.concat(pieces));
    assert.equal((await collect(store.read(ref, 7, 11))).toString(), 'small');
  });

  it('gathers just under 256 KiB into one file, byte for byte', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const bytes = Buffer.alloc(256 * 1024 - 1);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const writer = store.create();
    for (let at = 0; at < bytes.length; at += 1000) await writer.write(bytes.subarray(at, at + 1000));
    const ref = await writer.commit();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')), [ref.id]);
    assert.ok((await collect(store.read(ref))).equals(bytes));
  });

  it('leaves nothing behind for an aborted small body, and sweeps one no record names', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const dropped = store.create();
    await dropped.write(Buffer.from('never committed'));
    await dropped.abort();
    assert.equal(fs.existsSync(path.join(dir, 's3')), false);
    const kept = await (async () => {
      const w = store.create();
      await w.write(Buffer.from('kept'.padEnd(INLINE_LIMIT + 1)));
      return w.commit();
    })();
    const orphan = await (async () => {
      const w = store.create();
      await w.write(Buffer.from('written, never journaled'.padEnd(INLINE_LIMIT + 1)));
      return w.commit();
    })();
    await store.sweep([kept]);
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')), [kept.id]);
    assert.notEqual(orphan.id, kept.id);
  });
});

describe('Firehose record ids', () => {
  it('stay distinct 224-character base64 strings across many refills of their random pool', () => {
    const ids = new Set(Array.from({ length: 2000 }, newRecordId));
    assert.equal(ids.size, 2000);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9+/]{224}$/);
  });

  it('come out of a batch draw with the same shape, distinct, as many as asked', () => {
    assert.deepEqual(newRecordIds(0), []);
    assert.equal(newRecordIds(1)[0]?.length, 224);
    const batch = newRecordIds(500);
    assert.equal(batch.length, 500);
    assert.equal(new Set(batch).size, 500);
    for (const id of batch) assert.match(id, /^[A-Za-z0-9+/]{224}$/);
  });
});
