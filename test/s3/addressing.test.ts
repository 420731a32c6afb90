import assert from 'node:assert/strict';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { rawRequest } from '../support/server.js';
import { credentials, type RunningTideway, startServer } from '../support/tideway.js';

// Path style and the virtual-hosted forms S3 clients use: `<bucket>.localhost[:port]` and
// `<bucket>.s3[.<region>].<host>`, bucket names with dots included. The Host header decides.

/** Every host name reaches this machine: `<bucket>.localhost` does not resolve everywhere. */
const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all)
    (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else callback(null, '127.0.0.1', 4);
};

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc';

describe('S3 addressing', () => {
  let server: RunningTideway;
  let s3: S3Client;
  let port: string;
  const plain = 'addressing-plain';
  const dotted = 'my.dotted.bucket';

  before(async () => {
    server = await startServer();
    port = new URL(server.endpoint).port;
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    for (const bucket of [plain, dotted]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/file one.txt', Body: `in ${bucket}` }));
    }
  });
  after(async () => {
    s3.destroy();
    await server.stop();
  });

  const get = (host: string, path: string, signed = true) =>
    rawRequest(server.endpoint, {
      method: 'GET',
      path,
      headers: signed ? { host, authorization: SIGNED } : { host },
    });

  it('path style on 127.0.0.1 reaches the bucket in the first segment', async () => {
    const got = await get(`127.0.0.1:${port}`, `/${plain}/dir/file%20one.txt`);
    assert.equal(got.status, 200, got.body);
    assert.equal(got.body, `in ${plain}`);
    const dottedGot = await get(`127.0.0.1:${port}`, `/${dotted}/dir/file%20one.txt`);
    assert.equal(dottedGot.body, `in ${dotted}`);
  });

  it('each virtual-hosted form names the bucket, with and without a port, dots included', async () => {
    const hosts = (bucket: string) => [
      `${bucket}.localhost:${port}`,
      `${bucket}.localhost`,
      `${bucket}.s3.localhost.localstack.cloud:${port}`,
      `${bucket}.s3.us-east-1.localhost.localstack.cloud:4566`,
      `${bucket}.s3.amazonaws.com`,
      `${bucket}.s3.eu-west-1.amazonaws.com`,
      `${bucket}.s3-eu-west-1.amazonaws.com`,
      `${bucket.toUpperCase()}.S3.US-EAST-1.AMAZONAWS.COM`,
    ];
    for (const bucket of [plain, dotted]) {
      for (const host of hosts(bucket)) {
        const got = await get(host, '/dir/file%20one.txt');
        assert.equal(got.status, 200, `${host}: ${got.body}`);
        assert.equal(got.body, `in ${bucket}`, host);
      }
    }
  });

  it('a virtual-hosted bucket lists at its root; unsigned, the Host alone routes to S3', async () => {
    const listed = await get(`${dotted}.s3.us-east-1.localhost.localstack.cloud:${port}`, '/?list-type=2');
    assert.equal(listed.status, 200, listed.body);
    assert.match(listed.body, /<Name>my\.dotted\.bucket<\/Name>/);
    assert.match(listed.body, /<Key>dir\/file one\.txt<\/Key>/);
    const anonymous = await get(`${plain}.localhost:${port}`, '/dir/file%20one.txt', false);
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.body, `in ${plain}`);
  });

  it('a virtual-hosted name of a missing bucket is NoSuchBucket naming it', async () => {
    const missing = await get(`no-such-addressing.s3.localhost.localstack.cloud:${port}`, '/k');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /<Code>NoSuchBucket<\/Code>/);
    assert.match(missing.body, /<BucketName>no-such-addressing<\/BucketName>/);
  });

  it('the SDK with forcePathStyle false (virtual-hosted on localhost) works end to end', async () => {
    const agent = new http.Agent({ lookup: loopback });
    const vhost = new S3Client({
      endpoint: `http://localhost:${port}`,
      region: 'us-east-1',
      credentials,
      forcePathStyle: false,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    try {
      await vhost.send(new PutObjectCommand({ Bucket: plain, Key: 'vhost/a.txt', Body: 'by host' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: plain, Key: 'vhost/a.txt' }));
      assert.equal(await got.Body!.transformToString(), 'by host');
      const listed = await vhost.send(new ListObjectsV2Command({ Bucket: plain, Prefix: 'vhost/' }));
      assert.deepEqual(
        listed.Contents?.map((c) => c.Key),
        ['vhost/a.txt'],
      );
    } finally {
      vhost.destroy();
      agent.destroy();
    }
  });
});
