import { firehoseSource } from '../../knowhow/live/firehose-source.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import type { ServiceFactory } from '../registry.js';
import { firehoseError, firehoseValidation } from './errors.js';
import type { FirehoseFrontDoor } from './front-door.js';

/**
 * Amazon Data Firehose (firehose, awsJson 1.1). Its code loads on the first Firehose request or
 * delivery, or at start when the journal holds streams (their buffers and sources resume).
 */
export const firehoseModule: ServiceFactory = {
  name: 'firehose',
  create: (env) => {
    let runtime: import('./operations.js').FirehoseRuntime | undefined;
    let loading: Promise<void> | undefined;
    const load = (): Promise<void> => {
      loading ??= import('./operations.js').then(async ({ firehoseRuntime }) => {
        runtime = await firehoseRuntime(env);
        definition.operations = runtime.operations;
        definition.load = undefined;
      });
      return loading;
    };
    const definition: ServiceDefinition = {
      name: 'firehose',
      signingName: 'firehose',
      json: {
        targetPrefix: 'Firehose_20150804',
        contentType: 'application/x-amz-json-1.1',
        errorNamespace: '',
        queryCompatible: false,
      },
      operations: {},
      validation: firehoseValidation,
      unknownOperation: () => firehoseError.unknownOperation(),
      load,
    };
    if (env.journal?.resources('firehoseStreams').length) void load();
    const frontDoor: FirehoseFrontDoor = {
      put: async (arn, records, origin) => {
        await load();
        return runtime!.frontDoor.put(arn, records, origin);
      },
      describe: async (arn) => {
        await load();
        return runtime!.frontDoor.describe?.(arn);
      },
    };
    return {
      definition,
      cors: true,
      reset: async () => {
        if (!loading && !env.journal) return;
        await load();
        await runtime!.reset();
      },
      close: () => runtime?.close(),
      // Doctor sees the delivery streams; nothing to show before Firehose loads.
      live: firehoseSource(async () => {
        if (!loading && !env.journal) return [];
        await load();
        return runtime!.streams();
      }),
      frontDoors: { firehose: frontDoor },
    };
  },
};
