import type { RestService } from '../../protocols/rest-dispatch.js';
import { restServiceDefinition } from '../../protocols/service.js';
import type { ServiceFactory } from '../registry.js';
import { schemasError, schemasValidation } from './errors.js';
import { SchemasState } from './state.js';

/**
 * The EventBridge schema registry (schemas, restJson1): registries, schemas and their versions,
 * and discoverers that infer schemas from the events an event bus accepts. Discovery watches the
 * buses from start-up, since events arrive before any schemas request; its code loads with the
 * first event or request.
 */
export const schemasModule: ServiceFactory = {
  name: 'schemas',
  create: ({ clock, log, journal, frontDoors }) => {
    const state = new SchemasState(clock, journal);
    const events = frontDoors.events;
    const rest: RestService = {
      name: 'schemas',
      protocol: 'rest-json',
      operations: {},
      validation: schemasValidation,
      unknownOperation: (method, path) => schemasError.unknownOperation(method, path),
    };
    const definition = restServiceDefinition('schemas', rest, async () => {
      const { schemasOperations } = await import('./operations.js');
      rest.operations = schemasOperations({ state, events, log });
      definition.load = undefined;
    });
    let discovery: Promise<typeof import('./discovery.js')> | undefined;
    const stopObserving = events?.observe((bus, event) => {
      // Most buses have no discoverer: only those that do load the discovery code.
      if (!state.discoverers.values().some((d) => d.sourceArn === bus.arn && d.state === 'STARTED')) return;
      discovery ??= import('./discovery.js');
      void discovery.then(({ discoverEvent }) => discoverEvent(state, log, bus, event));
    });
    return {
      definition,
      cors: true,
      reset: () => state.clear(),
      close: () => stopObserving?.(),
    };
  },
};
