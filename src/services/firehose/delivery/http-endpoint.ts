import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { DeliveryStreamRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';

/** What became of one buffered batch sent to an HTTP endpoint, after the retries. */
export type HttpDeliveryOutcome =
  | { kind: 'delivered' }
  /** Gave up after RetryDuration: the pipeline writes the records to the S3 backup's error prefix. */
  | { kind: 'failed'; errorCode: string; errorMessage: string; attempts?: number };

const gzipAsync = promisify(gzip);

/** RetryOptions.DurationInSeconds when the stream sets none (Firehose API reference). */
export const DEFAULT_RETRY_SECONDS = 300;
/** "HTTP endpoints have 3 minutes to respond to a request" (Firehose guide, request and response specifications). */
export const ANSWER_TIMEOUT_MS = 180_000;
/** A response body over 1 MiB is a failure (HttpEndpoint.ResponseTooLarge). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/**
 * AWS does not publish its backoff. Tideway waits 1 s after the first failure and doubles the
 * wait up to 60 s, never past the end of the retry duration.
 */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 60_000;

/** The error codes and texts Firehose logs for HTTP endpoint deliveries (Firehose guide, "Troubleshooting HTTP endpoints"). */
export const HTTP_ENDPOINT_ERRORS = {
  destination: (status: number, body: string) => ({
    errorCode: 'HttpEndpoint.DestinationException',
    errorMessage: `The following response was received from the endpoint destination. ${status}: ${body}`,
  }),
  invalidResponse: () => ({
    errorCode: 'HttpEndpoint.InvalidResponseFromDestination',
    errorMessage:
      'The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue.',
  }),
  tooLarge: () => ({
    errorCode: 'HttpEndpoint.ResponseTooLarge',
    errorMessage:
      'The response received from the endpoint is too large. Contact the owner of the endpoint to resolve the issue.',
  }),
  timeout: () => ({
    errorCode: 'HttpEndpoint.RequestTimeout',
    errorMessage:
      'The delivery timed out before a response was received and will be retried. If this error persists, contact the AWS Firehose service team.',
  }),
  connectionFailed: () => ({
    errorCode: 'HttpEndpoint.ConnectionFailed',
    errorMessage:
      'Unable to connect to the destination endpoint. Contact the owner of the endpoint to resolve this issue.',
  }),
  connectionReset: () => ({
    errorCode: 'HttpEndpoint.ConnectionReset',
    errorMessage:
      'Unable to maintain connection with the endpoint. Contact the owner of the endpoint to resolve this issue.',
  }),
  secret: (arn: string, why: string) => ({
    errorCode: 'HttpEndpoint.SecretsManagerAccessFailed',
    errorMessage: `Firehose could not read the access key from the secret ${arn}: ${why}`,
  }),
};

type Failure = { errorCode: string; errorMessage: string };

// Deliveries in flight end when the pipeline closes: no request outlives the server.
const stopping = new WeakMap<PipelineDeps, AbortController>();

function stopSignal(deps: PipelineDeps): AbortSignal {
  let controller = stopping.get(deps);
  if (!controller) {
    controller = new AbortController();
    stopping.set(deps, controller);
  }
  return controller.signal;
}

/**
 * Aborts the HTTP endpoint deliveries of these deps (the pipeline's close): their promises reject,
 * so the records stay where the pipeline keeps them instead of going to the error output.
 */
export function stopHttpEndpointDeliveries(deps: PipelineDeps): void {
  stopSignal(deps);
  stopping.get(deps)?.abort(new Error('the server is closing'));
}

/** One request as Firehose sends it: the same request id on every attempt, a fresh timestamp. */
export interface EndpointRequest {
  url: string;
  requestId: string;
  headers: Record<string, string>;
  /** The body for a given timestamp (gzip applied when the stream asks for it). */
  body(timestamp: number): Promise<Uint8Array>;
}

/**
 * The request for a batch (Firehose guide, "HTTP endpoint delivery request and response
 * specifications"): POST of `{requestId, timestamp, records: [{data}]}` with the X-Amz-Firehose-*
 * headers; the access key and common attributes only when the stream has them.
 */
export function endpointRequest(
  stream: DeliveryStreamRecord,
  records: readonly Uint8Array[],
  accessKey: string | undefined,
  requestId: string = randomUUID(),
): EndpointRequest {
  const destination = stream.destination.httpEndpoint;
  const url = destination?.EndpointConfiguration?.Url ?? '';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amz-firehose-protocol-version': '1.0',
    'x-amz-firehose-request-id': requestId,
    'x-amz-firehose-source-arn': stream.arn,
  };
  if (accessKey !== undefined && accessKey !== '') headers['x-amz-firehose-access-key'] = accessKey;
  const common = destination?.RequestConfiguration?.CommonAttributes ?? [];
  if (common.length > 0) {
    const attributes: Record<string, string> = {};
    for (const a of common) attributes[a.AttributeName ?? ''] = a.AttributeValue ?? '';
    headers['x-amz-firehose-common-attributes'] = JSON.stringify({ commonAttributes: attributes });
  }
  const gzipped = destination?.RequestConfiguration?.ContentEncoding === 'GZIP';
  if (gzipped) headers['content-encoding'] = 'gzip';
  // The records part is the bulk of the body and the same on every attempt: encoded once.
  const encoded = records.map(
    (r) => `{"data":"${Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString('base64')}"}`,
  );
  const tail = `,"records":[${encoded.join(',')}]}`;
  return {
    url,
    requestId,
    headers,
    body: async (timestamp) => {
      const text = Buffer.from(
        `{"requestId":${JSON.stringify(requestId)},"timestamp":${timestamp}${tail}`,
        'utf8',
      );
      return gzipped ? new Uint8Array(await gzipAsync(text)) : new Uint8Array(text);
    },
  };
}

