import { randomBytes, randomUUID } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { SubscriptionRecord, TopicRecord, TopicStorage } from '../../storage/types.js';
import { parseReplayPolicy, type TopicArchive } from './archive.js';
import { documentJson, type NotificationSigner, snsTimestamp } from './envelope.js';
import { snsError } from './errors.js';
import type { FanOut } from './fan-out.js';
import type { SubscriptionFilters } from './filters.js';
import { type HttpDelivery, retryPolicyOf, snsHttpHeaders } from './http-delivery.js';
import { SIGNING_CERT_PATH } from './index.js';
import type { Outbox } from './outbox.js';
import { paginate } from './paging.js';
import type { Publication } from './publication.js';
import type { QueueDelivery } from './queue-delivery.js';
import { isPhoneNumber } from './sms.js';
import { checkSubscriptionAttribute, PROTOCOLS, subscriptionAttributes } from './subscription-attributes.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './topic-attributes.js';
import type { TopicOperations } from './topics.js';

// Confirmation tokens of cross-account subscriptions stop working after two days.
const TOKEN_LIFETIME_MS = 2 * 24 * 3600_000;

// Confirmation tokens are long hex strings, as AWS's are; anything else is "Invalid token".
const CONFIRMATION_TOKEN = /^[0-9a-f]+$/;

function confirmationToken(): string {
  return randomBytes(144).toString('hex');
}

export interface SubscriptionDependencies {
  storage: TopicStorage;
  clock: Clock;
  topicOps: TopicOperations;
  filters: SubscriptionFilters;
  fanOut: FanOut;
  archive: TopicArchive<Publication>;
  queues: QueueDelivery;
  http: HttpDelivery;
  outbox: Outbox;
  signer: () => NotificationSigner;
}

/** Subscriptions: subscribing, confirming, unsubscribing, their attributes and replays. */
export class SubscriptionOperations {
  private readonly storage: TopicStorage;
  /** Subscriptions an UnsubscribeConfirmation link can bring back, by its token. */
  private readonly restorable = new Map<string, SubscriptionRecord>();

  constructor(private readonly deps: SubscriptionDependencies) {
    this.storage = deps.storage;
  }

  reset(): void {
    this.restorable.clear();
  }

  private checkEndpoint(protocol: string, endpoint: string, topic: TopicRecord): void {
    const bad = () => snsError.invalidParameter('Endpoint', 'Endpoint is invalid for the given protocol');
    switch (protocol) {
      case 'sqs': {
        const arn = parseArn(endpoint);
        if (arn?.service !== 'sqs') throw snsError.invalidParameter('SQS endpoint ARN');
        if (arn.resource.endsWith('.fifo') && !topic.fifo) {
          throw snsError.invalidParameterText(
            // AWS really doubles the prefix here.
            'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
          );
        }
        break;
      }
      case 'http':
      case 'https':
        if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw bad();
        break;
      case 'email':
      case 'email-json':
        if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw bad();
        break;
      case 'sms':
        if (!isPhoneNumber(endpoint))
          throw snsError.invalidParameterText(`Invalid SMS endpoint: ${endpoint}`);
        break;
      case 'lambda':
      case 'firehose':
      case 'application':
        if (!parseArn(endpoint)) throw bad();
        break;
    }
    if (topic.fifo && !['sqs', 'firehose'].includes(protocol)) {
      throw snsError.invalidParameterText('Invalid parameter: Invalid protocol type: ' + protocol);
    }
  }

  /** Topics raised above 256 KiB take at most 100 subscriptions, of sqs, lambda and firehose only. */
  private checkLargeTopic(topic: TopicRecord, protocol: string): void {
    if (Number(topic.attributes.MaximumMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE) <= DEFAULT_MAX_MESSAGE_SIZE)
      return;
    if (!['sqs', 'lambda', 'firehose'].includes(protocol)) {
      throw snsError.invalidParameter(
        'Protocol',
        'Topics with MaximumMessageSize above 256 KiB support sqs, lambda and firehose subscriptions only',
      );
    }
    if (this.storage.subscriptionsOf(topic.arn).length >= 100) {
      throw snsError.invalidParameter(
        'TopicArn',
        'Topics with MaximumMessageSize above 256 KiB support at most 100 subscriptions',
      );
    }
  }

