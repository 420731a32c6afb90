import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writevSync } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { BodyRef, BodyStore, BodyWriter } from '../types.js';

/** A body's id: 128 random bits in hex, the whole of its file name. Nothing else is accepted. */
const ID = /^[0-9a-f]{32}$/;
/** Where a body is written until it is committed; never read, and swept at start. */
const TEMP_SUFFIX = '.tmp';
/** Bytes gathered before one write: fewer trips to the thread pool than one per socket chunk. */
const WRITE_BATCH = 256 * 1024;
/** Read size of a download: large enough to keep a fast client busy, small enough not to matter. */
const READ_CHUNK = 256 * 1024;
/**
 * Bodies up to this size go into their ref (and so into the journal row of the object naming
 * them) instead of a file: below it a file's create, write, close and later unlink cost more
 * than the bytes in the row (measured: 1 KiB 25 µs inline against 110 µs as a file, equal near
 * 16 KiB, 64 KiB three times dearer inline).
 */
export const INLINE_LIMIT = 8 * 1024;
/** A read asked for and never iterated (its request went away first) lets its file go after this. */
const UNREAD_GRACE_MS = 60_000;

function newId(): string {
  return randomBytes(16).toString('hex');
}

function checkId(id: string): void {
  // Ids come from the journal; one that is not ours must not become a path.
  if (!ID.test(id)) throw new Error(`not a body id: ${JSON.stringify(id)}`);
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Bodies as files under `<data-dir>/s3/`, one per body, named by a random id: an object key never
 * reaches a path. A body of at most INLINE_LIMIT bytes has no file: its bytes travel in its ref,
 * which the caller journals with the record naming it, so both land in one transaction. A body
 * larger than one write batch is streamed to `<id>.tmp` and renamed to `<id>` when committed; one
 * in between is written whole under `<id>` at commit, in one synchronous write. Either way the bytes are in the kernel before `commit` resolves, so the
 * journal only ever names complete files; what a crash leaves behind (temporaries, files never
 * journaled) is removed by `sweep`.
 *
 * Nothing is fsynced, as the journal (SQLite WAL, synchronous=NORMAL) fsyncs nothing per commit:
 * both promise that an acknowledged write survives a killed process, not a power cut, and a
 * body synced ahead of a record that is not would buy nothing (docs/s3/storage.md).
 *
 * Reads stream the file by range. A read opens its file as soon as it is asked for, and `release`
 * waits for such opens before unlinking: from then on POSIX keeps the bytes for the open reader.
 * An empty body has no file.
 */
export class FileBodies implements BodyStore {
  readonly dir: string;
  private ready?: Promise<void>;
  /** Opens under way, by body id, so that `release` and `clear` unlink only after them. */
  private readonly opening = new Map<string, Set<Promise<unknown>>>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 's3');
  }

  private ensureDir(): Promise<void> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  private file(id: string): string {
    checkId(id);
    return path.join(this.dir, id);
  }

  create(): BodyWriter {
    return new FileBodyWriter(this, newId());
  }

  /** @internal The writer's way to its temporary file. */
  async openTemp(id: string): Promise<{ handle: FileHandle; temp: string }> {
    await this.ensureDir();
    const temp = this.file(id) + TEMP_SUFFIX;
    return { handle: await fs.open(temp, 'wx'), temp };
  }

  /** @internal Moves a complete temporary into place. */
  async publish(id: string, temp: string): Promise<void> {
    await fs.rename(temp, this.file(id));
  }

  /**
   * @internal Writes a small body whole under its final name. Synchronous on purpose: at most one
   * write batch lands in the page cache in microseconds, where the thread pool would cost an
   * open, a write, a close and a rename, each a round trip (the journal's commit that follows is
   * synchronous too). A process killed mid-write leaves a file no record names, which `sweep`
   * removes.
   */
  async writeWhole(id: string, buffers: readonly Uint8Array[], total: number): Promise<void> {
    await this.ensureDir();
    const file = this.file(id);
    const fd = openSync(file, 'wx');
    try {
      let views = buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      for (let written = 0; written < total; ) {
        const n = writevSync(fd, views);
        written += n;
        if (written < total) views = remainder(views, n);
      }
    } catch (err) {
      // A failed write (a full disk) must not leave a part of a body under a final name.
      closeSync(fd);
      try {
        unlinkSync(file);
      } catch {}
      throw err;
    }
    closeSync(fd);
  }

  read(ref: BodyRef, start = 0, end = ref.size - 1): AsyncIterable<Uint8Array> {
    if (ref.inline !== undefined) return inlineBytes(ref, start, end);
    const file = this.file(ref.id);
    if (ref.size === 0 || end < start) return (async function* () {})();
    const opened = this.track(ref.id, fs.open(file, 'r'));
    let started = false;
    // Nobody may ever iterate (the client left before the answer began), or an iterator may be
    // returned before its first step: either way the file is closed later.
    const grace = setTimeout(() => {
      if (!started) opened.then((h) => h.close()).catch(() => {});
    }, UNREAD_GRACE_MS);
    grace.unref();
    // A rejected open is reported to the reader; unobserved, it would be an unhandled rejection.
    opened.catch(() => {});
    const begin = () => {
      started = true;
      clearTimeout(grace);
    };
    return { [Symbol.asyncIterator]: () => streamFile(opened, start, end, begin) };
  }

  private track<T>(id: string, open: Promise<T>): Promise<T> {
    let pending = this.opening.get(id);
    if (!pending) {
      pending = new Set();
      this.opening.set(id, pending);
    }
    const set = pending;
    set.add(open);
    const done = () => {
      set.delete(open);
      if (set.size === 0 && this.opening.get(id) === set) this.opening.delete(id);
    };
    open.then(done, done);
    return open;
  }

  private async settleOpens(id: string): Promise<void> {
    const pending = this.opening.get(id);
    if (pending) await Promise.allSettled([...pending]);
  }

  async release(ref: BodyRef): Promise<void> {
    // An inline body goes with the record that holds it.
    if (ref.inline !== undefined) return;
    const file = this.file(ref.id);
    await this.settleOpens(ref.id);
    await fs.unlink(file).catch((err) => {
      if (!isMissing(err)) throw err;
    });
  }

  /** The folder's entries; none before the first body made it. */
  private async names(): Promise<string[]> {
    try {
      return await fs.readdir(this.dir);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
  }

  async sweep(live: Iterable<BodyRef>): Promise<void> {
    const keep = new Set<string>();
    for (const ref of live) keep.add(ref.id);
    const names = await this.names();
    for (const name of names) {
      if (keep.has(name) && ID.test(name)) continue;
      const stale =
        ID.test(name) || (name.endsWith(TEMP_SUFFIX) && ID.test(name.slice(0, -TEMP_SUFFIX.length)));
      // Only what this store writes is removed: anything else in the folder is not ours to judge.
      if (stale) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  async clear(): Promise<void> {
    const names = await this.names();
    // Temporaries belong to uploads still under way: they commit or abort on their own.
    for (const name of names) {
      if (!ID.test(name)) continue;
      await this.settleOpens(name);
      await fs.rm(path.join(this.dir, name), { force: true });
    }
  }
}

async function* inlineBytes(ref: BodyRef, start: number, end: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(ref.inline ?? '', 'base64');
  // A ref whose bytes do not match its size was not written by this store.
  if (bytes.length !== ref.size)
    throw new Error(`inline body ${ref.id} holds ${bytes.length} of ${ref.size} bytes`);
  if (start <= end) yield bytes.subarray(start, end + 1);
}

async function* streamFile(
  opened: Promise<FileHandle>,
  start: number,
  end: number,
  begin: () => void,
): AsyncGenerator<Buffer> {
  begin();
  const handle = await opened;
  // Positioned reads into a fresh buffer each (the socket keeps it until it is sent), 256 KiB at
  // most: a small object is one read. The next read is under way while the caller sends the
  // last one, so the disk and the socket work at the same time.
  const readAt = async (at: number): Promise<Buffer> => {
    const want = Math.min(READ_CHUNK, end - at + 1);
    const buffer = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(buffer, 0, want, at);
    if (bytesRead === 0) throw new Error(`body file ended ${end - at + 1} bytes short`);
    return bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
  };
  const readAhead = (at: number): Promise<Buffer> => {
    const read = readAt(at);
    // It may fail while the caller is still sending the last piece, before anyone awaits it:
    // the failure is reported when it is awaited, never as an unhandled rejection.
    read.catch(() => {});
    return read;
  };
  let ahead: Promise<Buffer> | undefined = readAhead(start);
  try {
    for (let at = start; ahead; ) {
      const piece: Buffer = await ahead;
      at += piece.length;
      ahead = at <= end ? readAhead(at) : undefined;
      yield piece;
    }
  } finally {
    // A caller that stopped early leaves one read in flight: it must end before the handle closes.
    await ahead?.catch(() => {});
    await handle.close();
  }
}

/** One body being written: batches bytes, writes them in order, and commits or aborts once. */
class FileBodyWriter implements BodyWriter {
  private target?: Promise<{ handle: FileHandle; temp: string }>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The batch being written while the next one gathers; its failure surfaces at the next step. */
  private writing?: Promise<void>;
  private size = 0;
  private finished = false;

  constructor(
    private readonly store: FileBodies,
    private readonly id: string,
  ) {}

  private open(): Promise<{ handle: FileHandle; temp: string }> {
    this.target ??= this.store.openTemp(this.id);
    return this.target;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.finished) throw new Error('body already committed or aborted');
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.size += chunk.length;
    if (this.pendingBytes < WRITE_BATCH) return;
    // One batch is written (in the thread pool) while the caller digests and gathers the next:
    // the disk and the main thread work side by side. Resolving only once the batch before is
    // written is what pauses a fast uploader, with at most two batches held.
    await this.settleWrite();
    const write = this.flush();
    write.catch(() => {});
    this.writing = write;
  }

  private async settleWrite(): Promise<void> {
    const writing = this.writing;
    this.writing = undefined;
    await writing;
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const { handle } = await this.open();
    let written = 0;
    let views = buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    while (written < total) {
      const { bytesWritten } = await handle.writev(views);
      written += bytesWritten;
      if (written < total) views = remainder(views, bytesWritten);
    }
  }

  async commit(): Promise<BodyRef> {
    if (this.finished) throw new Error('body already committed or aborted');
    this.finished = true;
    if (this.size === 0 && !this.target) return { id: this.id, size: 0 };
    try {
      if (!this.target) {
        const buffers = this.pending;
        this.pending = [];
        this.pendingBytes = 0;
        if (this.size <= INLINE_LIMIT) {
          const bytes = buffers.length === 1 ? buffers[0] : Buffer.concat(buffers);
          const inline = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
          return { id: this.id, size: this.size, inline };
        }
        await this.store.writeWhole(this.id, buffers, this.size);
        return { id: this.id, size: this.size };
      }
      await this.settleWrite();
      await this.flush();
      const { handle, temp } = await this.open();
      await handle.close();
      await this.store.publish(this.id, temp);
    } catch (err) {
      await this.discard();
      throw err;
    }
    return { id: this.id, size: this.size };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.pending = [];
    await this.discard();
  }

  private async discard(): Promise<void> {
    await this.settleWrite().catch(() => {});
    if (!this.target) return;
    const opened = await this.target.catch(() => undefined);
    if (!opened) return;
    await opened.handle.close().catch(() => {});
    await fs.unlink(opened.temp).catch(() => {});
  }
}

/** What is left of `views` once their first `skip` bytes have been written. */
function remainder(views: Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  let left = skip;
  for (const view of views) {
    if (left >= view.length) {
      left -= view.length;
      continue;
    }
    out.push(left > 0 ? view.subarray(left) : view);
    left = 0;
  }
  return out;
}
