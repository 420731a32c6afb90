import { createHash, randomUUID } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import { randomToken } from '../../core/ids.js';
import {
  type FilterPolicy,
  FilterPolicyError,
  type FilterPolicyScope,
  matchesAttributes,
  matchesBody,
  parseFilterPolicy,
} from '../../core/patterns/filter-policy.js';
import { evaluatePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import type {
  StoredAttributeValue,
  SubscriptionRecord,
  TopicRecord,
  TopicStorage,
} from '../../storage/types.js';
import { archiveDays, parseReplayPolicy, TopicArchive } from './archive.js';
import { documentJson, type NotificationSigner, notificationTemplate, snsTimestamp } from './envelope.js';
import { snsError } from './errors.js';
import { type HttpDelivery, retryPolicyOf } from './http-delivery.js';
import { SIGNING_CERT_PATH } from './index.js';
import { checkMessageAttributes, envelopeAttribute } from './message-attributes.js';
import type { Outbox } from './outbox.js';
import { paginate } from './paging.js';
import type { PlatformService } from './platform.js';
import type { QueueDelivery, QueueOutcome } from './queue-delivery.js';
import { isPhoneNumber, type SmsService } from './sms.js';
import { checkSubscriptionAttribute, PROTOCOLS, subscriptionAttributes } from './subscription-attributes.js';
import {
  checkTopicAttribute,
  checkTopicName,
  DEFAULT_MAX_MESSAGE_SIZE,
  topicAttributes,
} from './topic-attributes.js';

const MAX_TAGS = 50;
// FIFO topics remember deduplication ids for five minutes (SNS guide, "Message deduplication for FIFO topics").
const DEDUP_WINDOW_MS = 5 * 60_000;
const FIRST_SEQUENCE = 10_000_000_000_000_000_000n;
// Confirmation tokens of cross-account subscriptions stop working after two days.
const TOKEN_LIFETIME_MS = 2 * 24 * 3600_000;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const GROUP_OR_DEDUP_ID = /^[\x21-\x7e]{1,128}$/;
// Raw delivery to SQS carries at most this many attributes; a message with more is not delivered.
const RAW_LIMIT_ATTRIBUTES = 10;

interface Publication {
  topic: TopicRecord;
  messageId: string;
  message: string;
  /** Per-protocol texts when MessageStructure=json. */
  structured?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, StoredAttributeValue>;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  timestamp: string;
  publishedAt: number;
  baseUrl: string;
  /** The envelope of this publication per text (protocols may get different ones), built once. */
  envelopes?: Map<string, (unsubscribeUrl: string) => string>;
}

export interface SnsDependencies {
  topics: TopicStorage;
  clock: Clock;
  queues: QueueDelivery;
  http: HttpDelivery;
  outbox: Outbox;
  platform: PlatformService;
  sms: SmsService;
  signer: () => NotificationSigner;
}

/** Amazon SNS: topics, subscriptions, and fan-out of every publication to its subscribers. */
export class SnsService {
  private readonly topics: TopicStorage;
  private readonly clock: Clock;
  private readonly filters = new Map<string, { source: string; policy: FilterPolicy }>();
  private readonly warned = new Set<string>();
  private deletedSubscriptions = new Map<string, number>();
  private readonly archive = new TopicArchive<Publication>();
  /** Subscriptions an UnsubscribeConfirmation link can bring back, by its token. */
  private readonly restorable = new Map<string, SubscriptionRecord>();

  constructor(private readonly deps: SnsDependencies) {
    this.topics = deps.topics;
    this.clock = deps.clock;
  }

  reset(): void {
    this.filters.clear();
    this.warned.clear();
    this.deletedSubscriptions.clear();
    this.archive.clear();
    this.restorable.clear();
    this.deps.outbox.clear();
  }

  // ---- topics ---------------------------------------------------------------

  private topicArn(ctx: RequestContext, name: string): string {
    return `arn:aws:sns:${ctx.caller.region}:${ctx.caller.account}:${name}`;
  }

  /** The topic an ARN names, for a caller in its account and region (others only as its policy allows). */
  private topic(
    arn: string | undefined,
    ctx: RequestContext,
    action: string,
    parameter = 'TopicArn',
  ): TopicRecord {
    if (!arn) throw snsError.invalidParameter(parameter, 'no value for required parameter');
    const parsed = parseArn(arn);
    if (!parsed)
      throw snsError.invalidParameter(
        parameter,
        `An ARN must have at least 6 elements, not ${arn.split(':').length}`,
      );
    if (parsed.service !== 'sns' || parsed.region !== ctx.caller.region)
      throw snsError.invalidParameter(parameter);
    const topic = this.topics.getTopic(arn);
    if (!topic) throw snsError.topicNotFound();
    if (topic.account !== ctx.caller.account) this.authorize(topic, ctx, action);
    return topic;
  }

  /** Another account acts on a topic only where the topic policy allows it. */
  private authorize(topic: TopicRecord, ctx: RequestContext, action: string): void {
    const principal = `arn:aws:iam::${ctx.caller.account}:root`;
    const policy = topic.attributes.Policy;
    const decision = policy
      ? evaluatePolicy(policy, {
          principal: { kind: 'AWS', id: principal },
          action: `sns:${action}`,
          resource: topic.arn,
          context: { 'aws:SourceOwner': ctx.caller.account, 'aws:SourceAccount': ctx.caller.account },
        })
      : 'ImplicitDeny';
    if (decision !== 'Allow') {
      ctx.log.warn(
        { topic: topic.arn, callerAccount: ctx.caller.account, action: `SNS:${action}` },
        'denied by the topic policy',
      );
      throw snsError.authorization(principal, `SNS:${action}`, topic.arn);
    }
  }

  async createTopic(input: Sns.CreateTopicInput, ctx: RequestContext): Promise<Sns.CreateTopicResponse> {
    const name = input.Name ?? '';
    const attributes = { ...(input.Attributes ?? {}) };
    const fifo = attributes.FifoTopic === 'true';
    checkTopicName(name, fifo || name.endsWith('.fifo'));
    if (name.endsWith('.fifo') && !fifo) throw snsError.invalidParameter('Topic Name');
    for (const [key, value] of Object.entries(attributes)) checkTopicAttribute(key, value, fifo, true);
    const tags = this.checkTags(input.Tags ?? []);
    if (input.DataProtectionPolicy !== undefined) checkDataProtectionPolicy(input.DataProtectionPolicy);
    const arn = this.topicArn(ctx, name);
    const existing = this.topics.getTopic(arn);
    if (existing) {
      // Naming a default explicitly is no difference.
      const effective = topicAttributes(existing, { confirmed: 0, pending: 0, deleted: 0 });
      for (const [key, value] of Object.entries(attributes)) {
        if (key !== 'FifoTopic' && (effective[key] ?? '') !== value) {
          throw snsError.invalidParameter('Attributes', 'Topic already exists with different attributes');
        }
      }
      for (const [key, value] of Object.entries(tags)) {
        if (existing.tags[key] !== value)
          throw snsError.invalidParameter('Tags', 'Topic already exists with different tags');
      }
      return { TopicArn: arn };
    }
    delete attributes.FifoTopic;
    if (archiveDays(attributes.ArchivePolicy) !== undefined)
      attributes.BeginningArchiveTime = snsTimestamp(this.clock.now());
    const dataProtectionPolicy = attributes.DataProtectionPolicy ?? input.DataProtectionPolicy;
    delete attributes.DataProtectionPolicy;
    await this.topics.putTopic({
      arn,
      account: ctx.caller.account,
      region: ctx.caller.region,
      name,
      fifo,
      attributes,
      tags,
      dataProtectionPolicy,
      createdAt: this.clock.now(),
    });
    return { TopicArn: arn };
  }

  async deleteTopic(input: Sns.DeleteTopicInput, ctx: RequestContext): Promise<void> {
    const arn = input.TopicArn!;
    // "Deleting a topic that doesn't exist does not result in an error" (SNS API Reference, DeleteTopic).
    if (!this.topics.getTopic(arn)) {
      if (!parseArn(arn))
        throw snsError.invalidParameter(
          'TopicArn',
          `An ARN must have at least 6 elements, not ${arn.split(':').length}`,
        );
      return;
    }
    const topic = this.topic(arn, ctx, 'DeleteTopic');
    for (const sub of this.topics.subscriptionsOf(topic.arn)) this.filters.delete(sub.arn);
    this.archive.drop(topic.arn);
    await this.topics.deleteTopic(topic.arn);
  }

  getTopicAttributes(
    input: Sns.GetTopicAttributesInput,
    ctx: RequestContext,
  ): Sns.GetTopicAttributesResponse {
    const topic = this.topic(input.TopicArn, ctx, 'GetTopicAttributes');
    const subs = this.topics.subscriptionsOf(topic.arn);
    const confirmed = subs.filter((s) => s.confirmed).length;
    return {
      Attributes: topicAttributes(topic, {
        confirmed,
        pending: subs.length - confirmed,
        deleted: this.deletedSubscriptions.get(topic.arn) ?? 0,
      }),
    };
  }

  async setTopicAttributes(input: Sns.SetTopicAttributesInput, ctx: RequestContext): Promise<void> {
    const topic = this.topic(input.TopicArn, ctx, 'SetTopicAttributes');
    const name = input.AttributeName!;
    const value = input.AttributeValue ?? '';
    checkTopicAttribute(name, value, topic.fifo, false);
    if (name === 'MaximumMessageSize' && Number(value) > DEFAULT_MAX_MESSAGE_SIZE) {
      const subs = this.topics.subscriptionsOf(topic.arn);
      if (subs.length > 100 || subs.some((s) => !['sqs', 'lambda', 'firehose'].includes(s.protocol))) {
        throw snsError.invalidParameter(
          'MaximumMessageSize',
          'Topics larger than 256 KiB support at most 100 subscriptions of protocols sqs, lambda and firehose',
        );
      }
    }
    const attributes = { ...topic.attributes };
    if (value === '' && name !== 'DisplayName') delete attributes[name];
    else attributes[name] = value;
    if (name === 'ArchivePolicy') {
      // Replays can start no earlier than the moment archiving began.
      if (archiveDays(value) === undefined) delete attributes.BeginningArchiveTime;
      else attributes.BeginningArchiveTime ??= snsTimestamp(this.clock.now());
    }
    await this.topics.putTopic({ ...topic, attributes });
  }

  listTopics(input: Sns.ListTopicsInput, ctx: RequestContext): Sns.ListTopicsResponse {
    const arns = this.topics
      .listTopics(ctx.caller.account, ctx.caller.region)
      .map((t) => t.arn)
      .sort();
    const { page, next } = paginate(arns, input.NextToken);
    return { Topics: page.map((TopicArn) => ({ TopicArn })), NextToken: next };
  }

  // ---- tags, permissions, data protection ------------------------------------

  private checkTags(tags: Sns.Tag[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const tag of tags) {
      const key = tag.Key ?? '';
      const value = tag.Value ?? '';
      if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
        throw snsError.tagPolicy(`Invalid tag key: ${key}`);
      }
      if (value.length > 256) throw snsError.tagPolicy(`Invalid tag value for key ${key}`);
      out[key] = value;
    }
    if (Object.keys(out).length > MAX_TAGS) throw snsError.tagLimitExceeded();
    return out;
  }

  private taggable(arn: string | undefined, ctx: RequestContext, action: string): TopicRecord {
    const topic = arn ? this.topics.getTopic(arn) : undefined;
    if (!topic) throw snsError.resourceNotFound();
    return this.topic(arn, ctx, action, 'ResourceArn');
  }

  async tagResource(input: Sns.TagResourceRequest, ctx: RequestContext): Promise<void> {
    const topic = this.taggable(input.ResourceArn, ctx, 'TagResource');
    const tags = { ...topic.tags, ...this.checkTags(input.Tags ?? []) };
    if (Object.keys(tags).length > MAX_TAGS) throw snsError.tagLimitExceeded();
    await this.topics.putTopic({ ...topic, tags });
  }

  async untagResource(input: Sns.UntagResourceRequest, ctx: RequestContext): Promise<void> {
    const topic = this.taggable(input.ResourceArn, ctx, 'UntagResource');
    const tags = { ...topic.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    await this.topics.putTopic({ ...topic, tags });
  }

  listTagsForResource(
    input: Sns.ListTagsForResourceRequest,
    ctx: RequestContext,
  ): Sns.ListTagsForResourceResponse {
    const topic = this.taggable(input.ResourceArn, ctx, 'ListTagsForResource');
    return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  async addPermission(input: Sns.AddPermissionInput, ctx: RequestContext): Promise<void> {
    const topic = this.topic(input.TopicArn, ctx, 'AddPermission');
    const policy = topicPolicy(topic);
    if (policy.Statement.some((s) => s.Sid === input.Label)) {
      throw snsError.invalidParameter('Statement', 'Already exists');
    }
    const accounts = input.AWSAccountId ?? [];
    const actions = input.ActionName ?? [];
    if (accounts.length === 0) throw snsError.invalidParameter('AWSAccountId');
    if (actions.length === 0) throw snsError.invalidParameter('ActionName');
    policy.Statement.push({
      Sid: input.Label,
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
      Action: oneOrMany(actions.map((a) => `SNS:${a}`)),
      Resource: topic.arn,
    });
    await this.topics.putTopic({
      ...topic,
      attributes: { ...topic.attributes, Policy: JSON.stringify(policy) },
    });
  }

  async removePermission(input: Sns.RemovePermissionInput, ctx: RequestContext): Promise<void> {
    const topic = this.topic(input.TopicArn, ctx, 'RemovePermission');
    const policy = topicPolicy(topic);
    const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
    if (kept.length === policy.Statement.length) return;
    policy.Statement = kept;
    await this.topics.putTopic({
      ...topic,
      attributes: { ...topic.attributes, Policy: JSON.stringify(policy) },
    });
  }

  async putDataProtectionPolicy(input: Sns.PutDataProtectionPolicyInput, ctx: RequestContext): Promise<void> {
    const topic = this.topic(input.ResourceArn, ctx, 'PutDataProtectionPolicy', 'ResourceArn');
    checkDataProtectionPolicy(input.DataProtectionPolicy ?? '');
    await this.topics.putTopic({ ...topic, dataProtectionPolicy: input.DataProtectionPolicy });
  }

  getDataProtectionPolicy(
    input: Sns.GetDataProtectionPolicyInput,
    ctx: RequestContext,
  ): Sns.GetDataProtectionPolicyResponse {
    const topic = this.topic(input.ResourceArn, ctx, 'GetDataProtectionPolicy', 'ResourceArn');
    return { DataProtectionPolicy: topic.dataProtectionPolicy ?? '' };
  }

  // ---- subscriptions --------------------------------------------------------

  /** Subscribe words its errors "Attributes Reason: FilterPolicy: …", SetSubscriptionAttributes "FilterPolicy: …". */
  private compileFilter(
    sub: Pick<SubscriptionRecord, 'attributes'>,
    subscribing = false,
  ): FilterPolicy | undefined {
    const source = sub.attributes.FilterPolicy;
    if (!source) return undefined;
    const scope = (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
    try {
      return parseFilterPolicy(source, scope);
    } catch (err) {
      if (!(err instanceof FilterPolicyError)) throw err;
      if (!err.underFilterPolicy) throw snsError.invalidParameterText(`Invalid parameter: ${err.message}`);
      throw snsError.invalidParameter(
        subscribing ? `Attributes Reason: FilterPolicy: ${err.message}` : `FilterPolicy: ${err.message}`,
      );
    }
  }

  private filterOf(sub: SubscriptionRecord): FilterPolicy | undefined {
    const source = `${sub.attributes.FilterPolicyScope ?? ''}|${sub.attributes.FilterPolicy ?? ''}`;
    const cached = this.filters.get(sub.arn);
    if (cached && cached.source === source) return cached.policy;
    const policy = this.compileFilter(sub);
    if (policy) this.filters.set(sub.arn, { source, policy });
    else this.filters.delete(sub.arn);
    return policy;
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
        if (!isPhoneNumber(endpoint)) throw bad();
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
    if (this.topics.subscriptionsOf(topic.arn).length >= 100) {
      throw snsError.invalidParameter(
        'TopicArn',
        'Topics with MaximumMessageSize above 256 KiB support at most 100 subscriptions',
      );
    }
  }

  async subscribe(input: Sns.SubscribeInput, ctx: RequestContext): Promise<Sns.SubscribeResponse> {
    const topic = this.topic(input.TopicArn, ctx, 'Subscribe');
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
    this.compileFilter({ attributes }, true);
    if (attributes.RedrivePolicy) checkRedriveTarget(topic, attributes.RedrivePolicy);
    this.checkLargeTopic(topic, protocol);
    if (attributes.ReplayPolicy) this.replayWindow(topic, attributes.ReplayPolicy);
    const existing = this.topics
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
    const now = this.clock.now();
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
      sub.token = randomToken(48);
      sub.tokenExpiresAt = now + TOKEN_LIFETIME_MS;
    }
    await this.topics.putSubscription(sub);
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
    const timestamp = snsTimestamp(this.clock.now());
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
      await this.deps.queues.send(sub.endpoint, { body: json }, this.sender(topic, sub));
      return;
    }
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const post = {
        url: sub.endpoint,
        headers: httpHeaders('SubscriptionConfirmation', messageId, topic.arn),
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
    // The token is the credential: SubscribeURL links are followed unsigned, from anywhere.
    const topicArn = input.TopicArn;
    if (!topicArn || !parseArn(topicArn)) throw snsError.invalidParameter('TopicArn');
    const topic = this.topics.getTopic(topicArn);
    if (!topic) throw snsError.topicNotFound();
    const restoring = input.Token ? this.restorable.get(input.Token) : undefined;
    const sub =
      this.topics.subscriptionsOf(topic.arn).find((s) => s.token !== undefined && s.token === input.Token) ??
      (restoring?.topicArn === topic.arn ? restoring : undefined);
    if (!sub) throw snsError.invalidParameter('Token');
    if ((sub.tokenExpiresAt ?? 0) <= this.clock.now())
      throw snsError.invalidParameter('Token', 'Token has expired');
    if (restoring === sub) this.restorable.delete(input.Token!);
    if (!sub.confirmed || restoring === sub) {
      const signed = ctx.caller.accessKeyId !== undefined;
      await this.topics.putSubscription({
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
    if (!arn) throw snsError.invalidParameter('SubscriptionArn', 'no value for required parameter');
    if (parseArn(arn)?.service !== 'sns') throw snsError.invalidParameter('SubscriptionArn');
    return this.topics.getSubscription(arn);
  }

  /** Only the subscription's owner and the topic's owner act on a subscription. */
  private checkSubscriptionOwner(sub: SubscriptionRecord, ctx: RequestContext, action: string): void {
    const topic = this.topics.getTopic(sub.topicArn);
    if (sub.owner !== ctx.caller.account && topic?.account !== ctx.caller.account) {
      throw snsError.authorization(`arn:aws:iam::${ctx.caller.account}:root`, `SNS:${action}`, sub.arn);
    }
  }

  /**
   * SNS API Reference, Unsubscribe: a subscription that is gone is no error; an unsigned call (an
   * UnsubscribeURL followed from a message) works unless the subscription is an SQS queue's or was
   * confirmed with AuthenticateOnUnsubscribe, and then the endpoint is told, with a link to undo it.
   */
  async unsubscribe(input: Sns.UnsubscribeInput, ctx: RequestContext): Promise<void> {
    const sub = this.findSubscription(input.SubscriptionArn);
    if (!sub) return;
    const anonymous = ctx.caller.accessKeyId === undefined;
    if (anonymous && (sub.protocol === 'sqs' || sub.authenticateOnUnsubscribe)) {
      throw snsError.authorizationText('Unsubscribing this subscription requires an AWS signature');
    }
    if (!anonymous) this.checkSubscriptionOwner(sub, ctx, 'Unsubscribe');
    else if (sub.confirmed && (sub.protocol === 'http' || sub.protocol === 'https'))
      this.sendUnsubscribed(sub, ctx.baseUrl);
    this.filters.delete(sub.arn);
    this.deletedSubscriptions.set(sub.topicArn, (this.deletedSubscriptions.get(sub.topicArn) ?? 0) + 1);
    await this.topics.deleteSubscription(sub.arn);
  }

  getSubscriptionAttributes(
    input: Sns.GetSubscriptionAttributesInput,
    ctx: RequestContext,
  ): Sns.GetSubscriptionAttributesResponse {
    const sub = this.subscription(input.SubscriptionArn, ctx, 'GetSubscriptionAttributes');
    return { Attributes: subscriptionAttributes(sub, this.topics.getTopic(sub.topicArn)) };
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
    this.compileFilter({ attributes });
    const topic = this.topics.getTopic(sub.topicArn);
    if (name === 'RedrivePolicy' && value !== '' && topic) checkRedriveTarget(topic, value);
    if (name === 'ReplayPolicy' && value !== '' && topic) this.replayWindow(topic, value);
    if (name === 'ReplayPolicy' && value !== '') {
      await this.replay({ ...sub, attributes }, ctx);
      return;
    }
    await this.topics.putSubscription({ ...sub, attributes });
  }

  private replayWindow(topic: TopicRecord, policy: string) {
    if (!topic.fifo)
      throw snsError.invalidParameter('ReplayPolicy', 'Replay is only supported for FIFO topics');
    return parseReplayPolicy(policy, topic.attributes.BeginningArchiveTime, this.clock.now());
  }

  /** Redelivers the archived messages a ReplayPolicy selects, through the subscription's filter. */
  private async replay(sub: SubscriptionRecord, ctx: RequestContext): Promise<void> {
    const topic = this.topics.getTopic(sub.topicArn);
    if (!topic) return;
    const window = this.replayWindow(topic, sub.attributes.ReplayPolicy!);
    await this.topics.putSubscription({
      ...sub,
      attributes: { ...sub.attributes, ReplayStatus: 'In progress' },
    });
    for (const p of this.archive.window(topic.arn, window)) {
      if (this.matches(sub, p)) await this.deliver(sub, p, ctx);
    }
    await this.topics.putSubscription({
      ...sub,
      attributes: { ...sub.attributes, ReplayStatus: 'Completed' },
    });
  }

  listSubscriptions(input: Sns.ListSubscriptionsInput, ctx: RequestContext): Sns.ListSubscriptionsResponse {
    const subs = this.topics.listSubscriptions(ctx.caller.account, ctx.caller.region);
    const { page, next } = paginate(subs, input.NextToken);
    return { Subscriptions: page.map(describeSubscription), NextToken: next };
  }

  listSubscriptionsByTopic(
    input: Sns.ListSubscriptionsByTopicInput,
    ctx: RequestContext,
  ): Sns.ListSubscriptionsByTopicResponse {
    const topic = this.topic(input.TopicArn, ctx, 'ListSubscriptionsByTopic');
    const { page, next } = paginate(this.topics.subscriptionsOf(topic.arn), input.NextToken);
    return { Subscriptions: page.map(describeSubscription), NextToken: next };
  }

  // ---- publishing -----------------------------------------------------------

  /** Validates one message (Publish or a batch entry) into what fan-out needs. */
  private prepare(
    topic: TopicRecord,
    entry: Pick<
      Sns.PublishInput,
      | 'Message'
      | 'Subject'
      | 'MessageStructure'
      | 'MessageAttributes'
      | 'MessageGroupId'
      | 'MessageDeduplicationId'
    >,
    baseUrl: string,
  ): Publication {
    const message = entry.Message ?? '';
    if (message === '') throw snsError.invalidParameter('Empty message');
    if (entry.Subject !== undefined) {
      // "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100
      // characters long", starting with a letter, number or punctuation (SNS API Reference, Publish).
      if (
        entry.Subject === '' ||
        entry.Subject.length >= 100 ||
        /\p{Cc}/u.test(entry.Subject) ||
        /^\s/.test(entry.Subject)
      ) {
        throw snsError.invalidParameter('Subject');
      }
    }
    const checked = checkMessageAttributes(entry.MessageAttributes);
    const limit = Number(topic.attributes.MaximumMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
    if (Buffer.byteLength(message) + (checked?.size ?? 0) > limit) {
      throw snsError.invalidParameter('Message too long');
    }
    let structured: Record<string, string> | undefined;
    if (entry.MessageStructure !== undefined) {
      if (entry.MessageStructure !== 'json') throw snsError.invalidParameter('MessageStructure');
      structured = parseStructured(message);
    }
    let groupId = entry.MessageGroupId;
    let dedupId = entry.MessageDeduplicationId;
    if (groupId !== undefined && !GROUP_OR_DEDUP_ID.test(groupId)) {
      throw snsError.invalidParameter(
        'MessageGroupId',
        'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    if (dedupId !== undefined && !GROUP_OR_DEDUP_ID.test(dedupId)) {
      throw snsError.invalidParameter(
        'MessageDeduplicationId',
        'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    if (topic.fifo) {
      this.checkFifoParameters(topic, groupId, dedupId);
      dedupId ??= createHash('sha256').update(message, 'utf8').digest('hex');
    } else if (dedupId !== undefined) {
      throw snsError.invalidParameter(
        'MessageDeduplicationId',
        'The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    if (!topic.fifo && groupId === '') groupId = undefined;
    return {
      topic,
      messageId: randomUUID(),
      message,
      structured,
      subject: entry.Subject,
      attributes: checked?.values,
      groupId,
      deduplicationId: dedupId,
      timestamp: snsTimestamp(this.clock.now()),
      publishedAt: this.clock.now(),
      baseUrl,
    };
  }

  private checkFifoParameters(
    topic: TopicRecord,
    groupId: string | undefined,
    dedupId: string | undefined,
  ): void {
    if (groupId === undefined) {
      throw snsError.invalidParameterText(
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      );
    }
    if (dedupId === undefined && topic.attributes.ContentBasedDeduplication !== 'true') {
      throw snsError.invalidParameterText(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  }

  /**
   * FIFO deduplication: a repeat within five minutes gets the first answer and is not delivered
   * again. The storage decides and numbers atomically; numbers are 20 digits from 10^19 up.
   */
  private async sequence(p: Publication): Promise<{ duplicate: boolean }> {
    if (!p.topic.fifo) return { duplicate: false };
    // The scope is the topic, or the message group with FifoThroughputScope=MessageGroup.
    const key =
      p.topic.attributes.FifoThroughputScope === 'MessageGroup'
        ? `${p.groupId}\u0000${p.deduplicationId}`
        : p.deduplicationId!;
    const got = await this.topics.sequencePublication(
      p.topic.arn,
      key,
      p.messageId,
      this.clock.now(),
      DEDUP_WINDOW_MS,
    );
    p.messageId = got.messageId;
    p.sequenceNumber = (FIRST_SEQUENCE + got.sequence).toString();
    return { duplicate: got.duplicate };
  }

  async publish(input: Sns.PublishInput, ctx: RequestContext): Promise<Sns.PublishResponse> {
    if (input.PhoneNumber !== undefined) {
      if (input.TopicArn !== undefined || input.TargetArn !== undefined) {
        throw snsError.invalidParameterText(
          'Invalid parameter: PhoneNumber Reason: Only one of PhoneNumber, TopicArn or TargetArn may be specified',
        );
      }
      return this.publishSms(input, ctx);
    }
    if (input.TopicArn === undefined && input.TargetArn === undefined) {
      throw snsError.invalidParameter('TopicArn or TargetArn', 'no value for required parameter');
    }
    const arn = input.TopicArn ?? input.TargetArn;
    if (input.TargetArn !== undefined && parseArn(input.TargetArn)?.resource.startsWith('endpoint/')) {
      return this.publishToEndpoint(input, ctx);
    }
    const topic = this.topic(arn, ctx, 'Publish', input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
    const publication = this.prepare(topic, input, ctx.baseUrl);
    // Standard topics skip the storage round trip: nothing to deduplicate or number.
    if (!topic.fifo || !(await this.sequence(publication)).duplicate) await this.fanOut(publication, ctx);
    return { MessageId: publication.messageId, SequenceNumber: publication.sequenceNumber };
  }

  /** Mobile push to one device endpoint: recorded in the outbox as the push service would get it. */
  private publishToEndpoint(input: Sns.PublishInput, ctx: RequestContext): Sns.PublishResponse {
    const endpoint = this.deps.platform.endpoint(input.TargetArn, ctx);
    this.deps.platform.checkDeliverable(endpoint);
    const message = input.Message ?? '';
    if (message === '') throw snsError.invalidParameter('Empty message');
    const platform = parseArn(endpoint.arn)?.resource.split('/')[1] ?? '';
    let text = message;
    if (input.MessageStructure === 'json') {
      const structured = parseStructured(message);
      text = structured[platform] ?? structured.default;
    }
    const messageId = randomUUID();
    this.deps.outbox.add({
      id: messageId,
      timestamp: snsTimestamp(this.clock.now()),
      type: 'Notification',
      protocol: 'application',
      endpoint: endpoint.arn,
      subject: input.Subject,
      message: text,
    });
    return { MessageId: messageId };
  }

  private publishSms(input: Sns.PublishInput, ctx: RequestContext): Sns.PublishResponse {
    const phone = input.PhoneNumber ?? '';
    if (!isPhoneNumber(phone))
      throw snsError.invalidParameter('PhoneNumber', `${phone} is not valid to publish to`);
    const message = input.Message ?? '';
    if (message === '') throw snsError.invalidParameter('Empty message');
    this.deps.sms.checkNotOptedOut(phone, ctx);
    const messageId = randomUUID();
    this.deps.outbox.add({
      id: messageId,
      timestamp: snsTimestamp(this.clock.now()),
      type: 'Notification',
      protocol: 'sms',
      endpoint: phone,
      message,
    });
    return { MessageId: messageId };
  }

  async publishBatch(input: Sns.PublishBatchInput, ctx: RequestContext): Promise<Sns.PublishBatchResponse> {
    const topic = this.topic(input.TopicArn, ctx, 'Publish');
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0) throw snsError.emptyBatch();
    if (entries.length > 10) throw snsError.tooManyEntries();
    const ids = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      if (!BATCH_ID.test(entry.Id ?? '')) throw snsError.invalidBatchEntryId();
      if (ids.has(entry.Id!)) throw snsError.batchIdsNotDistinct();
      ids.add(entry.Id!);
      // Malformed attributes or FIFO parameters in one entry fail the whole batch, as in AWS;
      // the size limit counts bodies and attributes together (SNS API Reference, PublishBatch).
      total +=
        Buffer.byteLength(entry.Message ?? '') + (checkMessageAttributes(entry.MessageAttributes)?.size ?? 0);
      if (topic.fifo) this.checkFifoParameters(topic, entry.MessageGroupId, entry.MessageDeduplicationId);
    }
    if (total > Number(topic.attributes.MaximumMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE))
      throw snsError.batchTooLong();
    const Successful: Sns.PublishBatchResultEntry[] = [];
    const Failed: Sns.BatchResultErrorEntry[] = [];
    const deliveries: Promise<void>[] = [];
    for (const entry of entries) {
      try {
        const publication = this.prepare(topic, entry, ctx.baseUrl);
        if (!topic.fifo || !(await this.sequence(publication)).duplicate) {
          deliveries.push(this.fanOut(publication, ctx));
        }
        Successful.push({
          Id: entry.Id,
          MessageId: publication.messageId,
          SequenceNumber: publication.sequenceNumber,
        });
      } catch (err) {
        const e = err as { code?: string; message: string };
        Failed.push({ Id: entry.Id, Code: e.code ?? 'InternalError', Message: e.message, SenderFault: true });
      }
    }
    await Promise.all(deliveries);
    return { Successful, Failed };
  }

  // ---- fan-out --------------------------------------------------------------

  private matches(sub: SubscriptionRecord, p: Publication): boolean {
    const policy = this.filterOf(sub);
    if (!policy) return true;
    return (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') === 'MessageBody'
      ? matchesBody(policy, p.message)
      : matchesAttributes(policy, p.attributes);
  }

  /** Delivers to every confirmed subscription at once; one slow or failing endpoint holds up no other. */
  private async fanOut(p: Publication, ctx: RequestContext): Promise<void> {
    const days = p.topic.fifo ? archiveDays(p.topic.attributes.ArchivePolicy) : undefined;
    if (days !== undefined) this.archive.add(p.topic.arn, p, days);
    const subs = this.topics.subscriptionsOf(p.topic.arn);
    const deliveries: Promise<void>[] = [];
    for (const sub of subs) {
      // A replay with an ending point leaves the subscription out of new publications.
      if (sub.attributes.ReplayPolicy && JSON.parse(sub.attributes.ReplayPolicy).EndingPoint !== undefined)
        continue;
      if (!sub.confirmed || !this.matches(sub, p)) continue;
      deliveries.push(
        this.deliver(sub, p, ctx).catch((err) =>
          ctx.log.error({ err, subscription: sub.arn }, 'delivery failed'),
        ),
      );
    }
    await Promise.all(deliveries);
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

  private async deliver(sub: SubscriptionRecord, p: Publication, ctx: RequestContext): Promise<void> {
    switch (sub.protocol) {
      case 'sqs':
        return this.deliverToQueue(sub, p, ctx);
      case 'http':
      case 'https':
        this.deliverOverHttp(sub, p, ctx);
        return;
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
  }

  private async deliverToQueue(sub: SubscriptionRecord, p: Publication, ctx: RequestContext): Promise<void> {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const attributes = raw && !p.structured ? p.attributes : undefined;
    if (attributes && Object.keys(attributes).length > RAW_LIMIT_ATTRIBUTES) {
      // A client-side error for this subscription: its dead-letter queue, if any, gets the body.
      const reason = 'raw delivery to SQS carries at most 10 message attributes';
      const message = { body: this.textFor(sub, p), groupId: p.groupId, deduplicationId: p.deduplicationId };
      await this.undeliverable(sub, p, message, { kind: 'rejected', reason }, ctx);
      return;
    }
    const body = raw ? this.textFor(sub, p) : this.envelope(sub, p);
    const sender = this.sender(p.topic, sub);
    const message = { body, attributes, groupId: p.groupId, deduplicationId: p.deduplicationId };
    const outcome = await this.deps.queues.send(sub.endpoint, message, sender);
    if (outcome.kind !== 'delivered') await this.undeliverable(sub, p, message, outcome, ctx);
  }

  /** Posted, not awaited: the endpoint's answer (or silence) holds up no other subscriber. */
  private deliverOverHttp(sub: SubscriptionRecord, p: Publication, ctx: RequestContext): void {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const body = raw ? this.textFor(sub, p) : this.envelope(sub, p);
    const headers = httpHeaders('Notification', p.messageId, p.topic.arn, sub.arn);
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

  /** AWS tells an HTTP endpoint that it was unsubscribed, with a link to subscribe again. */
  private sendUnsubscribed(sub: SubscriptionRecord, baseUrl: string): void {
    const topic = this.topics.getTopic(sub.topicArn);
    if (!topic) return;
    const message = `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
    const token = randomToken(48);
    this.restorable.set(token, { ...sub, token, tokenExpiresAt: this.clock.now() + TOKEN_LIFETIME_MS });
    const { json, messageId } = this.confirmationDocument(
      'UnsubscribeConfirmation',
      topic,
      token,
      message,
      baseUrl,
    );
    const headers = httpHeaders('UnsubscribeConfirmation', messageId, topic.arn, sub.arn);
    void this.deps.http.post({ url: sub.endpoint, headers, body: json });
  }

  private sender(topic: TopicRecord, sub: SubscriptionRecord) {
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
    outcome: Exclude<QueueOutcome, { kind: 'delivered' }>,
    ctx: RequestContext,
  ): Promise<void> {
    const why = outcome.kind === 'missing' ? `the queue ${sub.endpoint} does not exist` : outcome.reason;
    const redrive = sub.attributes.RedrivePolicy
      ? (JSON.parse(sub.attributes.RedrivePolicy) as { deadLetterTargetArn: string })
      : undefined;
    if (!redrive) {
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
    this.warnOnce(
      ctx,
      `${sub.arn}:dlq`,
      { subscription: sub.arn, queue: sub.endpoint, deadLetterQueue: redrive.deadLetterTargetArn },
      `message ${p.messageId} dropped: ${why}, and the dead-letter queue refused it: ${deadWhy}`,
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

/** The headers AWS puts on every post to an HTTP/HTTPS subscriber. */
function httpHeaders(
  type: string,
  messageId: string,
  topicArn: string,
  subscriptionArn?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-amz-sns-message-type': type,
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': topicArn,
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
  };
  if (subscriptionArn) headers['x-amz-sns-subscription-arn'] = subscriptionArn;
  return headers;
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

/** Where Tideway serves the certificate that verifies its signatures: where AWS serves its own. */
// Named as AWS names its certificates (SimpleNotificationService-<32 letters or digits>.pem), which
// some validator libraries check.

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
function checkRedriveTarget(topic: TopicRecord, policy: string): void {
  const target = parseArn((JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn);
  if (!target || target.account !== topic.account || target.region !== topic.region) {
    throw snsError.invalidParameter(
      'RedrivePolicy',
      'The dead-letter queue must be in the same account and region as the subscription',
    );
  }
  if (topic.fifo && !target.resource.endsWith('.fifo')) {
    throw snsError.invalidParameterText(
      'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    );
  }
}

/** The topic's policy with its Statement as a list, whatever form it was set in. */
function topicPolicy(topic: TopicRecord): { Statement: Array<Record<string, unknown>> } {
  let doc: { Statement?: unknown } = {};
  try {
    doc = JSON.parse(topicAttributes(topic, { confirmed: 0, pending: 0, deleted: 0 }).Policy) ?? {};
  } catch {
    // Checked as JSON when set; anything unreadable starts a new policy.
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) doc = {};
  const raw = doc.Statement;
  const Statement = (Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : []) as Array<
    Record<string, unknown>
  >;
  return { Version: '2008-10-17', ...doc, Statement } as { Statement: Array<Record<string, unknown>> };
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

/** MessageStructure=json: a JSON object of strings with a `default` entry. */
function parseStructured(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw snsError.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw snsError.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  if (out.default === undefined)
    throw snsError.invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

function checkDataProtectionPolicy(policy: string): void {
  let doc: { Name?: unknown; Version?: unknown; Statement?: unknown };
  try {
    doc = JSON.parse(policy);
  } catch {
    throw snsError.invalidParameter(
      'DataProtectionPolicy',
      'Failed to parse the data protection policy JSON',
    );
  }
  if (
    typeof doc !== 'object' ||
    doc === null ||
    typeof doc.Name !== 'string' ||
    !Array.isArray(doc.Statement)
  ) {
    throw snsError.invalidParameter(
      'DataProtectionPolicy',
      'The policy must have a Name and a Statement list',
    );
  }
  if (doc.Version !== undefined && doc.Version !== '2021-06-01') {
    throw snsError.invalidParameter('DataProtectionPolicy', 'Version must be 2021-06-01');
  }
}