/**
 * Whether an answer honours the contract: 200, Content-Type application/json, a JSON body with
 * the request's requestId and a numeric timestamp. Anything else is a failure with Firehose's code.
 */
export function judgeResponse(
  status: number,
  contentType: string | null,
  body: string,
  requestId: string,
): Failure | undefined {
  if (status !== 200) return HTTP_ENDPOINT_ERRORS.destination(status, body.slice(0, 1024));
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') return HTTP_ENDPOINT_ERRORS.invalidResponse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return HTTP_ENDPOINT_ERRORS.invalidResponse();
  }
  if (typeof parsed !== 'object' || parsed === null) return HTTP_ENDPOINT_ERRORS.invalidResponse();
  const answer = parsed as { requestId?: unknown; timestamp?: unknown };
  if (answer.requestId !== requestId || typeof answer.timestamp !== 'number') {
    return HTTP_ENDPOINT_ERRORS.invalidResponse();
  }
  return undefined;
}

/** Reads at most MAX_RESPONSE_BYTES of an answer; undefined when it is longer. */
async function boundedText(res: Response): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a request failed before an answer came: the connection, or the 3 minutes. */
function transportFailure(err: unknown): Failure {
  const error = err as { name?: string; cause?: { code?: string } };
  if (error.name === 'TimeoutError') return HTTP_ENDPOINT_ERRORS.timeout();
  const code = error.cause?.code ?? '';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return HTTP_ENDPOINT_ERRORS.connectionReset();
  }
  return HTTP_ENDPOINT_ERRORS.connectionFailed();
}

/** One attempt: undefined on an answer that honours the contract, else why not. */
export async function attemptDelivery(
  request: EndpointRequest,
  timestamp: number,
  stop: AbortSignal,
): Promise<Failure | undefined> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: (await request.body(timestamp)) as Uint8Array<ArrayBuffer>,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(ANSWER_TIMEOUT_MS), stop]),
    });
  } catch (err) {
    if (stop.aborted) throw stop.reason;
    return transportFailure(err);
  }
  let text: string | undefined;
  try {
    text = await boundedText(res);
  } catch (err) {
    if (stop.aborted) throw stop.reason;
    return transportFailure(err);
  }
  if (text === undefined) return HTTP_ENDPOINT_ERRORS.tooLarge();
  return judgeResponse(res.status, res.headers.get('content-type'), text, request.requestId);
}

