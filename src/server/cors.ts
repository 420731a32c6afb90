import type { IncomingHttpHeaders } from 'node:http';
import type { HttpReply } from '../protocols/service.js';

// What AWS's browser-facing endpoints (SQS, SNS, Kinesis, DynamoDB…) send so that a page's SDK
// can call them and read their answers: any origin, no credentials mode (requests are signed
// instead), and the response headers the SDKs read exposed, the request id first among them.
const EXPOSED =
  'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amzn-query-error,x-amz-request-id,x-amz-id-2,Date';
const METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
/** How long a browser may reuse a preflight answer, as AWS's endpoints say (2 days). */
const MAX_AGE = '172800';
/** Header names only: a preflight may not smuggle other text into our answer. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** A CORS preflight: OPTIONS with an Origin and the method the page means to use. */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return (
    method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/** The answer to a preflight: the methods and headers allowed, and for how long. */
export function preflightReply(headers: IncomingHttpHeaders): HttpReply {
  const reply: Record<string, string> = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': METHODS,
    'access-control-expose-headers': EXPOSED,
    'access-control-max-age': MAX_AGE,
  };
  const asked = headers['access-control-request-headers'];
  const requested = Array.isArray(asked) ? asked.join(',') : asked;
  if (requested && HEADER_LIST.test(requested.trim()))
    reply['access-control-allow-headers'] = requested.trim();
  return { status: 200, headers: reply, body: '' };
}

/** Adds the headers a browser needs to hand a cross-origin answer to the page. */
export function addCorsHeaders(headers: Record<string, string>): void {
  headers['access-control-allow-origin'] = '*';
  headers['access-control-expose-headers'] = EXPOSED;
}
