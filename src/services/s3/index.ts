import { s3Source } from '../../knowhow/live/s3-source.js';
import type { RestService } from '../../protocols/rest-dispatch.js';
import { restServiceDefinition } from '../../protocols/service.js';
import { createBodyStore } from '../../storage/embedded/bodies.js';
import type { ServiceFactory } from '../registry.js';
import { s3Error, s3Validation } from './errors.js';
import type { S3FrontDoor } from './front-door.js';
import { S3State } from './state.js';

/**
 * Amazon S3 (restXml) on the same port: buckets, objects with streamed bodies, multipart uploads,
 * checksums, CORS, bucket policies and event notifications. Its operations load on the first S3
 * request or delivery; opening the state (records, the body sweep) happens then too.
 */
export const s3Module: ServiceFactory = {
  name: 's3',
  create: ({ clock, log, journal, dataDir, frontDoors, hints }) => {
    const state = new S3State(clock, log, createBodyStore(dataDir), journal);
    const rest: RestService = {
      name: 's3',
      protocol: 'rest-xml',
      operations: {},
      validation: s3Validation,
      xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
      s3: true,
      unknownOperation: (method, _path, pathKnown) => s3Error.unknownOperation(method, pathKnown),
      invalidUri: () => s3Error.invalidUri(),
    };
    let frontDoor: S3FrontDoor | undefined;
    let loading: Promise<void> | undefined;
    const load = (): Promise<void> => {
      loading ??= (async () => {
        await state.open();
        const { s3Operations } = await import('./operations.js');
        const { s3FrontDoor } = await import('./deliveries.js');
        const { accessHooks } = await import('./access.js');
        const deps = { state, clock, log, frontDoors, hints };
        rest.operations = s3Operations(deps);
        Object.assign(rest, accessHooks(deps));
        frontDoor = s3FrontDoor(deps);
        definition.load = undefined;
      })();
      return loading;
    };
    const definition = restServiceDefinition('s3', rest, load);
    return {
      definition,
      // S3 answers browsers from each bucket's CORS configuration, not with the blanket headers.
      cors: false,
      reset: async () => {
        // Nothing to forget in memory before the first S3 request; stored buckets need the state.
        if (!loading && !journal) return;
        await load();
        await state.clear();
      },
      close: () => {},
      // Doctor sees buckets and their notification destinations; nothing to show before S3 loads.
      live: s3Source(async () => {
        if (!loading && !journal) return [];
        await load();
        return state.allBuckets();
      }),
      frontDoors: {
        s3: {
          putObject: async (object, origin) => {
            await load();
            return frontDoor!.putObject(object, origin);
          },
        },
      },
    };
  },
};
