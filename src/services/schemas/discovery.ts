import type { Logger } from '../../core/logger.js';
import type { BusEvent, BusRecord } from '../events/records.js';
import { discoveredSchemaName, inferSchema } from './inference.js';
import type { RegistryRecord, SchemaRecord } from './records.js';
import { withVersion } from './schema-operations.js';
import { DISCOVERED_REGISTRY, type SchemasState } from './state.js';

/** The `discovered-schemas` registry of an account and region, made when first needed. */
export async function discoveredRegistry(
  state: SchemasState,
  account: string,
  region: string,
): Promise<RegistryRecord> {
  const found = state.registry(account, region, DISCOVERED_REGISTRY);
  if (found) return found;
  const registry: RegistryRecord = {
    arn: state.registryArn(account, region, DISCOVERED_REGISTRY),
    name: DISCOVERED_REGISTRY,
    account,
    region,
    description: 'Discovered schemas',
    tags: {},
  };
  await state.registries.put(registry.arn, registry);
  return registry;
}

/**
 * Schema discovery: every event a bus with a started discoverer accepts is inferred, and its schema
 * in the bus owner's `discovered-schemas` gets a new version when the inference differs from the
 * latest one. Never on a bus with a customer managed key, as AWS refuses discovery there; events
 * from other accounts only when the discoverer's CrossAccount allows them.
 */
/** Settles once the schema is stored (the observer need not wait for it). */
export function discoverEvent(
  state: SchemasState,
  log: Logger,
  bus: BusRecord,
  event: BusEvent,
): Promise<void> {
  const done = Promise.resolve();
  if (bus.kmsKeyIdentifier !== undefined) return done;
  const discoverer = state.discoverers.values().find((d) => d.sourceArn === bus.arn && d.state === 'STARTED');
  if (!discoverer) return done;
  if (!discoverer.crossAccount && event.account !== bus.account) return done;
  const content = inferSchema([event as Parameters<typeof inferSchema>[0][number]]);
  const name = discoveredSchemaName(event.source, event['detail-type']);
  const now = state.clock.now();
  return (async () => {
    await discoveredRegistry(state, bus.account, bus.region);
    const arn = state.schemaArn(bus.account, bus.region, DISCOVERED_REGISTRY, name);
    const existing = state.schemas.get(arn);
    const schema: SchemaRecord = existing
      ? withVersion(existing, 'OpenApi3', content, now)
      : {
          arn,
          name,
          registryName: DISCOVERED_REGISTRY,
          account: bus.account,
          region: bus.region,
          description: `Schema for event type ${event['detail-type']}, published by ${event.source}`,
          tags: {},
          versions: [{ version: '1', type: 'OpenApi3', content, createdAt: now }],
          lastVersion: 1,
          lastModified: now,
        };
    if (schema !== existing) await state.schemas.put(arn, schema);
  })().catch((err) => log.error({ err }, 'schema discovery failed'));
}
