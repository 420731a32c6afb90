import { createHash, createHmac } from 'node:crypto';

export interface SignedHeaders {
  'x-amz-date': string;
  authorization: string;
}

const REGION = 'us-east-1';
const SERVICE = 'sqs';
const SIGNED = 'content-type;host;x-amz-date;x-amz-target';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Signs one representative request for real (SigV4, access key `test`), once per run. The bench
 * then sends that header on every request: it is well formed, which is all the servers read
 * (account from the key id, region from the scope), and neither server verifies signatures.
 * Signing each request would put the client's CPU, not the server's, on the scale.
 */
export function signOnce(request: { host: string; target: string; body: string }): SignedHeaders {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const canonical = [
    'POST',
    '/',
    '',
    'content-type:application/x-amz-json-1.0',
    `host:${request.host}`,
    `x-amz-date:${amzDate}`,
    `x-amz-target:${request.target}`,
    '',
    SIGNED,
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4test', day), REGION), SERVICE), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=${SIGNED}, Signature=${signature}`,
  };
}
