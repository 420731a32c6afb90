import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { advance } from '../support/tideway.js';
import { bodyOf, bucketName, s3Rejects, withS3Server } from './objects-client.js';

/**
 * The answers of failed read conditions as S3 sends them on the wire: a 304 without a body that
 * still names the object's ETag and Last-Modified, a 412 with its XML error (none for HEAD).
 */

const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, ' +
  'SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=abc';

describe('S3 304 and 412 answers', () => {
  const suite = withS3Server();

  async function stored(body: string) {
    const Bucket = bucketName('nm');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: body }));
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket, Key: 'doc.txt' }));
    return { Bucket, etag: put.ETag!, lastModified: head.LastModified!.toUTCString() };
  }

  function raw(method: string, path: string, headers: Record<string, string>) {
    return fetch(`${suite.server.endpoint}${path}`, {
      method,
      headers: { authorization: AUTHORIZATION, ...headers },
    });
  }

  it('a 304 carries the ETag and Last-Modified of the object, no body and no content type', async () => {
    const { Bucket, etag, lastModified } = await stored('cached');
    for (const method of ['GET', 'HEAD']) {
      const reply = await raw(method, `/${Bucket}/doc.txt`, { 'if-none-match': etag });
      assert.equal(reply.status, 304, method);
      assert.equal(reply.headers.get('etag'), etag, method);
      assert.equal(reply.headers.get('last-modified'), lastModified, method);
      assert.equal(reply.headers.get('content-type'), null, method);
      assert.match(reply.headers.get('x-amz-request-id') ?? '', /^\S+$/, method);
      assert.equal(await reply.text(), '', method);
    }
    // If-Modified-Since that the object has not passed answers the same 304.
    await advance(suite.server, 30);
    const since = new Date(Date.parse(lastModified) + 1000).toUTCString();
    const reply = await raw('GET', `/${Bucket}/doc.txt`, { 'if-modified-since': since });
    assert.equal(reply.status, 304);
    assert.equal(reply.headers.get('etag'), etag);
    assert.equal(reply.headers.get('last-modified'), lastModified);
  });

  it('the SDK sees the 304 as S3 answers it, and a rewritten object is sent again', async () => {
    const { Bucket, etag } = await stored('first');
    const err = await s3Rejects(
      suite.s3.send(new GetObjectCommand({ Bucket, Key: 'doc.txt', IfNoneMatch: etag })),
      {
        status: 304,
      },
    );
    assert.equal(err.$metadata.httpStatusCode, 304);
    await suite.s3.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'second' }));
    const got = await suite.s3.send(new GetObjectCommand({ Bucket, Key: 'doc.txt', IfNoneMatch: etag }));
    assert.equal((await bodyOf(got.Body)).toString(), 'second');
    assert.notEqual(got.ETag, etag);
  });

  it('a GET 412 is an XML error naming the condition, without the object headers; a HEAD 412 has no body', async () => {
    const { Bucket, etag } = await stored('guarded');
    const reply = await raw('GET', `/${Bucket}/doc.txt`, {
      'if-match': '"0123456789abcdef0123456789abcdef"',
    });
    assert.equal(reply.status, 412);
    assert.equal(reply.headers.get('content-type'), 'application/xml');
    assert.equal(reply.headers.get('etag'), null);
    assert.equal(reply.headers.get('last-modified'), null);
    const text = await reply.text();
    assert.match(text, /<Code>PreconditionFailed<\/Code>/);
    assert.match(text, new RegExp(`<Message>${PRECONDITION}</Message>`));
    assert.match(text, /<Condition>If-Match<\/Condition>/);
    assert.match(text, /<RequestId>\S+<\/RequestId>/);

    const head = await raw('HEAD', `/${Bucket}/doc.txt`, {
      'if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    assert.equal(head.status, 412);
    assert.equal(head.headers.get('etag'), null);
    assert.equal(await head.text(), '');

    // The SDK reads the condition from the GET's body.
    await s3Rejects(suite.s3.send(new GetObjectCommand({ Bucket, Key: 'doc.txt', IfMatch: `${etag}x` })), {
      code: 'PreconditionFailed',
      status: 412,
      message: PRECONDITION,
      fields: { Condition: 'If-Match' },
    });
  });

  it('checks 412 before 304, and each pair in the order S3 documents', async () => {
    const { Bucket, etag, lastModified } = await stored('ordered');
    // If-Match fails and If-None-Match matches: the 412 wins.
    const both = await raw('GET', `/${Bucket}/doc.txt`, { 'if-match': '"other"', 'if-none-match': etag });
    assert.equal(both.status, 412);
    assert.match(await both.text(), /<Condition>If-Match<\/Condition>/);
    // If-Match holds, If-Unmodified-Since fails: 200 with the object.
    const past = 'Mon, 01 Jan 2024 00:00:00 GMT';
    const held = await raw('GET', `/${Bucket}/doc.txt`, { 'if-match': etag, 'if-unmodified-since': past });
    assert.equal(held.status, 200);
    assert.equal(await held.text(), 'ordered');
    // If-None-Match matches, If-Modified-Since long past: 304 all the same.
    const unchanged = await raw('GET', `/${Bucket}/doc.txt`, {
      'if-none-match': etag,
      'if-modified-since': past,
    });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get('last-modified'), lastModified);
    // If-None-Match names another ETag, If-Modified-Since says unchanged: the object comes back.
    const since = new Date(Date.parse(lastModified) + 1000).toUTCString();
    await advance(suite.server, 5);
    const other = await raw('GET', `/${Bucket}/doc.txt`, {
      'if-none-match': '"other"',
      'if-modified-since': since,
    });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('etag'), etag);
  });

  it('a missing key is 404 before any condition is weighed', async () => {
    const { Bucket, etag } = await stored('here');
    const reply = await raw('GET', `/${Bucket}/absent.txt`, { 'if-none-match': etag });
    assert.equal(reply.status, 404);
    assert.equal(reply.headers.get('etag'), null);
    assert.match(await reply.text(), /<Code>NoSuchKey<\/Code>/);
  });
});
