import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { ServiceError } from '../../src/protocols/errors.js';
import type { RestOperation } from '../../src/protocols/rest-dispatch.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { kafkaService } from './kafka-shapes.js';
import { s3Service, s3Shapes } from './s3-shapes.js';
import { type RestTestServer, startRestServer } from './server.js';

/**
 * A seeded storm of malformed requests on both REST protocols: fuzzed paths, escapes, query
 * strings, checksum and framing headers, and bodies. Every answer must be below 500 and
 * well-formed in its protocol; none may hang.
 */

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = prng(20261207);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

async function drain(body: unknown): Promise<void> {
  for await (const _ of body as AsyncIterable<Uint8Array>);
}

const s3Handlers: Record<string, RestOperation['handle']> = {};
for (const name of Object.keys(s3Shapes)) {
  s3Handlers[name] = async (input: Record<string, unknown>) => {
    if (input.Body) await drain(input.Body);
    if (name === 'GetObject' || name === 'GetBucketPolicy') {
      throw new ServiceError('NoSuchKey', 'The specified key does not exist.', { status: 404 });
    }
    return name === 'ListObjectsV2' ? { Name: input.Bucket, Prefix: input.Prefix, Contents: [] } : {};
  };
}

const kafkaHandlers: Record<string, RestOperation['handle']> = {
  CreateClusterV2: (input: { ClusterName: string }) => ({ ClusterName: input.ClusterName }),
  ListClustersV2: () => ({ ClusterInfoList: [] }),
  DescribeClusterV2: (input: { ClusterArn: string }) => ({ ClusterInfo: { ClusterArn: input.ClusterArn } }),
  TagResource: () => ({}),
  UntagResource: () => ({}),
  ListTagsForResource: () => ({ Tags: {} }),
};

let s3: RestTestServer;
let kafka: RestTestServer;

before(async () => {
  s3 = await startRestServer(s3Service(s3Handlers as Parameters<typeof s3Service>[0]));
  kafka = await startRestServer(kafkaService(kafkaHandlers));
});

after(async () => {
  await s3.close();
  await kafka.close();
});

const segments = [
  'b',
  'bucket',
  'k',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%01%7F',
  '%C3%BC',
  '..',
  '',
  '%2F',
  'a+b',
  '~',
];
const queries = [
  '',
  'uploads',
  'delete',
  'list-type=2',
  'list-type=x',
  'policy',
  'max-keys=abc',
  'max-keys=-1',
  'partNumber=1.5',
  'versionId=%',
  'response-expires=never',
  'fetch-owner=maybe',
  '%zz=1',
];
const bodies = [
  '',
  '<',
  '<Delete>',
  '<Delete><Object><Key>k</Key></Object></Delete>',
  '<Delete><Object><Key><![CDATA[k]]></Key></Object><Quiet>yes</Quiet></Delete>',
  '<Delete><Object></Object></Delete>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Delete/>',
  '<Delete><Object><Key>k</Key><Size>big</Size></Object></Delete>',
  '{"clusterName":',
  '{"clusterName":["x"]}',
  '{"clusterName":"x","serverless":{"vpcConfigs":"nope"}}',
  '{"clusterName":"x","tags":{"k":1}}',
  '[]',
  'null',
  '\u0000\u0001binary',
  '5\r\nabc',
  'z;chunk-signature=1\r\n',
  '3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
];
const headerSets: Array<Record<string, string>> = [
  {},
  { 'x-amz-checksum-crc32': 'AAAAAA==' },
  { 'x-amz-checksum-crc32': '!!' },
  { 'x-amz-checksum-sha256': 'short' },
  { 'content-md5': 'nope' },
  { 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32' },
  { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '3' },
  {
    'x-amz-object-lock-retain-until-date': 'someday',
    'x-amz-server-side-encryption-bucket-key-enabled': 'perhaps',
  },
  { 'if-modified-since': 'not a date', 'x-amz-meta-\u00e9': 'x' },
  { 'content-length-ignored': '1', 'x-amz-optional-object-attributes': '"unterminated' },
];

function requestFor(targetsKafka: boolean) {
  const wellFormed = random() < 0.7;
  const path = targetsKafka
    ? wellFormed
      ? pick(['/api/v2/clusters', '/api/v2/clusters/arn%3Ax', '/v1/tags/arn%3Ax'])
      : pick([`/api/v2/clusters/${pick(segments)}`, `/v1/tags/${pick(segments)}`, `/${pick(segments)}`])
    : wellFormed
      ? pick(['/bucket', '/bucket/key', '/bucket/dir/key%20x'])
      : `/${Array.from({ length: Math.floor(random() * 4) }, () => pick(segments)).join('/')}`;
  const query = targetsKafka
    ? pick(['', 'maxResults=x', 'tagKeys=a&tagKeys=%', 'nextToken=%zz'])
    : pick(queries);
  const headers = { ...pick(headerSets) };
  for (const key of Object.keys(headers))
    if (/[^\x20-\x7e]/.test(key) || /[^\x20-\x7e]/.test(headers[key])) delete headers[key];
  return {
    method: pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH']),
    path: query ? `${path}?${query}` : path,
    headers,
    body: pick(bodies),
  };
}

describe('hostile input on the REST protocols', () => {
  it('never answers 500 and every body is well-formed in its protocol', async () => {
    for (let i = 0; i < 300; i++) {
      const targetsKafka = i % 3 === 0;
      const request = requestFor(targetsKafka);
      const method = request.method;
      const res = await rawRequest((targetsKafka ? kafka : s3).endpoint, {
        method,
        path: request.path,
        headers: {
          authorization: sigv4(targetsKafka ? 'kafka' : 's3'),
          ...request.headers,
          ...(method === 'GET' || method === 'HEAD'
            ? {}
            : { 'content-length': Buffer.byteLength(request.body) }),
        },
        body: method === 'GET' || method === 'HEAD' ? undefined : request.body,
      });
      const what = JSON.stringify(request);
      assert.ok(res.status < 500 || res.status === 501, `${res.status} for ${what}: ${res.body}`);
      if (res.body === '') continue;
      if (targetsKafka) {
        assert.doesNotThrow(() => JSON.parse(res.body), what);
        if (res.status >= 400) assert.ok(res.headers['x-amzn-errortype'], what);
      } else {
        assert.equal(XMLValidator.validate(res.body), true, `${what}: ${res.body}`);
      }
    }
  });
});
