/**
 * The Apache Kafka versions MSK offers (ListKafkaVersions), from AWS's table of supported versions:
 * those past their end of support are DEPRECATED and refused for new clusters.
 */
export interface KafkaVersionEntry {
  version: string;
  status: 'ACTIVE' | 'DEPRECATED';
}

const DEPRECATED = [
  '1.1.1',
  '2.1.0',
  '2.2.1',
  '2.3.1',
  '2.4.1',
  '2.4.1.1',
  '2.5.1',
  '2.6.0',
  '2.6.1',
  '2.6.2',
  '2.6.3',
  '2.7.0',
  '2.7.1',
  '2.7.2',
  '2.8.0',
  '2.8.1',
  '2.8.2.tiered',
  '3.1.1',
  '3.2.0',
  '3.3.1',
  '3.3.2',
  '3.4.0',
  '3.5.1',
];
const ACTIVE = [
  '3.6.0',
  '3.7.x',
  '3.7.x.kraft',
  '3.8.x',
  '3.8.x.kraft',
  '3.9.x',
  '3.9.x.kraft',
  '4.0.x.kraft',
];

export const KAFKA_VERSIONS: readonly KafkaVersionEntry[] = [
  ...DEPRECATED.map((version) => ({ version, status: 'DEPRECATED' as const })),
  ...ACTIVE.map((version) => ({ version, status: 'ACTIVE' as const })),
];

/** Express brokers run only these versions. */
export const EXPRESS_VERSIONS: readonly string[] = ['3.6.0', '3.8.x', '3.9.x'];

/** What Serverless clusters report: AWS runs them on a version of its choosing. */
export const SERVERLESS_VERSION = '3.8.x';

export function versionEntry(version: string): KafkaVersionEntry | undefined {
  return KAFKA_VERSIONS.find((v) => v.version === version);
}

function numbers(version: string): number[] {
  return version
    .split('.')
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
}

function compare(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

const isKraft = (version: string) => version.endsWith('.kraft');

/**
 * The versions a cluster on `source` can be upgraded to: newer active versions in the same metadata
 * mode (ZooKeeper and KRaft clusters cannot move between modes in place).
 */
export function upgradeTargets(source: string): string[] {
  return ACTIVE.filter((v) => isKraft(v) === isKraft(source) && compare(v, source) > 0);
}
