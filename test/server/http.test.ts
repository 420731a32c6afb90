import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import {
  h2Request,
  health,
  jsonRequest,
  queryRequest,
  rawRequest,
  rawSocket,
  sigv4,
  xmlText,
} from '../support/server.js';
import { errorOf, type RunningTideway, sqsClient, startServer, uniqueName } from '../support/tideway.js';

const ACCOUNT = '000000000000';
const SQS_VERSION = '2012-11-05';
const JSON_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: sigv4(),
};

// One port serves HTTP/1.1 and cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3): the
// SDK's NodeHttp2Handler and a bare node:http2 client both speak h2c to the same endpoint.
// Request and response shapes follow "Making query API requests using AWS JSON protocol in
// Amazon SQS" (SQS Developer Guide, sqs-making-api-requests-json.html).
describe('one port for HTTP/1.1 and HTTP/2', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers a raw HTTP/2 awsJson ListQueues with 200 JSON', async () => {
    const name = uniqueName('h2raw');
    await sqsClient(server.endpoint).send(new CreateQueueCommand({ QueueName: name }));
    const session = http2.connect(server.endpoint);
    try {
      const res = await h2Request(
        session,
        {
          ':method': 'POST',
          ':path': '/',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.ListQueues',
          authorization: sigv4(),
        },
        JSON.stringify({ QueueNamePrefix: name }),
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
      assert.ok(res.headers['x-amzn-requestid'], 'x-amzn-RequestId header over HTTP/2');
      const body = JSON.parse(res.body);
      assert.deepEqual(body, { QueueUrls: [`${server.endpoint}/${ACCOUNT}/${name}`] });
    } finally {
      session.close();
    }
  });

  it('serves several HTTP/2 streams on one session concurrently', async () => {
    const session = http2.connect(server.endpoint);
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          h2Request(
            session,
            {
              ':method': 'POST',
              ':path': '/',
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'AmazonSQS.ListQueues',
              authorization: sigv4(),
            },
            '{}',
          ),
        ),
      );
      for (const res of answers) assert.equal(res.status, 200);
      const ids = new Set(answers.map((r) => r.headers['x-amzn-requestid']));
      assert.equal(ids.size, 20, 'every stream gets its own request id');
    } finally {
      session.close();
    }
  });

  it('works with the SDK over NodeHttp2Handler: create, send, receive', async () => {
    const sqs = sqsClient(server.endpoint, 'json', { requestHandler: new NodeHttp2Handler() });
    try {
      const name = uniqueName('h2sdk');
      const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      assert.equal(created.QueueUrl, `${server.endpoint}/${ACCOUNT}/${name}`);
      assert.ok(created.$metadata.requestId);
      const sent = await sqs.send(
        new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'hello' }),
      );
      // MD5 of 'hello' (RFC 1321); the SDK checks it too.
      assert.equal(sent.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: created.QueueUrl }));
      assert.equal(got.Messages?.length, 1);
      assert.equal(got.Messages?.[0].Body, 'hello');
      assert.equal(got.Messages?.[0].MessageId, sent.MessageId);
      await sqs.send(
        new DeleteMessageCommand({
          QueueUrl: created.QueueUrl,
          ReceiptHandle: got.Messages![0].ReceiptHandle,
        }),
      );
      const err = await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName('missing') })));
      assert.equal(err.name, 'QueueDoesNotExist');
      assert.equal(err.$metadata.httpStatusCode, 400);
    } finally {
      sqs.destroy();
    }
  });

  it('answers many concurrent HTTP/1.1 keep-alive requests, reusing connections', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const name = uniqueName('ka');
      const created = await jsonRequest(server.endpoint, 'CreateQueue', JSON.stringify({ QueueName: name }));
      assert.equal(created.status, 200);
      const queueUrl = JSON.parse(created.body).QueueUrl as string;
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          rawRequest(server.endpoint, {
            agent,
            headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.SendMessage' },
            body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: `m${i}` }),
          }),
        ),
      );
      for (const res of answers) assert.equal(res.status, 200, res.body);
      const connections = new Set(answers.map((r) => r.localPort));
      assert.ok(
        connections.size <= 8,
        `200 requests over at most 8 kept-alive connections (${connections.size})`,
      );
      const ids = new Set(answers.map((r) => JSON.parse(r.body).MessageId));
      assert.equal(ids.size, 200);
      const attrs = await jsonRequest(
        server.endpoint,
        'GetQueueAttributes',
        JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      assert.equal(JSON.parse(attrs.body).Attributes.ApproximateNumberOfMessages, '200');
    } finally {
      agent.destroy();
    }
  });
});

