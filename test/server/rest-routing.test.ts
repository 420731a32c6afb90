import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterV2Command,
  DescribeClusterV2Command,
  KafkaClient,
  type KafkaClientConfig,
  NotFoundException,
} from '@aws-sdk/client-kafka';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { XMLValidator } from 'fast-xml-parser';
import { type RestService, RestServiceError } from '../../src/protocols/rest-dispatch.js';
import { type RequestContext, restServiceDefinition } from '../../src/protocols/service.js';
import type { ServiceFactory } from '../../src/services/registry.js';
import { kafkaService } from '../rest/kafka-shapes.js';
import { s3Service } from '../rest/s3-shapes.js';
import { jsonRequest, rawRequest, sigv4 } from '../support/server.js';
import { credentials, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

/**
 * The server's REST routing, through the real listener: a REST service is picked from the
 * request's head (credential scope, presigned query, virtual-hosted Host) and its body reaches
 * the handler unread, over HTTP/1.1 and h2c; the RPC services keep their routing and CORS.
 * Two test-only service modules (S3's and MSK's bindings declared in test/rest/) give handlers
 * that observe the stream; the S3 one takes S3's signing name, so signed S3 requests reach it,
 * and the virtual-hosted case runs against Tideway's own S3 on a server of its own.
 */

interface Upload {
  protocol: string;
  bodyIsBuffer: boolean;
  pieces: number;
  bytes: number;
  sha256: string;
}

const uploads = new Map<string, Upload>();
const objects = new Map<string, Buffer>();
/** Resolved by the handler when the first piece of an upload reaches it. */
let firstPiece: (() => void) | undefined;

const s3 = s3Service({
  async PutObject(input: Record<string, unknown>, ctx: RequestContext) {
    const body = input.Body as AsyncIterable<Uint8Array>;
    if (input.Key === 'refused')
      throw new RestServiceError('AccessDenied', 'Access Denied', {}, { status: 403 });
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let pieces = 0;
    for await (const piece of body) {
      pieces++;
      firstPiece?.();
      firstPiece = undefined;
      if (input.Key === 'half-read')
        throw new RestServiceError('InvalidRequest', 'Stopped after one piece.', {}, { status: 400 });
      hash.update(piece);
      kept.push(Buffer.from(piece));
    }
    const data = Buffer.concat(kept);
    objects.set(`${input.Bucket}/${input.Key}`, data);
    uploads.set(`${input.Bucket}/${input.Key}`, {
      protocol: ctx.protocol,
      bodyIsBuffer: Buffer.isBuffer(body),
      pieces,
      bytes: data.length,
      sha256: hash.digest('hex'),
    });
    return { ETag: `"${createHash('md5').update(data).digest('hex')}"` };
  },
  GetObject(input: Record<string, unknown>) {
    const data = objects.get(`${input.Bucket}/${input.Key}`);
    if (!data) throw noSuchKey(input.Key);
    const half = data.length >> 1;
    return { Body: Readable.from([data.subarray(0, half), data.subarray(half)]), ContentLength: data.length };
  },
  HeadObject(input: Record<string, unknown>) {
    const data = objects.get(`${input.Bucket}/${input.Key}`);
    if (!data) throw noSuchKey(input.Key);
    return { ContentLength: data.length, ETag: '"etag"' };
  },
});

function noSuchKey(key: unknown): RestServiceError {
  return new RestServiceError(
    'NoSuchKey',
    'The specified key does not exist.',
    { Key: key },
    { status: 404 },
  );
}

const clusterArn = 'arn:aws:kafka:us-east-1:000000000000:cluster/c1/1a2b3c4d-5e6f';
const kafkaSeen: string[] = [];
const kafka = kafkaService({
  CreateClusterV2(input: Record<string, unknown>, ctx: RequestContext) {
    kafkaSeen.push(`${ctx.protocol} ${ctx.operation}`);
    return { ClusterArn: clusterArn, ClusterName: input.ClusterName, State: 'CREATING' };
  },
  DescribeClusterV2() {
    throw new RestServiceError(
      'NotFoundException',
      `The requested resource doesn't exist.`,
      { invalidParameter: 'clusterArn' },
      { status: 404 },
    );
  },
});

function restModule(signingName: string, rest: RestService): ServiceFactory {
  return {
    name: rest.name,
    create: () => ({
      definition: restServiceDefinition(signingName, rest),
      cors: false,
      reset: async () => objects.clear(),
      close: () => {},
    }),
  };
}

/** Every host name reaches this machine: `<bucket>.localhost` does not resolve everywhere. */
const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all)
    (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else callback(null, '127.0.0.1', 4);
};

