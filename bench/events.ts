// `npm run bench -- events`: PutEvents throughput and server CPU per entry on a bus with 1, 100,
// 1,000 and 10,000 rules delivering to SQS. Every event matches exactly one rule (benchRules),
// so the figures show what the number of rules costs the router, not what fan-out costs.
import { runEventsMatcherBench } from './events-matcher.js';
import { spawnNode } from './lib/children.js';
import { loadConfig } from './lib/config.js';
import { benchRules } from './lib/event-rules.js';
import { AwsJsonWire } from './lib/json-wire.js';
import { drive, forDuration, Recorder } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { int, table } from './lib/markdown.js';
import { freePort, HOST, waitForAnswer } from './lib/net.js';
import { cpuMicros } from './lib/proc.js';
import { signOnce } from './lib/sigv4.js';
import { SqsWire } from './lib/sqs-wire.js';

const RULE_COUNTS = process.env.BENCH_RULES
  ? process.env.BENCH_RULES.split(',').map(Number)
  : [1, 100, 1_000, 10_000];
const BATCH = 10;
const SETUP_CONCURRENCY = 16;
// Deliveries are asynchronous: a phase ends when every accepted event has reached the queue.
const SETTLE_TIMEOUT_MS = 60_000;

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface RuleCountResult {
  rules: number;
  entries: number;
  /** Entries accepted per second while the load ran. */
  acceptedPerSecond: number;
  /** Entries per second until the last one was in its queue. */
  deliveredPerSecond: number;
  cpuMicrosPerEntry: number;
  p99Ms: number;
  errors: number;
  firstError?: string;
}

class EventsWire extends AwsJsonWire {
  constructor(origin: string, connections: number) {
    const host = origin.slice('http://'.length);
    super(
      origin,
      signOnce({
        host,
        body: '{}',
        target: 'AWSEvents.PutEvents',
        service: 'events',
        contentType: 'application/x-amz-json-1.1',
      }),
      connections,
      {
        contentType: 'application/x-amz-json-1.1',
        targetPrefix: 'AWSEvents',
      },
    );
  }
}

async function startTideway() {
  const port = await freePort();
  const args = [
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    'dist/src/cli/main.js',
    '--port',
    String(port),
    '--host',
    HOST,
    '--log-level',
    'silent',
    // Raised as an account would raise them: some of the bench's patterns use wildcard.
    '--events-quota',
    'rules-per-bus=20000',
    '--events-quota',
    'wildcard-rules-per-bus=20000',
  ];
  const child = spawnNode('Tideway', args);
  try {
    await waitForAnswer(child, port, '/_tideway/health', (status) => status === 200);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, origin: `http://${HOST}:${port}` };
}

/** Runs `count` calls on a few workers (setup: rules and targets). */
async function inParallel(count: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
}

async function messagesIn(sqs: SqsWire, url: string): Promise<number> {
  const { Attributes } = await sqs.call('GetQueueAttributes', {
    QueueUrl: url,
    AttributeNames: ['ApproximateNumberOfMessages'],
  });
  return Number(Attributes.ApproximateNumberOfMessages);
}

