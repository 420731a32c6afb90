import type { Pool } from 'undici';
import type { SignedHeaders } from './sigv4.js';

/** The two S3 calls the Firehose bench needs, path-style over raw HTTP: a bucket, and a count of its objects. */
export class S3Wire {
  constructor(
    private readonly pool: Pool,
    private readonly auth: SignedHeaders,
  ) {}

  async createBucket(bucket: string): Promise<void> {
    const { statusCode, body } = await this.pool.request({
      path: `/${bucket}`,
      method: 'PUT',
      headers: { ...this.auth },
    });
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`CreateBucket: HTTP ${statusCode} ${text.slice(0, 300)}`);
  }

  /** KeyCount of ListObjectsV2 under `prefix` (the bench's buckets stay under 1,000 objects). */
  async count(bucket: string, prefix: string): Promise<number> {
    const { statusCode, body } = await this.pool.request({
      path: `/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`,
      method: 'GET',
      headers: { ...this.auth },
    });
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`ListObjectsV2: HTTP ${statusCode} ${text.slice(0, 300)}`);
    return Number(/<KeyCount>(\d+)<\/KeyCount>/.exec(text)?.[1] ?? 0);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Polls `check` every `everyMs` until it holds; fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  everyMs = 20,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
