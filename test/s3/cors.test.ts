import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CORSRule,
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type RawResponse, rawRequest } from '../support/server.js';
import { credentials, errorOf, type RunningTideway, startServer } from '../support/tideway.js';

// Bucket CORS as S3 applies it: the configuration's validation, preflights answered from the
// first matching rule (403 CORSResponse otherwise), and the rule's headers on actual requests.

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

function xmlField(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}

function assertCorsError(answer: RawResponse, message: string, method: string, resourceType: string): void {
  assert.equal(answer.status, 403, answer.body);
  assert.equal(xmlField(answer.body, 'Code'), 'AccessForbidden');
  assert.equal(xmlField(answer.body, 'Message'), message);
  assert.equal(xmlField(answer.body, 'Method'), method);
  assert.equal(xmlField(answer.body, 'ResourceType'), resourceType);
  assert.equal(answer.headers['access-control-allow-origin'], undefined);
}

describe('S3 bucket CORS', () => {
  let server: RunningTideway;
  let s3: S3Client;
  const bucket = 'cors-bucket';
  const bare = 'cors-bare';
  const rules: CORSRule[] = [
    {
      AllowedOrigins: ['https://localhost:4200'],
      AllowedMethods: ['GET', 'PUT'],
      AllowedHeaders: ['x-amz-request-payer', 'X-AMZ-Expected-*'],
      ExposeHeaders: ['x-amz-request-id', 'ETag'],
      MaxAgeSeconds: 3000,
    },
    { AllowedOrigins: ['http://*.example.com'], AllowedMethods: ['HEAD'] },
    { AllowedOrigins: ['*'], AllowedMethods: ['DELETE'] },
  ];

  const options = (path: string, headers: Record<string, string>) =>
    rawRequest(server.endpoint, { method: 'OPTIONS', path, headers });

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
    await s3.send(new CreateBucketCommand({ Bucket: bare }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'page/data.json', Body: '{"ok":true}' }));
  });
  after(async () => {
    s3.destroy();
    await server.stop();
  });

  it('Put, Get and DeleteBucketCors keep the rules; none is NoSuchCORSConfiguration', async () => {
    const none = await errorOf(() => s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
    assert.equal(none.name, 'NoSuchCORSConfiguration');
    assert.equal(none.message, 'The CORS configuration does not exist');
    assert.equal(none.$metadata.httpStatusCode, 404);
    assert.equal(none.BucketName, bucket);

    const put = await s3.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }),
    );
    assert.equal(put.$metadata.httpStatusCode, 200);
    const got = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    assert.deepEqual(got.CORSRules, rules);

    const removed = await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const gone = await errorOf(() => s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
    assert.equal(gone.name, 'NoSuchCORSConfiguration');
    // Deleting what is not there is not an error.
    assert.equal(
      (await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))).$metadata.httpStatusCode,
      204,
    );
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
  });

  it('refuses configurations S3 refuses: no rules, over 100 rules, unknown methods, two wildcards', async () => {
    const empty = await errorOf(() =>
      s3.send(new PutBucketCorsCommand({ Bucket: bare, CORSConfiguration: { CORSRules: [] } })),
    );
    assert.equal(empty.name, 'MalformedXML');
    assert.equal(empty.$metadata.httpStatusCode, 400);

    const many = Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }));
    const tooMany = await errorOf(() =>
      s3.send(new PutBucketCorsCommand({ Bucket: bare, CORSConfiguration: { CORSRules: many } })),
    );
    assert.equal(tooMany.name, 'MalformedXML');
    const hundred = many.slice(0, 100);
    await s3.send(new PutBucketCorsCommand({ Bucket: bare, CORSConfiguration: { CORSRules: hundred } }));
    await s3.send(new DeleteBucketCorsCommand({ Bucket: bare }));

    const method = await errorOf(() =>
      s3.send(
        new PutBucketCorsCommand({
          Bucket: bare,
          CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['MYMETHOD'] }] },
        }),
      ),
    );
    assert.equal(method.name, 'InvalidRequest');
    assert.equal(
      method.message,
      'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD',
    );

    const wildcards = await errorOf(() =>
      s3.send(
        new PutBucketCorsCommand({
          Bucket: bare,
          CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://*.*.com'], AllowedMethods: ['GET'] }] },
        }),
      ),
    );
    assert.equal(wildcards.name, 'InvalidRequest');
    assert.equal(wildcards.message, 'AllowedOrigin "http://*.*.com" can not have more than one wildcard.');

    const missing = await errorOf(() =>
      s3.send(
        new PutBucketCorsCommand({ Bucket: 'no-such-cors-bucket', CORSConfiguration: { CORSRules: rules } }),
      ),
    );
    assert.equal(missing.name, 'NoSuchBucket');
  });

  it('a preflight matching a rule gets its origin, methods, requested headers, max age and Vary', async () => {
    const answer = await options(`/${bucket}/page/data.json`, {
      origin: 'https://localhost:4200',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'X-Amz-Request-Payer,x-amz-expected-bucket-owner',
    });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.body, '');
    assert.equal(answer.headers['access-control-allow-origin'], 'https://localhost:4200');
    assert.equal(answer.headers['access-control-allow-credentials'], 'true');
    assert.equal(answer.headers['access-control-allow-methods'], 'GET, PUT');
    assert.equal(
      answer.headers['access-control-allow-headers'],
      'x-amz-request-payer, x-amz-expected-bucket-owner',
    );
    assert.equal(answer.headers['access-control-expose-headers'], 'x-amz-request-id, ETag');
    assert.equal(answer.headers['access-control-max-age'], '3000');
    assert.equal(answer.headers.vary, VARY);
    assert.ok(answer.headers['x-amz-request-id']);

    // A wildcard origin pattern matches one run of characters; `*` alone answers `*`, no credentials.
    const sub = await options(`/${bucket}`, {
      origin: 'http://app.example.com',
      'access-control-request-method': 'HEAD',
    });
    assert.equal(sub.status, 200);
    assert.equal(sub.headers['access-control-allow-origin'], 'http://app.example.com');
    assert.equal(sub.headers['access-control-allow-methods'], 'HEAD');
    const any = await options(`/${bucket}/k`, {
      origin: 'https://other.test',
      'access-control-request-method': 'DELETE',
    });
    assert.equal(any.status, 200);
    assert.equal(any.headers['access-control-allow-origin'], '*');
    assert.equal(any.headers['access-control-allow-credentials'], undefined);
    assert.equal(any.headers['access-control-max-age'], undefined);
  });

  it('a preflight no rule allows is 403 CORSResponse naming the method and resource type', async () => {
    assertCorsError(
      await options(`/${bucket}/page/data.json`, {
        origin: 'https://localhost:4201',
        'access-control-request-method': 'PUT',
      }),
      NOT_ALLOWED,
      'PUT',
      'OBJECT',
    );
    assertCorsError(
      await options(`/${bucket}/page/data.json`, {
        origin: 'https://localhost:4200',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-amz-acl',
      }),
      NOT_ALLOWED,
      'GET',
      'OBJECT',
    );
    assertCorsError(
      await options(`/${bucket}`, {
        origin: 'https://localhost:4200',
        'access-control-request-method': 'POST',
      }),
      NOT_ALLOWED,
      'POST',
      'BUCKET',
    );
  });

  it('without a configuration, without an Origin and without a bucket, S3 answers its own errors', async () => {
    assertCorsError(
      await options(`/${bare}/k`, {
        origin: 'https://localhost:4200',
        'access-control-request-method': 'PUT',
      }),
      'CORSResponse: CORS is not enabled for this bucket.',
      'PUT',
      'BUCKET',
    );
    assertCorsError(
      await options(`/${bare}`, { origin: 'https://localhost:4200' }),
      'CORSResponse: CORS is not enabled for this bucket.',
      'OPTIONS',
      'BUCKET',
    );
    const noOrigin = await options(`/${bucket}/k`, { 'access-control-request-method': 'GET' });
    assert.equal(noOrigin.status, 400);
    assert.equal(xmlField(noOrigin.body, 'Code'), 'BadRequest');
    assert.equal(
      xmlField(noOrigin.body, 'Message'),
      'Insufficient information. Origin request header needed.',
    );
    // On a virtual-hosted name S3 owns the request even when no such bucket exists.
    const port = new URL(server.endpoint).port;
    assertCorsError(
      await options('/k', {
        host: `no-such-bucket-cors.s3.localhost.localstack.cloud:${port}`,
        origin: 'https://localhost:4200',
        'access-control-request-method': 'GET',
      }),
      'CORSResponse: Bucket not found',
      'GET',
      'BUCKET',
    );
  });

  it('a virtual-hosted preflight is answered from the same rules', async () => {
    const port = new URL(server.endpoint).port;
    const answer = await options('/page/data.json', {
      host: `${bucket}.localhost:${port}`,
      origin: 'https://localhost:4200',
      'access-control-request-method': 'GET',
    });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers['access-control-allow-origin'], 'https://localhost:4200');
  });

  it("actual requests with an Origin get the matching rule's headers, others none, never the blanket ones", async () => {
    const matching = await fetch(`${server.endpoint}/${bucket}/page/data.json`, {
      headers: { origin: 'https://localhost:4200', authorization: signed() },
    });
    assert.equal(matching.status, 200);
    assert.equal(await matching.text(), '{"ok":true}');
    assert.equal(matching.headers.get('access-control-allow-origin'), 'https://localhost:4200');
    assert.equal(matching.headers.get('access-control-allow-methods'), 'GET, PUT');
    assert.equal(matching.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(matching.headers.get('access-control-max-age'), '3000');
    assert.equal(matching.headers.get('vary'), VARY);

    const other = await fetch(`${server.endpoint}/${bucket}/page/data.json`, {
      headers: { origin: 'https://elsewhere.test', authorization: signed() },
    });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);

    const noConfig = await fetch(`${server.endpoint}/${bare}`, {
      headers: { origin: 'https://localhost:4200', authorization: signed() },
    });
    assert.equal(noConfig.headers.get('access-control-allow-origin'), null);
    assert.equal(noConfig.headers.get('access-control-expose-headers'), null);
  });

  it('preflights elsewhere keep the blanket answer of the other services', async () => {
    const sqs = await options('/', {
      origin: 'https://localhost:4200',
      'access-control-request-method': 'POST',
    });
    assert.equal(sqs.status, 200);
    assert.equal(sqs.headers['access-control-allow-origin'], '*');
    const notABucket = await options('/v1/registries', {
      origin: 'https://localhost:4200',
      'access-control-request-method': 'GET',
    });
    assert.equal(notABucket.status, 200);
    assert.equal(notABucket.headers['access-control-allow-origin'], '*');
  });
});

function signed(): string {
  return (
    'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, ' +
    'SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=abc'
  );
}
