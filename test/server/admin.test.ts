import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { start } from '../../src/index.js';
import { health, isListening } from '../support/server.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  sqsClient,
  startServer,
  testEngine,
  uniqueName,
} from '../support/tideway.js';

async function admin(
  server: RunningTideway,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; contentType: string | null; json: any }> {
  const res = await fetch(`${server.endpoint}/_tideway/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), json: await res.json() };
}

// The admin API is Tideway's own (README, "In your tests"); SQS behaviour reached through it is
// AWS's: DelaySeconds hides a message for that many seconds (SQS API Reference, SendMessage:
// "DelaySeconds — The length of time, in seconds, for which to delay a specific message"), and
// GetQueueUrl for a queue that does not exist answers QueueDoesNotExist.
describe('admin API', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('GET /_tideway/health reports ok, the services and persistence', async () => {
    const { status, body } = await health(server.endpoint);
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.ok(Array.isArray(body.services));
    assert.ok(body.services.includes('sqs'));
    assert.equal(body.persistence, testEngine === 'data-dir', 'in memory unless a data dir is given');
    assert.equal(typeof body.version, 'string');
    const head = await fetch(`${server.endpoint}/_tideway/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('POST /_tideway/reset drops every queue in every account and region', async () => {
    const names: string[] = [];
    for (const protocol of ['json', 'query'] as const) {
      const sqs = sqsClient(server.endpoint, protocol);
      const name = uniqueName('reset');
      names.push(name);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    }
    const west = sqsClient(server.endpoint, 'json', { region: 'eu-west-1' });
    await west.send(new CreateQueueCommand({ QueueName: 'reset-west' }));
    const other = sqsClient(server.endpoint, 'json', {
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
    });
    await other.send(new CreateQueueCommand({ QueueName: 'reset-other-account' }));

    const res = await admin(server, 'POST', 'reset');
    assert.equal(res.status, 200);
    assert.match(res.contentType ?? '', /application\/json/);

    const sqs = sqsClient(server.endpoint);
    const listed = await sqs.send(new ListQueuesCommand({}));
    assert.equal(listed.QueueUrls, undefined);
    assert.equal((await west.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    assert.equal((await other.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    for (const name of names) {
      const err = await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: name })));
      assert.equal(err.name, 'QueueDoesNotExist');
    }
    // A queue of the same name can be created at once: a reset is not a DeleteQueue, so the
    // 60-second wait after deleting a queue does not apply.
    const again = await sqs.send(new CreateQueueCommand({ QueueName: names[0] }));
    assert.ok(again.QueueUrl?.endsWith(`/${names[0]}`));
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl: again.QueueUrl }));
    assert.equal(empty.Messages, undefined, 'no message survives a reset');
  });

  for (const protocol of ['json', 'query'] as const) {
    it(`POST /_tideway/clock moves time: a 60 s delayed message comes due (${protocol})`, async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('clock') }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
      await advance(server, 30);
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
      await advance(server, 30);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(got.Messages?.[0]?.Body, 'later');
    });
  }

  it('POST /_tideway/clock answers the new time; GET /_tideway/clock reads it', async () => {
    const before = await admin(server, 'GET', 'clock');
    assert.equal(before.status, 200);
    assert.equal(typeof before.json.now, 'number');
    const moved = await admin(server, 'POST', 'clock', JSON.stringify({ advanceSeconds: 3600 }));
    assert.equal(moved.status, 200);
    assert.ok(moved.json.now >= before.json.now + 3_600_000);
    assert.equal(moved.json.offsetSeconds, before.json.offsetSeconds + 3600);
    assert.equal(new Date(moved.json.iso).getTime(), moved.json.now);
    const afterwards = await admin(server, 'GET', 'clock');
    assert.ok(afterwards.json.now >= moved.json.now);
    // Advancing by zero is allowed and changes nothing.
    const zero = await admin(server, 'POST', 'clock', JSON.stringify({ advanceSeconds: 0 }));
    assert.equal(zero.status, 200);
    assert.equal(zero.json.offsetSeconds, moved.json.offsetSeconds);
  });

  it('POST /_tideway/clock with frozen stops the clock until it is thawed; advancing still moves it', async () => {
    const frozen = await admin(server, 'POST', 'clock', JSON.stringify({ frozen: true }));
    assert.equal(frozen.status, 200);
    assert.equal(frozen.json.frozen, true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const still = await admin(server, 'GET', 'clock');
    assert.equal(still.json.now, frozen.json.now);
    const moved = await admin(server, 'POST', 'clock', JSON.stringify({ advanceSeconds: 5 }));
    assert.equal(moved.json.now, frozen.json.now + 5000);
    const thawed = await admin(server, 'POST', 'clock', JSON.stringify({ frozen: false }));
    assert.equal(thawed.json.frozen, false);
    assert.ok(thawed.json.now >= moved.json.now);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const running = await admin(server, 'GET', 'clock');
    assert.ok(running.json.now > thawed.json.now);
  });

  it('answers bad clock bodies with a 400 JSON error and leaves the clock alone', async () => {
    const before = await admin(server, 'GET', 'clock');
    for (const body of [
      'not json',
      '{"advanceSeconds": ',
      '{}',
      '[]',
      'null',
      '{"advanceSeconds": "30"}',
      '{"advanceSeconds": -5}',
      '{"advanceSeconds": null}',
      '{"advanceSeconds": true}',
      '{"advanceSeconds": [30]}',
      '{"advance": 30}',
      '{"frozen": "yes"}',
      '{"frozen": true, "advanceSeconds": -1}',
    ]) {
      const res = await admin(server, 'POST', 'clock', body);
      assert.equal(res.status, 400, body);
      assert.match(res.contentType ?? '', /application\/json/);
      assert.equal(typeof res.json.error, 'string', body);
    }
    const afterwards = await admin(server, 'GET', 'clock');
    assert.equal(afterwards.json.offsetSeconds, before.json.offsetSeconds);
    assert.equal(afterwards.json.frozen, false);
  });

  it('answers an unknown admin path with 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', 'nope'],
      ['POST', 'nope'],
      ['GET', 'health/extra'],
      ['DELETE', 'queues'],
    ]) {
      const res = await admin(server, method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.match(res.contentType ?? '', /application\/json/);
      assert.equal(typeof res.json.error, 'string');
    }
  });
});

