import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  type CreateDeliveryStreamInput,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  type ProcessingConfiguration,
} from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { advance, credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/firehose-delivery`;

export interface IntegrationSuite {
  server: RunningTideway;
  firehose: FirehoseClient;
  s3: S3Client;
}

/** A server with Firehose and S3 clients (path-style: `<bucket>.localhost` does not resolve everywhere). */
export function withFirehoseServer(): IntegrationSuite {
  const suite = {} as IntegrationSuite;
  before(async () => {
    suite.server = await startServer();
    const config = { endpoint: suite.server.endpoint, region: REGION, credentials, maxAttempts: 1 };
    suite.firehose = new FirehoseClient(config);
    suite.s3 = new S3Client({ ...config, forcePathStyle: true });
  });
  after(async () => {
    suite.firehose?.destroy();
    suite.s3?.destroy();
    await suite.server?.stop();
  });
  return suite;
}

export async function bucket(s3: S3Client): Promise<{ name: string; arn: string }> {
  const name = uniqueName('fh').toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return { name, arn: `arn:aws:s3:::${name}` };
}

/** Waits (moving the clock) until the delivery stream is ACTIVE. */
export async function active(suite: IntegrationSuite, name: string): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const { DeliveryStreamDescription: d } = await suite.firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }),
    );
    if (d?.DeliveryStreamStatus === 'ACTIVE') return d.DeliveryStreamARN!;
    await advance(suite.server, 5);
  }
  assert.fail(`${name} never became ACTIVE`);
}

/** A delivery stream to an S3 bucket that flushes after 60 s of clock time (or 1 MiB). */
export async function streamToBucket(
  suite: IntegrationSuite,
  bucketArn: string,
  options: { processing?: ProcessingConfiguration; source?: Partial<CreateDeliveryStreamInput> } = {},
): Promise<{ name: string; arn: string }> {
  const name = uniqueName('stream');
  await suite.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      ...options.source,
      ExtendedS3DestinationConfiguration: {
        BucketARN: bucketArn,
        RoleARN: ROLE,
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        ProcessingConfiguration: options.processing,
      },
    }),
  );
  return { name, arn: await active(suite, name) };
}

export const appendNewline: ProcessingConfiguration = {
  Enabled: true,
  Processors: [
    { Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }] },
  ],
};

/** Every object of the bucket with its body, by key. */
export async function objects(s3: S3Client, name: string): Promise<Array<{ key: string; body: Buffer }>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: name }));
  const found: Array<{ key: string; body: Buffer }> = [];
  for (const o of listed.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: name, Key: o.Key }));
    found.push({ key: o.Key!, body: Buffer.from(await got.Body!.transformToByteArray()) });
  }
  return found;
}

/** Moves the clock past the buffering interval, then waits (real time) for `count` objects to land. */
export async function flushed(
  suite: IntegrationSuite,
  bucketName: string,
  count = 1,
  seconds = 61,
): Promise<Array<{ key: string; body: Buffer }>> {
  await advance(suite.server, seconds);
  for (let i = 0; i < 200; i++) {
    const found = await objects(suite.s3, bucketName);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`expected ${count} objects in ${bucketName}`);
}

/** The server's runtime hints (what `tideway doctor` reads). */
export async function hints(
  server: RunningTideway,
): Promise<Array<{ kind: string; resource: string; count: number }>> {
  const res = await fetch(`${server.endpoint}/_tideway/doctor/hints`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { hints: Array<{ kind: string; resource: string; count: number }> };
  return body.hints;
}
