// `npm run bench -- kafka`: kcat as the load generator against Tideway's default Kafka cluster and,
// side by side in the same run, against a null broker in Node (the ceiling of a Node broker on
// this machine), on 1 and 8 partitions with 100-byte and 1 KiB messages: produce MB/s and
// messages/s, consume MB/s with every message's length checked, server CPU per MB, and the raw
// TCP figure. Target: Tideway produces at least 0.5× the null broker's MB/s.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { type Child, spawnNode, tempDir } from './lib/children.js';
import { caseLabel, type KafkaCase, loadKafkaConfig } from './lib/kafka-config.js';
import { kcatConsumeLengths, kcatProduceFile, waitForPort, writeMessageFile } from './lib/kafka-kcat.js';
import { renderKafkaTables, targetsHold, writeKafkaPerformanceDoc } from './lib/kafka-report.js';
import {
  type CaseResult,
  type ConsumeFigure,
  medianBy,
  type ProduceFigure,
  produceFigure,
} from './lib/kafka-results.js';
import { pushBytes } from './lib/kafka-tcp-sink.js';
import { describeMachine } from './lib/machine.js';
import { fixed, int, ratio } from './lib/markdown.js';
import { freePort, HOST, waitForAnswer } from './lib/net.js';
import { cpuMicros } from './lib/proc.js';

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

const libDir = fileURLToPath(new URL('./lib/', import.meta.url));

interface Broker {
  child: Child;
  bootstrap: string;
}

async function startTideway(): Promise<Broker & { port: number }> {
  const [port, kafkaPort] = [await freePort(), await freePort()];
  const child = spawnNode('Tideway', [
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    'dist/src/cli/main.js',
    '--port',
    String(port),
    '--kafka-port',
    String(kafkaPort),
    '--host',
    HOST,
    '--log-level',
    'silent',
  ]);
  try {
    await waitForAnswer(child, port, '/_tideway/health', (status) => status === 200);
    await waitForPort(kafkaPort, HOST);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, port, bootstrap: `${HOST}:${kafkaPort}` };
}

/** A runner of bench/lib (the null broker, the TCP sink) in its own process, as Tideway runs. */
async function startRunner(label: string, file: string): Promise<Broker & { port: number }> {
  const port = await freePort();
  const child = spawnNode(label, [join(libDir, file), '--port', String(port)]);
  try {
    await waitForPort(port, HOST);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, port, bootstrap: `${HOST}:${port}` };
}

function kcatVersion(): string {
  const out = execFileSync('kcat', ['-V'], { encoding: 'utf8' });
  const version = /Version (\S+)/.exec(out)?.[1] ?? 'unknown';
  const librdkafka = /librdkafka (\S+)/.exec(out)?.[1] ?? 'unknown';
  return `kcat ${version} (librdkafka ${librdkafka})`;
}

async function produceRun(broker: Broker, topic: string, c: KafkaCase, file: string, timeoutMs: number) {
  const before = cpuMicros(broker.child.pid);
  const ms = await kcatProduceFile(broker.bootstrap, topic, file, timeoutMs);
  return produceFigure(c.size * c.count, c.count, ms, cpuMicros(broker.child.pid) - before);
}