// Routing order (docs/architecture.md): the admin path, then the SigV4 credential scope's
// service, then X-Amz-Target, then Action with Version, then the path. The awsQuery forms come
// from "Making query API requests using AWS query protocol in Amazon SQS" (SQS Developer Guide,
// sqs-making-api-requests-xml.html): `POST /123456789012/MyQueue` with a form body, and a GET
// with `?Action=SendMessage&MessageBody=...` on the queue URL. Error codes are from the SQS API
// Reference "Common Errors" page (InvalidAction 400, MissingAction 400).
describe('routing', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('sends /_tideway/ to the admin API even when the request looks like SQS', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/_tideway/health',
      headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.ListQueues' },
    });
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).status, 'ok');
  });

  it('prefers the credential scope service over X-Amz-Target', async () => {
    // The scope says sqs; the target prefix names no service Tideway knows.
    const res = await rawRequest(server.endpoint, {
      headers: { ...JSON_HEADERS, 'x-amz-target': 'NotAService_20991231.ListQueues' },
      body: '{}',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  });

  it('falls back to X-Amz-Target when the scope names another service', async () => {
    const res = await rawRequest(server.endpoint, {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.ListQueues',
        authorization: sigv4('nosuchservice'),
      },
      body: '{}',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  });

  it('prefers X-Amz-Target (awsJson) over an Action in the query string', async () => {
    const res = await rawRequest(server.endpoint, {
      path: `/?Action=NoSuchAction&Version=${SQS_VERSION}`,
      headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
    assert.doesNotThrow(() => JSON.parse(res.body));
  });

  it('routes an unsigned query request by Action and Version; region defaults to us-east-1', async () => {
    const name = uniqueName('unsigned');
    await sqsClient(server.endpoint).send(new CreateQueueCommand({ QueueName: name }));
    // Same name in another region: must not show up for the unsigned (us-east-1) caller.
    const other = uniqueName('elsewhere');
    await sqsClient(server.endpoint, 'json', { region: 'eu-west-1' }).send(
      new CreateQueueCommand({ QueueName: other }),
    );
    const res = await queryRequest(server.endpoint, { Action: 'ListQueues', Version: SQS_VERSION });
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /<ListQueuesResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/">/);
    assert.ok(res.body.includes(`<QueueUrl>${server.endpoint}/${ACCOUNT}/${name}</QueueUrl>`), res.body);
    assert.ok(!res.body.includes(other), 'a queue of eu-west-1 is not listed for us-east-1');
    // GET with the parameters in the query string works the same way.
    const get = await rawRequest(server.endpoint, {
      method: 'GET',
      path: `/?Action=ListQueues&Version=${SQS_VERSION}&QueueNamePrefix=${name}`,
    });
    assert.equal(get.status, 200, get.body);
    assert.ok(get.body.includes(`<QueueUrl>${server.endpoint}/${ACCOUNT}/${name}</QueueUrl>`));
  });

  it('routes POST /<account>/<queue> with Action=SendMessage and no QueueUrl by its path', async () => {
    const sqs = sqsClient(server.endpoint);
    const name = uniqueName('bypath');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    // No Version, no signature, no QueueUrl: only the path says which service and queue.
    const res = await queryRequest(
      server.endpoint,
      { Action: 'SendMessage', MessageBody: 'hello' },
      {},
      `/${ACCOUNT}/${name}`,
    );
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /<SendMessageResponse/);
    assert.equal(xmlText(res.body, 'MD5OfMessageBody'), '5d41402abc4b2a76b9719d911017c592');
    const messageId = xmlText(res.body, 'MessageId');
    // A GET on the queue URL, as in the developer guide's example.
    const get = await rawRequest(server.endpoint, {
      method: 'GET',
      path: `/${ACCOUNT}/${name}?Action=SendMessage&MessageBody=Your%20message%20text&Version=${SQS_VERSION}`,
    });
    assert.equal(get.status, 200, get.body);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['Your message text', 'hello']);
    assert.ok(got.Messages?.some((m) => m.MessageId === messageId));
  });

  it('answers an unknown Action with the SQS Version with 400 InvalidAction (XML)', async () => {
    const res = await queryRequest(server.endpoint, { Action: 'FlyToTheMoon', Version: SQS_VERSION });
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'] ?? '', /xml/);
    assert.match(res.body, /<ErrorResponse/);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
    assert.equal(xmlText(res.body, 'Type'), 'Sender');
  });

  it('escapes an unknown Action name in the XML error, with or without a Version', async () => {
    const requests: Array<Record<string, string>> = [
      { Action: '<x>&', Version: SQS_VERSION },
      { Action: '<x>&' },
    ];
    for (const params of requests) {
      const res = await queryRequest(server.endpoint, params);
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
      assert.match(res.body, /The action &lt;x&gt;&amp; is not valid for this endpoint\./);
      assert.doesNotMatch(res.body, /<x>/);
    }
  });

  it('answers an unknown X-Amz-Target operation with 400 UnknownOperationException', async () => {
    const res = await jsonRequest(server.endpoint, 'FlyToTheMoon', '{}');
    assert.equal(res.status, 400);
    const body = JSON.parse(res.body);
    assert.match(body.__type, /UnknownOperationException$/);
  });

  it('answers a query-looking request that names nothing with 400 MissingAction (XML)', async () => {
    for (const request of [
      { method: 'POST', path: '/', body: '' },
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'QueueName=x',
      },
    ]) {
      const res = await rawRequest(server.endpoint, request);
      assert.equal(res.status, 400, `${request.method} ${request.path}: ${res.body}`);
      assert.ok(res.headers['x-amzn-requestid']);
      assert.match(res.headers['content-type'] ?? '', /xml/);
      assert.equal(xmlText(res.body, 'Code'), 'MissingAction');
      assert.equal(xmlText(res.body, 'Message'), 'The request is missing an action or a required parameter.');
    }
    // An Action without a Version on a path that is no queue: InvalidAction, not a crash.
    const res = await queryRequest(server.endpoint, { Action: 'ListQueues' }, {}, '/not/a/queue/path');
    assert.equal(res.status, 400, res.body);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
  });
});

