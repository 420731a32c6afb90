import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { Journal } from '../../storage/embedded/journal.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import { AWS_EVENTS_REGISTRY, awsEventsRegistry, awsEventsSchema, awsEventsSchemas } from './aws-registry.js';
import { schemasError } from './errors.js';
import type { DiscovererRecord, RegistryRecord, SchemaRecord } from './records.js';

/** Where discoverers put what they infer. */
export const DISCOVERED_REGISTRY = 'discovered-schemas';

/** The registry's stores, and the lookups every part shares (the AWS registry is built in, read-only). */
export class SchemasState {
  readonly registries: EmbeddedRecords<RegistryRecord>;
  readonly schemas: EmbeddedRecords<SchemaRecord>;
  readonly discoverers: EmbeddedRecords<DiscovererRecord>;

  constructor(
    readonly clock: Clock,
    journal: Journal | undefined,
  ) {
    this.registries = new EmbeddedRecords('schemaRegistries', journal, (r) => r.arn);
    this.schemas = new EmbeddedRecords('schemas', journal, (s) => s.arn);
    this.discoverers = new EmbeddedRecords('schemaDiscoverers', journal, (d) => d.arn);
  }

  registryArn(account: string, region: string, name: string): string {
    return formatArn('schemas', region, account, `registry/${name}`);
  }

  schemaArn(account: string, region: string, registry: string, name: string): string {
    return formatArn('schemas', region, account, `schema/${registry}/${name}`);
  }

  discovererArn(account: string, region: string, id: string): string {
    return formatArn('schemas', region, account, `discoverer/${id}`);
  }

  registry(account: string, region: string, name: string): RegistryRecord | undefined {
    if (name === AWS_EVENTS_REGISTRY) return awsEventsRegistry(region);
    return this.registries.get(this.registryArn(account, region, name));
  }

  requireRegistry(account: string, region: string, name: string): RegistryRecord {
    const registry = this.registry(account, region, name);
    if (!registry) throw schemasError.registryNotFound(name);
    return registry;
  }

  /** A registry the caller may change: AWS's own is read-only. */
  ownRegistry(account: string, region: string, name: string): RegistryRecord {
    const registry = this.requireRegistry(account, region, name);
    if (name === AWS_EVENTS_REGISTRY)
      throw schemasError.forbidden(`Registry ${name} is managed by AWS and cannot be modified.`);
    return registry;
  }

  schema(account: string, region: string, registry: string, name: string): SchemaRecord | undefined {
    if (registry === AWS_EVENTS_REGISTRY) return awsEventsSchema(region, name);
    return this.schemas.get(this.schemaArn(account, region, registry, name));
  }

  requireSchema(account: string, region: string, registry: string, name: string): SchemaRecord {
    this.requireRegistry(account, region, registry);
    const schema = this.schema(account, region, registry, name);
    if (!schema) throw schemasError.schemaNotFound(name);
    return schema;
  }

  /** The schemas of one registry, by name. */
  schemasOf(account: string, region: string, registry: string): SchemaRecord[] {
    if (registry === AWS_EVENTS_REGISTRY) return awsEventsSchemas(region);
    return this.schemas
      .values()
      .filter((s) => s.account === account && s.region === region && s.registryName === registry)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The registry or schema an ARN names in the caller's account (tags), or why not. */
  taggable(arn: string): RegistryRecord | SchemaRecord | DiscovererRecord | undefined {
    return this.registries.get(arn) ?? this.schemas.get(arn) ?? this.discoverers.get(arn);
  }

  async clear(): Promise<void> {
    await Promise.all([this.registries.clear(), this.schemas.clear(), this.discoverers.clear()]);
  }
}
