import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3_OPERATIONS } from '../../../src/protocols/models/s3.js';
import { restRouter } from '../../../src/protocols/rest-router.js';

/**
 * S3's multipart operations share their templates with the object operations
 * (`PUT /{Bucket}/{Key+}` is PutObject, CopyObject, UploadPart and UploadPartCopy): the request's
 * required query parameters and headers tell them apart.
 */
describe('routing multipart requests', () => {
  const router = restRouter(S3_OPERATIONS);
  const route = (method: string, query: string, headers: Record<string, string> = {}) =>
    router.match(method, '/bucket/some/key', new URLSearchParams(query), headers)?.operation;

  it('tells the part operations from the object ones', () => {
    assert.equal(route('PUT', 'partNumber=1&uploadId=u'), 'UploadPart');
    assert.equal(route('PUT', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': 'b/k' }), 'UploadPartCopy');
    assert.equal(route('PUT', ''), 'PutObject');
    assert.equal(route('PUT', '', { 'x-amz-copy-source': 'b/k' }), 'CopyObject');
    assert.equal(route('GET', 'uploadId=u'), 'ListParts');
    assert.equal(route('GET', 'partNumber=2'), 'GetObject');
    assert.equal(route('GET', ''), 'GetObject');
    assert.equal(route('DELETE', 'uploadId=u'), 'AbortMultipartUpload');
    assert.equal(route('DELETE', ''), 'DeleteObject');
    assert.equal(route('POST', 'uploadId=u'), 'CompleteMultipartUpload');
    assert.equal(route('POST', 'uploads'), 'CreateMultipartUpload');
    assert.equal(
      router.match('GET', '/bucket', new URLSearchParams('uploads'), {})?.operation,
      'ListMultipartUploads',
    );
  });
});