// A request no service claims is answered in the protocol it looks like, not always in XML: an
// awsJson client (X-Amz-Target) parses coral's JSON `__type`, a REST client reads restJson1's
// `x-amzn-ErrorType` or restXml's `<Error>` (Smithy protocol specs, error serialization).
describe('requests for no known service', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers an unknown X-Amz-Target prefix with awsJson UnknownOperationException', async () => {
    for (const [contentType, expected] of [
      ['application/x-amz-json-1.1', 'application/x-amz-json-1.1'],
      ['application/x-amz-json-1.0', 'application/x-amz-json-1.0'],
    ]) {
      const res = await rawRequest(server.endpoint, {
        headers: {
          'content-type': contentType,
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: sigv4('dynamodb'),
        },
        body: '{}',
      });
      assert.equal(res.status, 400, res.body);
      assert.equal(res.headers['content-type'], expected);
      assert.ok(res.headers['x-amzn-requestid']);
      assert.deepEqual(JSON.parse(res.body), {
        __type: 'com.amazon.coral.service#UnknownOperationException',
      });
    }
  });

  it('answers an unknown query Version with InvalidAction in XML', async () => {
    const res = await queryRequest(
      server.endpoint,
      { Action: 'DescribeInstances', Version: '2016-11-15' },
      {
        authorization: sigv4('ec2'),
      },
    );
    assert.equal(res.status, 400, res.body);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
    assert.equal(
      xmlText(res.body, 'Message'),
      'The action DescribeInstances is not valid for this endpoint.',
    );
  });

  it('answers a REST-looking request with a restJson1 404 naming the error in x-amzn-ErrorType', async () => {
    for (const request of [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/favicon.ico' },
      { method: 'PUT', path: '/some/thing', body: 'x' },
      { method: 'DELETE', path: '/2015-03-31/functions/f' },
      { method: 'POST', path: '/v1/clusters', headers: { 'content-type': 'application/json' }, body: '{}' },
    ]) {
      const res = await rawRequest(server.endpoint, request);
      assert.equal(res.status, 404, `${request.method} ${request.path}: ${res.body}`);
      assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
      assert.equal(res.headers['content-type'], 'application/json');
      assert.ok(res.headers['x-amzn-requestid']);
      assert.equal(typeof JSON.parse(res.body).message, 'string');
    }
  });

  it('answers a REST request that asks for XML with a restXml <Error>', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'PUT',
      path: '/some-bucket/key',
      headers: { 'content-type': 'application/xml' },
      body: '<CreateBucketConfiguration/>',
    });
    assert.equal(res.status, 404, res.body);
    assert.match(res.headers['content-type'] ?? '', /xml/);
    assert.equal(xmlText(res.body, 'Code'), 'UnknownOperationException');
    assert.equal(xmlText(res.body, 'RequestId'), res.headers['x-amzn-requestid']);
  });

  it('refuses a body over the cap with 413 in the protocol of the request', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 0x61);
    const json = await jsonRequest(server.endpoint, 'SendMessage', big);
    assert.equal(json.status, 413);
    assert.equal(JSON.parse(json.body).__type, 'com.amazon.coral.service#RequestEntityTooLarge');
    const query = await rawRequest(server.endpoint, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    assert.equal(query.status, 413);
    assert.equal(xmlText(query.body, 'Code'), 'RequestEntityTooLarge');
  });

  it('keeps UnknownOperationException and InvalidAction for unknown operations of a known service', async () => {
    const json = await jsonRequest(server.endpoint, 'FlyToTheMoon', '{}');
    assert.equal(json.status, 400);
    assert.equal(JSON.parse(json.body).__type, 'com.amazon.coral.service#UnknownOperationException');
    const query = await queryRequest(server.endpoint, { Action: 'FlyToTheMoon', Version: SQS_VERSION });
    assert.equal(query.status, 400);
    assert.equal(xmlText(query.body, 'Code'), 'InvalidAction');
  });
});

