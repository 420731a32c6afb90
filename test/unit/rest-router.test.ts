import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restRouter, s3TemplatePath, virtualHostBucket } from '../../src/protocols/rest-router.js';

// Real S3 bindings (botocore 1.43, s3/2006-03-01) that share a method and a path shape, so only
// specificity tells them apart.
const s3 = restRouter({
  PutObject: { http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}' } },
  UploadPart: { http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}?partNumber&uploadId' } },
  PutObjectAcl: { http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}?acl' } },
  CreateBucket: { http: { method: 'PUT', requestUri: '/{Bucket}' } },
  GetObject: { http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' } },
  ListObjects: { http: { method: 'GET', requestUri: '/{Bucket}' } },
  ListObjectsV2: { http: { method: 'GET', requestUri: '/{Bucket}?list-type=2' } },
  ListBuckets: { http: { method: 'GET', requestUri: '/?x-id=ListBuckets' } },
  CreateMultipartUpload: { http: { method: 'POST', requestUri: '/{Bucket}/{Key+}?uploads' } },
  CompleteMultipartUpload: { http: { method: 'POST', requestUri: '/{Bucket}/{Key+}' } },
});

function route(method: string, target: string) {
  const [path, query = ''] = target.split('?');
  return s3.match(method, path, new URLSearchParams(query));
}

describe('REST router', () => {
  it('prefers the template with more query literals', () => {
    assert.equal(route('PUT', '/b/k?partNumber=1&uploadId=u')?.operation, 'UploadPart');
    assert.equal(route('PUT', '/b/k?partNumber=1')?.operation, 'PutObject');
    assert.equal(route('PUT', '/b/k?acl')?.operation, 'PutObjectAcl');
    assert.equal(route('POST', '/b/k?uploads')?.operation, 'CreateMultipartUpload');
    assert.equal(route('POST', '/b/k?uploadId=u')?.operation, 'CompleteMultipartUpload');
  });

  it('a query literal with a value must have that value', () => {
    assert.equal(route('GET', '/b?list-type=2')?.operation, 'ListObjectsV2');
    assert.equal(route('GET', '/b?list-type=1')?.operation, 'ListObjects');
  });

  it('a greedy label keeps slashes, empty segments and a trailing slash; percent-escapes are decoded', () => {
    assert.deepEqual(route('GET', '/b/a/b//c/'), {
      operation: 'GetObject',
      labels: { Bucket: 'b', Key: 'a/b//c/' },
    });
    assert.deepEqual(route('GET', '/b/%C3%BC%20%2F%3F'), {
      operation: 'GetObject',
      labels: { Bucket: 'b', Key: 'ü /?' },
    });
  });

  it('a trailing slash after the last plain label names the same resource', () => {
    assert.deepEqual(route('PUT', '/b/'), { operation: 'CreateBucket', labels: { Bucket: 'b' } });
    assert.deepEqual(route('PUT', '/b'), { operation: 'CreateBucket', labels: { Bucket: 'b' } });
  });

  it('fixed paths, unknown methods and malformed escapes', () => {
    assert.equal(route('GET', '/?x-id=ListBuckets')?.operation, 'ListBuckets');
    assert.equal(route('GET', '/'), undefined);
    assert.equal(route('PATCH', '/b/k'), undefined);
    assert.equal(s3.pathKnown('/b/k', new URLSearchParams()), true);
    assert.equal(route('GET', '/b/%E0%A4%A'), undefined);
  });

  it('literal segments outrank labels', () => {
    const router = restRouter({
      ListNodes: { http: { method: 'GET', requestUri: '/v1/clusters/{clusterArn}/nodes' } },
      DescribeCluster: { http: { method: 'GET', requestUri: '/v1/clusters/{clusterArn}' } },
      ListClusters: { http: { method: 'GET', requestUri: '/v1/clusters' } },
      Special: { http: { method: 'GET', requestUri: '/v1/clusters/special' } },
    });
    const q = new URLSearchParams();
    assert.equal(router.match('GET', '/v1/clusters/special', q)?.operation, 'Special');
    assert.deepEqual(router.match('GET', '/v1/clusters/arn%3Aaws%3Akafka%2Fx', q), {
      operation: 'DescribeCluster',
      labels: { clusterArn: 'arn:aws:kafka/x' },
    });
    assert.equal(router.match('GET', '/v1/clusters/a/nodes', q)?.operation, 'ListNodes');
    assert.equal(router.match('GET', '/v1/clusters', q)?.operation, 'ListClusters');
    assert.equal(router.match('GET', '/v1/clusters/a/b', q), undefined);
  });
});

describe('S3 virtual-hosted buckets', () => {
  it('finds the bucket before .s3. or .localhost', () => {
    assert.equal(virtualHostBucket('my.bucket.s3.localhost.localstack.cloud:4566'), 'my.bucket');
    assert.equal(virtualHostBucket('bucket.s3.us-east-1.amazonaws.com'), 'bucket');
    assert.equal(virtualHostBucket('Bucket.LOCALHOST:4566'), 'bucket');
  });

  it('path-style hosts name no bucket', () => {
    for (const host of [
      'localhost:4566',
      's3.localhost',
      '127.0.0.1:4566',
      '[::1]:4566',
      's3.us-east-1.amazonaws.com',
      undefined,
    ]) {
      assert.equal(virtualHostBucket(host), undefined, String(host));
    }
  });

  it('moves the bucket into the path the templates see', () => {
    assert.equal(s3TemplatePath('b.localhost:1', '/k/x'), '/b/k/x');
    assert.equal(s3TemplatePath('b.localhost:1', '/'), '/b');
    assert.equal(s3TemplatePath('localhost:1', '/b/k'), '/b/k');
  });
});
