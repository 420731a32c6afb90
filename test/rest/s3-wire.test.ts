import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { rawRequest, sigv4 } from '../support/server.js';
import { s3Service } from './s3-shapes.js';
import { type RestTestServer, startRestServer } from './server.js';

/**
 * restXml and S3's ways where the wire itself is the point: aws-chunked framings the SDK does not
 * send by default (signed chunks), bodies that lie about their checksum or length, the bucket in
 * the Host, and answers that must stay well-formed XML whatever they echo.
 */

const stored: Array<{ Bucket: unknown; Key: unknown; body: string }> = [];

const service = s3Service({
  async PutObject(input: Record<string, unknown>) {
    let body = '';
    for await (const piece of input.Body as AsyncIterable<Uint8Array>)
      body += Buffer.from(piece).toString('latin1');
    stored.push({ Bucket: input.Bucket, Key: input.Key, body });
    return { ETag: '"e"' };
  },
  DeleteObjects(input: Record<string, unknown>) {
    return { Deleted: (input.Delete as { Objects: Array<{ Key: string }> }).Objects };
  },
  ListObjectsV2() {
    return { Name: 'b', Contents: [{ Key: 'bell\u0007 and nul\u0000 and lone \ud800 surrogate', Size: 1 }] };
  },
});

let server: RestTestServer;
before(async () => {
  server = await startRestServer(service);
});
after(() => server.close());

function crcBase64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

/** An aws-chunked body: each piece as a chunk (with a dummy signature when signed), then the trailer. */
function chunked(pieces: string[], options: { signed?: boolean; trailer?: string } = {}): string {
  const ext = options.signed ? `;chunk-signature=${'0'.repeat(64)}` : '';
  let body = '';
  for (const piece of pieces) body += `${Buffer.byteLength(piece).toString(16)}${ext}\r\n${piece}\r\n`;
  body += `0${ext}\r\n`;
  if (options.trailer) body += `${options.trailer}\r\n`;
  return `${body}\r\n`;
}

function put(path: string, body: string, headers: Record<string, string>) {
  return rawRequest(server.endpoint, {
    method: 'PUT',
    path,
    headers: { authorization: sigv4('s3'), 'content-length': Buffer.byteLength(body), ...headers },
    body,
  });
}

const trailerHeaders = (decoded: number) => ({
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'content-encoding': 'aws-chunked',
  'x-amz-trailer': 'x-amz-checksum-crc32',
  'x-amz-decoded-content-length': String(decoded),
});

function s3Error(res: { status: number; headers: Record<string, unknown>; body: string }) {
  assert.equal(XMLValidator.validate(res.body), true, res.body);
  const code = /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(res.body)?.[1];
  assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>/);
  assert.match(res.body, /<RequestId>req-\d+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  assert.ok(res.headers['x-amz-request-id']);
  assert.ok(res.headers['x-amz-id-2']);
  return { status: res.status, code, message };
}

