import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { RequestContext } from '../../protocols/service.js';
import type {
  StoredAttributeValue,
  SubscriptionRecord,
  TopicRecord,
  TopicStorage,
} from '../../storage/types.js';
import { archiveDays, type TopicArchive } from './archive.js';
import { type NotificationSigner, notificationTemplate } from './envelope.js';
import type { SubscriptionFilters } from './filters.js';
import { type FirehoseDelivery, firehoseRecord } from './firehose-delivery.js';
import { type HttpDelivery, retryPolicyOf, snsHttpHeaders } from './http-delivery.js';
import { SIGNING_CERT_PATH } from './index.js';
import { envelopeAttribute } from './message-attributes.js';
import type { Outbox } from './outbox.js';
import type { Publication } from './publication.js';
import type { QueueDelivery, QueueOutcome } from './queue-delivery.js';

// Raw delivery to SQS carries at most this many attributes; a message with more is not delivered.
const RAW_LIMIT_ATTRIBUTES = 10;

export interface FanOutDependencies {
  topics: TopicStorage;
  queues: QueueDelivery;
  http: HttpDelivery;
  outbox: Outbox;
  filters: SubscriptionFilters;
  archive: TopicArchive<Publication>;
  signer: () => NotificationSigner;
  /** Counts drops for `tideway doctor`. */
  hints?: HintRecorder;
  /** `firehose` subscriptions; without it (or without Firehose) they go to the outbox. */
  firehose?: FirehoseDelivery;
}

// What a drop for want of permission needs, by the kind of endpoint that refused.
const QUEUE_DROP_FIX =
  'Add a statement to the queue policy (and the dead-letter queue policy) allowing sns.amazonaws.com sqs:SendMessage with aws:SourceArn set to the topic ARN; for an encrypted queue, use a customer managed key whose key policy allows sns.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.';
const FIREHOSE_DROP_FIX =
  "Subscribe a DirectPut delivery stream of the subscription role's account (SubscriptionRoleArn), whose role may call firehose:PutRecordBatch on it; a dead-letter queue (RedrivePolicy) keeps what is refused.";

/**
 * Fan-out: each publication to every subscription that takes it, in the form its protocol gets.
 * The signed JSON envelope is built only for a subscription that receives one, once per text.
 */
export class FanOut {
  private readonly warned = new Set<string>();

  constructor(private readonly deps: FanOutDependencies) {}

  reset(): void {
    this.warned.clear();
    this.deps.firehose?.reset();
  }

  /** Delivers to every confirmed subscription at once; one slow or failing endpoint holds up no other. */
  async fanOut(p: Publication, ctx: RequestContext): Promise<void> {
    const days = p.topic.fifo ? archiveDays(p.topic.attributes.ArchivePolicy) : undefined;
    if (days !== undefined) this.deps.archive.add(p.topic.arn, p, days);
    const subs = this.deps.topics.subscriptionsOf(p.topic.arn);
    const deliveries: Promise<void>[] = [];
    for (const sub of subs) {
      // A replay with an ending point leaves the subscription out of new publications.
      if (sub.attributes.ReplayPolicy && JSON.parse(sub.attributes.ReplayPolicy).EndingPoint !== undefined)
        continue;
      if (!sub.confirmed || !this.deps.filters.matches(sub, p)) continue;
      let delivery: Promise<void> | undefined;
      try {
        delivery = this.deliver(sub, p, ctx);
      } catch (err) {
        ctx.log.error({ err, subscription: sub.arn }, 'delivery failed');
      }
      if (delivery) {
        deliveries.push(
          delivery.catch((err) => ctx.log.error({ err, subscription: sub.arn }, 'delivery failed')),
        );
      }
    }
    // Deliveries that storage took at once leave nothing to wait for.
    if (deliveries.length > 0) await Promise.all(deliveries);
  }

  private textFor(sub: SubscriptionRecord, p: Publication): string {
    return p.structured ? (p.structured[sub.protocol] ?? p.structured.default) : p.message;
  }

  private envelope(sub: SubscriptionRecord, p: Publication): string {
    const text = this.textFor(sub, p);
    p.envelopes ??= new Map();
    let template = p.envelopes.get(text);
    if (!template) {
      const version = p.topic.attributes.SignatureVersion === '2' ? '2' : '1';
      template = notificationTemplate({
        messageId: p.messageId,
        topicArn: p.topic.arn,
        subject: p.subject,
        message: text,
        timestamp: p.timestamp,
        sequenceNumber: p.sequenceNumber,
        // With MessageStructure=json no attributes travel.
        attributes: p.structured ? undefined : p.attributes,
        signing: p.topic.fifo
          ? undefined
          : { signer: this.deps.signer(), version, certUrl: `${p.baseUrl}${SIGNING_CERT_PATH}` },
      });
      p.envelopes.set(text, template);
    }
    return template(`${p.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`);
  }

