import type { Clock } from '../../core/clock.js';
import { kinesisSource } from '../../knowhow/live/collect.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import { EmbeddedStreams } from '../../storage/embedded/streams.js';
import type { StreamStorage } from '../../storage/types.js';
import type { ServiceFactory } from '../registry.js';
import type { StreamDeliveries, StreamFrontDoor } from './deliveries.js';
import { kinesisError, kinesisValidation } from './errors.js';
import type { KinesisStreamOptions } from './service.js';

export interface KinesisDefinition extends ServiceDefinition {
  /** Forgets what lives outside the streams (admin reset); nothing before the first request. */
  reset(): Promise<void>;
  /** Deliveries from other services; the first one loads Kinesis's code. */
  frontDoor: StreamFrontDoor;
}

export type KinesisOptions = KinesisStreamOptions;

/**
 * Amazon Kinesis Data Streams. Its code (shapes, operations, enhanced fan-out) loads on the first
 * Kinesis request: a run that never calls Kinesis does not pay for it at start-up, where its
 * modules were a fifth of the time.
 */
export function createKinesis(
  streams: StreamStorage,
  clock: Clock,
  options: KinesisOptions,
): KinesisDefinition {
  let reset: () => Promise<void> = options.commitments.clear.bind(options.commitments);
  let loading: Promise<void> | undefined;
  let deliveries: StreamDeliveries | undefined;
  const definition: KinesisDefinition = {
    name: 'kinesis',
    signingName: 'kinesis',
    json: {
      targetPrefix: 'Kinesis_20131202',
      contentType: 'application/x-amz-json-1.1',
      errorNamespace: '',
      queryCompatible: false,
      cbor: true,
    },
    operations: {},
    validation: kinesisValidation,
    unknownOperation: () => kinesisError.unknownOperation(),
    reset: () => reset(),
    frontDoor: {
      reader: streams,
      put: async (streamArn, records, origin) => {
        if (!deliveries) await definition.load?.();
        return deliveries!.put(streamArn, records, origin);
      },
    },
    load: () => {
      loading ??= import('./operations.js').then(({ kinesisOperations }) => {
        const built = kinesisOperations(streams, clock, options);
        definition.operations = built.operations;
        reset = built.reset;
        deliveries = built.deliveries;
        definition.load = undefined;
      });
      return loading;
    },
  };
  return definition;
}

/** Kinesis as the server builds it: streams and account settings in the journal. */
export const kinesisModule: ServiceFactory = {
  name: 'kinesis',
  create: ({ journal, clock, scheduler, log, settings, frontDoors, hints }) => {
    const streams = new EmbeddedStreams(clock, scheduler, log, journal);
    const kinesis = createKinesis(streams, clock, {
      commitments: new EmbeddedRecords('kinesisAccounts', journal, (c) => c.key),
      scheduler,
      log,
      statusDelayMs: settings.kinesisStatusDelayMs ?? 0,
      limits: settings.kinesisLimits,
      kms: frontDoors.kms,
      hints,
    });
    return {
      definition: kinesis,
      live: kinesisSource(streams),
      cors: true,
      reset: async () => {
        await streams.reset();
        await kinesis.reset();
      },
      close: () => undefined,
      frontDoors: { kinesis: kinesis.frontDoor },
    };
  },
};
