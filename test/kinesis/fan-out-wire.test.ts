import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { Decoder, Encoder } from 'cbor-x';
import { postKinesis, withKinesisServer } from '../support/kinesis.js';
import { type RunningTideway, uniqueName } from '../support/tideway.js';

// SubscribeToShard on the wire: an application/vnd.amazon.eventstream body of binary messages
// (AWS event stream encoding: prelude, headers, payload, CRCs). The first message is the
// `initial-response` event, then one `SubscribeToShardEvent` per push; at the end of a closed
// shard the last event names its children and the body ends. A Java SDK client sends CBOR and
// gets each event's payload in CBOR (blobs as byte strings); a JSON client gets JSON.

const codec = new EventStreamCodec(toUtf8, fromUtf8);

interface WireMessage {
  headers: Record<string, unknown>;
  body: Uint8Array;
}

async function post(
  endpoint: string,
  contentType: string,
  body: Buffer,
): Promise<{ status: number; type?: string; messages: WireMessage[] }> {
  const {
    status,
    contentType: type,
    raw,
  } = await postKinesis(endpoint, 'SubscribeToShard', contentType, body);
  const messages: WireMessage[] = [];
  // Each message starts with its total length; the codec decodes one whole message at a time.
  for (let at = 0; status === 200 && at < raw.length; ) {
    const length = raw.readUInt32BE(at);
    const m = codec.decode(raw.subarray(at, at + length));
    messages.push({
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.value])),
      body: m.body,
    });
    at += length;
  }
  return { status, type, messages };
}

describe('SubscribeToShard on the wire', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  /** A one-shard stream holding one record, split so that its only shard is closed. */
  async function closedShard(): Promise<string> {
    const name = uniqueName('wire');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: Buffer.from('hello'), PartitionKey: 'k' }),
    );
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: '1',
      }),
    );
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const { Consumer } = await kinesis.send(
      new RegisterStreamConsumerCommand({
        StreamARN: summary.StreamDescriptionSummary!.StreamARN!,
        ConsumerName: 'wire',
      }),
    );
    return Consumer!.ConsumerARN!;
  }

  const request = (consumerArn: string) => ({
    ConsumerARN: consumerArn,
    ShardId: 'shardId-000000000000',
    StartingPosition: { Type: 'TRIM_HORIZON' },
  });

  it('answers JSON clients with JSON events after an initial-response', async () => {
    const consumerArn = await closedShard();
    const res = await post(
      server.endpoint,
      'application/x-amz-json-1.1',
      Buffer.from(JSON.stringify(request(consumerArn))),
    );
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/vnd.amazon.eventstream');
    assert.deepEqual(
      res.messages.map((m) => [
        m.headers[':message-type'],
        m.headers[':event-type'],
        m.headers[':content-type'],
      ]),
      [
        ['event', 'initial-response', 'application/json'],
        ['event', 'SubscribeToShardEvent', 'application/json'],
      ],
    );
    assert.deepEqual(JSON.parse(Buffer.from(res.messages[0].body).toString()), {});
    const event = JSON.parse(Buffer.from(res.messages[1].body).toString());
    assert.equal(Buffer.from(event.Records[0].Data, 'base64').toString(), 'hello');
    assert.equal(typeof event.Records[0].ApproximateArrivalTimestamp, 'number');
    assert.deepEqual(
      event.ChildShards.map((c: { ShardId: string }) => c.ShardId),
      ['shardId-000000000001', 'shardId-000000000002'],
    );
    assert.equal(event.ContinuationSequenceNumber, undefined);
  });

  it('answers CBOR clients (the Java SDK) with CBOR events', async () => {
    const consumerArn = await closedShard();
    const body = new Encoder({ useRecords: false }).encode(request(consumerArn));
    const res = await post(server.endpoint, 'application/x-amz-cbor-1.1', body);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.messages.map((m) => [m.headers[':event-type'], m.headers[':content-type']]),
      [
        ['initial-response', 'application/x-amz-cbor-1.1'],
        ['SubscribeToShardEvent', 'application/x-amz-cbor-1.1'],
      ],
    );
    const event = new Decoder({
      mapsAsObjects: true,
      useRecords: false,
      // Timestamps are tag 1 over 64-bit epoch milliseconds (an option cbor-x's types lack).
      int64AsNumber: true,
    } as ConstructorParameters<typeof Decoder>[0]).decode(res.messages[1].body);
    assert.equal(Buffer.from(event.Records[0].Data).toString(), 'hello');
    assert.equal(event.ChildShards.length, 2);
  });

  it('answers a refused subscription with a plain error, not a stream', async () => {
    const res = await post(
      server.endpoint,
      'application/x-amz-json-1.1',
      Buffer.from(JSON.stringify(request('arn:aws:kinesis:us-east-1:000000000000:stream/none/consumer/x:1'))),
    );
    assert.equal(res.status, 400);
  });
});
