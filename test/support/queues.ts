import type { SQSClient } from '@aws-sdk/client-sqs';
import { assertAwsError, type RunningTideway, type SqsProtocol, sqsClient } from './tideway.js';

/** The default account: any access key id that is not itself a 12-digit account id maps here. */
export const DEFAULT_ACCOUNT = '000000000000';
/** A second account, selected by using its id as the access key id. */
export const OTHER_ACCOUNT = '111122223333';

export interface ClientOptions {
  accessKeyId?: string;
  region?: string;
  /** Overrides the server's endpoint (e.g. to reach it through another host name). */
  endpoint?: string;
}

/** An SDK client for one protocol, with a chosen access key (hence account) and region. */
export function client(
  server: RunningTideway,
  protocol: SqsProtocol,
  options: ClientOptions = {},
): SQSClient {
  const extra: Parameters<typeof sqsClient>[2] = {};
  if (options.accessKeyId) extra.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: 'test' };
  if (options.region) extra.region = options.region;
  return sqsClient(options.endpoint ?? server.endpoint, protocol, extra);
}

/**
 * QueueDoesNotExist as AWS answers it: the JSON protocol carries the legacy code in
 * x-amzn-query-error; the XML text differs ("... for this wsdl version.").
 */
export function assertQueueDoesNotExist(err: any, protocol: SqsProtocol): void {
  assertAwsError(err, {
    name: 'QueueDoesNotExist',
    code: 'AWS.SimpleQueueService.NonExistentQueue',
    message:
      protocol === 'json'
        ? 'The specified queue does not exist.'
        : 'The specified queue does not exist for this wsdl version.',
  });
}

/** The server's clock (which advance() moves), in whole epoch seconds as SQS timestamps are. */
export async function serverNowSeconds(server: RunningTideway): Promise<number> {
  const res = await fetch(`${server.endpoint}/_tideway/clock`);
  const body = (await res.json()) as { now: number };
  return Math.floor(body.now / 1000);
}

/** The ARN AWS gives a queue (QueueArn attribute). */
export function queueArn(name: string, account = DEFAULT_ACCOUNT, region = 'us-east-1'): string {
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

export { assertAwsError, type ExpectedError } from './tideway.js';
