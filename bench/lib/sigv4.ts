import { createHash, createHmac } from 'node:crypto';

export interface SignedHeaders {
  'x-amz-date': string;
  authorization: string;
}

const REGION = 'us-east-1';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export interface SignableRequest {
  host: string;
  body: string;
  /** X-Amz-Target, for awsJson; absent for awsQuery (form POSTs). */
  target?: string;
  /** The credential scope's service, which Tideway routes by: `sqs` unless told. */
  service?: string;
  contentType?: string;
}

/**
 * Signs one representative request for real (SigV4, access key `test`), once per run. The bench
 * then sends that header on every request: it is well formed, which is all the servers read
 * (account from the key id, region and service from the scope), and neither server verifies
 * signatures. Signing each request would put the client's CPU, not the server's, on the scale.
 */
export function signOnce(request: SignableRequest): SignedHeaders {
  const service = request.service ?? 'sqs';
  const contentType = request.contentType ?? 'application/x-amz-json-1.0';
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = [`content-type:${contentType}`, `host:${request.host}`, `x-amz-date:${amzDate}`];
  if (request.target !== undefined) headers.push(`x-amz-target:${request.target}`);
  const signed = headers.map((h) => h.slice(0, h.indexOf(':'))).join(';');
  const canonical = ['POST', '/', '', ...headers, '', signed, sha256(request.body)].join('\n');
  const scope = `${day}/${REGION}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4test', day), REGION), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}
