import { randomUUID } from 'node:crypto';
import type { BodyRef, BodyStore, BodyWriter } from '../types.js';
import { FileBodies } from './body-files.js';

export { FileBodies } from './body-files.js';

/**
 * Bodies in memory (no --data-dir): the chunks as they arrived, never joined or copied, so a read
 * hands out views of them. A read takes its chunks when asked for, so releasing the body while it
 * streams does not cut it short.
 */
export class MemoryBodies implements BodyStore {
  private readonly bodies = new Map<string, Uint8Array[]>();

  create(): BodyWriter {
    let chunks: Uint8Array[] = [];
    let size = 0;
    let finished = false;
    const open = () => {
      if (finished) throw new Error('body already committed or aborted');
    };
    return {
      write: async (chunk) => {
        open();
        if (chunk.length === 0) return;
        chunks.push(chunk);
        size += chunk.length;
      },
      commit: async () => {
        open();
        finished = true;
        const id = randomUUID();
        this.bodies.set(id, chunks);
        return { id, size };
      },
      abort: async () => {
        finished = true;
        chunks = [];
      },
    };
  }

  read(ref: BodyRef, start = 0, end = ref.size - 1): AsyncIterable<Uint8Array> {
    return sliceChunks(this.bodies.get(ref.id) ?? [], start, end);
  }

  async release(ref: BodyRef): Promise<void> {
    this.bodies.delete(ref.id);
  }

  async sweep(): Promise<void> {}

  async clear(): Promise<void> {
    this.bodies.clear();
  }
}

async function* sliceChunks(chunks: Uint8Array[], start: number, end: number): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset + 1, chunk.length);
    if (from < to) yield chunk.subarray(from, to);
    offset += chunk.length;
    if (offset > end) return;
  }
}

/** The store for a server: files under `<dataDir>/s3/` with --data-dir, else memory. */
export function createBodyStore(dataDir: string | undefined): BodyStore {
  return dataDir === undefined ? new MemoryBodies() : new FileBodies(dataDir);
}