  /** A promise only where the delivery has something left to wait for. */
  deliver(sub: SubscriptionRecord, p: Publication, ctx: RequestContext): Promise<void> | undefined {
    if (sub.protocol === 'firehose' && this.deps.firehose?.available) {
      return this.deliverToFirehose(sub, p, ctx, this.deps.firehose);
    }
    switch (sub.protocol) {
      case 'sqs':
        return this.deliverToQueue(sub, p, ctx);
      case 'http':
      case 'https':
        this.deliverOverHttp(sub, p, ctx);
        return undefined;
      default:
        this.deps.outbox.add({
          id: p.messageId,
          timestamp: p.timestamp,
          type: 'Notification',
          topicArn: p.topic.arn,
          subscriptionArn: sub.arn,
          protocol: sub.protocol,
          endpoint: sub.endpoint,
          subject: p.subject,
          message:
            sub.protocol === 'email' || sub.protocol === 'sms'
              ? this.textFor(sub, p)
              : sub.protocol === 'lambda'
                ? lambdaEvent(this.envelope(sub, p), sub.arn)
                : this.envelope(sub, p),
          messageAttributes:
            p.attributes && !p.structured
              ? Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [k, envelopeAttribute(v)]))
              : undefined,
        });
    }
    return undefined;
  }

  private deliverToQueue(
    sub: SubscriptionRecord,
    p: Publication,
    ctx: RequestContext,
  ): Promise<void> | undefined {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const attributes = raw && !p.structured ? p.attributes : undefined;
    if (attributes && Object.keys(attributes).length > RAW_LIMIT_ATTRIBUTES) {
      // A client-side error for this subscription: its dead-letter queue, if any, gets the body.
      const reason = 'raw delivery to SQS carries at most 10 message attributes';
      const message = { body: this.textFor(sub, p), groupId: p.groupId, deduplicationId: p.deduplicationId };
      return this.undeliverable(sub, p, message, { kind: 'rejected', reason }, ctx);
    }
    const body = raw ? this.textFor(sub, p) : this.envelope(sub, p);
    const sender = this.sender(p.topic, sub);
    const message = { body, attributes, groupId: p.groupId, deduplicationId: p.deduplicationId };
    const outcome = this.deps.queues.send(sub.endpoint, message, sender);
    if (outcome instanceof Promise) {
      return outcome.then((o) =>
        o.kind === 'delivered' ? undefined : this.undeliverable(sub, p, message, o, ctx),
      );
    }
    return outcome.kind === 'delivered' ? undefined : this.undeliverable(sub, p, message, outcome, ctx);
  }

  /** One record per message into the delivery stream, as the subscription's role. */
  private async deliverToFirehose(
    sub: SubscriptionRecord,
    p: Publication,
    ctx: RequestContext,
    firehose: FirehoseDelivery,
  ): Promise<void> {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const unsubscribeUrl = `${p.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`;
    const record = firehoseRecord(this.textFor(sub, p), p, raw, unsubscribeUrl);
    const outcome = await firehose.send(
      sub.endpoint,
      record,
      p.topic.arn,
      p.topic.account,
      sub.attributes.SubscriptionRoleArn,
    );
    if (outcome.kind === 'delivered') return;
    const message = { body: record.slice(0, -1), groupId: p.groupId, deduplicationId: p.deduplicationId };
    await this.undeliverable(sub, p, message, outcome, ctx, FIREHOSE_DROP_FIX);
  }

  /** Posted, not awaited: the endpoint's answer (or silence) holds up no other subscriber. */
  private deliverOverHttp(sub: SubscriptionRecord, p: Publication, ctx: RequestContext): void {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const body = raw ? this.textFor(sub, p) : this.envelope(sub, p);
    const headers = snsHttpHeaders('Notification', p.messageId, p.topic.arn, sub.arn);
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    const contentType = requestContentType(sub.attributes.DeliveryPolicy, p.topic.attributes.DeliveryPolicy);
    if (contentType) headers['content-type'] = contentType;
    const policy = retryPolicyOf(sub.attributes.DeliveryPolicy, p.topic.attributes.DeliveryPolicy);
    this.deps.http.deliver({ url: sub.endpoint, headers, body }, policy, () => {
      void this.undeliverable(
        sub,
        p,
        { body, groupId: p.groupId },
        { kind: 'rejected', reason: `${sub.endpoint} failed every delivery attempt` },
        ctx,
      );
    });
  }

  sender(topic: TopicRecord, sub: SubscriptionRecord) {
    return {
      topicArn: topic.arn,
      topicAccount: topic.account,
      subscriptionArn: sub.arn,
      fifoTopic: topic.fifo,
    };
  }

  /** A delivery that failed for good: to the subscription's dead-letter queue if it has one and may. */
  private async undeliverable(
    sub: SubscriptionRecord,
    p: Publication,
    message: {
      body: string;
      attributes?: Record<string, StoredAttributeValue>;
      groupId?: string;
      deduplicationId?: string;
    },
    outcome: Exclude<QueueOutcome, { kind: 'delivered' }> | { kind: 'missing'; reason: string },
    ctx: RequestContext,
    fix = QUEUE_DROP_FIX,
  ): Promise<void> {
    const why =
      outcome.kind === 'missing'
        ? 'reason' in outcome
          ? outcome.reason
          : `the queue ${sub.endpoint} does not exist`
        : outcome.reason;
    const redrive = sub.attributes.RedrivePolicy
      ? (JSON.parse(sub.attributes.RedrivePolicy) as { deadLetterTargetArn: string })
      : undefined;
    if (!redrive) {
      if (outcome.kind === 'denied')
        this.countDrop(sub, `${why}; the subscription has no dead-letter queue`, fix);
      this.warnOnce(
        ctx,
        sub.arn,
        { subscription: sub.arn, queue: sub.endpoint },
        `message ${p.messageId} dropped: ${why}`,
      );
      return;
    }
    const sender = this.sender(p.topic, sub);
    const dead = await this.deps.queues.send(redrive.deadLetterTargetArn, message, sender);
    if (dead.kind === 'delivered') {
      ctx.log.debug(
        { subscription: sub.arn, deadLetterQueue: redrive.deadLetterTargetArn },
        `message moved to the dead-letter queue: ${why}`,
      );
      return;
    }
    const deadWhy =
      dead.kind === 'missing'
        ? `the dead-letter queue ${redrive.deadLetterTargetArn} does not exist`
        : dead.reason;
    if (outcome.kind === 'denied' || dead.kind === 'denied') {
      this.countDrop(sub, `${why}, and the dead-letter queue refused it: ${deadWhy}`, fix);
    }
    this.warnOnce(
      ctx,
      `${sub.arn}:dlq`,
      { subscription: sub.arn, queue: sub.endpoint, deadLetterQueue: redrive.deadLetterTargetArn },
      `message ${p.messageId} dropped: ${why}, and the dead-letter queue refused it: ${deadWhy}`,
    );
  }

  private countDrop(sub: SubscriptionRecord, why: string, fix: string): void {
    this.deps.hints?.record(
      {
        kind: 'dropped-deliveries',
        resource: sub.arn,
        message: `SNS dropped messages of ${sub.arn} to ${sub.endpoint}: ${why}.`,
        fix,
      },
      // warnOnce below says it already, once per subscription.
      true,
    );
  }

  /** Policy problems repeat on every message: say it once per subscription, then at debug level. */
  private warnOnce(ctx: RequestContext, key: string, fields: Record<string, string>, text: string): void {
    if (this.warned.has(key)) {
      ctx.log.debug(fields, text);
      return;
    }
    this.warned.add(key);
    ctx.log.warn(fields, text);
  }
}

