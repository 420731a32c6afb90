import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import {
  CreateDeliveryStreamCommand,
  type ExtendedS3DestinationConfiguration,
  PutRecordBatchCommand,
} from '@aws-sdk/client-firehose';
import snappy from 'snappyjs';
import { serverNow, uniqueName } from '../support/tideway.js';
import { active, type IntegrationSuite, objects, ROLE } from './integrations-support.js';

// What the end-to-end suites share: streams built from a destination fragment, records of known
// bytes, and the decoders that turn Firehose's objects back into the bytes that went in.

export type StoredObject = { key: string; body: Buffer };

/** A DirectPut stream whose Extended S3 destination is `destination` over the bucket and role. */
export async function directPutStream(
  suite: IntegrationSuite,
  bucketArn: string,
  destination: Partial<ExtendedS3DestinationConfiguration> = {},
): Promise<{ name: string; arn: string }> {
  const name = uniqueName('e2e');
  await suite.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: bucketArn,
        RoleARN: ROLE,
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        ...destination,
      },
    }),
  );
  return { name, arn: await active(suite, name) };
}

/** `count` records of `size` bytes each, every one distinct (its index leads it). */
export function records(count: number, size: number, tag = 'r'): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const head = `${tag}${String(i).padStart(6, '0')}:`;
    const fill = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(size / 36));
    out.push(Buffer.from((head + fill).slice(0, size), 'latin1'));
  }
  return out;
}

/** Puts the records in batches of up to 500, checking that none failed. */
export async function putAll(suite: IntegrationSuite, stream: string, data: readonly Uint8Array[]) {
  for (let at = 0; at < data.length; at += 500) {
    const batch = data.slice(at, at + 500);
    const out = await suite.firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: batch.map((Data) => ({ Data })) }),
    );
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.RequestResponses?.length, batch.length);
  }
}

/** Waits (real time, the clock untouched) until the bucket holds at least `count` objects. */
export async function landed(suite: IntegrationSuite, bucket: string, count = 1): Promise<StoredObject[]> {
  for (let i = 0; i < 400; i++) {
    const found = await objects(suite.s3, bucket);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`expected ${count} objects in ${bucket}, found ${(await objects(suite.s3, bucket)).length}`);
}

/** Lets the server work for a while (real time) and answers what the bucket holds then. */
export async function settledObjects(suite: IntegrationSuite, bucket: string): Promise<StoredObject[]> {
  await new Promise((r) => setTimeout(r, 300));
  return objects(suite.s3, bucket);
}

/** The server's clock, as Firehose stamps arrivals with it. */
export const now = (suite: IntegrationSuite) => serverNow(suite.server);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY/MM/DD/HH/`, the default prefix for a record that arrived at `time` (UTC). */
export function hourPrefix(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/`;
}

/** The name's `yyyy-MM-dd-HH-mm-ss` read back as epoch milliseconds (UTC). */
export function nameTime(stamp: string): number {
  const [y, mo, d, h, mi, s] = stamp.split('-').map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The parts of `<prefix><stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`, or a failure. */
export function parseKey(
  key: string,
  stream: string,
  extension = '',
): { prefix: string; version: string; stamp: string; time: number } {
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `^(.*)${escaped(stream)}-(\\d+)-(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2})-${UUID}${escaped(extension)}$`,
  );
  const m = pattern.exec(key);
  assert.ok(m, `${key} is not named <prefix>${stream}-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>${extension}`);
  return { prefix: m[1]!, version: m[2]!, stamp: m[3]!, time: nameTime(m[3]!) };
}

/** Checks that a name's second lies within [from, to] (both server-clock milliseconds). */
export function assertStampWithin(time: number, from: number, to: number): void {
  const lo = Math.floor(from / 1000) * 1000;
  assert.ok(time >= lo && time <= to, `object time ${new Date(time).toISOString()} outside the puts`);
}

// --- decoders -------------------------------------------------------------------------------

export const gunzip = (body: Uint8Array) => zlib.gunzipSync(body);

/** The entries of a ZIP archive, read with the system's `unzip`, and the archive's listing. */
export async function unzipEntries(body: Uint8Array): Promise<{ names: string[]; data: Buffer }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tideway-e2e-zip-'));
  try {
    const file = path.join(dir, 'object.zip');
    await writeFile(file, body);
    const run = promisify(execFile);
    const listing = await run('zipinfo', ['-1', file]);
    const names = listing.stdout.split('\n').filter((l) => l !== '');
    const { stdout } = await run('unzip', ['-p', file], { encoding: 'buffer', maxBuffer: 64 << 20 });
    return { names, data: stdout as unknown as Buffer };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Decodes the snappy framing format: the stream identifier, then compressed (0x00) or
 * uncompressed (0x01) chunks; padding and skippable chunks are passed over.
 */
export function unframeSnappy(body: Uint8Array): Buffer {
  const buf = Buffer.from(body);
  assert.deepEqual(
    [...buf.subarray(0, 10)],
    [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59],
    'snappy stream identifier',
  );
  const parts: Buffer[] = [];
  let at = 10;
  while (at < buf.length) {
    const type = buf[at]!;
    const length = buf.readUIntLE(at + 1, 3);
    const chunk = buf.subarray(at + 4, at + 4 + length);
    assert.equal(chunk.length, length, 'truncated snappy chunk');
    if (type === 0x00) {
      const data = Buffer.from(snappy.uncompress(chunk.subarray(4)));
      assert.ok(data.length <= 65_536, 'a snappy frame holds at most 64 KiB');
      parts.push(data);
    } else if (type === 0x01) parts.push(Buffer.from(chunk.subarray(4)));
    else assert.ok(type >= 0x80, `unknown snappy chunk type ${type}`);
    at += 4 + length;
  }
  return Buffer.concat(parts);
}

/** Decodes Hadoop's block snappy: per block its raw length, then length-prefixed compressed chunks. */
export function unblockHadoopSnappy(body: Uint8Array): Buffer {
  const buf = Buffer.from(body);
  const parts: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const raw = buf.readUInt32BE(at);
    at += 4;
    let got = 0;
    while (got < raw) {
      const size = buf.readUInt32BE(at);
      at += 4;
      const data = Buffer.from(snappy.uncompress(buf.subarray(at, at + size)));
      at += size;
      got += data.length;
      parts.push(data);
    }
    assert.equal(got, raw, 'a Hadoop snappy block decodes to its stated length');
  }
  return Buffer.concat(parts);
}
