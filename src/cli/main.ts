import { parseArgs } from 'node:util';
import type { LogLevel } from '../core/logger.js';
import { startTideway } from '../server/tideway.js';
import { DEFAULT_QUOTAS, type EventsQuotas } from '../services/events/state.js';

const HELP = `tideway — AWS messaging on your own machine

Usage:
  tideway start [options]     run the server (the default command)
  tideway advise [options]    which messaging or streaming service fits a workload
  tideway lint <path>…        find integration mistakes in CloudFormation, SAM, cdk.out
                              and Terraform plans
  tideway doctor [options]    the same rules, and what only runtime shows, on a running Tideway
  tideway mcp [options]       advise, lint and doctor for AI coding agents (MCP over stdio)
  tideway <command> --help    that command's options
  tideway --help              this text

Options (environment variable in brackets):
  --port <n>          port to listen on, 0 for any free one     [TIDEWAY_PORT]      default 4566
  --host <addr>       address to bind; anything but loopback
                      exposes Tideway to your network           [TIDEWAY_HOST]      default 127.0.0.1
  --data-dir <path>   persist to a SQLite journal in this folder [TIDEWAY_DATA_DIR] default: in memory
  --region <name>     region for unsigned requests              [TIDEWAY_REGION]    default us-east-1
  --log-level <lvl>   trace|debug|info|warn|error|silent        [TIDEWAY_LOG_LEVEL] default info
  --kafka-port <n>    serve the default Kafka cluster (plain     [TIDEWAY_KAFKA_PORT] default 9092
                      Kafka, no MSK API needed) on this port,
                      0 for any free one
  --no-kafka          no default Kafka cluster (MSK clusters made through the API
                      still get their own listeners)
  --lenient-policies  deliver SNS messages and EventBridge events  [TIDEWAY_LENIENT_POLICIES=1]
                      to targets whose policy does not allow sns.amazonaws.com or
                      events.amazonaws.com (AWS drops them; Tideway still warns)
  --kinesis-status-delay <ms>
                      how long a Kinesis stream stays CREATING,  [TIDEWAY_KINESIS_STATUS_DELAY]
                      UPDATING or DELETING (0: done when the call returns)      default 0
  --kinesis-limits    enforce Kinesis per-shard throughput: 1 MiB  [TIDEWAY_KINESIS_LIMITS=1]
                      and 1,000 records/s in, 2 MiB and 5 GetRecords calls/s out
                      (ProvisionedThroughputExceededException)                  default off
  --msk-status-delay <ms>
                      how long an MSK cluster stays CREATING,    [TIDEWAY_MSK_STATUS_DELAY]
                      UPDATING or DELETING (0: done when the call returns)      default 0
  --events-quotas     enforce EventBridge's quotas: 300 rules per bus [TIDEWAY_EVENTS_QUOTAS=1]
                      (30 with wildcards), 5 targets per rule, 10 PutEvents entries,
                      100 buses and 10 archives per account…                    default off
  --events-quota <name>=<n>
                      raise one quota, as an account's increase would (repeatable;
                      implies --events-quotas), e.g. --events-quota rules-per-bus=20000

Environment only:
  TIDEWAY_KMS_MASTER_KEY   base64 of 32 bytes: wraps KMS key material in the --data-dir
                           journal; default: a random key in <data-dir>/kms-master.key (0600)

Point an SDK at it:
  AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 \\
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test your-program
`;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function fail(message: string): never {
  process.stderr.write(`tideway: ${message}\n\nRun 'tideway --help' for usage.\n`);
  process.exit(2);
}

function parseEventsQuotas(enforced: boolean, raised: string[]): boolean | Partial<EventsQuotas> {
  if (raised.length === 0) return enforced;
  const overrides: Partial<EventsQuotas> = {};
  for (const item of raised) {
    const match = /^([a-z-]+)=(\d{1,9})$/.exec(item);
    if (!match || !Object.hasOwn(DEFAULT_QUOTAS, match[1])) {
      fail(
        `--events-quota takes <name>=<n> with a name among ${Object.keys(DEFAULT_QUOTAS).join(', ')}, not '${item}'`,
      );
    }
    overrides[match[1] as keyof EventsQuotas] = Number(match[2]);
  }
  return overrides;
}

/** The know-how commands, loaded only when asked for so that `start` stays fast. */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  advise: () => import('./advise.js'),
  lint: () => import('./lint.js'),
  doctor: () => import('./doctor.js'),
  mcp: () => import('./mcp.js'),
};

