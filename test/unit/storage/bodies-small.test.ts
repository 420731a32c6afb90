// Small bodies with --data-dir skip the temporary file: written whole at commit under their final
// name. These check what that path leaves on disk and that it reads back like any other body;
// and that record ids drawn from a shared random pool stay distinct past a refill.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { newRecordId } from '../../../src/services/firehose/records-api.js';
import { FileBodies } from '../../../src/storage/embedded/bodies.js';

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

describe('file body store, bodies under one write batch', () => {
  it('opens no file before commit, then holds the body under its final name only', async () => {
    const dir = dataDir();
    const store = new FileBodies(dir);
    const writer = store.create();
    const pieces = [Buffer.from('hello, '), Buffer.from('small '), Buffer.from('body')];
    for (const piece of pieces) await writer.write(piece);
    assert.equal(fs.existsSync(path.join(dir, 's3')), false);
    const ref = await writer.commit();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')), [ref.id]);
    assert.equal(ref.size, 17);
    assert.equal(fs.readFileSync(path.join(dir, 's3', ref.id), 'utf8'), 'hello, small body');
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
      await w.write(Buffer.from('kept'));
      return w.commit();
    })();
    const orphan = await (async () => {
      const w = store.create();
      await w.write(Buffer.from('written, never journaled'));
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
});
