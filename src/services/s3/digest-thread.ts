// The worker side of digest-offload.ts: runs the same digests (startDigest) over the pieces the
// main thread posts, job by job, and answers each job's MD5 and checksum when it ends.
import { parentPort } from 'node:worker_threads';
import { type PartDigest, startDigest } from './checksum-combine.js';
import type { ChecksumAlgorithm } from './model.js';

export type DigestMessage =
  | { job: number; start: ChecksumAlgorithm }
  | { job: number; piece: Uint8Array }
  | { job: number; end: true }
  | { job: number; drop: true };

/** A job's digests, or (with `digested`) how many bytes of its pieces are done, for backpressure. */
export type DigestAnswer =
  | { job: number; md5: Uint8Array; checksum: Uint8Array }
  | { job: number; digested: number };

const jobs = new Map<number, { md5: PartDigest; sum: PartDigest }>();

parentPort?.on('message', (message: DigestMessage) => {
  if ('start' in message) {
    jobs.set(message.job, { md5: startDigest('MD5'), sum: startDigest(message.start) });
    return;
  }
  const job = jobs.get(message.job);
  if (!job) return;
  if ('piece' in message) {
    job.md5.update(message.piece);
    job.sum.update(message.piece);
    parentPort?.postMessage({ job: message.job, digested: message.piece.byteLength } satisfies DigestAnswer);
  } else if ('end' in message) {
    jobs.delete(message.job);
    const answer: DigestAnswer = { job: message.job, md5: job.md5.digest(), checksum: job.sum.digest() };
    parentPort?.postMessage(answer);
  } else {
    jobs.delete(message.job);
  }
});
