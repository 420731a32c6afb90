// MSKAsSource end to end: records produced with KafkaJS to a topic of an MSK cluster made through
// the MSK API, read by a delivery stream and written to S3.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import {
  CreateClusterV2Command,
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  type KafkaClient,
} from '@aws-sdk/client-kafka';
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { mskClient, SUBNETS } from '../msk/helpers.js';
import { sdkRejects } from '../support/rejects.js';
import { advance, uniqueName } from '../support/tideway.js';
import { active, bucket, flushed, ROLE, withFirehoseServer } from './integrations-support.js';

describe('Firehose MSKAsSource', () => {
  const suite = withFirehoseServer();
  let msk: KafkaClient;
  let clusterArn: string;
  let kafka: Kafka;
  let producer: Producer;

  before(async () => {
    msk = mskClient(suite.server.endpoint);
    const created = await msk.send(
      new CreateClusterV2Command({
        ClusterName: uniqueName('fh-source'),
        Provisioned: {
          KafkaVersion: '3.6.0',
          NumberOfBrokerNodes: 3,
          BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: SUBNETS },
          EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT' } },
        },
      }),
    );
    clusterArn = created.ClusterArn!;
    for (let i = 0; i < 20; i++) {
      const { ClusterInfo } = await msk.send(new DescribeClusterV2Command({ ClusterArn: clusterArn }));
      if (ClusterInfo?.State === 'ACTIVE') break;
      await advance(suite.server, 60);
    }
    const { BootstrapBrokerString } = await msk.send(
      new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }),
    );
    kafka = new Kafka({ brokers: BootstrapBrokerString!.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect();
    msk?.destroy();
  });

  async function topic(partitions: number): Promise<string> {
    const name = uniqueName('orders').replace(/[^a-zA-Z0-9._-]/g, '-');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: name, numPartitions: partitions, replicationFactor: 3 }],
      });
    } finally {
      await admin.disconnect();
    }
    return name;
  }

  async function mskStream(topicName: string, bucketArn: string, readFrom?: Date): Promise<string> {
    const name = uniqueName('msk-stream');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'MSKAsSource',
        MSKSourceConfiguration: {
          MSKClusterARN: clusterArn,
          TopicName: topicName,
          AuthenticationConfiguration: { RoleARN: ROLE, Connectivity: 'PRIVATE' },
          ...(readFrom ? { ReadFromTimestamp: readFrom } : {}),
        },
        ExtendedS3DestinationConfiguration: {
          BucketARN: bucketArn,
          RoleARN: ROLE,
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'AppendDelimiterToRecord',
                Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }],
              },
            ],
          },
        },
      }),
    );
    return active(suite, name);
  }

  it('delivers every partition’s records from the epoch when ReadFromTimestamp says so, compressed or not', async () => {
    const name = await topic(3);
    const sent: string[] = [];
    for (let p = 0; p < 3; p++) {
      const values = [0, 1, 2, 3].map((n) => `p${p}-m${n}`);
      sent.push(...values);
      await producer.send({
        topic: name,
        compression: p === 1 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: values.map((value) => ({ value, partition: p })),
      });
    }
    const b = await bucket(suite.s3);
    const arn = await mskStream(name, b.arn, new Date(0));
    const described = await suite.firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: arn.split('/')[1] }),
    );
    const source = described.DeliveryStreamDescription?.Source?.MSKSourceDescription;
    assert.equal(source?.MSKClusterARN, clusterArn);
    assert.equal(source?.TopicName, name);
    assert.equal(source?.ReadFromTimestamp?.getTime(), 0);
    assert.ok(source?.DeliveryStartTimestamp instanceof Date);
    const landed = await flushed(suite, b.name);
    const lines = landed.flatMap((o) => o.body.toString('utf8').split('\n').filter(Boolean));
    assert.deepEqual(lines.sort(), sent.sort());
  });

  it('reads from the time the stream was created by default: earlier records stay behind', async () => {
    const name = await topic(1);
    await producer.send({ topic: name, messages: [{ value: 'before' }] });
    const b = await bucket(suite.s3);
    await advance(suite.server, 5);
    await mskStream(name, b.arn);
    await producer.send({ topic: name, messages: [{ value: 'after-1' }, { value: 'after-2' }] });
    const landed = await flushed(suite, b.name);
    assert.deepEqual(
      landed.flatMap((o) => o.body.toString('utf8').split('\n').filter(Boolean)),
      ['after-1', 'after-2'],
    );
  });

  it('refuses an MSK configuration on another stream type, and a missing one on MSKAsSource', async () => {
    const b = await bucket(suite.s3);
    const destination = { BucketARN: b.arn, RoleARN: ROLE };
    await sdkRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: uniqueName('bad'),
          DeliveryStreamType: 'MSKAsSource',
          ExtendedS3DestinationConfiguration: destination,
        }),
      ),
      'InvalidArgumentException',
      'MSKSourceConfiguration is required when DeliveryStreamType is MSKAsSource.',
    );
    await sdkRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: uniqueName('bad'),
          DeliveryStreamType: 'DirectPut',
          MSKSourceConfiguration: {
            MSKClusterARN: clusterArn,
            TopicName: 't',
            AuthenticationConfiguration: { RoleARN: ROLE, Connectivity: 'PRIVATE' },
          },
          ExtendedS3DestinationConfiguration: destination,
        }),
      ),
      'InvalidArgumentException',
      'MSKSourceConfiguration is only allowed when DeliveryStreamType is MSKAsSource.',
    );
  });
});
