// The brokers of this process: one log storage for every cluster, the default cluster on
// --kafka-port, and MSK clusters' listeners. The listener code loads on the first cluster opened.
import { DEFAULT_ACCOUNT } from '../../../core/accounts.js';
import type { KafkaLogStorage } from '../../../storage/types.js';
import type { AdminView, ServiceEnvironment } from '../../registry.js';
import type { KafkaCluster } from './cluster.js';
import type {
  ClusterRuntime,
  KafkaBrokerControl,
  KafkaClusterSpec,
  ListenerAddress,
  ListenerKind,
  ScramUser,
} from './types.js';

interface Certificates {
  caPem: string;
  caPath: string;
  keyPem: string;
  certPem: string;
  /** Releases this process's hold: a CA kept in a temporary folder (no --data-dir) is removed. */
  close(): Promise<void>;
}

export class KafkaBrokers implements KafkaBrokerControl {
  private readonly clusters = new Map<string, KafkaCluster>();
  private storage: Promise<KafkaLogStorage> | undefined;
  private certificates: Promise<Certificates> | undefined;
  private caAnnounced = false;
  /** Opening and closing clusters one at a time keeps a cluster's id from being opened twice. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(readonly env: ServiceEnvironment) {}

  /** Opens the default cluster on env.settings.kafka, when set. */
  async listenDefault(): Promise<{ host: string; port: number } | undefined> {
    const kafka = this.env.settings.kafka;
    if (!kafka) return undefined;
    try {
      const [address] = await this.openCluster({
        id: 'default',
        account: DEFAULT_ACCOUNT,
        region: 'us-east-1',
        listeners: ['PLAINTEXT'],
        ports: { PLAINTEXT: kafka.port },
        serverProperties: {},
        brokerNodes: 1,
      });
      return { host: address.host, port: address.port };
    } catch (err) {
      throw new Error(
        `the Kafka listener on ${kafka.host}:${kafka.port} did not open (${(err as Error).message}); --kafka-port picks another port, --no-kafka turns it off`,
      );
    }
  }

  /** Admin views: `kafka/ca.pem` (the generated CA). */
  views(): Record<string, AdminView> {
    return {
      'kafka/ca.pem': async () => {
        const ca = await this.certificateAuthority();
        return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: ca.pem };
      },
    };
  }

  private logStorage(): Promise<KafkaLogStorage> {
    this.storage ??= import('../../../storage/embedded/kafka-log.js').then(({ createKafkaLogStorage }) =>
      createKafkaLogStorage({
        clock: this.env.clock,
        scheduler: this.env.scheduler,
        log: this.env.log,
        journal: this.env.journal,
      }),
    );
    return this.storage;
  }

  private tlsMaterial(): Promise<Certificates> {
    if (this.certificates) return this.certificates;
    const made = import('../auth/certificates.js').then(({ kafkaCertificates }) =>
      kafkaCertificates({ dataDir: this.env.dataDir, log: this.env.log }),
    );
    this.certificates = made;
    // A failure is not kept: the next TLS listener asks again.
    made.catch(() => {
      if (this.certificates === made) this.certificates = undefined;
    });
    return made;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.pending.then(work, work);
    this.pending = run.catch(() => undefined);
    return run;
  }

  openCluster(spec: KafkaClusterSpec): Promise<ListenerAddress[]> {
    return this.serially(async () => {
      if (this.clusters.has(spec.id)) throw new Error(`Kafka cluster ${spec.id} is already open`);
      const [{ KafkaCluster }, { openListener }, storage] = await Promise.all([
        import('./cluster.js'),
        import('./listener.js'),
        this.logStorage(),
      ]);
      const { clock, scheduler, log } = this.env;
      const cluster = new KafkaCluster(spec, { storage, clock, scheduler, log });
      const host = spec.id === 'default' ? (this.env.settings.kafka?.host ?? '127.0.0.1') : this.host();
      try {
        for (const kind of unique(spec.listeners)) {
          const tls = kind === 'PLAINTEXT' ? undefined : await this.tlsMaterial();
          const listener = await openListener({
            cluster,
            kind,
            host,
            port: spec.ports?.[kind] ?? 0,
            tls,
            log,
          });
          cluster.bound.push(listener);
          if (tls && !this.caAnnounced) {
            this.caAnnounced = true;
            log.info({ path: tls.caPath }, `Kafka TLS listeners use the CA in ${tls.caPath}`);
          }
        }
      } catch (err) {
        await cluster.closeListeners();
        cluster.groups.close();
        throw err;
      }
      this.clusters.set(spec.id, cluster);
      return cluster.listeners();
    });
  }

  private host(): string {
    return this.env.settings.host ?? '127.0.0.1';
  }

  reconfigure(id: string, serverProperties: Record<string, string>): void {
    this.clusters.get(id)?.reconfigure(serverProperties);
  }

  setScramUsers(id: string, users: ScramUser[]): void {
    this.clusters.get(id)?.setScramUsers(users);
  }

  closeCluster(id: string, options: { dropData: boolean }): Promise<void> {
    return this.serially(async () => {
      const cluster = this.clusters.get(id);
      this.clusters.delete(id);
      if (cluster) {
        await cluster.closeListeners();
        if (options.dropData) await cluster.groups.clear();
        cluster.groups.close();
      }
      if (options.dropData && this.storage) await (await this.storage).dropCluster(id);
    });
  }

  cluster(id: string): ClusterRuntime | undefined {
    return this.clusters.get(id);
  }

  async certificateAuthority(): Promise<{ pem: string; path: string }> {
    const certificates = await this.tlsMaterial();
    return { pem: certificates.caPem, path: certificates.caPath };
  }

  /** Drops every topic and group of every cluster; listeners stay open. */
  async reset(): Promise<void> {
    for (const cluster of this.clusters.values()) await cluster.groups.clear();
    if (this.storage) await (await this.storage).reset();
    for (const cluster of this.clusters.values()) cluster.applyRetentionDefaults();
  }

  async close(): Promise<void> {
    await this.serially(async () => {
      const clusters = [...this.clusters.values()];
      this.clusters.clear();
      for (const cluster of clusters) {
        await cluster.closeListeners();
        cluster.groups.close();
      }
      const certificates = this.certificates;
      this.certificates = undefined;
      if (certificates) await certificates.then((c) => c.close()).catch(() => undefined);
    });
  }
}

function unique(kinds: ListenerKind[]): ListenerKind[] {
  return [...new Set(kinds)];
}