function s3Client(endpoint: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    ...extra,
  });
}

function kafkaClient(endpoint: string, extra: Partial<KafkaClientConfig> = {}): KafkaClient {
  return new KafkaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

function pattern(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
  return data;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * A 5 MiB upload whose last MiB is sent only once the handler has its first piece: a server
 * that read the whole body before dispatching would wait forever (the test's timeout).
 */
async function gatedUpload(client: S3Client, key: string): Promise<Buffer> {
  const size = 5 * 1024 * 1024;
  const data = pattern(size);
  const reached = new Promise<void>((resolve) => {
    firstPiece = resolve;
  });
  const piece = 64 * 1024;
  await client.send(
    new PutObjectCommand({
      Bucket: 'bkt',
      Key: key,
      Body: Readable.from(
        (async function* () {
          for (let o = 0; o < 4 * 1024 * 1024; o += piece) yield data.subarray(o, o + piece);
          await reached;
          for (let o = 4 * 1024 * 1024; o < size; o += piece) yield data.subarray(o, o + piece);
        })(),
      ),
      ContentLength: size,
    }),
  );
  return data;
}

describe('REST routing through the server', () => {
  let server: RunningTideway;
  let port: string;
  before(async () => {
    server = await startServer({ extraServices: [restModule('s3', s3), restModule('kafka', kafka)] });
    port = new URL(server.endpoint).port;
  });
  after(() => server.stop());

  it('a streamed 5 MiB S3 upload reaches its handler as a stream while still arriving (HTTP/1.1)', {
    timeout: 30_000,
  }, async () => {
    const client = s3Client(server.endpoint);
    const data = await gatedUpload(client, 'h1.bin');
    const upload = uploads.get('bkt/h1.bin');
    assert.equal(upload?.protocol, 'rest-xml');
    assert.equal(upload?.bodyIsBuffer, false);
    assert.ok((upload?.pieces ?? 0) > 1, 'read piece by piece');
    assert.equal(upload?.bytes, data.length);
    assert.equal(upload?.sha256, sha256(data));
    const got = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'h1.bin' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    assert.equal(sha256(back), sha256(data));
    assert.equal(got.ContentLength, data.length);
    assert.ok(got.$metadata.requestId, 'S3 names its request id in x-amz-request-id');
  });

  it('the same over h2c; the SDK reads S3 and calls MSK over h2c', { timeout: 30_000 }, async () => {
    // The SDK's NodeHttp2Handler cannot send S3's aws-chunked uploads (it sets transfer-encoding,
    // which HTTP/2 forbids), so the upload goes out from a bare node:http2 client.
    const size = 5 * 1024 * 1024;
    const data = pattern(size);
    const reached = new Promise<void>((resolve) => {
      firstPiece = resolve;
    });
    const session = http2.connect(server.endpoint);
    try {
      const stream = session.request({
        ':method': 'PUT',
        ':path': '/bkt/h2.bin',
        authorization: sigv4('s3'),
        'content-length': String(size),
      });
      const answered = new Promise<number>((resolve, reject) => {
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.on('error', reject);
      });
      const piece = 64 * 1024;
      for (let o = 0; o < size; o += piece) {
        if (o === 4 * 1024 * 1024) await reached;
        if (!stream.write(data.subarray(o, o + piece))) await once(stream, 'drain');
      }
      stream.end();
      assert.equal(await answered, 200);
      stream.resume();
    } finally {
      session.close();
    }
    const upload = uploads.get('bkt/h2.bin');
    assert.equal(upload?.bodyIsBuffer, false);
    assert.ok((upload?.pieces ?? 0) > 1);
    assert.equal(upload?.sha256, sha256(data));
    const client = s3Client(server.endpoint, { requestHandler: new NodeHttp2Handler() });
    const msk = kafkaClient(server.endpoint, { requestHandler: new NodeHttp2Handler() });
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'h2.bin' }));
      assert.equal(sha256(Buffer.from(await got.Body!.transformToByteArray())), sha256(data));
      const head = await client.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'h2.bin' }));
      assert.equal(head.ContentLength, size);
      const created = await msk.send(new CreateClusterV2Command({ ClusterName: 'c1' }));
      assert.equal(created.ClusterArn, clusterArn);
    } finally {
      client.destroy();
      msk.destroy();
    }
  });

  it('a presigned URL is routed by its X-Amz-Credential', async () => {
    objects.set('bkt/presigned.txt', Buffer.from('signed in the query'));
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'test/20260101/us-east-1/s3/aws4_request',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': 'abc',
    });
    const got = await rawRequest(server.endpoint, { method: 'GET', path: `/bkt/presigned.txt?${query}` });
    assert.equal(got.status, 200);
    assert.equal(got.body, 'signed in the query');
  });

  it('errors come in each REST form: S3 <Error>, restJson x-amzn-ErrorType, a HEAD without body', async () => {
    const client = s3Client(server.endpoint);
    const msk = kafkaClient(server.endpoint);
    const missing = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'nope' })).then(
      () => assert.fail('expected NoSuchKey'),
      (e: S3ServiceException) => e,
    );
    assert.ok(missing instanceof S3ServiceException);
    assert.equal(missing.name, 'NoSuchKey');
    assert.equal(missing.message, 'The specified key does not exist.');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    assert.ok(missing.$metadata.requestId);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'nope' })).then(
      () => assert.fail('expected NotFound'),
      (e: S3ServiceException) => e,
    );
    assert.equal(head.$metadata.httpStatusCode, 404);
    const notFound = await msk.send(new DescribeClusterV2Command({ ClusterArn: 'arn:aws:kafka:x' })).then(
      () => assert.fail('expected NotFoundException'),
      (e: NotFoundException) => e,
    );
    assert.ok(notFound instanceof NotFoundException);
    assert.equal(notFound.InvalidParameter, 'clusterArn');
    assert.equal(notFound.$metadata.httpStatusCode, 404);
    const raw = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/bkt/nope',
      headers: { authorization: sigv4('s3') },
    });
    assert.equal(raw.status, 404);
    assert.match(raw.body, /^<\?xml[^>]*\?>\s*<Error><Code>NoSuchKey<\/Code>/);
    assert.ok(raw.headers['x-amz-request-id']);
    assert.equal(raw.headers['x-amzn-requestid'], undefined);
    const unknown = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/api/v9/nothing',
      headers: { authorization: sigv4('kafka') },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.deepEqual(JSON.parse(unknown.body), { message: 'No operation matches GET /api/v9/nothing.' });
    const notAllowed = await rawRequest(server.endpoint, {
      method: 'POST',
      path: '/bkt/key',
      headers: { authorization: sigv4('s3') },
    });
    assert.equal(notAllowed.status, 405);
    assert.match(notAllowed.body, /<Code>MethodNotAllowed<\/Code>/);
    await msk.send(new CreateClusterV2Command({ ClusterName: 'c1' }));
    assert.equal(
      kafkaSeen.at(-1),
      'rest-json CreateClusterV2',
      'the handler sees its protocol and operation',
    );
    client.destroy();
    msk.destroy();
  });

  it('a body the handler left unread is drained: the connection answers the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = pattern(2 * 1024 * 1024);
      const headers = { authorization: sigv4('s3'), 'content-length': big.length };
      const refused = await rawRequest(server.endpoint, {
        method: 'PUT',
        path: '/bkt/refused',
        headers,
        body: big,
        agent,
      });
      assert.equal(refused.status, 403);
      assert.match(refused.body, /<Code>AccessDenied<\/Code>/);
      // Read one piece, then answered: the rest of the upload must not close the connection.
      const half = await rawRequest(server.endpoint, {
        method: 'PUT',
        path: '/bkt/half-read',
        headers,
        body: big,
        agent,
      });
      assert.equal(half.status, 400);
      assert.match(half.body, /<Code>InvalidRequest<\/Code>/);
      const next = await rawRequest(server.endpoint, {
        method: 'PUT',
        path: '/bkt/after.txt',
        headers: { authorization: sigv4('s3'), 'content-length': 5 },
        body: 'after',
        agent,
      });
      assert.equal(next.status, 200);
      assert.equal(next.localPort, refused.localPort, 'the same connection served all three');
      assert.equal(objects.get('bkt/after.txt')?.toString(), 'after');
    } finally {
      agent.destroy();
    }
  });

  it('over h2c too, an upload answered before it was read leaves the session serving', async () => {
    const session = http2.connect(server.endpoint);
    try {
      const big = pattern(2 * 1024 * 1024);
      const put = (path: string, body: Buffer) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const stream = session.request({
            ':method': 'PUT',
            ':path': path,
            authorization: sigv4('s3'),
            'content-length': String(body.length),
          });
          let status = 0;
          const chunks: Buffer[] = [];
          stream.on('response', (h) => {
            status = Number(h[':status']);
          });
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString() }));
          stream.on('error', reject);
          stream.end(body);
        });
      const refused = await put('/bkt/refused', big);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /<Code>AccessDenied<\/Code>/);
      const half = await put('/bkt/half-read', big);
      assert.equal(half.status, 400);
      const next = await put('/bkt/after-h2.txt', Buffer.from('after'));
      assert.equal(next.status, 200);
      assert.equal(objects.get('bkt/after-h2.txt')?.toString(), 'after');
    } finally {
      session.close();
    }
  });

  it('the RPC services keep their routing and CORS beside REST services', async () => {
    const sqs = sqsClient(server.endpoint);
    try {
      const listed = await sqs.send(new ListQueuesCommand({}));
      assert.equal(listed.$metadata.httpStatusCode, 200);
    } finally {
      sqs.destroy();
    }
    const preflight = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://page.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    const withOrigin = await jsonRequest(server.endpoint, 'ListQueues', '{}', {
      origin: 'http://page.example',
    });
    assert.equal(withOrigin.status, 200);
    assert.equal(withOrigin.headers['access-control-allow-origin'], '*');
    assert.ok(withOrigin.headers['x-amzn-requestid']);
    // S3 answers browsers from a bucket's own CORS configuration, not with the RPC services' headers.
    const s3WithOrigin = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/bkt/nope',
      headers: { authorization: sigv4('s3'), origin: 'http://page.example' },
    });
    assert.equal(s3WithOrigin.status, 404);
    assert.equal(s3WithOrigin.headers['access-control-allow-origin'], undefined);
    // An unsigned RPC link followed from a `*.localhost` endpoint is not taken for a bucket.
    const link = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/?Action=ListQueues&Version=2012-11-05',
      headers: { host: `tideway.localhost:${port}` },
    });
    assert.equal(link.headers['x-amz-request-id'], undefined);
    assert.match(link.body, /ListQueues(Response|Result)|<ErrorResponse>/);
  });

  it('hostile heads never reach a 500 or a malformed body: scopes, presigned queries, Hosts', async () => {
    let state = 20261207;
    const random = () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const authorizations = [
      undefined,
      sigv4('s3'),
      sigv4('kafka'),
      sigv4('sqs'),
      sigv4('nosuchservice'),
      'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3',
      'AWS4-HMAC-SHA256 Credential=,',
      'AWS test:c2lnbmF0dXJl',
      'Bearer x',
    ];
    const hosts = [
      undefined,
      `bkt.localhost:${port}`,
      `BKT.S3.us-east-1.localhost:${port}`,
      `.localhost:${port}`,
      `s3.localhost:${port}`,
      `a..b.localhost:${port}`,
      '[::1]',
      '127.0.0.1.localhost',
    ];
    const queries = [
      '',
      'X-Amz-Credential=%zz',
      'X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fs3%2Faws4_request',
      'X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fkafka%2Faws4_request&X-Amz-Credential=x',
      'Action=ListQueues&Version=2012-11-05',
      'list-type=2&max-keys=-1',
      'delete',
      'uploads&%ff=%',
    ];
    const paths = [
      '/',
      '/bkt',
      '/bkt/',
      '/bkt/a%2Fb',
      '/bkt/%zz',
      '//',
      '/api/v2/clusters',
      '/api/v2/clusters/%',
    ];
    let byS3 = 0;
    for (let i = 0; i < 200; i++) {
      const method = pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
      const query = pick(queries);
      const headers: Record<string, string | number> = {};
      const authorization = pick(authorizations);
      if (authorization) headers.authorization = authorization;
      const host = pick(hosts);
      if (host) headers.host = host;
      if (random() < 0.2) headers['x-amz-target'] = pick(['AmazonSQS.ListQueues', 'Kafka.Nothing', '.']);
      if (random() < 0.3) headers['content-encoding'] = 'aws-chunked';
      const body =
        method === 'GET' || method === 'HEAD'
          ? undefined
          : pick(['', '<Delete/>', '{"a":', 'x'.repeat(70_000)]);
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const path = `${pick(paths)}${query ? `?${query}` : ''}`;
      const res = await rawRequest(server.endpoint, { method, path, headers, body });
      const what = `${method} ${path} ${JSON.stringify(headers).slice(0, 300)}`;
      assert.ok(res.status < 500 || res.status === 501, `${res.status} for ${what}: ${res.body}`);
      if (res.headers['x-amz-request-id'] !== undefined) byS3++;
      if (res.body === '') continue;
      const type = String(res.headers['content-type']);
      if (type.includes('json')) assert.doesNotThrow(() => JSON.parse(res.body), what);
      else assert.equal(XMLValidator.validate(res.body), true, `${what}: ${res.body}`);
    }
    assert.ok(byS3 > 40, `the storm reached the REST routes (${byS3} S3 answers)`);
  });
});

