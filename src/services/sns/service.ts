import type { Clock } from '../../core/clock.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { TopicStorage } from '../../storage/types.js';
import { TopicArchive } from './archive.js';
import type { TopicEncryption } from './encryption.js';
import type { NotificationSigner } from './envelope.js';
import { FanOut } from './fan-out.js';
import { SubscriptionFilters } from './filters.js';
import type { FirehoseDelivery } from './firehose-delivery.js';
import type { HttpDelivery } from './http-delivery.js';
import type { Outbox } from './outbox.js';
import type { PlatformService } from './platform.js';
import type { Publication } from './publication.js';
import { PublishOperations } from './publish.js';
import type { QueueDelivery } from './queue-delivery.js';
import type { SmsService } from './sms.js';
import { SubscriptionOperations } from './subscriptions.js';
import { TopicOperations } from './topics.js';

export interface SnsDependencies {
  topics: TopicStorage;
  clock: Clock;
  queues: QueueDelivery;
  http: HttpDelivery;
  outbox: Outbox;
  platform: PlatformService;
  sms: SmsService;
  signer: () => NotificationSigner;
  encryption?: TopicEncryption;
  hints?: HintRecorder;
  firehose?: FirehoseDelivery;
}

/**
 * Amazon SNS's topics, subscriptions and publications, and the fan-out between them, wired
 * together over the memory they share: compiled filter policies and the FIFO topics' archive.
 */
export class SnsService {
  readonly topics: TopicOperations;
  readonly subscriptions: SubscriptionOperations;
  readonly publishing: PublishOperations;
  readonly fanOut: FanOut;
  private readonly filters = new SubscriptionFilters();
  private readonly archive = new TopicArchive<Publication>();

  constructor(private readonly deps: SnsDependencies) {
    this.topics = new TopicOperations({
      storage: deps.topics,
      clock: deps.clock,
      forgetTopic: (topicArn, subscriptions) => {
        for (const sub of subscriptions) this.filters.forget(sub.arn);
        this.archive.drop(topicArn);
      },
    });
    this.fanOut = new FanOut({
      topics: deps.topics,
      queues: deps.queues,
      http: deps.http,
      outbox: deps.outbox,
      filters: this.filters,
      archive: this.archive,
      signer: deps.signer,
      hints: deps.hints,
      firehose: deps.firehose,
    });
    this.subscriptions = new SubscriptionOperations({
      storage: deps.topics,
      clock: deps.clock,
      topicOps: this.topics,
      filters: this.filters,
      fanOut: this.fanOut,
      archive: this.archive,
      queues: deps.queues,
      http: deps.http,
      outbox: deps.outbox,
      signer: deps.signer,
    });
    this.publishing = new PublishOperations({
      clock: deps.clock,
      storage: deps.topics,
      topicOps: this.topics,
      fanOut: this.fanOut,
      outbox: deps.outbox,
      platform: deps.platform,
      sms: deps.sms,
      encryption: deps.encryption,
    });
  }

  reset(): void {
    this.topics.reset();
    this.subscriptions.reset();
    this.fanOut.reset();
    this.filters.clear();
    this.archive.clear();
    this.deps.outbox.clear();
  }
}
