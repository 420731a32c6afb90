import { FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../support/kinesis.js';
import { sdkRejects } from '../support/rejects.js';
import { withClientServer } from '../support/suite.js';
import { credentials, uniqueName } from '../support/tideway.js';

/** An SDK v3 Firehose client for the server at `endpoint`, acting in the account of `accessKeyId`. */
export function firehoseClient(endpoint: string, accessKeyId = credentials.accessKeyId): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region: 'us-east-1',
    credentials: { ...credentials, accessKeyId },
    maxAttempts: 1,
  });
}

/** The SDK error a call fails with, checked for its name, HTTP 400 and (when given) its text. */
export async function firehoseRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): Promise<Error> {
  const err = await sdkRejects(call, code, message);
  if (err.$metadata?.httpStatusCode !== 400) {
    throw new Error(`expected HTTP 400 for ${code}, got ${err.$metadata?.httpStatusCode}`);
  }
  return err;
}

export function withFirehoseServer() {
  return withClientServer('firehose', (endpoint) => firehoseClient(endpoint));
}

export const ROLE = 'arn:aws:iam::000000000000:role/firehose-role';
export const BUCKET = 'arn:aws:s3:::firehose-bucket';

/** A Kinesis stream of the account to read from, made through the Kinesis API; answers its ARN. */
export async function kinesisSourceStream(
  endpoint: string,
  accessKeyId = credentials.accessKeyId,
): Promise<string> {
  const kinesis = kinesisClient(endpoint, accessKeyId);
  try {
    const name = uniqueName('src');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    return StreamDescriptionSummary!.StreamARN!;
  } finally {
    kinesis.destroy();
  }
}
