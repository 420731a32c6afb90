// SKELETON (MSK control plane slice): the `kafka` API (restJson1) over KafkaBrokerControl.
import type { LiveSource } from '../../../knowhow/live/sources.js';
import type { ServiceDefinition } from '../../../protocols/service.js';
import type { ServiceEnvironment } from '../../registry.js';
import type { KafkaBrokerControl } from '../broker/types.js';

export interface MskControlPlane {
  definition: ServiceDefinition;
  reset(): Promise<void>;
  close(): Promise<void>;
  /** After start: reopens the listeners of the MSK clusters kept with --data-dir. */
  reopen(): Promise<void>;
  live?: LiveSource;
}

export function mskControlPlane(_env: ServiceEnvironment, _brokers: KafkaBrokerControl): MskControlPlane {
  return {
    definition: {
      name: 'kafka',
      signingName: 'kafka',
      operations: {},
    } as unknown as ServiceDefinition,
    reset: async () => undefined,
    close: async () => undefined,
    reopen: async () => undefined,
  };
}
