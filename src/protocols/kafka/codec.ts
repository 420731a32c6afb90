// SKELETON (contract; the implementation lands first, from the coordinator). The generic Kafka
// codec: requests and responses read and written by walking the message schemas generated from
// Apache Kafka's JSON message definitions (src/protocols/models/kafka-protocol.ts, written by
// `npm run models -- --kafka`).
//
// Bodies are plain objects whose keys are the schema's field names in camelCase
// (`TopicData` → `topicData`, `PartitionIndex` → `partitionIndex`, `ErrorCode` → `errorCode`).
// int64 fields are bigint, uuid fields are 22-character base64url strings of Kafka's Uuid (the
// form Kafka prints; all-zero is "AAAAAAAAAAAAAAAAAAAAAA"), `bytes` fields are Buffers, `records`
// fields are Buffers on decode, and on encode a Buffer, an array of Buffers (written one after
// the other under one length: a Fetch answer hands stored batches out without copying) or null.
// Tagged fields are named like the others. Encoding fills every field the body leaves out with
// the schema's default (0, "", [], false, null where the default is null), so handlers set only
// what they answer.

/** The request header, any version (v1 and v2 carry the client id; v2 adds tagged fields). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** A frame that cannot be read as the schema says: Kafka closes the connection. */
export class KafkaDecodeError extends Error {}

/** Reads the header of a request frame (the frame without its 4-byte size). */
export declare function readRequestHeader(frame: Buffer): { header: RequestHeader; bodyOffset: number };

/** Decodes a request body of `apiKey` at `version` from `frame` at `offset`. */
export declare function decodeRequest(
  apiKey: number,
  version: number,
  frame: Buffer,
  offset: number,
): Record<string, any>;

/**
 * A response as the chunks to write: the 4-byte size, the response header (v0, or v1 for
 * flexible versions; ApiVersions always v0, as KIP-511 needs), then the body.
 */
export declare function encodeResponse(
  apiKey: number,
  version: number,
  correlationId: number,
  body: Record<string, unknown>,
): Buffer[];

/** For clients in tests and the null broker of the benchmark: a request as chunks to write. */
export declare function encodeRequest(
  apiKey: number,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: Record<string, unknown>,
): Buffer[];

/** For clients in tests: a response frame (without its size) read back. */
export declare function decodeResponse(
  apiKey: number,
  version: number,
  frame: Buffer,
): { correlationId: number; body: Record<string, any> };

/** The versions of each API the schemas know (not what the broker advertises: that is the broker's). */
export declare function schemaVersions(apiKey: number): { min: number; max: number } | undefined;