// A signed request goes to the service its credential scope names (the stand-in above, which
// replaces S3's signing name); an unsigned one with a bucket in its Host goes to Tideway's S3.
describe("virtual-hosted routing to Tideway's S3", () => {
  let server: RunningTideway;
  let port: string;
  before(async () => {
    server = await startServer();
    port = new URL(server.endpoint).port;
  });
  after(() => server.stop());

  it('a virtual-hosted bucket is routed by its Host (forcePathStyle false)', async () => {
    const agent = new http.Agent({ lookup: loopback });
    const client = s3Client(`http://localhost:${port}`, {
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'vhost' }));
      await client.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt', Body: 'hello' }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt' }));
      assert.equal(await got.Body!.transformToString(), 'hello');
      // Path style on 127.0.0.1 reaches the same bucket.
      const pathStyle = s3Client(server.endpoint);
      const again = await pathStyle.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt' }));
      assert.equal(await again.Body!.transformToString(), 'hello');
      pathStyle.destroy();
      // Unsigned, the Host alone names S3.
      const anonymous = await rawRequest(server.endpoint, {
        method: 'GET',
        path: '/a/b.txt',
        headers: { host: `vhost.localhost:${port}` },
      });
      assert.equal(anonymous.status, 200);
      assert.equal(anonymous.headers['x-amz-request-id'] !== undefined, true);
      assert.equal(anonymous.body, 'hello');
    } finally {
      client.destroy();
      agent.destroy();
    }
  });
});
