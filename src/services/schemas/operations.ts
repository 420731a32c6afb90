import type * as S from '@aws-sdk/client-schemas';
import type { Logger } from '../../core/logger.js';
import { SCHEMAS_OPERATIONS, type SchemasOperationName } from '../../protocols/models/schemas.js';
import type { RestOperation } from '../../protocols/rest-dispatch.js';
import { restOperations } from '../../protocols/rest-operations.js';
import { operationTable } from '../../protocols/service.js';
import type { EventsFrontDoor } from '../events/state.js';
import { discovererOperations } from './discoverers.js';
import { checkConstraints, schemasError } from './errors.js';
import { toJsonSchemaDraft4 } from './export.js';
import { type EventSample, inferSchema } from './inference.js';
import { policyOperations } from './policies.js';
import { registryOperations } from './registries.js';
import { schemaOperations } from './schema-operations.js';
import type { SchemasState } from './state.js';
import { tagOperations } from './tags.js';

export interface SchemasDeps {
  state: SchemasState;
  events?: EventsFrontDoor;
  log: Logger;
}

/** GetDiscoveredSchema: the schema AWS would infer from sample events, in either form. */
function discoveredSchemaOperations() {
  return {
    GetDiscoveredSchema(input: S.GetDiscoveredSchemaRequest) {
      const samples = (input.Events ?? []).map((text) => {
        let event: unknown;
        try {
          event = JSON.parse(text);
        } catch {
          throw schemasError.badRequest('Events must be valid JSON.');
        }
        const e = event as Partial<EventSample>;
        if (
          typeof event !== 'object' ||
          event === null ||
          typeof e.source !== 'string' ||
          typeof e['detail-type'] !== 'string'
        )
          throw schemasError.badRequest('Each event must be a JSON object with a source and a detail-type.');
        return e as EventSample;
      });
      if (samples.length === 0) throw schemasError.badRequest('Events must hold at least one event.');
      const content = inferSchema(samples);
      return { Content: input.Type === 'JSONSchemaDraft4' ? toJsonSchemaDraft4(content) : content };
    },
  };
}

const CODE_BINDINGS = ['DescribeCodeBinding', 'GetCodeBindingSource', 'PutCodeBinding'] as const;

export function schemasOperations({ state, events }: SchemasDeps): Record<string, RestOperation> {
  const handlers = {
    ...registryOperations(state),
    ...schemaOperations(state),
    ...discovererOperations(state, events),
    ...policyOperations(state),
    ...tagOperations(state),
    ...discoveredSchemaOperations(),
    ...Object.fromEntries(
      CODE_BINDINGS.map((name) => [
        name,
        () => {
          throw schemasError.notSupported(name);
        },
      ]),
    ),
  };
  const table = operationTable<SchemasOperationName>(SCHEMAS_OPERATIONS, handlers);
  return restOperations(SCHEMAS_OPERATIONS, table, checkConstraints);
}
