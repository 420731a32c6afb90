import assert from 'node:assert/strict';
import {
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { start } from '../../src/index.js';
import type { RunningTideway } from '../../src/server/tideway.js';
import { scratchDataDir, testEngine } from './engine.js';

export type { RunningTideway };
export { testEngine };

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Starts an in-process Tideway on a free port, on the engine of this run: with `data-dir`,
 * each server gets a fresh folder of its own, removed when it stops. A test that passes its
 * own `dataDir` keeps it.
 */
export async function startServer(options: Parameters<typeof start>[0] = {}): Promise<RunningTideway> {
  if (testEngine === 'memory' || options.dataDir !== undefined) {
    return start({ port: 0, logLevel: 'silent', ...options });
  }
  const { dataDir, remove: removeDir } = scratchDataDir();
  let server: RunningTideway;
  try {
    server = await start({ port: 0, logLevel: 'silent', ...options, dataDir });
  } catch (err) {
    removeDir();
    throw err;
  }
  const stop = server.stop.bind(server);
  server.stop = async () => {
    try {
      await stop();
    } finally {
      removeDir();
    }
  };
  return server;
}

export type SqsProtocol = 'json' | 'query';

/** An SDK v3 SQS client for either wire protocol (the query protocol as older SDKs speak it). */
export function sqsClient(
  endpoint: string,
  protocol: SqsProtocol = 'json',
  extra: Partial<SQSClientConfig> = {},
): SQSClient {
  const config: SQSClientConfig = { endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra };
  if (protocol === 'query') {
    return new SQSClient({
      ...config,
      protocol: AwsQueryProtocol,
      protocolSettings: {
        defaultNamespace: 'com.amazonaws.sqs',
        xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
        version: '2012-11-05',
      },
    } as SQSClientConfig);
  }
  return new SQSClient(config);
}

/** Moves the server's clock forward through the admin API, as a user's test would. */
export async function advance(server: RunningTideway, seconds: number): Promise<void> {
  const res = await fetch(`${server.endpoint}/_tideway/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (res.status !== 200) throw new Error(`clock advance failed: ${res.status} ${await res.text()}`);
}

/** The server's clock (epoch milliseconds), read through the admin API. */
export async function serverNow(server: RunningTideway): Promise<number> {
  const res = await fetch(`${server.endpoint}/_tideway/clock`);
  if (res.status !== 200) throw new Error(`clock read failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { now: number }).now;
}

let counter = 0;
export function uniqueName(prefix = 'q'): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** Runs `fn` and returns the error it throws (failing when it does not). */
export async function errorOf(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** One ReceiveMessage call; an empty answer comes back as []. */
export async function receive(
  sqs: SQSClient,
  url: string,
  input: Omit<ReceiveMessageCommandInput, 'QueueUrl'> = {},
): Promise<Message[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ...input }));
  return Messages ?? [];
}

export interface ExpectedError {
  /** What the SDK reports as `err.name`: the modeled shape name, else the awsQuery code. */
  name?: string;
  /** The awsQuery code (`x-amzn-query-error` over JSON, `<Code>` over query), as `err.Code`. */
  code: string;
  /** 400 unless given. */
  status?: number;
  /** Exact text, or a pattern where AWS's exact wording is not on record. */
  message?: string | RegExp;
}

/** Checks an SDK error against what AWS answers: name, query code, HTTP status, fault and text. */
export function assertAwsError(error: unknown, expected: ExpectedError): void {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  const err = error as any;
  const status = expected.status ?? 400;
  const seen = `${err.name} / ${err.Code} / ${err.$metadata?.httpStatusCode}: ${err.message}`;
  assert.equal(err.name, expected.name ?? expected.code, `error name (${seen})`);
  assert.equal(err.Code, expected.code, `awsQuery error code (${seen})`);
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status (${seen})`);
  assert.equal(err.$fault, status >= 500 ? 'server' : 'client', 'fault');
  if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
  else if (expected.message) assert.match(err.message, expected.message);
}
