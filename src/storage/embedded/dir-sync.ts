import fs from 'node:fs/promises';

/**
 * fsync of one directory, shared by every caller that asks while one is pending: a rename is
 * durable once any directory sync that began after it completes, so concurrent commits wait for
 * the same next sync instead of paying one each.
 */
export class DirSync {
  private running?: Promise<void>;
  private next?: Promise<void>;

  /** `syncOnce` performs one sync; tests hand in their own to count and time them. */
  constructor(
    dir: string,
    private readonly syncOnce: () => Promise<void> = () => fsyncDir(dir),
  ) {}

  /** Resolves once a sync that began after this call has completed. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // One is under way and may have begun before the caller's rename: wait for the one after it.
    this.next ??= this.running.then(
      () => this.afterRunning(),
      () => this.afterRunning(),
    );
    return this.next;
  }

  private afterRunning(): Promise<void> {
    this.next = undefined;
    return this.sync();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
