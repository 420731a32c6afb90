import http from 'node:http';
import https from 'node:https';

/** One outgoing HTTP call of an API destination or of an OAuth token request. */
export interface OutgoingRequest {
  method: string;
  url: string;
  /** Sent as given: names keep their case and nothing is added but Host and Content-Length. */
  headers: Record<string, string>;
  body?: string;
}

export interface IncomingAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * "EventBridge requests to an API destination endpoint must have a maximum client execution
 * timeout of 5 seconds" (user guide, API destinations). Real time: the network does not follow
 * Tideway's clock.
 */
export const CLIENT_TIMEOUT_MS = 5000;

/** The `Range: bytes=0-1048575` EventBridge sends: no more of an answer than that is read. */
const MAX_ANSWER_BYTES = 1_048_576;

/**
 * Sends through node:http rather than fetch, which adds headers of its own (Accept, User-Agent,
 * Sec-Fetch-Mode) and refuses `Connection`, so the receiver would not see what AWS sends. Redirects
 * are not followed. Rejects on a connection error or the timeout.
 */
export function send(request: OutgoingRequest, timeoutMs = CLIENT_TIMEOUT_MS): Promise<IncomingAnswer> {
  const url = new URL(request.url);
  const transport = url.protocol === 'https:' ? https : http;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { ...request.headers };
  if (body) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { method: request.method, headers, timeout: timeoutMs, setHost: true },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} seconds`)));
    req.on('error', reject);
    req.end(body);
  });
}
