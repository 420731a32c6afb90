import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Clock } from '../../../src/core/clock.js';
import { Scheduler, type Timer } from '../../../src/core/scheduler.js';
import {
  deliverToHttpEndpoint,
  type HttpDeliveryOutcome,
  judgeResponse,
  stopHttpEndpointDeliveries,
} from '../../../src/services/firehose/delivery/http-endpoint.js';
import type { DeliveryStreamRecord } from '../../../src/services/firehose/model.js';
import type { PipelineDeps } from '../../../src/services/firehose/pipeline.js';
import type { FrontDoors } from '../../../src/services/registry.js';
import { captureLogger } from '../../support/log-capture.js';

const STREAM_ARN = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/to-endpoint';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Responder = (seen: Seen, res: ServerResponse) => void;

/** Echoes the request id with 200, as a conforming endpoint does. */
const conforming: Responder = (seen, res) => {
  const text = seen.headers['content-encoding'] === 'gzip' ? gunzipSync(seen.body) : seen.body;
  const { requestId } = JSON.parse(text.toString('utf8')) as { requestId: string };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ requestId, timestamp: Date.now() }));
};

/** A scheduler that counts the wake-ups asked of it, so a test moves the clock only once one is set. */
class CountingScheduler extends Scheduler {
  timers: Timer[] = [];
  override at(at: number, run: () => void): Timer {
    const timer = super.at(at, run);
    this.timers.push(timer);
    return timer;
  }
}

