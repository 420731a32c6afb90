import { s3Failure } from './errors.js';

/**
 * Presigned URLs: the authentication parameters a URL carries in its query, checked on the server
 * clock as S3 checks them before anything else about the request. Signatures themselves are not
 * verified (no SigV4 verification yet); their presence, form and expiry are.
 */

/** S3 refuses query-string signatures valid for longer than a week. */
export const MAX_PRESIGNED_SECONDS = 604_800;

const V4_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;
const V2_PARAMETERS = ['AWSAccessKeyId', 'Signature', 'Expires'] as const;
const ALGORITHMS = new Set(['AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256']);
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const CREDENTIAL = /^[^/]+\/\d{8}\/[^/]+\/[^/]+\/aws4_request$/;

const queryParametersError = (message: string) =>
  s3Failure('AuthorizationQueryParametersError', 400, message);

/** S3 writes the times of an expiry answer in ISO 8601 to the second. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function expired(fields: Record<string, unknown>) {
  return s3Failure('AccessDenied', 403, 'Request has expired', fields);
}

/** Parses `yyyyMMddTHHmmssZ` into epoch milliseconds; undefined when malformed. */
export function parseLongDate(text: string): number | undefined {
  const m = LONG_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20261332 over into the next year; S3 refuses such a date.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return ms;
}

/**
 * Throws S3's answer for a presigned request whose query parameters are incomplete, malformed or
 * expired at `now`; returns quietly for any other request (header-signed or unsigned).
 */
export function checkPresignedQuery(query: URLSearchParams, now: number, signedByHeader: boolean): void {
  if (signedByHeader) return;
  if (query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) {
    checkV4(query, now);
  } else if (query.has('AWSAccessKeyId') || query.has('Signature')) {
    checkV2(query, now);
  }
}

function checkV4(query: URLSearchParams, now: number): void {
  if (V4_PARAMETERS.some((name) => !query.get(name)))
    throw queryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  if (!ALGORITHMS.has(query.get('X-Amz-Algorithm')!))
    throw queryParametersError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"');
  if (!CREDENTIAL.test(query.get('X-Amz-Credential')!))
    throw queryParametersError(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  const signed = parseLongDate(query.get('X-Amz-Date')!);
  if (signed === undefined)
    throw queryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  const expiresText = query.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw queryParametersError('X-Amz-Expires should be a number');
  const seconds = Number(expiresText);
  if (seconds < 0) throw queryParametersError('X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_SECONDS)
    throw queryParametersError(
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`,
    );
  const until = signed + seconds * 1000;
  if (now > until)
    throw expired({ 'X-Amz-Expires': expiresText, Expires: isoSeconds(until), ServerTime: isoSeconds(now) });
}

function checkV2(query: URLSearchParams, now: number): void {
  if (V2_PARAMETERS.some((name) => !query.get(name)))
    throw s3Failure(
      'AccessDenied',
      403,
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  const expiresText = query.get('Expires')!;
  if (!/^\d+$/.test(expiresText))
    throw s3Failure('AccessDenied', 403, `Invalid date (should be seconds since epoch): ${expiresText}`);
  const until = Number(expiresText) * 1000;
  if (now > until) throw expired({ Expires: isoSeconds(until), ServerTime: isoSeconds(now) });
}