  async subscribe(input: Sns.SubscribeInput, ctx: RequestContext): Promise<Sns.SubscribeResponse> {
    const topic = this.deps.topicOps.topic(input.TopicArn, ctx, 'Subscribe');
    const protocol = (input.Protocol ?? '').toLowerCase();
    if (!PROTOCOLS.has(protocol)) {
      throw snsError.invalidParameter(`Amazon SNS does not support this protocol string: ${input.Protocol}`);
    }
    const endpoint = input.Endpoint ?? '';
    this.checkEndpoint(protocol, endpoint, topic);
    const attributes = { ...(input.Attributes ?? {}) };
    for (const [name, value] of Object.entries(attributes))
      checkSubscriptionAttribute(name, value, protocol, true);
    if (protocol === 'firehose' && !attributes.SubscriptionRoleArn) {
      throw snsError.invalidParameter(
        'Attributes',
        'SubscriptionRoleArn is required for firehose subscriptions',
      );
    }
    this.deps.filters.compile({ attributes }, true);
    if (attributes.RedrivePolicy) checkRedriveTarget(topic, endpoint, attributes.RedrivePolicy);
    this.checkLargeTopic(topic, protocol);
    if (attributes.ReplayPolicy) this.replayWindow(topic, attributes.ReplayPolicy);
    const existing = this.storage
      .subscriptionsOf(topic.arn)
      .find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) {
      for (const [name, value] of Object.entries(attributes)) {
        if ((existing.attributes[name] ?? '') !== value) {
          throw snsError.invalidParameter(
            'Attributes',
            'Subscription already exists with different attributes',
          );
        }
      }
      return {
        SubscriptionArn:
          existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : 'pending confirmation',
      };
    }
    const endpointAccount =
      protocol === 'sqs' || protocol === 'lambda' ? parseArn(endpoint)?.account : undefined;
    // Queues and functions need no confirmation when the topic's owner or the endpoint's owner
    // subscribes them (SNS guide, "Sending messages to an Amazon SQS queue in a different account");
    // phones and apps never do.
    const confirmed =
      ((protocol === 'sqs' || protocol === 'lambda') &&
        (endpointAccount === topic.account || endpointAccount === ctx.caller.account)) ||
      protocol === 'sms' ||
      protocol === 'application' ||
      protocol === 'firehose';
    const now = this.deps.clock.now();
    const sub: SubscriptionRecord = {
      arn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      owner: ctx.caller.account,
      protocol,
      endpoint,
      attributes,
      confirmed,
      createdAt: now,
    };
    if (!confirmed) {
      sub.token = confirmationToken();
      sub.tokenExpiresAt = now + TOKEN_LIFETIME_MS;
    }
    await this.storage.putSubscription(sub);
    if (!confirmed) await this.sendConfirmation(topic, sub, ctx.baseUrl);
    else if (attributes.ReplayPolicy) await this.replay(sub, ctx);
    return { SubscriptionArn: confirmed || input.ReturnSubscriptionArn ? sub.arn : 'pending confirmation' };
  }

  /** A signed SubscriptionConfirmation or UnsubscribeConfirmation document, as AWS lays it out. */
  private confirmationDocument(
    type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
    topic: TopicRecord,
    token: string,
    message: string,
    baseUrl: string,
  ) {
    const messageId = randomUUID();
    const timestamp = snsTimestamp(this.deps.clock.now());
    const subscribeUrl = `${baseUrl}/?Action=ConfirmSubscription&TopicArn=${topic.arn}&Token=${token}`;
    const version = topic.attributes.SignatureVersion === '2' ? '2' : '1';
    const signed = {
      Type: type,
      MessageId: messageId,
      Token: token,
      TopicArn: topic.arn,
      Message: message,
      SubscribeURL: subscribeUrl,
      Timestamp: timestamp,
    };
    const json = documentJson([
      ...(Object.entries(signed) as Array<[string, string]>),
      ['SignatureVersion', version],
      ['Signature', this.deps.signer().sign(signed, version)],
      ['SigningCertURL', `${baseUrl}${SIGNING_CERT_PATH}`],
    ]);
    return { json, messageId, timestamp, subscribeUrl };
  }

  /** The confirmation request AWS sends: into the queue for SQS, to the outbox for email. */
  private async sendConfirmation(
    topic: TopicRecord,
    sub: SubscriptionRecord,
    baseUrl: string,
  ): Promise<void> {
    const message = `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
    const { json, messageId, timestamp, subscribeUrl } = this.confirmationDocument(
      'SubscriptionConfirmation',
      topic,
      sub.token ?? '',
      message,
      baseUrl,
    );
    if (sub.protocol === 'sqs') {
      await this.deps.queues.send(sub.endpoint, { body: json }, this.deps.fanOut.sender(topic, sub));
      return;
    }
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const post = {
        url: sub.endpoint,
        headers: snsHttpHeaders('SubscriptionConfirmation', messageId, topic.arn),
        body: json,
      };
      this.deps.http.deliver(post, retryPolicyOf(topic.attributes.DeliveryPolicy), () => undefined);
      return;
    }
    this.deps.outbox.add({
      id: messageId,
      timestamp,
      type: 'SubscriptionConfirmation',
      topicArn: topic.arn,
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      message: sub.protocol === 'email' ? `${message}\n${subscribeUrl}` : json,
      token: sub.token,
      subscribeUrl,
    });
  }

  async confirmSubscription(
    input: Sns.ConfirmSubscriptionInput,
    ctx: RequestContext,
  ): Promise<Sns.ConfirmSubscriptionResponse> {
    // The token is the credential: SubscribeURL links are followed unsigned, from anywhere. A
    // topic that does not exist is no different from a wrong token: nothing tells them apart.
    const topicArn = input.TopicArn;
    const parsed = topicArn === undefined ? undefined : parseArn(topicArn);
    if (parsed?.service !== 'sns' || parsed.region !== ctx.caller.region)
      throw snsError.invalidParameter('Topic');
    if (!CONFIRMATION_TOKEN.test(input.Token ?? '')) throw snsError.invalidParameterText('Invalid token');
    const topic = this.storage.getTopic(topicArn!);
    if (!topic) throw snsError.invalidParameter('Token');
    const restoring = input.Token ? this.restorable.get(input.Token) : undefined;
    const sub =
      this.storage.subscriptionsOf(topic.arn).find((s) => s.token !== undefined && s.token === input.Token) ??
      (restoring?.topicArn === topic.arn ? restoring : undefined);
    if (!sub) throw snsError.invalidParameter('Token');
    if ((sub.tokenExpiresAt ?? 0) <= this.deps.clock.now())
      throw snsError.invalidParameter('Token', 'Token has expired');
    if (restoring === sub) this.restorable.delete(input.Token!);
    if (!sub.confirmed || restoring === sub) {
      const signed = ctx.caller.accessKeyId !== undefined;
      await this.storage.putSubscription({
        ...sub,
        confirmed: true,
        confirmationAuthenticated: signed,
        // Signed confirmations may ask that only the owners can unsubscribe from then on.
        authenticateOnUnsubscribe: signed && input.AuthenticateOnUnsubscribe === 'true',
      });
    }
    return { SubscriptionArn: sub.arn };
  }

  private subscription(arn: string | undefined, ctx: RequestContext, action: string): SubscriptionRecord {
    const sub = this.findSubscription(arn);
    if (!sub) throw snsError.subscriptionNotFound();
    this.checkSubscriptionOwner(sub, ctx, action);
    return sub;
  }

  private findSubscription(arn: string | undefined): SubscriptionRecord | undefined {
    if (arn === undefined)
      throw snsError.invalidParameter('SubscriptionArn', 'no value for required parameter');
    const parsed = parseArn(arn);
    if (!parsed) throw snsError.shortArn('SubscriptionArn', arn);
    if (parsed.service !== 'sns') throw snsError.invalidParameter('SubscriptionArn');
    // A topic's ARN (no subscription id after the topic name) is not a subscription's.
    if (!parsed.resource.includes(':')) throw snsError.invalidParameter('SubscriptionId');
    return this.storage.getSubscription(arn);
  }

  /** Only the subscription's owner and the topic's owner act on a subscription. */
  private checkSubscriptionOwner(sub: SubscriptionRecord, ctx: RequestContext, action: string): void {
    const topic = this.storage.getTopic(sub.topicArn);
    if (sub.owner !== ctx.caller.account && topic?.account !== ctx.caller.account) {
      throw snsError.authorization(`arn:aws:iam::${ctx.caller.account}:root`, `SNS:${action}`, sub.arn);
    }
  }

  /**
   * SNS API Reference, Unsubscribe: a subscription that is gone is no error; an unsigned call (an
   * UnsubscribeURL followed from a message) works unless the subscription is an SQS queue's or was
   * confirmed with AuthenticateOnUnsubscribe. Either way a confirmed HTTP/S endpoint is told, with
   * a signed UnsubscribeConfirmation whose link undoes it (SNS guide, "HTTP/HTTPS unsubscribe
   * confirmation JSON format").
   */
  async unsubscribe(input: Sns.UnsubscribeInput, ctx: RequestContext): Promise<void> {
    const sub = this.findSubscription(input.SubscriptionArn);
    if (!sub) return;
    const anonymous = ctx.caller.accessKeyId === undefined;
    if (anonymous && (sub.protocol === 'sqs' || sub.authenticateOnUnsubscribe)) {
      throw snsError.authorizationText('Unsubscribing this subscription requires an AWS signature');
    }
    if (!anonymous) this.checkSubscriptionOwner(sub, ctx, 'Unsubscribe');
    if (sub.confirmed && (sub.protocol === 'http' || sub.protocol === 'https'))
      this.sendUnsubscribed(sub, ctx.baseUrl);
    this.deps.filters.forget(sub.arn);
    this.deps.topicOps.countDeletedSubscription(sub.topicArn);
    await this.storage.deleteSubscription(sub.arn);
  }

  getSubscriptionAttributes(
    input: Sns.GetSubscriptionAttributesInput,
    ctx: RequestContext,
  ): Sns.GetSubscriptionAttributesResponse {
    const sub = this.subscription(input.SubscriptionArn, ctx, 'GetSubscriptionAttributes');
    return { Attributes: subscriptionAttributes(sub, this.storage.getTopic(sub.topicArn)) };
  }

  async setSubscriptionAttributes(
    input: Sns.SetSubscriptionAttributesInput,
    ctx: RequestContext,
  ): Promise<void> {
    const sub = this.subscription(input.SubscriptionArn, ctx, 'SetSubscriptionAttributes');
    const name = input.AttributeName!;
    const value = input.AttributeValue ?? '';
    checkSubscriptionAttribute(name, value, sub.protocol, false);
    const attributes = { ...sub.attributes };
    if (value === '') delete attributes[name];
    else attributes[name] = value;
    this.deps.filters.compile({ attributes });
    const topic = this.storage.getTopic(sub.topicArn);
    if (name === 'RedrivePolicy' && value !== '' && topic) checkRedriveTarget(topic, sub.endpoint, value);
    if (name === 'ReplayPolicy' && value !== '' && topic) this.replayWindow(topic, value);
    if (name === 'ReplayPolicy' && value !== '') {
      await this.replay({ ...sub, attributes }, ctx);
      return;
    }
    await this.storage.putSubscription({ ...sub, attributes });
  }

  private replayWindow(topic: TopicRecord, policy: string) {
    if (!topic.fifo)
      throw snsError.invalidParameter('ReplayPolicy', 'Replay is only supported for FIFO topics');
    return parseReplayPolicy(policy, topic.attributes.BeginningArchiveTime, this.deps.clock.now());
  }

  /** Redelivers the archived messages a ReplayPolicy selects, through the subscription's filter. */
  private async replay(sub: SubscriptionRecord, ctx: RequestContext): Promise<void> {
    const topic = this.storage.getTopic(sub.topicArn);
    if (!topic) return;
    const window = this.replayWindow(topic, sub.attributes.ReplayPolicy!);
    await this.storage.putSubscription({
      ...sub,
      attributes: { ...sub.attributes, ReplayStatus: 'In progress' },
    });
    for (const p of this.deps.archive.window(topic.arn, window)) {
      if (this.deps.filters.matches(sub, p)) await this.deps.fanOut.deliver(sub, p, ctx);
    }
    await this.storage.putSubscription({
      ...sub,
      attributes: { ...sub.attributes, ReplayStatus: 'Completed' },
    });
  }

  listSubscriptions(input: Sns.ListSubscriptionsInput, ctx: RequestContext): Sns.ListSubscriptionsResponse {
    const subs = this.storage.listSubscriptions(ctx.caller.account, ctx.caller.region);
    const { page, next } = paginate(subs, input.NextToken);
    return { Subscriptions: page.map(describeSubscription), NextToken: next };
  }

  listSubscriptionsByTopic(
    input: Sns.ListSubscriptionsByTopicInput,
    ctx: RequestContext,
  ): Sns.ListSubscriptionsByTopicResponse {
    const topic = this.deps.topicOps.topic(input.TopicArn, ctx, 'ListSubscriptionsByTopic');
    const { page, next } = paginate(this.storage.subscriptionsOf(topic.arn), input.NextToken);
    return { Subscriptions: page.map(describeSubscription), NextToken: next };
  }

  /** AWS tells an HTTP endpoint that it was unsubscribed, with a link to subscribe again. */
  private sendUnsubscribed(sub: SubscriptionRecord, baseUrl: string): void {
    const topic = this.storage.getTopic(sub.topicArn);
    if (!topic) return;
    const message = `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
    const token = confirmationToken();
    this.restorable.set(token, { ...sub, token, tokenExpiresAt: this.deps.clock.now() + TOKEN_LIFETIME_MS });
    const { json, messageId } = this.confirmationDocument(
      'UnsubscribeConfirmation',
      topic,
      token,
      message,
      baseUrl,
    );
    const headers = snsHttpHeaders('UnsubscribeConfirmation', messageId, topic.arn, sub.arn);
    void this.deps.http.post({ url: sub.endpoint, headers, body: json });
  }
}

function describeSubscription(s: SubscriptionRecord): Sns.Subscription {
  return {
    SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

/** A subscription's dead-letter queue: same account and region, and FIFO for a FIFO topic (SNS guide, "Amazon SNS dead-letter queues"). */
function checkRedriveTarget(topic: TopicRecord, endpoint: string, policy: string): void {
  const target = parseArn((JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn);
  if (!target || target.account !== topic.account || target.region !== topic.region) {
    throw snsError.invalidParameter(
      'RedrivePolicy',
      'The dead-letter queue must be in the same account and region as the subscription',
    );
  }
  // A standard queue may take a FIFO topic's messages, and then a standard dead-letter queue too.
  if (topic.fifo && endpoint.endsWith('.fifo') && !target.resource.endsWith('.fifo')) {
    throw snsError.invalidParameterText(
      'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    );
  }
}
