import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import { snsSource } from '../../knowhow/live/collect.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { HttpReply, ServiceDefinition } from '../../protocols/service.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import { EmbeddedTopics } from '../../storage/embedded/topics.js';
import type { RecordStore, TopicStorage } from '../../storage/types.js';
import type { KeyFrontDoor } from '../kms/front-door.js';
import type { FrontDoors, ServiceFactory } from '../registry.js';
import type { QueueFrontDoor } from '../sqs/deliveries.js';
import { snsError, snsValidation } from './errors.js';
import type { TopicFrontDoor } from './front-door.js';
import type { SnsParts } from './operations.js';
import type { PlatformApplication, PlatformEndpoint } from './platform.js';
import type { SmsAccount } from './sms.js';

export const SNS_QUERY_VERSION = '2010-03-31';
/** Where AWS serves the certificate that signs SNS messages, on the SNS endpoint. */
export const SIGNING_CERT_PATH = '/SimpleNotificationService-7469646577617900000000000000000a.pem';

export interface SnsOptions {
  topics: TopicStorage;
  records: {
    platformApplications: RecordStore<PlatformApplication>;
    platformEndpoints: RecordStore<PlatformEndpoint>;
    sms: RecordStore<SmsAccount>;
  };
  /** SQS's entry for deliveries from other services. */
  queues: QueueFrontDoor;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  /** Deliver to queues whose policy does not let SNS in (still warning), instead of dropping. */
  lenientPolicies?: boolean;
  /** KMS's front door, for topics with KmsMasterKeyId. */
  kms?: KeyFrontDoor;
  /** Drops counted for `tideway doctor`. */
  hints?: HintRecorder;
  /** Every service's front doors, read at delivery time (Firehose, for `firehose` subscriptions, is built after SNS). */
  frontDoors?: FrontDoors;
}

export interface SnsDefinition extends ServiceDefinition {
  /** Drops every SNS record and what the service keeps in memory. */
  reset(): Promise<void>;
  /** Ends deliveries still in flight. */
  close(): void;
  /** What SNS would have sent off the machine (the admin view), as filtered. */
  outbox(filter: { topicArn?: string; protocol?: string; endpoint?: string }): Promise<unknown[]>;
  /** The certificate behind every signature, in PEM, as served at SIGNING_CERT_PATH. */
  certificate(): Promise<HttpReply>;
  /** Publications from other services; the first one loads SNS's code. */
  frontDoor: TopicFrontDoor;
}

/**
 * Amazon SNS. Its code (shapes, operations, deliveries, signing) loads on the first request that
 * needs it: a run that only uses SQS does not pay for it at start-up. Its records are in storage
 * from the start, so nothing waits on the load but SNS's own calls.
 */
export function createSns(options: SnsOptions): SnsDefinition {
  let parts: SnsParts | undefined;
  let loading: Promise<SnsParts> | undefined;
  const load = (): Promise<SnsParts> => {
    loading ??= import('./operations.js').then(({ snsOperations }) => {
      parts = snsOperations(options);
      definition.operations = parts.operations;
      definition.load = undefined;
      return parts;
    });
    return loading;
  };
  const definition: SnsDefinition = {
    name: 'sns',
    signingName: 'sns',
    query: { version: SNS_QUERY_VERSION, xmlNamespace: `http://sns.amazonaws.com/doc/${SNS_QUERY_VERSION}/` },
    operations: {},
    validation: snsValidation,
    unversionedActions: ['ConfirmSubscription', 'Unsubscribe'],
    unknownOperation: (_protocol, name) => snsError.notSupported(name),
    load: async () => {
      await load();
    },
    close: () => parts?.close(),
    reset: async () => {
      if (parts) return parts.reset();
      // Nothing of SNS is in memory yet: its stored records are all there is to drop.
      const { records } = options;
      await Promise.all([
        records.platformApplications.clear(),
        records.platformEndpoints.clear(),
        records.sms.clear(),
      ]);
    },
    outbox: async (filter) => (parts ? parts.outbox.list(filter) : []),
    certificate: async () => ({
      status: 200,
      headers: { 'content-type': 'application/x-pem-file' },
      body: (await load()).certificate(),
    }),
    frontDoor: {
      publish: async (topicArn, message, origin) =>
        (await load()).frontDoor.publish(topicArn, message, origin),
      policy: async (topicArn) => options.topics.getTopic(topicArn)?.attributes.Policy,
    },
  };
  return definition;
}

/** SNS as the server builds it: topics and platform records in the journal, deliveries to the queue engine. */
export const snsModule: ServiceFactory = {
  name: 'sns',
  create: ({ journal, frontDoors, clock, scheduler, log, settings, hints }) => {
    const queues = frontDoors.sqs;
    if (!queues) throw new Error('SNS delivers to SQS: build SQS first');
    const topics = new EmbeddedTopics(journal);
    const sns = createSns({
      topics,
      records: {
        platformApplications: new EmbeddedRecords('platformApplications', journal, (a) => a.arn),
        platformEndpoints: new EmbeddedRecords('platformEndpoints', journal, (e) => e.arn),
        sms: new EmbeddedRecords('sms', journal, (a) => a.key),
      },
      queues,
      clock,
      scheduler,
      log,
      lenientPolicies: settings.lenientPolicies,
      kms: frontDoors.kms,
      hints,
      frontDoors,
    });
    return {
      definition: sns,
      live: snsSource(topics),
      cors: true,
      reset: async () => {
        await topics.reset();
        await sns.reset();
      },
      close: () => sns.close(),
      views: {
        'sns/outbox': async (query) => ({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            messages: await sns.outbox({
              topicArn: query.get('topicArn') ?? undefined,
              protocol: query.get('protocol') ?? undefined,
              endpoint: query.get('endpoint') ?? undefined,
            }),
          }),
        }),
      },
      documents: { [SIGNING_CERT_PATH]: () => sns.certificate() },
      frontDoors: { sns: sns.frontDoor },
    };
  },
};
