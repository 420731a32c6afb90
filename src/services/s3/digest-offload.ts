import { Worker } from 'node:worker_threads';
import { type PartDigest, startDigest } from './checksum-combine.js';
import type { DigestAnswer, DigestMessage } from './digest-thread.js';
import type { ChecksumAlgorithm } from './model.js';

/**
 * Bodies past this size are digested on a worker thread: MD5 (the ETag) and the checksum over a
 * large body are most of the CPU its upload costs, and on the main thread they hold up every other
 * request meanwhile. Smaller bodies are digested where they are, since the hand-over costs more.
 */
export const OFFLOAD_AFTER = 256 * 1024;

/** Bytes posted to the worker and not yet digested, past which a body's writer waits. */
const IN_FLIGHT_LIMIT = 4 * 1024 * 1024;

/** A body's MD5 and checksum, computed as its pieces arrive. */
export interface BodyDigests {
  /** Takes a piece; a promise when the worker is behind, to await before the next piece. */
  update(piece: Uint8Array): Promise<void> | undefined;
  /** The raw MD5 and checksum bytes once every piece is in. */
  finish(): Promise<{ md5: Buffer; checksum: Buffer }>;
  /** The body is abandoned: its digests are not wanted. */
  drop(): void;
}

let worker: Worker | undefined;
let nextJob = 1;
/** Jobs handed over and not yet answered or dropped: while any is, the worker holds the process. */
let active = 0;

function jobStarted(thread: Worker): void {
  if (active++ === 0) thread.ref();
}

function jobEnded(): void {
  if (--active === 0) worker?.unref();
}
type Digested = { md5: Uint8Array; checksum: Uint8Array };
const waiting = new Map<number, { resolve: (a: Digested) => void; reject: (e: Error) => void }>();
/** Bytes posted and not yet digested, and the writers waiting for that to fall. */
let inFlight = 0;
let drained: Array<() => void> = [];

function digestWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL('./digest-thread.js', import.meta.url));
  started.on('message', (answer: DigestAnswer) => {
    if ('digested' in answer) {
      inFlight -= answer.digested;
      if (inFlight <= IN_FLIGHT_LIMIT / 2 && drained.length > 0) {
        const wake = drained;
        drained = [];
        for (const resume of wake) resume();
      }
      return;
    }
    const job = waiting.get(answer.job);
    waiting.delete(answer.job);
    jobEnded();
    job?.resolve(answer);
  });
  const fail = (err: Error) => {
    if (worker === started) worker = undefined;
    active = 0;
    inFlight = 0;
    const wake = drained;
    drained = [];
    for (const resume of wake) resume();
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the digest worker exited (${code})`)));
  // Idle, it must not keep the process alive (unref after the listeners, which would ref it again);
  // jobStarted refs it while a job is in flight.
  started.unref();
  worker = started;
  return started;
}

/**
 * Digests a body's pieces: on this thread until it passes OFFLOAD_AFTER, then on the digest
 * worker (the pieces held until then go first). Pieces are copied to the worker, so the caller may
 * hand them on to storage at once.
 */
export function bodyDigests(algorithm: ChecksumAlgorithm): BodyDigests {
  let held: Uint8Array[] | undefined = [];
  let heldBytes = 0;
  let job: number | undefined;
  let post: ((message: DigestMessage) => void) | undefined;
  let thread: Worker | undefined;

  const handOver = () => {
    const started = digestWorker();
    thread = started;
    jobStarted(started);
    job = nextJob++;
    post = (message) => {
      if ('piece' in message) inFlight += message.piece.byteLength;
      started.postMessage(message);
    };
    post({ job, start: algorithm });
    for (const piece of held ?? []) post({ job, piece });
    held = undefined;
  };

  return {
    update(piece) {
      if (post && job !== undefined) post({ job, piece });
      else {
        held?.push(piece);
        heldBytes += piece.byteLength;
        if (heldBytes > OFFLOAD_AFTER) handOver();
      }
      if (inFlight <= IN_FLIGHT_LIMIT) return undefined;
      return new Promise<void>((resume) => drained.push(resume));
    },
    finish() {
      if (post && job !== undefined) {
        // A worker that died after taking the pieces has lost them: the write fails, never hangs.
        if (worker !== thread) return Promise.reject(new Error('the digest worker stopped'));
        const id = job;
        const answer = new Promise<Digested>((resolve, reject) => waiting.set(id, { resolve, reject }));
        post({ job: id, end: true });
        return answer.then((a) => ({ md5: Buffer.from(a.md5), checksum: Buffer.from(a.checksum) }));
      }
      return Promise.resolve(digestHere(held ?? [], algorithm));
    },
    drop() {
      if (post && job !== undefined) {
        post({ job, drop: true });
        post = undefined;
        jobEnded();
      }
      held = undefined;
    },
  };
}

function digestHere(pieces: Uint8Array[], algorithm: ChecksumAlgorithm): { md5: Buffer; checksum: Buffer } {
  const md5: PartDigest = startDigest('MD5');
  const sum: PartDigest = startDigest(algorithm);
  for (const piece of pieces) {
    md5.update(piece);
    sum.update(piece);
  }
  return { md5: md5.digest(), checksum: sum.digest() };
}
