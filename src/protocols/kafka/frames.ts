// SKELETON (contract; lands with the codec). Splits a TCP byte stream into Kafka frames.

/** Kafka's socket.request.max.bytes default: a larger frame closes the connection. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;

/** A frame larger than the limit, or a negative size: the connection is closed. */
export class FrameTooLargeError extends Error {}

/**
 * Collects chunks and hands back each complete frame (without its 4-byte size), in order. A frame
 * is a view of the chunks when it lies in one, a copy when it spans several.
 */
export declare class FrameReader {
  constructor(maxFrameBytes?: number);
  push(chunk: Buffer): Buffer[];
  /** Bytes held of a frame not yet complete. */
  readonly pending: number;
}
