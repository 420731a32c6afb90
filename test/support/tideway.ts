import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { start } from '../../src/index.js';
import type { RunningTideway } from '../../src/server/tideway.js';

export type { RunningTideway };

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Starts an in-process Tideway on a free port. */
export async function startServer(options: Parameters<typeof start>[0] = {}): Promise<RunningTideway> {
  return start({ port: 0, logLevel: 'silent', ...options });
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
