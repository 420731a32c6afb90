import type { EventStreamCodec } from '@smithy/core/event-streams';
import { CBOR_CONTENT_TYPE, encodeCbor, encodeCborValue } from './cbor.js';
import { isServiceError, type ServiceError } from './errors.js';
import { encodeJson } from './json.js';
import type { StructureShape } from './shapes.js';

// AWS event streams (application/vnd.amazon.eventstream): an HTTP answer whose body is a
// sequence of binary messages, each with typed headers and a payload. The awsJson services
// (Kinesis SubscribeToShard) open with an `initial-response` event carrying the output's
// non-stream members, then send one `event` message per event and, on failure, one
// `exception` message before the body ends.

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** One event of a stream: its union member name and its value. */
export interface StreamedEvent {
  type: string;
  value: Record<string, unknown>;
}

/**
 * What a handler of an event-stream operation returns: the events, pulled as the client takes
 * them. Throwing a ServiceError from the iterator ends the stream with that exception.
 */
export class EventStreamOutput {
  constructor(readonly events: AsyncIterable<StreamedEvent>) {}
}

export type PayloadFormat = 'json' | 'cbor';

type Message = Parameters<EventStreamCodec['encode']>[0];
type Codec = Pick<EventStreamCodec, 'encode'>;
let codec: Promise<Codec> | undefined;

// The codec comes from the SDK's own package, loaded on the first stream so that startup never pays for it.
function eventCodec(): Promise<Codec> {
  codec ??= import('@smithy/core/event-streams').then(async ({ EventStreamCodec }) => {
    const { toUtf8, fromUtf8 } = await import('@smithy/core/serde');
    return new EventStreamCodec(toUtf8, fromUtf8);
  });
  return codec;
}

function text(value: string): Message['headers'][string] {
  return { type: 'string', value };
}

function payload(format: PayloadFormat, shape: StructureShape, value: Record<string, unknown>): Uint8Array {
  return format === 'cbor' ? encodeCbor(shape, value) : Buffer.from(encodeJson(shape, value));
}

function contentType(format: PayloadFormat): string {
  return format === 'cbor' ? CBOR_CONTENT_TYPE : 'application/json';
}

const NO_MEMBERS: StructureShape = { type: 'structure', members: {}, memberList: [], required: [] };

/**
 * Encodes a handler's events as event-stream messages for the wire, each one as soon as it is
 * produced. `shapes` gives each event type's structure; an error ends the stream as an exception.
 */
export async function* encodeEventStream(
  output: EventStreamOutput,
  shapes: Record<string, StructureShape>,
  format: PayloadFormat,
  onError: (err: unknown) => ServiceError,
): AsyncGenerator<Uint8Array> {
  const { encode } = await eventCodec().then((c) => ({ encode: c.encode.bind(c) }));
  yield encode({
    headers: {
      ':message-type': text('event'),
      ':event-type': text('initial-response'),
      ':content-type': text(contentType(format)),
    },
    body: payload(format, NO_MEMBERS, {}),
  });
  try {
    for await (const event of output.events) {
      yield encode({
        headers: {
          ':message-type': text('event'),
          ':event-type': text(event.type),
          ':content-type': text(contentType(format)),
        },
        body: payload(format, shapes[event.type], event.value),
      });
    }
  } catch (err) {
    const error = isServiceError(err) ? err : onError(err);
    const body = { message: error.message };
    yield encode({
      headers: {
        ':message-type': text('exception'),
        ':exception-type': text(error.code),
        ':content-type': text(contentType(format)),
      },
      body: format === 'cbor' ? encodeCborValue(body) : Buffer.from(JSON.stringify(body)),
    });
  }
}
