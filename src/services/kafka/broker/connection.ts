// One client connection: frames in, requests dispatched to the APIs, responses out in request order.
import type { Socket } from 'node:net';
import type { Logger } from '../../../core/logger.js';
import { decodeRequest, encodeResponse, readRequestHeader } from '../../../protocols/kafka/codec.js';
import { FrameReader } from '../../../protocols/kafka/frames.js';
import { brokerApis } from './apis.js';
import { apiVersionsFallback } from './metadata-apis.js';
import {
  type ApiRegistration,
  type ClusterRuntime,
  type ConnectionState,
  KafkaProtocolError,
  type KafkaRequestContext,
  type ListenerAddress,
} from './types.js';

const API_VERSIONS = 18;
/** Responses waiting (in order) before the connection stops reading, as Kafka mutes a busy channel. */
const MAX_QUEUED_RESPONSES = 256;
/** Bytes written but not yet taken by the socket before it stops reading. */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

let apisCache: Map<number, ApiRegistration> | undefined;
function apis(): Map<number, ApiRegistration> {
  apisCache ??= brokerApis();
  return apisCache;
}

interface Slot {
  done: boolean;
  chunks: Buffer[];
  /** Close once this slot's answer (if any) is written: a SASL failure, a rawSasl refusal. */
  closeAfter: boolean;
}

let nextConnectionId = 1;

export class KafkaConnection implements ConnectionState {
  readonly id = nextConnectionId++;
  readonly remote: string;
  principal: string | undefined;
  authenticated: boolean;
  rawSasl: ((token: Buffer) => Promise<Buffer | undefined>) | undefined;
  private readonly reader = new FrameReader();
  private readonly queue: Slot[] = [];
  private readonly aborter = new AbortController();
  private closing = false;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    readonly listener: ListenerAddress,
    private readonly cluster: ClusterRuntime,
    private readonly log: Logger,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const sasl = listener.kind === 'SASL_SCRAM' || listener.kind === 'SASL_IAM';
    this.authenticated = !sasl;
    this.principal = sasl ? undefined : 'ANONYMOUS';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', (err) =>
      this.log.debug({ connection: this.id, err: err.message }, 'Kafka connection error'),
    );
    socket.on('close', () => this.aborter.abort());
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** Ends the connection once the answers already queued are written. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.pause();
    this.flush();
  }

  /** Drops the connection at once (cluster closed, server stopping, a request Kafka would not serve). */
  destroy(): void {
    this.closing = true;
    this.queue.length = 0;
    this.socket.destroy();
  }

  private refuse(reason: string, detail: Record<string, unknown> = {}): void {
    this.log.debug(
      { connection: this.id, remote: this.remote, ...detail },
      `Kafka connection closed: ${reason}`,
    );
    this.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.refuse((err as Error).message);
      return;
    }
    for (const frame of frames) {
      if (this.closing) return;
      this.dispatch(frame);
    }
    this.maybePause();
  }

  private dispatch(frame: Buffer): void {
    const rawSasl = this.rawSasl;
    if (rawSasl) {
      this.dispatchRawSasl(rawSasl, frame);
      return;
    }
    let header: ReturnType<typeof readRequestHeader>['header'];
    let bodyOffset: number;
    try {
      ({ header, bodyOffset } = readRequestHeader(frame));
    } catch (err) {
      this.refuse('unreadable request header', { err: (err as Error).message });
      return;
    }
    const { apiKey, apiVersion, correlationId } = header;
    const api = apis().get(apiKey);
    if (!api) {
      this.refuse('unknown API key', { apiKey, apiVersion });
      return;
    }
    if (!this.authenticated && !api.beforeAuthentication) {
      // Kafka's SaslServerAuthenticator drops a client that skips authentication.
      this.refuse('request before SASL authentication', { apiKey, apiVersion });
      return;
    }
    if (apiVersion < api.minVersion || apiVersion > api.maxVersion) {
      if (apiKey === API_VERSIONS && apiVersion > api.maxVersion) {
        // KIP-511: answer at v0 with the versions served, so the client can pick one.
        this.answer(this.slot(), () => encodeResponse(API_VERSIONS, 0, correlationId, apiVersionsFallback()));
        return;
      }
      this.refuse('unsupported API version', { apiKey, apiVersion });
      return;
    }
    let request: Record<string, any>;
    try {
      request = decodeRequest(apiKey, apiVersion, frame, bodyOffset);
    } catch (err) {
      this.refuse('undecodable request', { apiKey, apiVersion, err: (err as Error).message });
      return;
    }
    const ctx: KafkaRequestContext = {
      apiKey,
      apiVersion,
      correlationId,
      clientId: header.clientId,
      connection: this,
      cluster: this.cluster,
    };
    const slot = this.slot();
    const respond = (body: Record<string, unknown> | null) =>
      this.answer(slot, () => (body === null ? [] : encodeResponse(apiKey, apiVersion, correlationId, body)));
    let result: ReturnType<ApiRegistration['handle']>;
    try {
      result = api.handle(ctx, request);
    } catch (err) {
      this.failed(err, apiKey, apiVersion);
      return;
    }
    if (result instanceof Promise) {
      result.then(respond, (err) => this.failed(err, apiKey, apiVersion));
    } else {
      respond(result);
    }
  }

  private dispatchRawSasl(step: (token: Buffer) => Promise<Buffer | undefined>, frame: Buffer): void {
    const slot = this.slot();
    // The token is a view of the socket's chunk: copy it before the exchange awaits anything.
    step(Buffer.from(frame)).then(
      (token) => {
        if (token === undefined) {
          slot.closeAfter = true;
          this.answer(slot, () => []);
          return;
        }
        const size = Buffer.alloc(4);
        size.writeInt32BE(token.length);
        this.answer(slot, () => [size, token]);
      },
      (err) => this.failed(err, -1, -1),
    );
  }

  private slot(): Slot {
    const slot: Slot = { done: false, chunks: [], closeAfter: false };
    this.queue.push(slot);
    return slot;
  }

  private answer(slot: Slot, encode: () => Buffer[]): void {
    if (this.socket.destroyed) return;
    try {
      slot.chunks = encode();
    } catch (err) {
      this.log.error(
        { connection: this.id, err: (err as Error).message },
        'Kafka response could not be encoded',
      );
      this.destroy();
      return;
    }
    slot.done = true;
    this.flush();
  }

  private failed(err: unknown, apiKey: number, apiVersion: number): void {
    if (err instanceof KafkaProtocolError) {
      this.refuse(err.message, { apiKey, apiVersion });
      return;
    }
    this.log.error(
      { connection: this.id, apiKey, apiVersion, err: (err as Error)?.stack ?? String(err) },
      'Kafka handler failed',
    );
    this.destroy();
  }

  private flush(): void {
    if (this.socket.destroyed) return;
    while (this.queue.length > 0 && this.queue[0].done) {
      const slot = this.queue.shift() as Slot;
      for (const chunk of slot.chunks) this.socket.write(chunk);
      if (slot.closeAfter) {
        this.closing = true;
        this.queue.length = 0;
      }
    }
    if (this.closing && this.queue.length === 0) {
      this.socket.end();
      return;
    }
    this.maybeResume();
  }

  private overloaded(): boolean {
    return this.queue.length >= MAX_QUEUED_RESPONSES || this.socket.writableLength >= MAX_UNSENT_BYTES;
  }

  private maybePause(): void {
    if (!this.paused && !this.closing && this.overloaded()) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (this.paused && !this.closing && !this.overloaded()) {
      this.paused = false;
      this.socket.resume();
    }
  }
}
