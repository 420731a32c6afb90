import assert from 'node:assert/strict';
import { type RawResponse, rawRequest, sigv4 } from '../support/server.js';

/**
 * Raw-HTTP helpers for the conformance suites: they compare Tideway's wire answers with the ones
 * AWS gave when LocalStack's validated snapshots were recorded (tests/aws/services/s3/*.snapshot.json).
 */

export interface S3Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function s3Raw(endpoint: string, call: S3Call): Promise<RawResponse> {
  return rawRequest(endpoint, {
    method: call.method,
    path: call.path,
    headers: { authorization: sigv4('s3'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...call.headers },
    body: call.body,
  });
}

/** The child elements of S3's `<Error>`, in order, as name/text pairs. */
export function errorElements(xml: string): Array<[string, string]> {
  const inner = /<Error>([\s\S]*)<\/Error>/.exec(xml)?.[1];
  assert.ok(inner !== undefined, `not an S3 error body: ${xml}`);
  const out: Array<[string, string]> = [];
  for (const m of inner.matchAll(/<([A-Za-z0-9-]+)>([^<]*)<\/\1>|<([A-Za-z0-9-]+)\/>/g)) {
    out.push(m[3] !== undefined ? [m[3], ''] : [m[1], unescapeXml(m[2])]);
  }
  return out;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface RecordedError {
  status: number;
  Code: string;
  Message: string;
  /** The extra elements AWS answered, beside RequestId and HostId. */
  fields?: Record<string, string>;
}

/** Checks an error answer element by element: no field more and none less than AWS's. */
export function assertRecordedError(res: RawResponse, expected: RecordedError): void {
  assert.equal(res.status, expected.status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/xml/);
  const seen = Object.fromEntries(
    errorElements(res.body).filter(([name]) => name !== 'RequestId' && name !== 'HostId'),
  );
  assert.deepEqual(seen, { Code: expected.Code, Message: expected.Message, ...expected.fields });
}

/** The text of the first `<name>` element of a result document. */
export function elementText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>|<${name}/>`).exec(xml);
  return m ? unescapeXml(m[1] ?? '') : undefined;
}

let counter = 0;
export function conformanceBucket(): string {
  counter++;
  return `conf-${process.pid}-${counter}`;
}
