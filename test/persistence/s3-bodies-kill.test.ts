import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileBodies } from '../../src/storage/embedded/bodies.js';
import type { BodyRef } from '../../src/storage/types.js';

/** Past the store's inline limit: these bodies get files (inline ones live in the journal). */
const FILE_SIZED = 10_000;
const bodiesModule = new URL('../../src/storage/embedded/bodies.js', import.meta.url).href;

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A process that commits bodies (reporting each ref on stdout, as a server would journal it),
 * commits one more it never reports (a crash between the rename and the journal), then writes
 * a large body forever: killed with SIGKILL in the middle of that upload.
 */
const WRITER = `
import { FileBodies } from ${JSON.stringify(bodiesModule)};
const store = new FileBodies(process.argv[1]);
for (const text of ['first acknowledged', 'second acknowledged']) {
  const w = store.create();
  await w.write(Buffer.from(text.padEnd(${FILE_SIZED}, '.')));
  process.stdout.write('acked ' + JSON.stringify(await w.commit()) + '\\n');
}
const unjournaled = store.create();
await unjournaled.write(Buffer.from('committed, never journaled'.padEnd(${FILE_SIZED}, '.')));
await unjournaled.commit();
const upload = store.create();
const piece = Buffer.alloc(256 * 1024, 0x5a);
await upload.write(piece);
process.stdout.write('uploading\\n');
for (;;) await upload.write(Buffer.from(piece));
`;

async function killMidUpload(dir: string): Promise<BodyRef[]> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: BodyRef[] = [];
  let text = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      let end = text.indexOf('\n');
      while (end >= 0) {
        const line = text.slice(0, end);
        text = text.slice(end + 1);
        if (line.startsWith('acked ')) acked.push(JSON.parse(line.slice(6)));
        if (line === 'uploading') resolve();
        end = text.indexOf('\n');
      }
    });
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  return acked;
}

describe('S3 bodies after kill -9 mid-upload', () => {
  it('keeps every acknowledged body and, after the start-up sweep, no half body or orphan file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-s3-kill-'));
    dirs.push(dir);
    const acked = await killMidUpload(dir);
    assert.equal(acked.length, 2);
    const left = fs.readdirSync(path.join(dir, 's3'));
    // The crash left the upload's temporary and the unjournaled body behind.
    assert.ok(
      left.some((n) => n.endsWith('.tmp')),
      `a temporary was left: ${left}`,
    );
    assert.equal(left.length, 4);

    const restarted = new FileBodies(dir);
    await restarted.sweep(acked);
    assert.deepEqual(fs.readdirSync(path.join(dir, 's3')).sort(), acked.map((r) => r.id).sort());
    const texts = [];
    for (const ref of acked) {
      const parts: Buffer[] = [];
      for await (const part of restarted.read(ref)) parts.push(Buffer.from(part));
      texts.push(Buffer.concat(parts).toString());
    }
    assert.deepEqual(
      texts,
      ['first acknowledged', 'second acknowledged'].map((t) => t.padEnd(FILE_SIZED, '.')),
    );
  });
});