describe('aws-chunked uploads', () => {
  it('unsigned chunks with a CRC32 trailer reach the handler decoded', async () => {
    const text = 'first piece|second piece';
    const res = await put(
      '/b/chunked',
      chunked(['first piece|', 'second piece'], {
        trailer: `x-amz-checksum-crc32:${crcBase64(Buffer.from(text))}`,
      }),
      trailerHeaders(text.length),
    );
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(stored.at(-1), { Bucket: 'b', Key: 'chunked', body: text });
  });

  it('a CRC32 trailer that does not match is BadDigest', async () => {
    const res = await put(
      '/b/corrupt',
      chunked(['abc'], { trailer: `x-amz-checksum-crc32:${crcBase64(Buffer.from('abd'))}` }),
      trailerHeaders(3),
    );
    assert.deepEqual(s3Error(res), {
      status: 400,
      code: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
  });

  it('a trailer announced but never sent is IncompleteBody', async () => {
    const res = await put('/b/no-trailer', chunked(['abc']), trailerHeaders(3));
    assert.deepEqual(s3Error(res), {
      status: 400,
      code: 'IncompleteBody',
      message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    });
  });

  it('signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are read past their signatures', async () => {
    const res = await put('/b/signed', chunked(['signed ', 'chunks'], { signed: true }), {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '13',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(stored.at(-1)?.body, 'signed chunks');
  });

  it('a decoded length that differs from x-amz-decoded-content-length is IncompleteBody', async () => {
    const res = await put('/b/short', chunked(['abc'], { signed: true }), {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': '4',
    });
    assert.equal(s3Error(res).code, 'IncompleteBody');
  });

  it('broken framing is IncompleteBody, never a crash', async () => {
    for (const body of ['zz\r\nabc\r\n0\r\n\r\n', '3\r\nabcdef', '3\r\nabcXY0\r\n\r\n', '']) {
      const res = await put('/b/broken', body, { 'content-encoding': 'aws-chunked' });
      assert.equal(s3Error(res).code, 'IncompleteBody', JSON.stringify(body));
    }
  });

  it('a checksum header that is not base64 of the right length is InvalidRequest', async () => {
    const res = await put('/b/x', 'abc', { 'x-amz-checksum-crc32': 'not-a-crc' });
    assert.deepEqual(s3Error(res), {
      status: 400,
      code: 'InvalidRequest',
      message: 'Value for x-amz-checksum-crc32 header is invalid.',
    });
  });

  it('a Content-MD5 that does not match is BadDigest', async () => {
    const res = await put('/b/md5', 'abc', { 'content-md5': Buffer.alloc(16).toString('base64') });
    assert.deepEqual(s3Error(res), {
      status: 400,
      code: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what we received.',
    });
  });
});

describe('S3 routing', () => {
  it('a virtual-hosted bucket comes from the Host', async () => {
    for (const host of [
      'my.bucket.s3.localhost.localstack.cloud:4566',
      'my.bucket.localhost:4566',
      'my.bucket.s3.us-east-1.amazonaws.com',
    ]) {
      const res = await put('/a/b.txt', 'v', { host });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(stored.at(-1), { Bucket: 'my.bucket', Key: 'a/b.txt', body: 'v' });
    }
  });

  it('a malformed percent-escape in the path is InvalidURI', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/b/%E0%A4%A',
      headers: { authorization: sigv4('s3') },
    });
    assert.deepEqual(s3Error(res), {
      status: 400,
      code: 'InvalidURI',
      message: "Couldn't parse the specified URI.",
    });
  });

  it('a method no operation has on a known path is 405 MethodNotAllowed', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'PATCH',
      path: '/b/k',
      headers: { authorization: sigv4('s3') },
    });
    assert.deepEqual(s3Error(res), {
      status: 405,
      code: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource.',
    });
    assert.match(res.body, /<Method>PATCH<\/Method><ResourceType>OBJECT<\/ResourceType>/);
  });
});

describe('restXml documents', () => {
  const postDelete = (body: string) =>
    rawRequest(server.endpoint, {
      method: 'POST',
      path: '/b?delete',
      headers: { authorization: sigv4('s3'), 'content-type': 'application/xml' },
      body,
    });

  it('a well-formed Delete document is decoded', async () => {
    const res = await postDelete(
      '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>k&amp;1</Key></Object></Delete>',
    );
    assert.equal(res.status, 200, res.body);
    assert.match(
      res.body,
      /<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Deleted><Key>k&amp;1<\/Key><\/Deleted><\/DeleteResult>$/,
    );
  });

  it('documents that are not well-formed, declare a DTD, have the wrong root or miss a required member are MalformedXML', async () => {
    for (const body of [
      '<Delete><Object><Key>k</Key></Object>',
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Delete><Object><Key>&x;</Key></Object></Delete>',
      '<Remove><Object><Key>k</Key></Object></Remove>',
      '<Delete><Quiet>true</Quiet></Delete>',
    ]) {
      const res = await postDelete(body);
      assert.deepEqual(
        s3Error(res),
        {
          status: 400,
          code: 'MalformedXML',
          message:
            'The XML you provided was not well-formed or did not validate against our published schema',
        },
        body,
      );
    }
  });

  it('characters XML 1.0 forbids never reach an answer raw', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/b?list-type=2',
      headers: { authorization: sigv4('s3') },
    });
    assert.equal(res.status, 200);
    assert.equal(XMLValidator.validate(res.body), true, res.body);
    assert.match(res.body, /<Key>bell\ufffd and nul\ufffd and lone \ufffd surrogate<\/Key>/);
  });
});
