/** The Kafka bench's cases and sizes; BENCH_QUICK=1 only proves the harness works end to end. */
export interface KafkaCase {
  partitions: number;
  /** Bytes of each message's value (no key, no headers). */
  size: number;
  /** Messages per produce run: enough for several seconds at the null broker's rate. */
  count: number;
}

export interface KafkaBenchConfig {
  quick: boolean;
  cases: KafkaCase[];
  /** Interleaved passes over every case and broker; each figure is its median pass. */
  rounds: number;
  /** How long the raw TCP figure pushes bytes. */
  tcpMs: number;
  /** A kcat run longer than this is killed and fails the bench. */
  kcatTimeoutMs: number;
}

const SIZES = [
  { size: 100, count: 400_000 },
  { size: 1024, count: 80_000 },
];

export function loadKafkaConfig(env: NodeJS.ProcessEnv = process.env): KafkaBenchConfig {
  const quick = env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0';
  const scale = quick ? 0.1 : 1;
  const cases = SIZES.flatMap(({ size, count }) =>
    [1, 8].map((partitions) => ({ partitions, size, count: Math.round(count * scale) })),
  );
  return { quick, cases, rounds: quick ? 1 : 3, tcpMs: quick ? 1000 : 3000, kcatTimeoutMs: 180_000 };
}

export function caseLabel(c: KafkaCase): string {
  const size = c.size >= 1024 ? `${c.size / 1024} KiB` : `${c.size} B`;
  return `${size}, ${c.partitions} partition${c.partitions === 1 ? '' : 's'}`;
}
