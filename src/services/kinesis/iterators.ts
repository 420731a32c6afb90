import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a shard iterator points: after this sequence number, in this shard of this stream. */
export interface IteratorPosition {
  streamArn: string;
  /** Tells the stream from one created later under the same name. */
  streamCreatedAt: number;
  shardId: string;
  after: bigint;
  issuedAt: number;
}

/**
 * Iterators carry their whole position (reading twice with one gives the same records) and an
 * HMAC under the storage's key, so a forged or mangled one is refused rather than misread.
 */
export class IteratorCodec {
  constructor(private readonly key: Uint8Array) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, 16);
  }

  encode(p: IteratorPosition): string {
    const payload = [p.streamArn, p.streamCreatedAt, p.shardId, p.after.toString(), p.issuedAt].join('\n');
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  /** The position an iterator names, or undefined when it is not one Tideway issued. */
  decode(iterator: string): IteratorPosition | undefined {
    const [body, tag] = iterator.split('.');
    if (!body || !tag) return undefined;
    const payload = Buffer.from(body, 'base64url').toString();
    const given = Buffer.from(tag, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [streamArn, created, shardId, after, issuedAt] = payload.split('\n');
    if (![created, after, issuedAt].every((n) => /^\d+$/.test(n ?? ''))) return undefined;
    return {
      streamArn,
      streamCreatedAt: Number(created),
      shardId,
      after: BigInt(after),
      issuedAt: Number(issuedAt),
    };
  }
}