// The embedding API (README, "In your tests"): start({ port: 0 }) resolves to
// { endpoint, clock, stop() }; clock.advance(ms) is the in-process twin of POST /_tideway/clock.
describe('embedding API', () => {
  it('start({ port: 0 }) gives an endpoint, a clock and stop()', async () => {
    const tideway = await start({ port: 0, logLevel: 'silent' });
    let stopped = false;
    try {
      assert.match(tideway.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(tideway.endpoint).port);
      assert.ok(port > 0);
      assert.equal(tideway.port, port);
      assert.equal(typeof tideway.clock.advance, 'function');
      assert.equal(typeof tideway.stop, 'function');
      const { status } = await health(tideway.endpoint);
      assert.equal(status, 200);

      const sqs = sqsClient(tideway.endpoint);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('embed') }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
      const t0 = tideway.clock.now();
      tideway.clock.advance(60_000);
      assert.ok(tideway.clock.now() >= t0 + 60_000);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(got.Messages?.[0]?.Body, 'later');
      // The admin API sees the same clock.
      const clock = await (await fetch(`${tideway.endpoint}/_tideway/clock`)).json();
      assert.equal(clock.offsetSeconds, 60);
      sqs.destroy();

      await tideway.stop();
      stopped = true;
      assert.equal(await isListening(port), false, 'stop() frees the port');
      // ...so another server can take it.
      const again = await start({ port, logLevel: 'silent' });
      try {
        assert.equal(again.endpoint, tideway.endpoint);
        assert.equal((await health(again.endpoint)).status, 200);
      } finally {
        await again.stop();
      }
    } finally {
      if (!stopped) await tideway.stop();
    }
  });

  it('stop() closes kept-alive client connections too', async () => {
    const tideway = await start({ port: 0, logLevel: 'silent' });
    const sqs = sqsClient(tideway.endpoint);
    await sqs.send(new ListQueuesCommand({}));
    await tideway.stop();
    assert.equal(await isListening(tideway.port), false);
    const err = await errorOf(() => sqs.send(new ListQueuesCommand({})));
    assert.ok(err instanceof Error);
    sqs.destroy();
  });

  it('two embedded servers are independent', async () => {
    const a = await start({ port: 0, logLevel: 'silent' });
    const b = await start({ port: 0, logLevel: 'silent' });
    try {
      assert.notEqual(a.endpoint, b.endpoint);
      const name = uniqueName('iso');
      await sqsClient(a.endpoint).send(new CreateQueueCommand({ QueueName: name }));
      const err = await errorOf(() =>
        sqsClient(b.endpoint).send(new GetQueueUrlCommand({ QueueName: name })),
      );
      assert.equal(err.name, 'QueueDoesNotExist');
      a.clock.advance(10_000);
      assert.equal(b.clock.offsetSeconds, 0, 'clocks are per server');
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
