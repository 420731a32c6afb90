// `npm run bench -- firehose`: PutRecordBatch (500 × 1 KiB) records/s and server CPU per record
// against Tideway's own Kinesis PutRecords (500 × 1 KiB) in the same server and run (target: at
// least 0.8×), and the delay from a put to its object in S3 when a 1 MiB buffer fills.
import { Pool } from 'undici';
import { spawnNode } from './lib/children.js';
import { loadConfig } from './lib/config.js';
import { S3Wire, waitFor } from './lib/firehose-s3.js';
import { AwsJsonWire } from './lib/json-wire.js';
import { KinesisWire } from './lib/kinesis-wire.js';
import { drive, forDuration, Recorder } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { fixed, int, ratio, table } from './lib/markdown.js';
import { freePort, HOST, waitForAnswer } from './lib/net.js';
import { cpuMicros } from './lib/proc.js';
import { type SignedHeaders, signOnce } from './lib/sigv4.js';

const BATCH = 500;
const RECORD_BYTES = 1024;
const ROLE = 'arn:aws:iam::000000000000:role/bench-firehose';
const TARGET_RATIO = 0.8;
/** Size-triggered flushes timed in the latency phase. */
const LATENCY_SAMPLES = 7;

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

class FirehoseWire extends AwsJsonWire {
  constructor(origin: string, auth: SignedHeaders, connections: number) {
    super(origin, auth, connections, {
      contentType: 'application/x-amz-json-1.1',
      targetPrefix: 'Firehose_20150804',
    });
  }
}

interface PhaseResult {
  records: number;
  recordsPerSecond: number;
  cpuMicrosPerRecord: number;
  p99Ms: number;
  errors: number;
  firstError?: string;
}

async function startTideway() {
  const port = await freePort();
  const child = spawnNode('Tideway', [
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    'dist/src/cli/main.js',
    '--port',
    String(port),
    '--host',
    HOST,
    '--log-level',
    'silent',
  ]);
  try {
    await waitForAnswer(child, port, '/_tideway/health', (status) => status === 200);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, origin: `http://${HOST}:${port}`, host: `${HOST}:${port}` };
}

