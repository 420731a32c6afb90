import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  type ProcessingConfiguration,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { runDoctor } from '../../src/knowhow/doctor.js';
import { fetchInventory, type LiveInventory } from '../../src/knowhow/live/inventory.js';
import { describeResource } from '../../src/knowhow/mcp/live-view.js';
import type { DeliveryStream } from '../../src/knowhow/model.js';
import { kinesisSourceStream } from '../firehose/api-helpers.js';
import { advance, credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// `tideway doctor` sees the running delivery streams as it sees a template's: their Kinesis
// source and their destination's record processing, so the Firehose rules judge live streams.

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/firehose-delivery`;
const BUCKET = 'arn:aws:s3:::doctor-firehose-bucket';
const APPEND_NEWLINE: ProcessingConfiguration = {
  Enabled: true,
  Processors: [
    { Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }] },
  ],
};

function firehoseIn(server: RunningTideway, region = 'us-east-1'): FirehoseClient {
  return new FirehoseClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
}

async function createStream(
  server: RunningTideway,
  firehose: FirehoseClient,
  options: { processing?: ProcessingConfiguration; source?: string } = {},
): Promise<{ name: string; arn: string }> {
  const name = uniqueName('doctor-fh');
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ...(options.source
        ? {
            DeliveryStreamType: 'KinesisStreamAsSource',
            KinesisStreamSourceConfiguration: { KinesisStreamARN: options.source, RoleARN: ROLE },
          }
        : { DeliveryStreamType: 'DirectPut' }),
      ExtendedS3DestinationConfiguration: {
        BucketARN: BUCKET,
        RoleARN: ROLE,
        ProcessingConfiguration: options.processing,
      },
    }),
  );
  for (let i = 0; i < 20; i++) {
    const { DeliveryStreamDescription: d } = await firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }),
    );
    if (d?.DeliveryStreamStatus === 'ACTIVE') return { name, arn: d.DeliveryStreamARN! };
    await advance(server, 5);
  }
  assert.fail(`${name} never became ACTIVE`);
}

function streamIn(inventory: LiveInventory, arn: string): { scope: string; stream: DeliveryStream }[] {
  return inventory.scopes.flatMap((s) =>
    s.model.deliveryStreams
      .filter((d) => d.arn === arn)
      .map((stream) => ({ scope: `${s.account}/${s.region}`, stream })),
  );
}

describe('doctor inventory of Firehose delivery streams', () => {
  let server: RunningTideway;
  let firehose: FirehoseClient;
  before(async () => {
    server = await startServer();
    firehose = firehoseIn(server);
  });
  after(async () => {
    firehose?.destroy();
    await server?.stop();
  });

  it('lists each stream in its scope with its destination, processors and source', async () => {
    const appending = await createStream(server, firehose, { processing: APPEND_NEWLINE });
    const source = await kinesisSourceStream(server.endpoint);
    const reading = await createStream(server, firehose, { source });
    const ireland = firehoseIn(server, 'eu-west-1');
    const elsewhere = await createStream(server, ireland);
    ireland.destroy();

    const inventory = await fetchInventory(server.endpoint);
    const [found] = streamIn(inventory, appending.arn);
    assert.equal(found.scope, `${ACCOUNT}/us-east-1`);
    assert.equal(found.stream.type, 'AWS::KinesisFirehose::DeliveryStream');
    assert.equal(found.stream.id, appending.arn);
    assert.equal(found.stream.name, appending.name);
    assert.equal(found.stream.origin.file, `tideway://${ACCOUNT}/us-east-1`);
    assert.deepEqual(found.stream.processors, ['AppendDelimiterToRecord']);
    assert.equal(found.stream.processingEnabled, true);
    assert.equal(found.stream.source, undefined);
    assert.equal(found.stream.attributes?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(found.stream.attributes?.DeliveryStreamType, 'DirectPut');
    assert.equal(found.stream.attributes?.VersionId, '1');
    assert.equal(found.stream.attributes?.Destination, 'ExtendedS3');
    assert.equal(found.stream.attributes?.DestinationTarget, BUCKET);
    assert.equal(found.stream.attributes?.DestinationId, 'destinationId-000000000001');
    assert.equal(found.stream.attributes?.ProcessingEnabled, 'true');

    const [kinesisFed] = streamIn(inventory, reading.arn);
    assert.equal(kinesisFed.stream.source, source);
    assert.equal(kinesisFed.stream.attributes?.DeliveryStreamType, 'KinesisStreamAsSource');
    assert.equal(kinesisFed.stream.attributes?.KinesisStreamARN, source);
    assert.deepEqual(kinesisFed.stream.processors, []);
    assert.equal(kinesisFed.stream.processingEnabled, false);
    // The source stream knows who reads it.
    const described = describeResource(inventory, source);
    assert.ok(
      described?.related.some((r) => r.relation === 'read-by-delivery-stream' && r.arn === reading.arn),
      JSON.stringify(described?.related),
    );

    assert.deepEqual(
      streamIn(inventory, elsewhere.arn).map((s) => s.scope),
      [`${ACCOUNT}/eu-west-1`],
    );
    const only = await fetchInventory(server.endpoint, { region: 'eu-west-1' });
    assert.deepEqual(streamIn(only, appending.arn), []);
  });

  it('follows UpdateDestination and DeleteDeliveryStream', async () => {
    const stream = await createStream(server, firehose, { processing: APPEND_NEWLINE });
    await firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: stream.name,
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000001',
        ExtendedS3DestinationUpdate: { ProcessingConfiguration: { Enabled: false, Processors: [] } },
      }),
    );
    const [updated] = streamIn(await fetchInventory(server.endpoint), stream.arn);
    assert.equal(updated.stream.attributes?.VersionId, '2');
    assert.equal(updated.stream.processingEnabled, false);
    assert.deepEqual(updated.stream.processors, []);
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: stream.name }));
    assert.deepEqual(streamIn(await fetchInventory(server.endpoint), stream.arn), []);
  });

  it('flags an SNS firehose subscription into a stream that appends a second newline, not one into a plain stream', async () => {
    const sns = new SNSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      const appending = await createStream(server, firehose, { processing: APPEND_NEWLINE });
      const plain = await createStream(server, firehose);
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('doctor-topic') }));
      const subscribe = async (Endpoint: string) =>
        (
          await sns.send(
            new SubscribeCommand({
              TopicArn,
              Protocol: 'firehose',
              Endpoint,
              Attributes: { SubscriptionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sns-to-firehose` },
              ReturnSubscriptionArn: true,
            }),
          )
        ).SubscriptionArn!;
      const doubled = await subscribe(appending.arn);
      const single = await subscribe(plain.arn);
      const { findings } = await runDoctor({ endpoint: server.endpoint });
      const rule = findings.filter((f) => f.rule === 'sns-firehose-double-newline');
      const onDoubled = rule.filter((f) => f.resource === doubled);
      assert.equal(onDoubled.length, 1, JSON.stringify(rule));
      assert.match(onDoubled[0].message, new RegExp(appending.name));
      assert.match(onDoubled[0].message, /AppendDelimiterToRecord/);
      assert.deepEqual(
        rule.filter((f) => f.resource === single || f.message.includes(plain.name)),
        [],
      );
    } finally {
      sns.destroy();
    }
  });
});

describe('doctor inventory of Firehose after a restart', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-doctor-firehose-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists the stored streams before any Firehose request', async () => {
    const first = await startServer({ dataDir: dir });
    let arn: string;
    try {
      const client = firehoseIn(first);
      arn = (await createStream(first, client, { processing: APPEND_NEWLINE })).arn;
      client.destroy();
    } finally {
      await first.stop();
    }
    const second = await startServer({ dataDir: dir });
    try {
      const [found] = streamIn(await fetchInventory(second.endpoint), arn);
      assert.equal(found?.scope, `${ACCOUNT}/us-east-1`);
      assert.deepEqual(found.stream.processors, ['AppendDelimiterToRecord']);
      assert.equal(found.stream.processingEnabled, true);
    } finally {
      await second.stop();
    }
  });
});