async function main(argv: string[]): Promise<void> {
  const load = argv[0] === undefined ? undefined : COMMANDS[argv[0]];
  if (load) {
    const command = await load();
    process.exitCode = await command.run(argv.slice(1));
    return;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        region: { type: 'string' },
        'log-level': { type: 'string' },
        'kafka-port': { type: 'string' },
        'no-kafka': { type: 'boolean' },
        'lenient-policies': { type: 'boolean' },
        'kinesis-status-delay': { type: 'string' },
        'kinesis-limits': { type: 'boolean' },
        'msk-status-delay': { type: 'string' },
        'events-quotas': { type: 'boolean' },
        'events-quota': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const command = positionals[0] ?? 'start';
  if (command !== 'start') fail(`unknown command '${command}'`);
  const env = process.env;
  const portText = (values.port as string | undefined) ?? env.TIDEWAY_PORT ?? '4566';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) fail(`--port must be 0..65535, not '${portText}'`);
  const kafkaText = (values['kafka-port'] as string | undefined) ?? env.TIDEWAY_KAFKA_PORT ?? '9092';
  const kafkaPort = Number(kafkaText);
  if (!/^\d+$/.test(kafkaText) || kafkaPort > 65535)
    fail(`--kafka-port must be 0..65535, not '${kafkaText}'`);
  if (values['no-kafka'] === true && values['kafka-port'] !== undefined) {
    fail('--no-kafka and --kafka-port cannot be used together');
  }
  const logLevel = ((values['log-level'] as string | undefined) ??
    env.TIDEWAY_LOG_LEVEL ??
    'info') as LogLevel;
  if (!LEVELS.includes(logLevel)) fail(`--log-level must be one of ${LEVELS.join(', ')}`);
  const host = (values.host as string | undefined) ?? env.TIDEWAY_HOST ?? '127.0.0.1';
  const dataDir = (values['data-dir'] as string | undefined) ?? env.TIDEWAY_DATA_DIR;
  const region = (values.region as string | undefined) ?? env.TIDEWAY_REGION ?? 'us-east-1';
  const lenientPolicies =
    values['lenient-policies'] === true || ['1', 'true'].includes(env.TIDEWAY_LENIENT_POLICIES ?? '');
  const delayText =
    (values['kinesis-status-delay'] as string | undefined) ?? env.TIDEWAY_KINESIS_STATUS_DELAY ?? '0';
  if (!/^\d{1,9}$/.test(delayText)) {
    fail(`--kinesis-status-delay must be a whole number of milliseconds, not '${delayText}'`);
  }
  const kinesisStatusDelayMs = Number(delayText);
  const mskDelayText =
    (values['msk-status-delay'] as string | undefined) ?? env.TIDEWAY_MSK_STATUS_DELAY ?? '0';
  if (!/^\d{1,9}$/.test(mskDelayText)) {
    fail(`--msk-status-delay must be a whole number of milliseconds, not '${mskDelayText}'`);
  }
  const mskStatusDelayMs = Number(mskDelayText);
  const kinesisLimits =
    values['kinesis-limits'] === true || ['1', 'true'].includes(env.TIDEWAY_KINESIS_LIMITS ?? '');
  const eventsQuotas = parseEventsQuotas(
    values['events-quotas'] === true || ['1', 'true'].includes(env.TIDEWAY_EVENTS_QUOTAS ?? ''),
    (values['events-quota'] as string[] | undefined) ?? [],
  );
  let running: Awaited<ReturnType<typeof startTideway>>;
  try {
    running = await startTideway({
      port,
      host,
      dataDir,
      region,
      logLevel,
      lenientPolicies,
      kinesisStatusDelayMs,
      kinesisLimits,
      mskStatusDelayMs,
      eventsQuotas,
      kafkaPort: values['no-kafka'] === true ? undefined : kafkaPort,
    });
  } catch (err) {
    fail(`could not start on ${host}:${port}: ${(err as Error).message}`);
  }
  process.stdout.write(
    `Tideway is listening on ${running.endpoint} (${dataDir ? `persisting to ${dataDir}` : 'in memory'}, region ${region})\n` +
      `Point an SDK at it with AWS_ENDPOINT_URL=${running.endpoint}\n` +
      (running.kafka ? `Kafka bootstrap server: ${running.kafka.bootstrap}\n` : ''),
  );
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(
      `tideway: bound to ${host}: reachable from other machines, and nothing checks signatures.\n`,
    );
  }
  const shutdown = () => {
    running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2));
