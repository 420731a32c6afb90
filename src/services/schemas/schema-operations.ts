import type * as S from '@aws-sdk/client-schemas';
import type { RequestContext } from '../../protocols/service.js';
import { checkContent } from './content.js';
import { schemasError } from './errors.js';
import { toJsonSchemaDraft4 } from './export.js';
import { page } from './paging.js';
import type { SchemaRecord, SchemaType, SchemaVersionRecord } from './records.js';
import type { SchemasState } from './state.js';

/** The latest version: the one DescribeSchema shows when no version is named. */
export function latest(schema: SchemaRecord): SchemaVersionRecord {
  return schema.versions[schema.versions.length - 1];
}

function versionOf(schema: SchemaRecord, version: string | undefined): SchemaVersionRecord {
  if (version === undefined) return latest(schema);
  const found = schema.versions.find((v) => v.version === version);
  if (!found) throw schemasError.versionNotFound(schema.name, version);
  return found;
}

/** A schema's answer to Create/Update/DescribeSchema for one of its versions. */
function describe(schema: SchemaRecord, version: SchemaVersionRecord, withContent: boolean) {
  return {
    Content: withContent ? version.content : undefined,
    Description: schema.description,
    LastModified: new Date(schema.lastModified),
    SchemaArn: schema.arn,
    SchemaName: schema.name,
    SchemaVersion: version.version,
    Tags: schema.tags,
    Type: version.type,
    VersionCreatedDate: new Date(version.createdAt),
  };
}

/**
 * A schema with a new version holding `content`, when it differs from the latest: the version
 * number only moves when the content (or its type) changes. Used by UpdateSchema and discovery.
 */
export function withVersion(
  schema: SchemaRecord,
  type: SchemaType,
  content: string,
  now: number,
): SchemaRecord {
  const current = latest(schema);
  if (current && current.content === content && current.type === type) return schema;
  const version = schema.lastVersion + 1;
  return {
    ...schema,
    versions: [...schema.versions, { version: String(version), type, content, createdAt: now }],
    lastVersion: version,
    lastModified: now,
  };
}

