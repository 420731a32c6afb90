import { randomBytes } from 'node:crypto';
import { drive, forCount, Recorder } from './load.js';
import { cpuMicros, memoryUse } from './proc.js';
import type { S3Wire } from './s3-wire.js';

export const BUCKET = 'bench-s3';

export interface S3Target {
  wire: S3Wire;
  pid: number;
  concurrency: number;
}

export interface OpsResult {
  ops: number;
  elapsedMs: number;
  serverCpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

export interface ThroughputResult {
  bytes: number;
  elapsedMs: number;
  errors: number;
  firstError?: string;
}

export interface RssResult {
  idleMiB: number;
  uploadPeakMiB: number;
  downloadPeakMiB: number;
  bytes: number;
  uploadMs: number;
  downloadMs: number;
}

const smallKey = (i: number) => `/${BUCKET}/small/${i.toString(36)}`;

/** PutObject (or GetObject) of small objects in a closed loop, keys cycling over the key space. */
export async function smallPhase(
  target: S3Target,
  op: 'put' | 'get',
  keys: number,
  bytes: number,
  more: () => boolean,
): Promise<OpsResult> {
  const body = randomBytes(bytes);
  const recorder = new Recorder();
  let next = 0;
  let ops = 0;
  const step = async () => {
    const key = smallKey(next++ % keys);
    if (op === 'put') {
      await recorder.time(() => target.wire.put(key, body));
    } else {
      const got = await recorder.time(() => target.wire.get(key));
      if (got !== bytes) throw new Error(`GetObject ${key}: ${got} bytes, expected ${bytes}`);
    }
    ops++;
  };
  const server = cpuMicros(target.pid);
  const elapsedMs = await drive(target.concurrency, more, step, recorder);
  return {
    ops,
    elapsedMs,
    serverCpuMicros: cpuMicros(target.pid) - server,
    p50: recorder.ms(50),
    p99: recorder.ms(99),
    errors: recorder.errors,
    firstError: recorder.firstError,
  };
}

/** Fills every key once, so the GetObject phase finds an object wherever it looks. */
export async function fillSmallKeys(target: S3Target, keys: number, bytes: number): Promise<OpsResult> {
  return smallPhase(target, 'put', keys, bytes, forCount(keys));
}

const largeKey = (i: number) => `/${BUCKET}/large/${i % 2}`;

/** 64 MiB objects, one request at a time: the throughput of one stream, put then got back. */
export async function largePhase(
  target: S3Target,
  objects: number,
  bytes: number,
): Promise<{ put: ThroughputResult; get: ThroughputResult }> {
  const body = randomBytes(bytes);
  const run = async (op: (i: number) => Promise<void>): Promise<ThroughputResult> => {
    const result: ThroughputResult = { bytes: 0, elapsedMs: 0, errors: 0 };
    const start = performance.now();
    for (let i = 0; i < objects; i++) {
      try {
        await op(i);
        result.bytes += bytes;
      } catch (err) {
        result.errors++;
        result.firstError ??= (err as Error).message;
      }
    }
    result.elapsedMs = performance.now() - start;
    return result;
  };
  const put = await run((i) => target.wire.put(largeKey(i), body));
  const get = await run(async (i) => {
    // The last two puts are what the two keys hold.
    const got = await target.wire.get(largeKey(i));
    if (got !== bytes) throw new Error(`GetObject: ${got} bytes, expected ${bytes}`);
  });
  return { put, get };
}

/** The same 1 MiB over and over: the client holds one piece, whatever the upload's size. */
async function* pieces(total: number): AsyncGenerator<Buffer> {
  const piece = randomBytes(1024 * 1024);
  for (let sent = 0; sent < total; sent += piece.length) {
    yield sent + piece.length <= total ? piece : piece.subarray(0, total - sent);
  }
}

/** Highest RSS seen while `work` runs, read from /proc every `everyMs`. */
async function peakRss(pid: number, everyMs: number, work: () => Promise<void>): Promise<number> {
  let peak = memoryUse(pid).rssMiB;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryUse(pid).rssMiB);
  }, everyMs);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, memoryUse(pid).rssMiB);
}

/**
 * One huge object streamed up and then down, with the server's RSS watched against its idle
 * figure: a server that buffers shows the object's size here.
 */
export async function hugePhase(target: S3Target, bytes: number, everyMs: number): Promise<RssResult> {
  const key = `/${BUCKET}/huge`;
  // A small put and get first, so the idle figure includes code paths loaded on first use.
  await target.wire.put(`/${BUCKET}/huge-warm`, randomBytes(1024));
  await target.wire.get(`/${BUCKET}/huge-warm`);
  const idleMiB = memoryUse(target.pid).rssMiB;
  let start = performance.now();
  const uploadPeakMiB = await peakRss(target.pid, everyMs, () => target.wire.put(key, pieces(bytes), bytes));
  const uploadMs = performance.now() - start;
  start = performance.now();
  let got = 0;
  const downloadPeakMiB = await peakRss(target.pid, everyMs, async () => {
    got = await target.wire.get(key);
  });
  const downloadMs = performance.now() - start;
  if (got !== bytes) throw new Error(`GetObject of the huge object: ${got} bytes, expected ${bytes}`);
  return { idleMiB, uploadPeakMiB, downloadPeakMiB, bytes, uploadMs, downloadMs };
}