/** The access key: the secret's `api_key` when Secrets Manager is enabled, else the one configured. */
async function accessKeyOf(
  stream: DeliveryStreamRecord,
  deps: PipelineDeps,
): Promise<string | Failure | undefined> {
  const secrets = stream.destination.httpEndpoint?.SecretsManagerConfiguration;
  if (!secrets?.Enabled || !secrets.SecretARN) return stream.destination.httpEndpointAccessKey;
  const arn = secrets.SecretARN;
  const door = deps.frontDoors.secretsmanager;
  if (!door) return HTTP_ENDPOINT_ERRORS.secret(arn, 'Secrets Manager is not available');
  let value: string;
  try {
    value = await door.read(arn);
  } catch (err) {
    return HTTP_ENDPOINT_ERRORS.secret(arn, (err as Error).message);
  }
  // The secret must hold {"api_key": "..."} (Firehose guide, X-Amz-Firehose-Access-Key).
  try {
    const key = (JSON.parse(value) as { api_key?: unknown }).api_key;
    if (typeof key === 'string') return key;
  } catch {
    // Reported below.
  }
  return HTTP_ENDPOINT_ERRORS.secret(arn, 'the secret is not a JSON object with a string "api_key"');
}

/**
 * Sends one batch (already processed) to the stream's HTTP endpoint under Firehose's documented
 * request/response contract, retrying on the clock for RetryDuration.
 */
export async function deliverToHttpEndpoint(
  stream: DeliveryStreamRecord,
  records: readonly Uint8Array[],
  deps: PipelineDeps,
): Promise<HttpDeliveryOutcome> {
  const stop = stopSignal(deps);
  const seconds = stream.destination.httpEndpoint?.RetryOptions?.DurationInSeconds ?? DEFAULT_RETRY_SECONDS;
  // "The request ID is kept the same between multiple attempts of the same request."
  const requestId = randomUUID();
  let request: EndpointRequest | undefined;
  let requestKey: string | undefined;
  let attempts = 0;
  let deadline: number | undefined;
  let wait = FIRST_RETRY_MS;
  for (;;) {
    if (stop.aborted) throw stop.reason;
    attempts++;
    // The key is read on each attempt: a rotated secret mends a delivery in retry.
    const key = await accessKeyOf(stream, deps);
    let failure: Failure | undefined;
    if (typeof key === 'object') failure = key;
    else {
      if (!request || key !== requestKey) {
        request = endpointRequest(stream, records, key, requestId);
        requestKey = key;
      }
      failure = await attemptDelivery(request, deps.clock.now(), stop);
    }
    if (!failure) {
      if (attempts > 1)
        deps.log.info(
          { deliveryStream: stream.arn, attempts },
          'HTTP endpoint delivery succeeded after retries',
        );
      return { kind: 'delivered' };
    }
    const now = deps.clock.now();
    // "This duration starts after the initial attempt to send data … fails."
    deadline ??= now + seconds * 1000;
    deps.log.warn(
      {
        deliveryStream: stream.arn,
        url: stream.destination.httpEndpoint?.EndpointConfiguration?.Url,
        errorCode: failure.errorCode,
        attempts,
      },
      failure.errorMessage,
    );
    if (now >= deadline) return { kind: 'failed', ...failure, attempts };
    const at = Math.min(now + wait, deadline);
    wait = Math.min(wait * 2, MAX_RETRY_MS);
    await new Promise<void>((resolve, reject) => {
      const timer = deps.scheduler.at(at, () => {
        stop.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        deps.scheduler.cancel(timer);
        reject(stop.reason);
      };
      stop.addEventListener('abort', onAbort, { once: true });
    });
  }
}