function streamWith(
  http: Partial<NonNullable<DeliveryStreamRecord['destination']['httpEndpoint']>>,
  url: string,
  accessKey?: string,
): DeliveryStreamRecord {
  return {
    name: 'to-endpoint',
    arn: STREAM_ARN,
    account: '000000000000',
    region: 'us-east-1',
    status: 'ACTIVE',
    type: 'DirectPut',
    versionId: '1',
    created: 0,
    tags: [],
    destination: {
      id: 'destinationId-000000000001',
      httpEndpoint: {
        EndpointConfiguration: { Url: url, Name: 'mine' },
        RoleARN: 'arn:aws:iam::000000000000:role/firehose',
        ...http,
      },
      httpEndpointAccessKey: accessKey,
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition not reached');
}

describe('HTTP endpoint delivery', () => {
  let server: Server;
  let url: string;
  let seen: Seen[];
  let respond: Responder;
  let clock: Clock;
  let scheduler: CountingScheduler;
  let log: ReturnType<typeof captureLogger>;
  let frontDoors: FrontDoors;
  let deps: PipelineDeps;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        seen.push(s);
        respond(s, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest?token=abc`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen = [];
    respond = conforming;
    clock = new Clock();
    clock.freeze();
    scheduler = new CountingScheduler(clock);
    log = captureLogger();
    frontDoors = {};
    deps = { clock, scheduler, log, frontDoors };
  });

  /** Runs a delivery, moving the clock to each retry as soon as the delivery waits for it. */
  async function deliver(stream: DeliveryStreamRecord, records: string[]): Promise<HttpDeliveryOutcome> {
    let settled = false;
    const outcome = deliverToHttpEndpoint(
      stream,
      records.map((r) => Buffer.from(r)),
      deps,
    ).finally(() => {
      settled = true;
    });
    let handled = 0;
    while (!settled) {
      await until(() => settled || scheduler.timers.length > handled);
      if (settled) break;
      const timer = scheduler.timers[handled++];
      clock.advance(timer.at - clock.now());
    }
    return outcome;
  }

  it('posts the documented request and takes a 200 that echoes the request id', async () => {
    const stream = streamWith(
      {
        RequestConfiguration: {
          CommonAttributes: [
            { AttributeName: 'env', AttributeValue: 'test' },
            { AttributeName: 'team', AttributeValue: 'data' },
          ],
        },
      },
      url,
      'secret-key',
    );
    const outcome = await deliver(stream, ['{"a":1}\n', 'two']);
    assert.deepEqual(outcome, { kind: 'delivered' });
    assert.equal(seen.length, 1);
    const [req] = seen;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/ingest?token=abc');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-amz-firehose-protocol-version'], '1.0');
    assert.equal(req.headers['x-amz-firehose-source-arn'], STREAM_ARN);
    assert.equal(req.headers['x-amz-firehose-access-key'], 'secret-key');
    assert.deepEqual(JSON.parse(String(req.headers['x-amz-firehose-common-attributes'])), {
      commonAttributes: { env: 'test', team: 'data' },
    });
    assert.equal(req.headers['content-encoding'], undefined);
    assert.equal(Number(req.headers['content-length']), req.body.length);
    const body = JSON.parse(req.body.toString('utf8'));
    assert.match(req.headers['x-amz-firehose-request-id'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(body.requestId, req.headers['x-amz-firehose-request-id']);
    assert.equal(body.timestamp, clock.now());
    assert.deepEqual(
      body.records.map((r: { data: string }) => Buffer.from(r.data, 'base64').toString()),
      ['{"a":1}\n', 'two'],
    );
    assert.deepEqual(Object.keys(body), ['requestId', 'timestamp', 'records']);
  });

  it('leaves out the access key and common attributes a stream does not have, and gzips when asked', async () => {
    const plain = await deliver(streamWith({}, url), ['x']);
    assert.equal(plain.kind, 'delivered');
    assert.equal(seen[0].headers['x-amz-firehose-access-key'], undefined);
    assert.equal(seen[0].headers['x-amz-firehose-common-attributes'], undefined);
    const gz = await deliver(streamWith({ RequestConfiguration: { ContentEncoding: 'GZIP' } }, url), [
      'zipped',
    ]);
    assert.equal(gz.kind, 'delivered');
    assert.equal(seen[1].headers['content-encoding'], 'gzip');
    const body = JSON.parse(gunzipSync(seen[1].body).toString('utf8'));
    assert.equal(Buffer.from(body.records[0].data, 'base64').toString(), 'zipped');
  });

  it('retries a failed request on the clock with the same request id until the endpoint takes it', async () => {
    let calls = 0;
    respond = (s, res) => {
      calls++;
      if (calls < 3) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"errorMessage":"busy"}');
        return;
      }
      conforming(s, res);
    };
    const start = clock.now();
    const outcome = await deliver(streamWith({ RetryOptions: { DurationInSeconds: 60 } }, url), ['r']);
    assert.deepEqual(outcome, { kind: 'delivered' });
    assert.equal(seen.length, 3);
    const ids = new Set(seen.map((s) => s.headers['x-amz-firehose-request-id']));
    assert.equal(ids.size, 1, 'one request id for every attempt');
    // Each attempt carries its own timestamp: 1 s, then 2 s more, of clock time between them.
    const stamps = seen.map((s) => JSON.parse(s.body.toString()).timestamp);
    assert.deepEqual(stamps, [start, start + 1000, start + 3000]);
  });

  it('gives up once RetryOptions.DurationInSeconds has passed since the first failure', async () => {
    respond = (_s, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"errorMessage":"down"}');
    };
    const start = clock.now();
    const outcome = await deliver(streamWith({ RetryOptions: { DurationInSeconds: 10 } }, url), ['r']);
    // Attempts at 0, 1, 3, 7 and 10 s: the waits double, and the last falls on the deadline.
    assert.deepEqual(outcome, {
      kind: 'failed',
      errorCode: 'HttpEndpoint.DestinationException',
      errorMessage:
        'The following response was received from the endpoint destination. 500: {"errorMessage":"down"}',
      attempts: 5,
    });
    assert.deepEqual(
      seen.map((s) => JSON.parse(s.body.toString()).timestamp - start),
      [0, 1000, 3000, 7000, 10000],
    );
    assert.ok(log.warnings.some((w) => w.text.includes('500: {"errorMessage":"down"}')));
  });

  it('makes one attempt only with a retry duration of 0', async () => {
    respond = (_s, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    };
    const outcome = await deliver(streamWith({ RetryOptions: { DurationInSeconds: 0 } }, url), ['r']);
    assert.equal(seen.length, 1);
    assert.deepEqual(outcome, {
      kind: 'failed',
      errorCode: 'HttpEndpoint.InvalidResponseFromDestination',
      errorMessage:
        'The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue.',
      attempts: 1,
    });
  });

  it('treats a 200 with another request id as a failure', async () => {
    respond = (_s, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requestId: 'someone-else', timestamp: 1 }));
    };
    const outcome = await deliver(streamWith({ RetryOptions: { DurationInSeconds: 0 } }, url), ['r']);
    assert.equal(outcome.kind, 'failed');
    assert.equal(
      outcome.kind === 'failed' && outcome.errorCode,
      'HttpEndpoint.InvalidResponseFromDestination',
    );
  });

  it('fails an answer over 1 MiB as ResponseTooLarge', async () => {
    respond = (_s, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(1024 * 1024 + 1, 0x20));
    };
    const outcome = await deliver(streamWith({ RetryOptions: { DurationInSeconds: 0 } }, url), ['r']);
    assert.equal(outcome.kind === 'failed' && outcome.errorCode, 'HttpEndpoint.ResponseTooLarge');
  });

  it('fails an endpoint nobody listens on as ConnectionFailed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await deliver(
      streamWith({ RetryOptions: { DurationInSeconds: 0 } }, `http://127.0.0.1:${port}/`),
      ['r'],
    );
    assert.deepEqual(outcome, {
      kind: 'failed',
      errorCode: 'HttpEndpoint.ConnectionFailed',
      errorMessage:
        'Unable to connect to the destination endpoint. Contact the owner of the endpoint to resolve this issue.',
      attempts: 1,
    });
  });

  it("reads the access key from the secret's api_key when Secrets Manager is enabled", async () => {
    const secretArn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:endpoint-AbCdEf';
    const values: Record<string, string> = { [secretArn]: '{"api_key":"from-secret"}' };
    frontDoors.secretsmanager = {
      create: async () => '',
      update: async () => {},
      remove: async () => {},
      describe: () => undefined,
      observe: () => () => undefined,
      read: async (arn) => {
        const value = values[arn];
        if (value === undefined) throw new Error(`Secrets Manager can't find the specified secret.`);
        return value;
      },
    };
    const config = {
      SecretsManagerConfiguration: { Enabled: true, SecretARN: secretArn },
      RetryOptions: { DurationInSeconds: 0 },
    };
    const outcome = await deliver(streamWith(config, url, 'configured-key'), ['r']);
    assert.equal(outcome.kind, 'delivered');
    assert.equal(seen[0].headers['x-amz-firehose-access-key'], 'from-secret');

    values[secretArn] = 'not json';
    const bad = await deliver(streamWith(config, url), ['r']);
    assert.equal(bad.kind === 'failed' && bad.errorCode, 'HttpEndpoint.SecretsManagerAccessFailed');
    assert.equal(seen.length, 1, 'nothing is sent without the key');
  });

  it('stops waiting for a retry when the pipeline closes, without reporting a failure', async () => {
    respond = (_s, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{}');
    };
    const outcome = deliverToHttpEndpoint(streamWith({}, url), [Buffer.from('r')], deps);
    await until(() => scheduler.timers.length === 1);
    stopHttpEndpointDeliveries(deps);
    await assert.rejects(outcome, /the server is closing/);
    assert.equal(scheduler.isPending(scheduler.timers[0]), false, 'the retry is cancelled');
  });
});

describe('judgeResponse', () => {
  it('accepts application/json with parameters and needs a numeric timestamp', () => {
    const ok = JSON.stringify({ requestId: 'r1', timestamp: 5 });
    assert.equal(judgeResponse(200, 'application/json; charset=utf-8', ok, 'r1'), undefined);
    assert.equal(
      judgeResponse(200, 'application/json', JSON.stringify({ requestId: 'r1' }), 'r1')?.errorCode,
      'HttpEndpoint.InvalidResponseFromDestination',
    );
    assert.equal(
      judgeResponse(200, null, ok, 'r1')?.errorCode,
      'HttpEndpoint.InvalidResponseFromDestination',
    );
    assert.equal(
      judgeResponse(201, 'application/json', ok, 'r1')?.errorCode,
      'HttpEndpoint.DestinationException',
    );
  });
});