async function benchRuleCount(
  rules: number,
  config: ReturnType<typeof loadConfig>,
): Promise<RuleCountResult> {
  const server = await startTideway();
  const host = server.origin.slice('http://'.length);
  const events = new EventsWire(server.origin, config.concurrency);
  const sqs = new SqsWire(server.origin, signOnce({ host, body: '{}', target: 'AmazonSQS.CreateQueue' }), 4);
  try {
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: `bench-events-${rules}` });
    const { Attributes } = await sqs.call('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
    const queueArn: string = Attributes.QueueArn;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
        },
      ],
    };
    await sqs.call('SetQueueAttributes', { QueueUrl, Attributes: { Policy: JSON.stringify(policy) } });

    const mix = benchRules(rules);
    await inParallel(rules, async (i) => {
      const name = `bench-rule-${i}`;
      await events.call('PutRule', { Name: name, EventPattern: mix.patterns[i] });
      await events.call('PutTargets', { Rule: name, Targets: [{ Id: 'queue', Arn: queueArn }] });
    });
    progress(`  ${rules} rules in place`);

    const entry = {
      Source: mix.event.source,
      DetailType: mix.event['detail-type'],
      Detail: JSON.stringify(mix.event.detail),
    };
    const body = JSON.stringify({ Entries: Array.from({ length: BATCH }, () => entry) });
    const send = async (recorder: Recorder) => {
      const out = await recorder.time(() => events.call('PutEvents', body));
      if (out.FailedEntryCount !== 0)
        throw new Error(`PutEvents failed entries: ${JSON.stringify(out.Entries[0])}`);
    };

    const warm = new Recorder();
    await drive(config.concurrency, forDuration(config.warmMs), () => send(warm), warm);
    await settle(sqs, QueueUrl, warm.latency.count * BATCH);
    await sqs.call('PurgeQueue', { QueueUrl });

    const recorder = new Recorder();
    const before = cpuMicros(server.child.pid);
    const start = performance.now();
    const elapsed = await drive(
      config.concurrency,
      forDuration(config.sendMs),
      () => send(recorder),
      recorder,
    );
    const entries = recorder.latency.count * BATCH;
    await settle(sqs, QueueUrl, entries);
    const untilDelivered = performance.now() - start;
    const cpu = cpuMicros(server.child.pid) - before;
    return {
      rules,
      entries,
      acceptedPerSecond: (entries * 1000) / elapsed,
      deliveredPerSecond: (entries * 1000) / untilDelivered,
      cpuMicrosPerEntry: cpu / Math.max(1, entries),
      p99Ms: recorder.ms(99),
      errors: recorder.errors,
      firstError: recorder.firstError,
    };
  } finally {
    await events.close();
    await sqs.close();
    await server.child.stop();
  }
}

/** Waits until the queue holds `expected` messages: every accepted event has been delivered. */
async function settle(sqs: SqsWire, url: string, expected: number): Promise<void> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const held = await messagesIn(sqs, url);
    if (held >= expected) return;
    if (performance.now() > deadline) throw new Error(`only ${held} of ${expected} events reached the queue`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function runEventsBench(): Promise<void> {
  const config = loadConfig();
  const machine = describeMachine();
  progress(
    `EventBridge PutEvents, ${BATCH}-entry batches, ${config.concurrency} in flight, ${machine.cpus} × ${machine.model}`,
  );
  // The machine's speed drifts by tens of percent over minutes: every rule count runs once per
  // round, rounds interleaved, and each reports its median round.
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const byCount = new Map<number, RuleCountResult[]>(RULE_COUNTS.map((n) => [n, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const rules of RULE_COUNTS) {
      progress(`round ${round}/${rounds}: ${rules} rules`);
      const result = await benchRuleCount(rules, config);
      const errors = result.errors > 0 ? `, ${result.errors} errors (${result.firstError})` : '';
      progress(
        `  ${int(result.acceptedPerSecond)} entries/s accepted, ${int(result.deliveredPerSecond)} delivered, ${result.cpuMicrosPerEntry.toFixed(1)} µs CPU/entry${errors}`,
      );
      byCount.get(rules)!.push(result);
    }
  }
  const results = RULE_COUNTS.map((rules) => {
    const runs = [...byCount.get(rules)!].sort((a, b) => a.deliveredPerSecond - b.deliveredPerSecond);
    return runs[Math.floor(runs.length / 2)];
  });
  const one = results[0].deliveredPerSecond;
  const most = results[results.length - 1].deliveredPerSecond;
  const rows = results.map((r) => [
    int(r.rules),
    int(r.acceptedPerSecond),
    int(r.deliveredPerSecond),
    r.cpuMicrosPerEntry.toFixed(1),
    r.p99Ms.toFixed(2),
    String(r.errors),
  ]);
  process.stdout.write(
    `${table(['Rules on the bus', 'Entries/s accepted', 'Entries/s delivered', 'Server CPU µs/entry', 'p99 ms (10-entry call)', 'Errors'], rows)}\n`,
  );
  const verdict = most >= one / 2 ? 'holds' : 'FAILS';
  process.stdout.write(
    `\nAt 10,000 rules: ${int(most)} entries/s delivered against ${int(one)} at 1 rule (${((most / one) * 100).toFixed(0)}%): the at-least-half target ${verdict}.\n`,
  );
  if (most < one / 2) process.exitCode = 1;
  // The matcher alone, no HTTP: the figure later changes to the engine compare against.
  await runEventsMatcherBench();
}