// Bad input gets an AWS-style error, never a crash, a hang or a 500 (DEVELOPERS.md, principle 5).
// AWS answers a JSON member of the wrong type with `SerializationException` "STRING_VALUE can not be
// converted to an Integer" (recorded from sqs.eu-central-1.amazonaws.com in
// https://github.com/async-aws/aws/issues/1667). The query protocol answers a bad value with
// InvalidParameterValue and a missing member with MissingParameter (SQS API Reference, Common
// Errors; ReceiveMessage / CreateQueue "Errors").
describe('bad input never crashes or hangs', () => {
  let server: RunningTideway;
  let queueUrl: string;
  before(async () => {
    server = await startServer();
    const created = await sqsClient(server.endpoint).send(
      new CreateQueueCommand({ QueueName: uniqueName('bad') }),
    );
    queueUrl = created.QueueUrl!;
  });
  after(async () => {
    // Whatever happened above, the server still answers.
    const h = await health(server.endpoint);
    assert.equal(h.status, 200);
    assert.equal(h.body.status, 'ok');
    await server.stop();
  });

  it('answers a malformed JSON body with 400 SerializationException', async () => {
    for (const body of ['{"QueueName": ', '{QueueName: x}', 'not json at all', '\u0000\u0001']) {
      const res = await jsonRequest(server.endpoint, 'CreateQueue', body);
      assert.equal(res.status, 400, body);
      assert.match(JSON.parse(res.body).__type, /SerializationException$/);
      assert.ok(res.headers['x-amzn-requestid']);
    }
  });

  it('answers a JSON body that is not an object with 400 SerializationException', async () => {
    for (const body of ['[]', '[{"QueueName":"x"}]', '"QueueName"', '42', 'null', 'true']) {
      const res = await jsonRequest(server.endpoint, 'ListQueues', body);
      assert.equal(res.status, 400, `${body}: ${res.body}`);
      assert.match(JSON.parse(res.body).__type, /SerializationException$/, body);
    }
  });

  it('answers a string where JSON wants an integer as AWS does', async () => {
    const sqs = sqsClient(server.endpoint);
    const err = await errorOf(() =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: '10' as unknown as number }),
      ),
    );
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.name, 'SerializationException');
    assert.equal(err.message, 'STRING_VALUE can not be converted to an Integer');
  });

  it('answers other wrong member types with a 400, never a 500', async () => {
    for (const body of [
      { QueueUrl: 42 },
      { QueueUrl: queueUrl, MaxNumberOfMessages: 2.5 },
      { QueueUrl: queueUrl, MaxNumberOfMessages: true },
      { QueueUrl: queueUrl, AttributeNames: 'All' },
      { QueueUrl: queueUrl, AttributeNames: [1, 2] },
      { QueueUrl: queueUrl, MessageAttributeNames: { a: 1 } },
      { QueueUrl: [queueUrl] },
    ]) {
      const res = await jsonRequest(server.endpoint, 'ReceiveMessage', JSON.stringify(body));
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.ok(JSON.parse(res.body).__type);
    }
    const send = await jsonRequest(
      server.endpoint,
      'SendMessage',
      JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { a: 'not a structure' } }),
    );
    assert.equal(send.status, 400, send.body);
  });

  it('answers a non-integer MaxNumberOfMessages over query with InvalidParameterValue', async () => {
    const sqs = sqsClient(server.endpoint, 'query');
    const err = await errorOf(() =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 'ten' as unknown as number }),
      ),
    );
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.name, 'InvalidParameterValue');
    // The same through a hand-written form body.
    const res = await queryRequest(server.endpoint, {
      Action: 'ReceiveMessage',
      Version: SQS_VERSION,
      QueueUrl: queueUrl,
      MaxNumberOfMessages: '1.5',
    });
    assert.equal(res.status, 400, res.body);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidParameterValue');
  });

  it('answers a 20 MB body with 413 and keeps serving on the same connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(20 * 1024 * 1024, 'a');
      const res = await rawRequest(server.endpoint, {
        agent,
        headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.SendMessage' },
        body: big,
      });
      assert.equal(res.status, 413);
      assert.ok(res.headers['x-amzn-requestid']);
      const next = await rawRequest(server.endpoint, {
        agent,
        headers: { ...JSON_HEADERS, 'x-amz-target': 'AmazonSQS.ListQueues' },
        body: '{}',
      });
      assert.equal(next.status, 200, next.body);
      assert.equal(next.localPort, res.localPort, 'the connection survives the 413');
    } finally {
      agent.destroy();
    }
  });

  it('survives random bytes as a request body and on a bare connection', async () => {
    for (let i = 0; i < 5; i++) {
      const bytes = randomBytes(4096);
      const asJson = await jsonRequest(server.endpoint, 'SendMessage', bytes);
      assert.equal(asJson.status, 400, asJson.body);
      const asForm = await rawRequest(server.endpoint, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: bytes,
      });
      assert.equal(asForm.status, 400, asForm.body);
      // Bytes that are no HTTP at all: the connection is refused politely or closed.
      const reply = await rawSocket(server.endpoint, Buffer.concat([Buffer.from('\x16\x03\x01'), bytes]));
      assert.ok(reply === '' || reply.startsWith('HTTP/1.1 400'), reply.slice(0, 80));
    }
    // An HTTP/2 preface followed by garbage frames.
    await rawSocket(
      server.endpoint,
      Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), randomBytes(2048)]),
    );
    // Half a preface, then the client goes away.
    await rawSocket(server.endpoint, Buffer.from('PRI * HT'));
    const h = await health(server.endpoint);
    assert.equal(h.status, 200);
  });

  for (const protocol of ['json', 'query'] as const) {
    it(`answers a missing required parameter with MissingParameter over ${protocol}`, async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const err = await errorOf(() => sqs.send(new CreateQueueCommand({} as any)));
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(err.message, 'The request must contain the parameter QueueName.');
      if (protocol === 'json') {
        // The awsQuery code travels in x-amzn-query-error (SQS Developer Guide,
        // sqs-json-api-responses.html), and the SDK names the error after it.
        assert.equal(err.Code, 'MissingParameter');
      }
      assert.equal(err.name, 'MissingParameter');
    });
  }

  it('answers a raw query request missing QueueName with MissingParameter XML', async () => {
    const res = await queryRequest(server.endpoint, { Action: 'CreateQueue', Version: SQS_VERSION });
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'MissingParameter');
    assert.equal(xmlText(res.body, 'Message'), 'The request must contain the parameter QueueName.');
    assert.equal(xmlText(res.body, 'Type'), 'Sender');
  });
});

