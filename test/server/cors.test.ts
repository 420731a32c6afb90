import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { kinesisClient } from '../support/kinesis.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

const ORIGIN = 'http://localhost:3000';

/** An SDK client's middleware stack, as every v3 client has one. */
interface WithMiddleware {
  middlewareStack: {
    add(
      middleware: (next: any) => (args: any) => Promise<any>,
      options: { step: string; name?: string },
    ): void;
  };
}

/**
 * Makes a client send `Origin` as a browser would, and records the headers of each answer, so a
 * test sees what a page's SDK would be allowed to read.
 */
function asBrowser(client: WithMiddleware): Array<Record<string, string>> {
  const answers: Array<Record<string, string>> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      args.request.headers.origin = ORIGIN;
      try {
        const result = await next(args);
        answers.push(result.response.headers);
        return result;
      } catch (err: any) {
        if (err?.$response?.headers) answers.push(err.$response.headers);
        throw err;
      }
    },
    { step: 'finalizeRequest', name: 'browserOrigin' },
  );
  return answers;
}

function assertCors(headers: Record<string, string | string[] | undefined>): void {
  assert.equal(headers['access-control-allow-origin'], '*');
  const exposed = String(headers['access-control-expose-headers']).toLowerCase().split(',');
  assert.ok(exposed.includes('x-amzn-requestid'), String(exposed));
  assert.ok(exposed.includes('x-amzn-errortype'), String(exposed));
}

// AWS serves SQS, SNS and Kinesis to the SDK for JavaScript in browsers (Developer Guide, "Getting
// started in a browser script"): their endpoints answer CORS preflights and let the page read the
// answer and its request id. Tideway answers any origin, as those endpoints do; requests are signed,
// so no credentials mode is involved.
describe('CORS for browser SDKs', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers a preflight with the methods and the requested headers allowed', async () => {
    const requested =
      'authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id';
    const res = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      path: '/',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': requested,
      },
    });
    assert.equal(res.status, 200, res.body);
    assertCors(res.headers);
    assert.equal(res.headers['access-control-allow-headers'], requested);
    assert.ok(String(res.headers['access-control-allow-methods']).split(',').includes('POST'));
    assert.equal(res.headers['access-control-max-age'], '172800');
    assert.equal(res.body, '');
  });

  it('answers a preflight on a queue URL path too', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      path: '/000000000000/orders',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    assert.equal(res.status, 200);
    assertCors(res.headers);
    assert.equal(res.headers['access-control-allow-headers'], undefined);
  });

  it('does not echo a requested header list that is not a list of header names', async () => {
    const res = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      path: '/',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-amz-target, <script>',
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-headers'], undefined);
  });

  it('lets a page read SQS answers and errors on both protocols', async () => {
    for (const protocol of ['json', 'query'] as const) {
      const sqs = sqsClient(server.endpoint, protocol);
      const answers = asBrowser(sqs as unknown as WithMiddleware);
      await sqs.send(new ListQueuesCommand({}));
      await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })), {
        name: 'QueueDoesNotExist',
      });
      assert.equal(answers.length, 2, protocol);
      for (const headers of answers) {
        assertCors(headers);
        assert.ok(headers['x-amzn-requestid'], protocol);
      }
      sqs.destroy();
    }
  });

  it('lets a page read SNS and Kinesis answers', async () => {
    const sns = snsClient(server.endpoint);
    const snsAnswers = asBrowser(sns as unknown as WithMiddleware);
    await sns.send(new ListTopicsCommand({}));
    assert.equal(snsAnswers.length, 1);
    assertCors(snsAnswers[0]);
    sns.destroy();
    const kinesis = kinesisClient(server.endpoint);
    const kinesisAnswers = asBrowser(kinesis as unknown as WithMiddleware);
    await kinesis.send(new ListStreamsCommand({}));
    assert.equal(kinesisAnswers.length, 1);
    assertCors(kinesisAnswers[0]);
    kinesis.destroy();
  });

  it('adds no CORS headers when the request has no Origin, nor to admin answers', async () => {
    const res = await rawRequest(server.endpoint, {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.ListQueues',
        authorization: sigv4(),
      },
      body: '{}',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const admin = await rawRequest(server.endpoint, {
      method: 'GET',
      path: '/_tideway/health',
      headers: { origin: ORIGIN },
    });
    assert.equal(admin.status, 200);
    assert.equal(admin.headers['access-control-allow-origin'], undefined);
  });

  it('carries the CORS headers on the answer to a request for no known service', async () => {
    const res = await rawRequest(server.endpoint, {
      headers: {
        origin: ORIGIN,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assertCors(res.headers);
  });
});