export async function runKafkaBench(): Promise<void> {
  const started = performance.now();
  const config = loadKafkaConfig();
  const machine = describeMachine();
  const kcat = kcatVersion();
  progress(`Kafka produce/consume with ${kcat}, ${machine.cpus} × ${machine.model}`);
  const files = tempDir('tideway-kafka-bench-');
  const tideway = await startTideway();
  const nullBroker = await startRunner('null broker', 'kafka-null-broker.js');
  const sink = await startRunner('TCP sink', 'kafka-tcp-sink.js');
  const admin = new Kafka({
    clientId: 'bench',
    brokers: [tideway.bootstrap],
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const fileOf = new Map<number, string>();
    for (const size of new Set(config.cases.map((c) => c.size))) {
      const c = config.cases.find((x) => x.size === size) as KafkaCase;
      const path = join(files.path, `messages-${size}.txt`);
      await writeMessageFile(path, size, c.count);
      fileOf.set(size, path);
    }

    let topicSeq = 0;
    // Each round alternates which broker goes first, so a slow spell of this shared machine
    // does not always fall on the same side.
    const oneCase = async (c: KafkaCase, tidewayFirst: boolean) => {
      const file = fileOf.get(c.size) as string;
      topicSeq++;
      const topic = `bench-${topicSeq}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: c.partitions }], waitForLeaders: true });
      // The null broker reads the partition count from the name; Tideway gets the topic made.
      const toNull = () => produceRun(nullBroker, `${topic}-p${c.partitions}`, c, file, config.kcatTimeoutMs);
      const toTideway = () => produceRun(tideway, topic, c, file, config.kcatTimeoutMs);
      let nullFigure: ProduceFigure;
      let tidewayFigure: ProduceFigure;
      if (tidewayFirst) {
        tidewayFigure = await toTideway();
        nullFigure = await toNull();
      } else {
        nullFigure = await toNull();
        tidewayFigure = await toTideway();
      }
      const before = cpuMicros(tideway.child.pid);
      const back = await kcatConsumeLengths(tideway.bootstrap, topic, c.size, config.kcatTimeoutMs);
      const consume: ConsumeFigure = {
        ...produceFigure(back.bytes, back.messages, back.ms, cpuMicros(tideway.child.pid) - before),
        messages: back.messages,
        wrongLength: back.wrongLength,
      };
      // Each run's data goes with its topic, so memory stays flat over the rounds.
      await admin.deleteTopics({ topics: [topic] });
      return { tideway: tidewayFigure, nullBroker: nullFigure, consume };
    };

    progress('warming up (one pass of the smallest case)');
    const smallest = config.cases[0] as KafkaCase;
    await oneCase(smallest, false);

    const passes = config.cases.map(() => [] as Omit<CaseResult, 'case' | 'share'>[]);
    for (let round = 1; round <= config.rounds; round++) {
      for (const [i, c] of config.cases.entries()) {
        const pass = await oneCase(c, round % 2 === 0);
        passes[i]?.push(pass);
        progress(
          `round ${round}/${config.rounds}, ${caseLabel(c)}: Tideway ${fixed(pass.tideway.mbPerSecond, 1)} MB/s ` +
            `(${int(pass.tideway.messagesPerSecond)} msgs/s), null broker ${fixed(pass.nullBroker.mbPerSecond, 1)} MB/s, ` +
            `share ${ratio(pass.tideway.mbPerSecond / pass.nullBroker.mbPerSecond)}; consume ` +
            `${fixed(pass.consume.mbPerSecond, 1)} MB/s, ${int(pass.consume.messages)} back, ${pass.consume.wrongLength} wrong`,
        );
      }
    }
    const tcp = await pushBytes(sink.port, config.tcpMs);
    const mbps = (f: ProduceFigure) => f.mbPerSecond;
    const results: CaseResult[] = config.cases.map((c, i) => {
      const list = passes[i] ?? [];
      return {
        case: c,
        // The share of each round (both brokers measured minutes apart at most), then its median:
        // steadier on a loaded machine than the ratio of the two medians.
        share: medianBy(
          list.map((p) => p.tideway.mbPerSecond / p.nullBroker.mbPerSecond),
          (x) => x,
        ),
        tideway: medianBy(
          list.map((p) => p.tideway),
          mbps,
        ),
        nullBroker: medianBy(
          list.map((p) => p.nullBroker),
          mbps,
        ),
        // The worst pass for the count check: one short consume in any round must show.
        consume: {
          ...medianBy(
            list.map((p) => p.consume),
            mbps,
          ),
          messages: Math.min(...list.map((p) => p.consume.messages)),
          wrongLength: Math.max(...list.map((p) => p.consume.wrongLength)),
        },
      };
    });
    const report = {
      config,
      machine,
      kcat,
      results,
      tcpMbPerSecond: tcp.bytes / 1e6 / (tcp.ms / 1000),
      seconds: (performance.now() - started) / 1000,
    };
    process.stdout.write(`${renderKafkaTables(report)}\n`);
    if (!config.quick) progress(`written to ${writeKafkaPerformanceDoc(report)}`);
    if (!targetsHold(report)) process.exitCode = 1;
  } finally {
    await admin.disconnect().catch(() => {});
    await tideway.child.stop();
    await nullBroker.child.stop();
    await sink.child.stop();
    files.remove();
  }
}
