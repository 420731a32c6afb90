import { randomUUID } from 'node:crypto';
import type { BodyRef, BodyStore, BodyWriter } from '../types.js';

/**
 * SKELETON (in memory only): the storage slice adds the file store under `<data-dir>/s3/` and
 * keeps this one for memory mode.
 */
export class MemoryBodies implements BodyStore {
  private readonly bodies = new Map<string, Uint8Array[]>();

  create(): BodyWriter {
    const chunks: Uint8Array[] = [];
    let size = 0;
    return {
      write: async (chunk) => {
        chunks.push(chunk);
        size += chunk.length;
      },
      commit: async () => {
        const id = randomUUID();
        this.bodies.set(id, chunks);
        return { id, size };
      },
      abort: async () => {
        chunks.length = 0;
      },
    };
  }

  async *read(ref: BodyRef, start = 0, end = ref.size - 1): AsyncIterable<Uint8Array> {
    let offset = 0;
    for (const chunk of this.bodies.get(ref.id) ?? []) {
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset + 1, chunk.length);
      if (from < to) yield chunk.subarray(from, to);
      offset += chunk.length;
      if (offset > end) return;
    }
  }

  async release(ref: BodyRef): Promise<void> {
    this.bodies.delete(ref.id);
  }

  async sweep(): Promise<void> {}

  async clear(): Promise<void> {
    this.bodies.clear();
  }
}

/** The store for a server: files under `<dataDir>/s3/` with --data-dir, else memory. */
export function createBodyStore(_dataDir: string | undefined): BodyStore {
  return new MemoryBodies();
}
