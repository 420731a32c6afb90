// SKELETON (broker slice): the brokers of this process, behind KafkaBrokerControl.
import type { AdminView, ServiceEnvironment } from '../../registry.js';
import type {
  ClusterRuntime,
  KafkaBrokerControl,
  KafkaClusterSpec,
  ListenerAddress,
  ScramUser,
} from './types.js';

export class KafkaBrokers implements KafkaBrokerControl {
  constructor(readonly env: ServiceEnvironment) {}

  /** Opens the default cluster on env.settings.kafka, when set. */
  async listenDefault(): Promise<{ host: string; port: number } | undefined> {
    return undefined;
  }

  /** Admin views: `kafka/ca.pem` (the generated CA). */
  views(): Record<string, AdminView> {
    return {};
  }

  openCluster(_spec: KafkaClusterSpec): Promise<ListenerAddress[]> {
    throw new Error('not implemented');
  }

  reconfigure(_id: string, _serverProperties: Record<string, string>): void {}

  setScramUsers(_id: string, _users: ScramUser[]): void {}

  async closeCluster(_id: string, _options: { dropData: boolean }): Promise<void> {}

  cluster(_id: string): ClusterRuntime | undefined {
    return undefined;
  }

  certificateAuthority(): Promise<{ pem: string; path: string }> {
    throw new Error('not implemented');
  }

  async reset(): Promise<void> {}

  async close(): Promise<void> {}
}
