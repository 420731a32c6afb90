import { SNS_OPERATIONS, type SnsOperationName } from '../../protocols/models/sns.js';
import { type Operation, operationTable, type RequestContext } from '../../protocols/service.js';
import { TopicEncryption } from './encryption.js';
import { snsError } from './errors.js';
import { FirehoseDelivery } from './firehose-delivery.js';
import { TopicDeliveries, type TopicFrontDoor } from './front-door.js';
import { HttpDelivery } from './http-delivery.js';
import type { SnsOptions } from './index.js';
import { Outbox } from './outbox.js';
import { PlatformService } from './platform.js';
import { QueueDelivery } from './queue-delivery.js';
import { SnsService } from './service.js';
import { SnsSigner } from './signing.js';
import { SmsService } from './sms.js';

/** What SNS is once its code is loaded (see index.ts): its operations and what the server asks of it. */
export interface SnsParts {
  operations: Record<string, Operation>;
  outbox: Outbox;
  reset(): Promise<void>;
  close(): void;
  certificate(): string;
  /** The entry for other services' publications (see front-door.ts). */
  frontDoor: TopicFrontDoor;
}

export function snsOperations(options: SnsOptions): SnsParts {
  const outbox = new Outbox();
  // RSA key generation takes a few hundred milliseconds: not at start-up, which must stay fast.
  // The first topic starts it on the thread pool; a signature needed before that makes it at once.
  let signer: SnsSigner | undefined;
  let warming = false;
  const warmSigner = () => {
    if (warming) return;
    warming = true;
    void SnsSigner.createAsync().then(
      (made) => {
        signer ??= made;
      },
      (err: unknown) => options.log.warn({ err }, 'could not prepare the SNS signing key'),
    );
  };
  const getSigner = () => {
    signer ??= SnsSigner.create();
    return signer;
  };
  const http = new HttpDelivery(options.scheduler, options.clock, options.log);
  const platform = new PlatformService(
    options.records.platformApplications,
    options.records.platformEndpoints,
  );
  const sms = new SmsService(options.records.sms, outbox, options.clock);
  const encryption = new TopicEncryption(options.kms, options.clock);
  const sns = new SnsService({
    encryption,
    platform,
    sms,
    topics: options.topics,
    clock: options.clock,
    queues: new QueueDelivery(options.queues, options.log, options.lenientPolicies === true),
    http,
    outbox,
    signer: getSigner,
    hints: options.hints,
    firehose: options.frontDoors
      ? new FirehoseDelivery(options.frontDoors, options.log, options.hints)
      : undefined,
  });
  type Handler = (input: any, ctx: RequestContext) => unknown;
  const unsupported =
    (name: string): Handler =>
    () => {
      throw snsError.notSupported(name);
    };
  const handlers: Partial<Record<SnsOperationName, Handler>> = {
    AddPermission: (i, c) => sns.topics.addPermission(i, c),
    CheckIfPhoneNumberIsOptedOut: (i, c) => sms.checkIfPhoneNumberIsOptedOut(i, c),
    CreatePlatformApplication: (i, c) => platform.createPlatformApplication(i, c),
    CreatePlatformEndpoint: (i, c) => platform.createPlatformEndpoint(i, c),
    CreateSMSSandboxPhoneNumber: (i, c) => sms.createSMSSandboxPhoneNumber(i, c),
    DeleteEndpoint: (i, c) => platform.deleteEndpoint(i, c),
    DeletePlatformApplication: (i, c) => platform.deletePlatformApplication(i, c),
    DeleteSMSSandboxPhoneNumber: (i, c) => sms.deleteSMSSandboxPhoneNumber(i, c),
    GetEndpointAttributes: (i, c) => platform.getEndpointAttributes(i, c),
    GetPlatformApplicationAttributes: (i, c) => platform.getPlatformApplicationAttributes(i, c),
    GetSMSAttributes: (i, c) => sms.getSMSAttributes(i, c),
    GetSMSSandboxAccountStatus: () => sms.getSMSSandboxAccountStatus(),
    ListEndpointsByPlatformApplication: (i, c) => platform.listEndpointsByPlatformApplication(i, c),
    ListOriginationNumbers: (i) => sms.listOriginationNumbers(i),
    ListPhoneNumbersOptedOut: (i, c) => sms.listPhoneNumbersOptedOut(i, c),
    ListPlatformApplications: (i, c) => platform.listPlatformApplications(i, c),
    ListSMSSandboxPhoneNumbers: (i, c) => sms.listSMSSandboxPhoneNumbers(i, c),
    OptInPhoneNumber: (i, c) => sms.optInPhoneNumber(i, c),
    SetEndpointAttributes: (i, c) => platform.setEndpointAttributes(i, c),
    SetPlatformApplicationAttributes: (i, c) => platform.setPlatformApplicationAttributes(i, c),
    SetSMSAttributes: (i, c) => sms.setSMSAttributes(i, c),
    VerifySMSSandboxPhoneNumber: (i, c) => sms.verifySMSSandboxPhoneNumber(i, c),
    ConfirmSubscription: (i, c) => sns.subscriptions.confirmSubscription(i, c),
    CreateTopic: (i, c) => {
      warmSigner();
      return sns.topics.createTopic(i, c);
    },
    DeleteTopic: (i, c) => sns.topics.deleteTopic(i, c),
    GetDataProtectionPolicy: (i, c) => sns.topics.getDataProtectionPolicy(i, c),
    GetSubscriptionAttributes: (i, c) => sns.subscriptions.getSubscriptionAttributes(i, c),
    GetTopicAttributes: (i, c) => sns.topics.getTopicAttributes(i, c),
    ListSubscriptions: (i, c) => sns.subscriptions.listSubscriptions(i, c),
    ListSubscriptionsByTopic: (i, c) => sns.subscriptions.listSubscriptionsByTopic(i, c),
    ListTagsForResource: (i, c) => sns.topics.listTagsForResource(i, c),
    ListTopics: (i, c) => sns.topics.listTopics(i, c),
    Publish: (i, c) => sns.publishing.publish(i, c),
    PublishBatch: (i, c) => sns.publishing.publishBatch(i, c),
    PutDataProtectionPolicy: (i, c) => sns.topics.putDataProtectionPolicy(i, c),
    RemovePermission: (i, c) => sns.topics.removePermission(i, c),
    SetSubscriptionAttributes: (i, c) => sns.subscriptions.setSubscriptionAttributes(i, c),
    SetTopicAttributes: (i, c) => sns.topics.setTopicAttributes(i, c),
    Subscribe: (i, c) => sns.subscriptions.subscribe(i, c),
    TagResource: (i, c) => sns.topics.tagResource(i, c),
    Unsubscribe: (i, c) => sns.subscriptions.unsubscribe(i, c),
    UntagResource: (i, c) => sns.topics.untagResource(i, c),
  };
  const operations = operationTable(SNS_OPERATIONS, handlers, unsupported);
  return {
    operations,
    outbox,
    close: () => http.close(),
    reset: async () => {
      sns.reset();
      encryption.reset();
      await platform.reset();
      await sms.reset();
    },
    certificate: () => getSigner().certificatePem,
    frontDoor: new TopicDeliveries({
      topics: options.topics,
      publishing: sns.publishing,
      log: options.log,
      lenientPolicies: options.lenientPolicies === true,
      encryption,
    }),
  };
}
