import { setTimeout as sleep } from 'node:timers/promises';
import { AwsCallError } from './json-wire.js';
import type { KinesisWire } from './kinesis-wire.js';

/** One server as the Kinesis phases see it: the wire, and the pid whose CPU they read. */
export interface KinesisTarget {
  wire: KinesisWire;
  pid: number;
  concurrency: number;
}

/** PutRecords' maximum (Kinesis API Reference, PutRecords), used by every batch here. */
export const BATCH_SIZE = 500;

/** 100 bytes, printable, the same in every record: content costs the servers nothing extra. */
export const RECORD_DATA = Buffer.from(
  'tideway-kinesis-bench-'.padEnd(100, '0123456789abcdefghijklmnopqrstuvwxyz'),
);
export const RECORD_DATA_BASE64 = RECORD_DATA.toString('base64');

// Bodies are built once and sent in turn, so the client pays no JSON.stringify per request.
// Each carries its own partition keys: together they spread evenly over any shard layout.
const PUT_RECORDS_BODIES = 8;
const PUT_RECORD_BODIES = 64;

export function putRecordsBodies(stream: string): string[] {
  return Array.from({ length: PUT_RECORDS_BODIES }, (_, b) =>
    JSON.stringify({
      StreamName: stream,
      Records: Array.from({ length: BATCH_SIZE }, (_, i) => ({
        Data: RECORD_DATA_BASE64,
        PartitionKey: `pk-${b * BATCH_SIZE + i}`,
      })),
    }),
  );
}

export function putRecordBodies(stream: string): string[] {
  return Array.from({ length: PUT_RECORD_BODIES }, (_, i) =>
    JSON.stringify({ StreamName: stream, Data: RECORD_DATA_BASE64, PartitionKey: `pk-${i}` }),
  );
}

const POLL_MS = 20;
const STATUS_TIMEOUT_MS = 10_000;

const notFound = (err: unknown) =>
  err instanceof AwsCallError && err.body.includes('ResourceNotFoundException');

/**
 * CreateStream, then DescribeStreamSummary until ACTIVE: AWS (and kinesis-local) answer
 * CreateStream while the stream is still CREATING, and writes to it fail until then.
 */
export async function createStream(target: KinesisTarget, name: string, shards: number): Promise<void> {
  await target.wire.call('CreateStream', { StreamName: name, ShardCount: shards });
  const deadline = performance.now() + STATUS_TIMEOUT_MS;
  for (;;) {
    const out = await target.wire.call<{ StreamDescriptionSummary?: { StreamStatus?: string } }>(
      'DescribeStreamSummary',
      { StreamName: name },
    );
    const status = out.StreamDescriptionSummary?.StreamStatus;
    if (status === 'ACTIVE') return;
    if (performance.now() > deadline)
      throw new Error(`stream ${name} still ${status} after ${STATUS_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

/**
 * Dropped after each phase (and waited out, since deletion may take a moment) so no phase
 * inherits another's records and memory figures show what a server keeps, not old streams.
 */
export async function deleteStream(target: KinesisTarget, name: string): Promise<void> {
  await target.wire.call('DeleteStream', { StreamName: name });
  const deadline = performance.now() + STATUS_TIMEOUT_MS;
  for (;;) {
    try {
      await target.wire.call('DescribeStreamSummary', { StreamName: name });
    } catch (err) {
      if (notFound(err)) return;
      throw err;
    }
    if (performance.now() > deadline)
      throw new Error(`stream ${name} not gone after ${STATUS_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}
