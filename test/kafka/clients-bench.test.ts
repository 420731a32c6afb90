import assert from 'node:assert/strict';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { partitionsOf, recordCount, startNullBroker } from '../../bench/lib/kafka-null-broker.js';
import { pushBytes, startTcpSink } from '../../bench/lib/kafka-tcp-sink.js';
import { kcatMetadata, kcatProduce } from '../support/kafka-tools.js';

// The Kafka bench's yardsticks: a null broker that kcat cannot talk to, or a sink that miscounts,
// would make `npm run bench -- kafka` fail or, worse, report a wrong ceiling.
describe('the Kafka bench: null broker and TCP sink', () => {
  let broker: Server;
  let sink: Server;
  const portOf = (server: Server) => (server.address() as AddressInfo).port;

  before(async () => {
    broker = await startNullBroker(0);
    sink = await startTcpSink(0);
  });
  after(() => {
    broker.close();
    sink.close();
  });

  it('reads the partition count from the topic name and counts records in batches', () => {
    assert.equal(partitionsOf('bench-3-p8'), 8);
    assert.equal(partitionsOf('bench-3'), 1);
    // Two batch headers: lastOffsetDelta 4 and 0, each with a batch length covering 49 bytes.
    const batch = (lastOffsetDelta: number) => {
      const bytes = Buffer.alloc(61);
      bytes.writeInt32BE(49, 8);
      bytes.writeInt32BE(lastOffsetDelta, 23);
      return bytes;
    };
    assert.equal(recordCount(Buffer.concat([batch(4), batch(0)])), 6);
    assert.equal(recordCount(null), 0);
  });

  it('takes kcat produce on the partitions its name gives', async () => {
    const bootstrap = `127.0.0.1:${portOf(broker)}`;
    const metadata = await kcatMetadata(bootstrap, 'null-p3');
    assert.equal(metadata.topics[0].partitions.length, 3);
    await kcatProduce(
      bootstrap,
      'null-p3',
      Array.from({ length: 500 }, (_, i) => ({ value: `m${i}` })),
      { compression: 'lz4' },
    );
  });

  it('counts every byte the TCP sink receives', async () => {
    const figure = await pushBytes(portOf(sink), 200);
    assert.ok(figure.bytes > 0);
    assert.equal(figure.bytes % (256 * 1024), 0, 'whole chunks only');
  });
});