/** One 1 KiB payload, base64 as awsJson carries blobs; every record of a batch is the same size. */
function payload(): string {
  const bytes = Buffer.alloc(RECORD_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 97 + (i % 26);
  bytes[bytes.length - 1] = 10;
  return bytes.toString('base64');
}

/** A delivery stream to the bucket, waited on until ACTIVE. */
async function deliveryStream(
  firehose: FirehoseWire,
  name: string,
  bucketArn: string,
  buffering: { SizeInMBs: number; IntervalInSeconds: number },
): Promise<void> {
  await firehose.call('CreateDeliveryStream', {
    DeliveryStreamName: name,
    DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: {
      BucketARN: bucketArn,
      RoleARN: ROLE,
      BufferingHints: buffering,
      Prefix: `${name}/`,
      ErrorOutputPrefix: `${name}-errors/`,
    },
  });
  await waitFor(`${name} ACTIVE`, async () => {
    const { DeliveryStreamDescription } = await firehose.call('DescribeDeliveryStream', {
      DeliveryStreamName: name,
    });
    return DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE';
  });
}

async function measure(
  pid: number,
  concurrency: number,
  ms: number,
  call: () => Promise<number>,
): Promise<PhaseResult> {
  const recorder = new Recorder();
  let records = 0;
  const before = cpuMicros(pid);
  const elapsed = await drive(
    concurrency,
    forDuration(ms),
    async () => {
      // Not `records += await …`: that reads `records` before the call and writes it back after,
      // so what the other calls in flight added meanwhile was lost (most of it, at 16 in flight).
      const taken = await recorder.time(call);
      records += taken;
    },
    recorder,
  );
  const cpu = cpuMicros(pid) - before;
  return {
    records,
    recordsPerSecond: (records * 1000) / elapsed,
    cpuMicrosPerRecord: cpu / Math.max(1, records),
    p99Ms: recorder.ms(99),
    errors: recorder.errors,
    firstError: recorder.firstError,
  };
}

/**
 * Times size-triggered flushes: each sample is a fresh stream with a 1 MiB buffer (interval 900 s,
 * so only size flushes), filled by 500 × 1 KiB batches; the delay runs from the start of the put
 * that fills the buffer (the third: 1,500 KiB) to the object being listed in S3. Should the
 * pipeline count a batch as larger than its records and flush at the second, the delay is taken
 * from that one instead.
 */
async function flushDelays(
  firehose: FirehoseWire,
  s3: S3Wire,
  bucket: string,
  bucketArn: string,
): Promise<number[]> {
  const data = payload();
  const delays: number[] = [];
  for (let sample = 0; sample < LATENCY_SAMPLES; sample++) {
    const name = `bench-latency-${sample}`;
    await deliveryStream(firehose, name, bucketArn, { SizeInMBs: 1, IntervalInSeconds: 900 });
    const body = JSON.stringify({
      DeliveryStreamName: name,
      Records: Array.from({ length: BATCH }, () => ({ Data: data })),
    });
    const put = async () => {
      const out = await firehose.call('PutRecordBatch', body);
      if (out.FailedPutCount !== 0)
        throw new Error(`PutRecordBatch: ${JSON.stringify(out.RequestResponses[0])}`);
    };
    await put();
    let start = performance.now();
    await put();
    if ((await s3.count(bucket, `${name}/`)) === 0) {
      start = performance.now();
      await put();
    }
    await waitFor(`the object of ${name}`, async () => (await s3.count(bucket, `${name}/`)) >= 1, 1);
    delays.push(performance.now() - start);
  }
  return delays;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function runFirehoseBench(): Promise<void> {
  const config = loadConfig();
  const machine = describeMachine();
  progress(
    `Firehose PutRecordBatch vs Kinesis PutRecords, ${BATCH} × ${RECORD_BYTES} B, ${config.concurrency} in flight, ${machine.cpus} × ${machine.model}`,
  );
  const server = await startTideway();
  const auth = (service: string, target?: string) =>
    signOnce({ host: server.host, body: '{}', target, service, contentType: 'application/x-amz-json-1.1' });
  const firehose = new FirehoseWire(
    server.origin,
    auth('firehose', 'Firehose_20150804.PutRecordBatch'),
    config.concurrency,
  );
  const kinesis = new KinesisWire(
    server.origin,
    auth('kinesis', 'Kinesis_20131202.PutRecords'),
    config.concurrency,
  );
  const s3 = new S3Wire(
    new Pool(server.origin, { connections: 2 }),
    signOnce({ host: server.host, body: '', service: 's3' }),
  );
  try {
    const bucket = 'bench-firehose';
    await s3.createBucket(bucket);
    const bucketArn = `arn:aws:s3:::${bucket}`;
    await deliveryStream(firehose, 'bench-throughput', bucketArn, { SizeInMBs: 64, IntervalInSeconds: 60 });
    await kinesis.call('CreateStream', { StreamName: 'bench-kinesis', ShardCount: 8 });
    await waitFor('Kinesis stream ACTIVE', async () => {
      const { StreamDescriptionSummary } = await kinesis.call('DescribeStreamSummary', {
        StreamName: 'bench-kinesis',
      });
      return StreamDescriptionSummary.StreamStatus === 'ACTIVE';
    });

    const data = payload();
    const firehoseBody = JSON.stringify({
      DeliveryStreamName: 'bench-throughput',
      Records: Array.from({ length: BATCH }, () => ({ Data: data })),
    });
    const kinesisBody = JSON.stringify({
      StreamName: 'bench-kinesis',
      Records: Array.from({ length: BATCH }, (_, i) => ({ Data: data, PartitionKey: `key-${i}` })),
    });
    const putBatch = async () => {
      const out = await firehose.call('PutRecordBatch', firehoseBody);
      if (out.FailedPutCount !== 0)
        throw new Error(`PutRecordBatch: ${JSON.stringify(out.RequestResponses[0])}`);
      return BATCH;
    };
    const putRecords = async () => {
      const out = await kinesis.call('PutRecords', kinesisBody);
      if (out.FailedRecordCount) throw new Error(`PutRecords: ${JSON.stringify(out.Records[0])}`);
      return BATCH;
    };

    progress('warming up');
    await measure(server.child.pid, config.concurrency, config.warmMs, putBatch);
    await measure(server.child.pid, config.concurrency, config.warmMs, putRecords);
    // Interleaved rounds, each side reporting its median: the machine's speed drifts over minutes.
    const runs: { firehose: PhaseResult[]; kinesis: PhaseResult[] } = { firehose: [], kinesis: [] };
    for (let round = 1; round <= config.rounds; round++) {
      const f = await measure(server.child.pid, config.concurrency, config.batchMs, putBatch);
      const k = await measure(server.child.pid, config.concurrency, config.batchMs, putRecords);
      progress(
        `round ${round}/${config.rounds}: Firehose ${int(f.recordsPerSecond)} records/s (${fixed(f.cpuMicrosPerRecord, 2)} µs CPU), Kinesis ${int(k.recordsPerSecond)} records/s (${fixed(k.cpuMicrosPerRecord, 2)} µs CPU)`,
      );
      runs.firehose.push(f);
      runs.kinesis.push(k);
    }
    const pick = (list: PhaseResult[]) =>
      [...list].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)[Math.floor(list.length / 2)];
    const f = pick(runs.firehose);
    const k = pick(runs.kinesis);

    progress('flush delay at a 1 MiB buffer');
    const delays = await flushDelays(firehose, s3, bucket, bucketArn);

    const row = (label: string, r: PhaseResult) => [
      label,
      int(r.recordsPerSecond),
      fixed(r.cpuMicrosPerRecord, 2),
      fixed(r.p99Ms, 2),
      `${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`,
    ];
    process.stdout.write(
      `${table(
        ['500 × 1 KiB per call', 'Records/s', 'Server CPU µs/record', 'p99 ms per call', 'Errors'],
        [row('Firehose PutRecordBatch', f), row('Kinesis PutRecords', k)],
      )}\n`,
    );
    const share = f.recordsPerSecond / k.recordsPerSecond;
    const verdict = share >= TARGET_RATIO ? 'holds' : 'FAILS';
    process.stdout.write(
      `\nFirehose takes ${ratio(share)} Kinesis's records/s: the at-least-${TARGET_RATIO}× target ${verdict}.\n`,
    );
    process.stdout.write(
      `Put to object at a 1 MiB buffer (size-triggered flush, ${delays.length} flushes): median ${fixed(median(delays), 1)} ms, max ${fixed(Math.max(...delays), 1)} ms.\n`,
    );
    if (share < TARGET_RATIO || f.errors > 0 || k.errors > 0) process.exitCode = 1;
  } finally {
    await firehose.close();
    await kinesis.close();
    await s3.close();
    await server.child.stop();
  }
}
