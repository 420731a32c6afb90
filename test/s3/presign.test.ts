import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rawRequest } from '../support/server.js';
import { advance, credentials, type RunningTideway, serverNow, startServer } from '../support/tideway.js';

// Presigned URLs as @aws-sdk/s3-request-presigner makes them: they work until X-Amz-Date +
// X-Amz-Expires on the server's clock, then S3 answers AccessDenied `Request has expired`.

function xmlField(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}

/** S3's time format in expiry answers: ISO 8601 to the second. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

describe('S3 presigned URLs', () => {
  let server: RunningTideway;
  let s3: S3Client;
  const bucket = 'presign-bucket';

  before(async () => {
    server = await startServer();
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3.destroy();
    await server.stop();
  });

  /** Signs at the server's time, so that a moved server clock and the URL agree. */
  async function presign(command: GetObjectCommand | PutObjectCommand, expiresIn: number): Promise<URL> {
    const signingDate = new Date(await serverNow(server));
    return new URL(await getSignedUrl(s3, command, { expiresIn, signingDate }));
  }

  it('a presigned PUT stores the body and a presigned GET reads it back', async () => {
    const put = await presign(new PutObjectCommand({ Bucket: bucket, Key: 'docs/a.txt' }), 300);
    assert.ok(put.searchParams.get('X-Amz-Signature'));
    const stored = await fetch(put, { method: 'PUT', body: 'uploaded through a presigned URL' });
    assert.equal(stored.status, 200);
    assert.match(stored.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);

    const get = await presign(new GetObjectCommand({ Bucket: bucket, Key: 'docs/a.txt' }), 300);
    const read = await fetch(get);
    assert.equal(read.status, 200);
    assert.equal(await read.text(), 'uploaded through a presigned URL');
  });

  it('an expired URL is refused with AccessDenied, X-Amz-Expires, Expires and ServerTime', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'soon-gone.txt', Body: 'x' }));
    const url = await presign(new GetObjectCommand({ Bucket: bucket, Key: 'soon-gone.txt' }), 60);
    assert.equal((await fetch(url)).status, 200, 'valid before it expires');
    const signed = Date.parse(
      url.searchParams
        .get('X-Amz-Date')!
        .replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    await advance(server, 61);
    const now = await serverNow(server);
    const refused = await fetch(url);
    assert.equal(refused.status, 403);
    assert.ok(refused.headers.get('x-amz-request-id'));
    const body = await refused.text();
    assert.equal(xmlField(body, 'Code'), 'AccessDenied');
    assert.equal(xmlField(body, 'Message'), 'Request has expired');
    assert.equal(xmlField(body, 'X-Amz-Expires'), '60');
    assert.equal(xmlField(body, 'Expires'), isoSeconds(signed + 60_000));
    const serverTime = Date.parse(xmlField(body, 'ServerTime')!);
    assert.ok(
      Math.abs(serverTime - now) < 5_000,
      `ServerTime ${xmlField(body, 'ServerTime')} is the server clock`,
    );
  });

  it('an expired presigned PUT stores nothing', async () => {
    const url = await presign(new PutObjectCommand({ Bucket: bucket, Key: 'late.txt' }), 5);
    await advance(server, 6);
    const refused = await fetch(url, { method: 'PUT', body: 'too late' });
    assert.equal(refused.status, 403);
    assert.equal(xmlField(await refused.text(), 'Message'), 'Request has expired');
    const missing = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'late.txt' })).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.equal(missing?.name, 'NoSuchKey');
  });

  it('X-Amz-Expires above a week is AuthorizationQueryParametersError', async () => {
    const url = await presign(new GetObjectCommand({ Bucket: bucket, Key: 'any.txt' }), 3600);
    url.searchParams.set('X-Amz-Expires', '604801');
    const refused = await fetch(url);
    assert.equal(refused.status, 400);
    const body = await refused.text();
    assert.equal(xmlField(body, 'Code'), 'AuthorizationQueryParametersError');
    assert.equal(
      xmlField(body, 'Message'),
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
  });

  it('a URL missing one of the SigV4 query parameters is AuthorizationQueryParametersError', async () => {
    const url = await presign(new GetObjectCommand({ Bucket: bucket, Key: 'any.txt' }), 3600);
    url.searchParams.delete('X-Amz-Signature');
    const refused = await fetch(url);
    assert.equal(refused.status, 400);
    const body = await refused.text();
    assert.equal(xmlField(body, 'Code'), 'AuthorizationQueryParametersError');
    assert.equal(
      xmlField(body, 'Message'),
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  });

  it('a signature version 2 URL expires at its Expires time', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'v2.txt', Body: 'v2 body' }));
    const expires = Math.floor((await serverNow(server)) / 1000) + 30;
    const path = `/${bucket}/v2.txt?AWSAccessKeyId=test&Expires=${expires}&Signature=abc%3D`;
    const valid = await rawRequest(server.endpoint, { method: 'GET', path });
    assert.equal(valid.status, 200);
    assert.equal(valid.body, 'v2 body');
    await advance(server, 31);
    const refused = await rawRequest(server.endpoint, { method: 'GET', path });
    assert.equal(refused.status, 403);
    assert.equal(xmlField(refused.body, 'Message'), 'Request has expired');
    assert.equal(xmlField(refused.body, 'Expires'), isoSeconds(expires * 1000));
    assert.equal(xmlField(refused.body, 'X-Amz-Expires'), undefined);
  });
});
