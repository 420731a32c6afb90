import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type RunningCli, sigv4, startCli, stopCli } from '../support/server.js';
import { credentials } from '../support/tideway.js';

const BODY_FILE = /^[0-9a-f]{32}$/;
/** Past the store's inline limit (8 KiB): a body with a file of its own. */
const FILE_SIZED = 10_000;

/** Bodies of even numbers stay inline in their journal row; odd ones get a file. */
function bodyText(i: number): string {
  return i % 2 ? `body ${i}`.padEnd(FILE_SIZED, '.') : `body ${i}`;
}

const roots: string[] = [];
const running: RunningCli[] = [];
after(async () => {
  for (const cli of running) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
  for (const dir of roots) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding only the data folder: anything written beside it escaped. */
function scratchRoot(): { root: string; dataDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-s3-keys-'));
  roots.push(root);
  return { root, dataDir: path.join(root, 'data') };
}

async function launch(dataDir: string): Promise<RunningCli> {
  const cli = await startCli(['--port', '0', '--log-level', 'warn', '--data-dir', dataDir]);
  running.push(cli);
  return cli;
}

function s3(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
}

async function text(client: S3Client, Bucket: string, Key: string): Promise<string> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Body!.transformToString();
}

async function keysOf(client: S3Client, Bucket: string): Promise<string[]> {
  const { Contents } = await client.send(new ListObjectsV2Command({ Bucket }));
  return (Contents ?? []).map((c) => c.Key!).sort();
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/**
 * Files of the data folder outside s3/ but for the journal's own (SQLite may add its WAL file on
 * the first write): whatever else the server keeps there, such as KMS's key.
 */
function outsideS3(dataDir: string): string[] {
  return filesUnder(dataDir).filter((f) => !f.startsWith(`s3${path.sep}`) && !f.startsWith('tideway.sqlite'));
}

function bodyFiles(dataDir: string): string[] {
  return fs.readdirSync(path.join(dataDir, 's3')).sort();
}

describe('S3 object keys and the data folder', () => {
  it('stores hostile keys as plain record fields: no key reads or writes outside <data-dir>/s3', async () => {
    const { root, dataDir } = scratchRoot();
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(root, 'neighbour'), 'not for S3');
    const cli = await launch(dataDir);
    const before = outsideS3(dataDir);
    const client = s3(cli.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'keys' }));
    const hostile = [
      '../../neighbour',
      '../escape',
      '/etc/passwd',
      '//absolute/../../x',
      'a/../../../b',
      '..',
      '.',
      'back\\slash\\..\\..\\neighbour',
      '%2e%2e%2fencoded',
      'tideway.sqlite',
      `long/${'k'.repeat(1019)}`,
    ];
    for (const [i, Key] of hostile.entries()) {
      await client.send(new PutObjectCommand({ Bucket: 'keys', Key, Body: bodyText(i) }));
    }
    for (const [i, Key] of hostile.entries()) assert.equal(await text(client, 'keys', Key), bodyText(i));
    assert.deepEqual(await keysOf(client, 'keys'), [...hostile].sort());
    // No key reached the folder beside the data folder, nor named a file of its own.
    assert.equal(fs.readFileSync(path.join(root, 'neighbour'), 'utf8'), 'not for S3');
    assert.deepEqual(fs.readdirSync(root).sort(), ['data', 'neighbour']);
    const bodies = bodyFiles(dataDir);
    assert.equal(bodies.length, Math.floor(hostile.length / 2));
    for (const name of bodies) assert.match(name, BODY_FILE);
    // Outside s3/, the data folder holds what it held before the first S3 request.
    assert.deepEqual(outsideS3(dataDir), before);

    // The same keys after a restart, read from the journal and the files it names.
    await stopCli(cli);
    const again = await launch(dataDir);
    const reopened = s3(again.endpoint);
    for (const [i, Key] of hostile.entries()) assert.equal(await text(reopened, 'keys', Key), bodyText(i));
    assert.deepEqual(bodyFiles(dataDir), bodies);
    await stopCli(again);
  });
});

/** Starts a PutObject of `total` bytes, sends `sent` of them, and leaves the request open. */
function halfUpload(endpoint: string, pathName: string, total: number, sent: number): http.ClientRequest {
  const url = new URL(endpoint);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    method: 'PUT',
    path: pathName,
    agent: false,
    headers: {
      authorization: sigv4('s3'),
      'x-amz-date': '20260101T000000Z',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'content-length': String(total),
    },
  });
  req.on('error', () => {});
  req.write(Buffer.alloc(sent, 0x41));
  return req;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('S3 after kill -9 mid-upload', () => {
  it('keeps acknowledged objects, and leaves no half object and no orphan file', async () => {
    const { dataDir } = scratchRoot();
    const first = await launch(dataDir);
    const client = s3(first.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'crash' }));
    // 'one' is inline in its journal row; 'three' has a file; 'two' had a file, then went inline.
    const large = (text: string) => text.padEnd(FILE_SIZED, '.');
    await client.send(new PutObjectCommand({ Bucket: 'crash', Key: 'one', Body: 'acked one' }));
    await client.send(new PutObjectCommand({ Bucket: 'crash', Key: 'two', Body: large('acked two') }));
    await client.send(new PutObjectCommand({ Bucket: 'crash', Key: 'three', Body: large('acked three') }));
    // Overwritten before the crash: its first body must not come back, nor linger as a file.
    await client.send(new PutObjectCommand({ Bucket: 'crash', Key: 'two', Body: 'acked two, second' }));

    const upload = halfUpload(first.endpoint, '/crash/half', 64 * 1024 * 1024, 8 * 1024 * 1024);
    await until(() => bodyFiles(dataDir).some((n) => n.endsWith('.tmp')), 'the upload to reach the disk');
    first.child.kill('SIGKILL');
    await first.exited;
    upload.destroy();

    const second = await launch(dataDir);
    const reopened = s3(second.endpoint);
    assert.deepEqual(await keysOf(reopened, 'crash'), ['one', 'three', 'two']);
    assert.equal(await text(reopened, 'crash', 'one'), 'acked one');
    assert.equal(await text(reopened, 'crash', 'two'), 'acked two, second');
    assert.equal(await text(reopened, 'crash', 'three'), large('acked three'));
    await assert.rejects(reopened.send(new GetObjectCommand({ Bucket: 'crash', Key: 'half' })), {
      name: 'NoSuchKey',
    });
    // The sweep at open removed the upload's temporary and two's first body: one file is left,
    // three's; the inline bodies came back from the journal alone.
    const files = bodyFiles(dataDir);
    assert.equal(files.length, 1, `files left: ${files}`);
    for (const name of files) assert.match(name, BODY_FILE);
    await stopCli(second);
  });
});