// Every response carries x-amzn-RequestId; awsQuery documents also carry it in RequestId
// (SQS Developer Guide: "Interpreting Amazon SQS JSON API responses" and "Interpreting Amazon
// SQS XML API responses").
describe('request ids', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('sends x-amzn-requestid on JSON success and error', async () => {
    const ok = await jsonRequest(server.endpoint, 'ListQueues', '{}');
    assert.equal(ok.status, 200);
    assert.ok(ok.headers['x-amzn-requestid']);
    const bad = await jsonRequest(server.endpoint, 'GetQueueUrl', JSON.stringify({ QueueName: 'nope' }));
    assert.equal(bad.status, 400);
    assert.ok(bad.headers['x-amzn-requestid']);
    assert.notEqual(ok.headers['x-amzn-requestid'], bad.headers['x-amzn-requestid']);
    assert.equal(bad.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  });

  it('sends the same id in the header and the XML RequestId, success and error', async () => {
    const ok = await queryRequest(server.endpoint, { Action: 'ListQueues', Version: SQS_VERSION });
    assert.equal(ok.status, 200);
    const okId = ok.headers['x-amzn-requestid'];
    assert.ok(okId);
    assert.match(ok.body, /<ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata>/);
    assert.equal(xmlText(ok.body, 'RequestId'), okId);
    const bad = await queryRequest(server.endpoint, {
      Action: 'GetQueueUrl',
      Version: SQS_VERSION,
      QueueName: 'nope',
    });
    assert.equal(bad.status, 400);
    assert.ok(bad.headers['x-amzn-requestid']);
    assert.equal(xmlText(bad.body, 'RequestId'), bad.headers['x-amzn-requestid']);
    assert.equal(xmlText(bad.body, 'Code'), 'AWS.SimpleQueueService.NonExistentQueue');
  });

  it('sends request ids on routing errors too', async () => {
    const invalid = await queryRequest(server.endpoint, { Action: 'Nope', Version: SQS_VERSION });
    assert.ok(invalid.headers['x-amzn-requestid']);
    assert.equal(xmlText(invalid.body, 'RequestId'), invalid.headers['x-amzn-requestid']);
    const nothing = await rawRequest(server.endpoint, { method: 'GET', path: '/' });
    assert.ok(nothing.headers['x-amzn-requestid']);
    const unknownOp = await jsonRequest(server.endpoint, 'Nope', '{}');
    assert.ok(unknownOp.headers['x-amzn-requestid']);
  });

  for (const protocol of ['json', 'query'] as const) {
    it(`fills the SDK's $metadata.requestId over ${protocol}, on success and error`, async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const listed = await sqs.send(new ListQueuesCommand({}));
      assert.equal(typeof listed.$metadata.requestId, 'string');
      assert.ok(listed.$metadata.requestId!.length > 0);
      const err = await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
      assert.equal(typeof err.$metadata.requestId, 'string');
      assert.ok(err.$metadata.requestId.length > 0);
      assert.notEqual(err.$metadata.requestId, listed.$metadata.requestId);
    });
  }
});