/**
 * The event a Lambda function gets (Lambda guide, "Using Lambda with Amazon SNS"): the notification
 * under Records[0].Sns, with AWS's spellings SigningCertUrl and UnsubscribeUrl.
 */
function lambdaEvent(envelope: string, subscriptionArn: string): string {
  const n = JSON.parse(envelope) as Record<string, unknown>;
  const { SigningCertURL, UnsubscribeURL, ...rest } = n;
  const sns = {
    ...rest,
    Subject: n.Subject ?? null,
    MessageAttributes: n.MessageAttributes ?? {},
    SigningCertUrl: SigningCertURL,
    UnsubscribeUrl: UnsubscribeURL,
  };
  return JSON.stringify({
    Records: [
      { EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subscriptionArn, Sns: sns },
    ],
  });
}

/** A delivery policy's requestPolicy.headerContentType, the subscription's before the topic's. */
function requestContentType(...policies: Array<string | undefined>): string | undefined {
  for (const text of policies) {
    if (!text) continue;
    try {
      const doc = JSON.parse(text) as {
        requestPolicy?: { headerContentType?: string };
        http?: { defaultRequestPolicy?: { headerContentType?: string } };
      };
      const found = doc.requestPolicy?.headerContentType ?? doc.http?.defaultRequestPolicy?.headerContentType;
      if (found) return found;
    } catch {
      // Checked when set.
    }
  }
  return undefined;
}
