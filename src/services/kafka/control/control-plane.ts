import { mskSource } from '../../../knowhow/live/msk-source.js';
import type { LiveSource } from '../../../knowhow/live/sources.js';
import type { RestService } from '../../../protocols/rest-dispatch.js';
import { restServiceDefinition, type ServiceDefinition } from '../../../protocols/service.js';
import type { ServiceEnvironment } from '../../registry.js';
import type { KafkaBrokerControl } from '../broker/types.js';
import { mskError, mskValidation } from './errors.js';
import { MskState } from './state.js';

export interface MskControlPlane {
  definition: ServiceDefinition;
  reset(): Promise<void>;
  close(): Promise<void>;
  /** After start: reopens the listeners of the MSK clusters kept with --data-dir. */
  reopen(): Promise<void>;
  live?: LiveSource;
}

/**
 * The MSK control plane (the `kafka` API, restJson1): clusters whose brokers are this process's
 * listeners, configurations, and SCRAM users from Secrets Manager. Its handlers load on the first
 * request; the cluster store is read at start so kept clusters reopen their listeners.
 */
export function mskControlPlane(env: ServiceEnvironment, brokers: KafkaBrokerControl): MskControlPlane {
  const state = new MskState({
    clock: env.clock,
    scheduler: env.scheduler,
    log: env.log,
    journal: env.journal,
    brokers,
    statusDelayMs: env.settings.mskStatusDelayMs ?? 0,
    secrets: () => env.frontDoors.secretsmanager,
    kms: () => env.frontDoors.kms,
  });
  const rest: RestService = {
    name: 'kafka',
    protocol: 'rest-json',
    operations: {},
    validation: mskValidation,
    unknownOperation: (method, path) => mskError.unknownOperation(method, path),
  };
  const definition = restServiceDefinition('kafka', rest, async () => {
    const { mskOperations } = await import('./operations.js');
    rest.operations = mskOperations(state);
    definition.load = undefined;
  });
  return {
    definition,
    reset: () => state.clear(),
    close: async () => state.close(),
    reopen: () => state.reopen(),
    // Doctor sees the clusters and their SCRAM secrets; the store holds the kept ones from start.
    live: mskSource(() => state.clusters.values()),
  };
}