// A queue URL names the endpoint the client used (SQS Developer Guide, "Amazon SQS queue and
// message identifiers": the URL is built from the endpoint, account and queue name); behind an
// emulator that endpoint is the Host (or HTTP/2 :authority) the request came in on.
describe('queue URLs follow the Host header', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('builds QueueUrl from Host over awsJson', async () => {
    const name = uniqueName('host');
    const res = await jsonRequest(server.endpoint, 'CreateQueue', JSON.stringify({ QueueName: name }), {
      host: 'example.test:9999',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).QueueUrl, `http://example.test:9999/${ACCOUNT}/${name}`);
    // Asked again through the real address, the same queue has that address's URL.
    const again = await jsonRequest(server.endpoint, 'GetQueueUrl', JSON.stringify({ QueueName: name }));
    assert.equal(JSON.parse(again.body).QueueUrl, `${server.endpoint}/${ACCOUNT}/${name}`);
  });

  it('builds QueueUrl from Host over awsQuery', async () => {
    const name = uniqueName('hostq');
    const res = await queryRequest(
      server.endpoint,
      { Action: 'CreateQueue', Version: SQS_VERSION, QueueName: name },
      { host: 'example.test:9999' },
    );
    assert.equal(res.status, 200, res.body);
    assert.equal(xmlText(res.body, 'QueueUrl'), `http://example.test:9999/${ACCOUNT}/${name}`);
  });

  it('builds QueueUrl from :authority over HTTP/2', async () => {
    const name = uniqueName('authority');
    const session = http2.connect(server.endpoint);
    try {
      const res = await h2Request(
        session,
        {
          ':method': 'POST',
          ':path': '/',
          ':authority': 'example.test:9999',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.CreateQueue',
          authorization: sigv4(),
        },
        JSON.stringify({ QueueName: name }),
      );
      assert.equal(res.status, 200, res.body);
      assert.equal(JSON.parse(res.body).QueueUrl, `http://example.test:9999/${ACCOUNT}/${name}`);
    } finally {
      session.close();
    }
  });
});