export function schemaOperations(state: SchemasState) {
  type SchemaKey = { RegistryName?: string; SchemaName?: string };
  const schemaOf = (ctx: RequestContext, input: SchemaKey) =>
    state.requireSchema(
      ctx.caller.account,
      ctx.caller.region,
      input.RegistryName as string,
      input.SchemaName as string,
    );
  // Deleting needs the registry to be the caller's own, not only one it may read.
  const ownSchema = (ctx: RequestContext, input: SchemaKey) => {
    state.ownRegistry(ctx.caller.account, ctx.caller.region, input.RegistryName as string);
    return schemaOf(ctx, input);
  };

  return {
    async CreateSchema(input: S.CreateSchemaRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const registry = state.ownRegistry(account, region, input.RegistryName as string);
      const name = input.SchemaName as string;
      const type = input.Type as SchemaType;
      checkContent(type, input.Content as string);
      if (state.schema(account, region, registry.name, name))
        throw schemasError.conflict(`Schema with name ${name} already exists.`);
      const now = state.clock.now();
      const schema: SchemaRecord = {
        arn: state.schemaArn(account, region, registry.name, name),
        name,
        registryName: registry.name,
        account,
        region,
        description: input.Description,
        tags: input.Tags ?? {},
        versions: [{ version: '1', type, content: input.Content as string, createdAt: now }],
        lastVersion: 1,
        lastModified: now,
      };
      await state.schemas.put(schema.arn, schema);
      return describe(schema, latest(schema), false);
    },

    async UpdateSchema(input: S.UpdateSchemaRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const registry = state.ownRegistry(account, region, input.RegistryName as string);
      const schema = state.requireSchema(account, region, registry.name, input.SchemaName as string);
      const now = state.clock.now();
      let updated: SchemaRecord = { ...schema, description: input.Description ?? schema.description };
      if (input.Content !== undefined || input.Type !== undefined) {
        const type = (input.Type ?? latest(schema).type) as SchemaType;
        const content = input.Content ?? latest(schema).content;
        checkContent(type, content);
        updated = withVersion(updated, type, content, now);
      }
      if (updated.description !== schema.description) updated.lastModified = now;
      await state.schemas.put(updated.arn, updated);
      return describe(updated, latest(updated), false);
    },

    DescribeSchema(input: S.DescribeSchemaRequest, ctx: RequestContext) {
      const schema = schemaOf(ctx, input);
      return describe(schema, versionOf(schema, input.SchemaVersion), true);
    },

    async DeleteSchema(input: S.DeleteSchemaRequest, ctx: RequestContext) {
      const schema = ownSchema(ctx, input);
      await state.schemas.delete(schema.arn);
      return {};
    },

    async DeleteSchemaVersion(input: S.DeleteSchemaVersionRequest, ctx: RequestContext) {
      const schema = ownSchema(ctx, input);
      const version = versionOf(schema, input.SchemaVersion as string);
      const versions = schema.versions.filter((v) => v !== version);
      // The last version goes with its schema.
      if (versions.length === 0) await state.schemas.delete(schema.arn);
      else await state.schemas.put(schema.arn, { ...schema, versions });
      return {};
    },

    ListSchemas(input: S.ListSchemasRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const registry = state.requireRegistry(account, region, input.RegistryName as string);
      const prefix = input.SchemaNamePrefix ?? '';
      const { items, nextToken } = page(
        state.schemasOf(account, region, registry.name).filter((s) => s.name.startsWith(prefix)),
        input.Limit,
        input.NextToken,
      );
      return {
        Schemas: items.map((s) => ({
          LastModified: new Date(s.lastModified),
          SchemaArn: s.arn,
          SchemaName: s.name,
          Tags: s.tags,
          VersionCount: s.versions.length,
        })),
        NextToken: nextToken,
      };
    },

    ListSchemaVersions(input: S.ListSchemaVersionsRequest, ctx: RequestContext) {
      const schema = schemaOf(ctx, input);
      const { items, nextToken } = page(schema.versions, input.Limit, input.NextToken);
      return {
        SchemaVersions: items.map((v) => ({
          SchemaArn: schema.arn,
          SchemaName: schema.name,
          SchemaVersion: v.version,
          Type: v.type,
        })),
        NextToken: nextToken,
      };
    },

    SearchSchemas(input: S.SearchSchemasRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const registry = state.requireRegistry(account, region, input.RegistryName as string);
      // Every keyword must appear, in any case, in the schema's name, description or a version's content.
      const keywords = (input.Keywords as string).toLowerCase().split(/\s+/).filter(Boolean);
      const matches = state.schemasOf(account, region, registry.name).filter((s) => {
        const text = [s.name, s.description ?? '', ...s.versions.map((v) => v.content)]
          .join('\n')
          .toLowerCase();
        return keywords.every((k) => text.includes(k));
      });
      const { items, nextToken } = page(matches, input.Limit, input.NextToken);
      return {
        Schemas: items.map((s) => ({
          RegistryName: s.registryName,
          SchemaArn: s.arn,
          SchemaName: s.name,
          SchemaVersions: s.versions.map((v) => ({
            CreatedDate: new Date(v.createdAt),
            SchemaVersion: v.version,
            Type: v.type,
          })),
        })),
        NextToken: nextToken,
      };
    },

    ExportSchema(input: S.ExportSchemaRequest, ctx: RequestContext) {
      if (input.Type !== 'JSONSchemaDraft4')
        throw schemasError.badRequest(
          `Type ${input.Type} is not supported for export: use JSONSchemaDraft4.`,
        );
      const schema = schemaOf(ctx, input);
      const version = versionOf(schema, input.SchemaVersion);
      return {
        Content: version.type === 'JSONSchemaDraft4' ? version.content : toJsonSchemaDraft4(version.content),
        SchemaArn: schema.arn,
        SchemaName: schema.name,
        SchemaVersion: version.version,
        Type: 'JSONSchemaDraft4',
      };
    },
  };
}
