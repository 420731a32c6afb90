import type * as Sns from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import { evaluatePolicy } from '../../core/policy.js';
import { SNS_OPERATIONS } from '../../protocols/models/sns.js';
import type { RequestContext } from '../../protocols/service.js';
import type { SubscriptionRecord, TopicRecord, TopicStorage } from '../../storage/types.js';
import { archiveDays } from './archive.js';
import { snsTimestamp } from './envelope.js';
import { snsError } from './errors.js';
import { paginate } from './paging.js';
import {
  checkTopicAttribute,
  checkTopicName,
  DEFAULT_MAX_MESSAGE_SIZE,
  topicAttributes,
} from './topic-attributes.js';

const MAX_TAGS = 50;

export interface TopicDependencies {
  storage: TopicStorage;
  clock: Clock;
  /** Drops what the other parts of SNS keep about a topic being deleted and its subscriptions. */
  forgetTopic(topicArn: string, subscriptions: SubscriptionRecord[]): void;
}

/** Topics and what hangs on them: attributes, tags, permissions and data protection policies. */
export class TopicOperations {
  private readonly storage: TopicStorage;
  /** Subscriptions deleted per topic, for its SubscriptionsDeleted attribute. */
  private readonly deletedSubscriptions = new Map<string, number>();

  constructor(private readonly deps: TopicDependencies) {
    this.storage = deps.storage;
  }

  reset(): void {
    this.deletedSubscriptions.clear();
  }

  countDeletedSubscription(topicArn: string): void {
    this.deletedSubscriptions.set(topicArn, (this.deletedSubscriptions.get(topicArn) ?? 0) + 1);
  }

  private topicArn(ctx: RequestContext, name: string): string {
    return `arn:aws:sns:${ctx.caller.region}:${ctx.caller.account}:${name}`;
  }

  /** The topic an ARN names, for a caller in its account and region (others only as its policy allows). */
  topic(arn: string | undefined, ctx: RequestContext, action: string, parameter = 'TopicArn'): TopicRecord {
    if (arn === undefined) throw snsError.invalidParameter(parameter, 'no value for required parameter');
    const parsed = parseArn(arn);
    if (!parsed) throw snsError.shortArn(parameter, arn);
    if (parsed.service !== 'sns' || parsed.region !== ctx.caller.region)
      throw snsError.invalidParameter(parameter);
    const topic = this.storage.getTopic(arn);
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
    const existing = this.storage.getTopic(arn);
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
      attributes.BeginningArchiveTime = snsTimestamp(this.deps.clock.now());
    const dataProtectionPolicy = attributes.DataProtectionPolicy ?? input.DataProtectionPolicy;
    delete attributes.DataProtectionPolicy;
    await this.storage.putTopic({
      arn,
      account: ctx.caller.account,
      region: ctx.caller.region,
      name,
      fifo,
      attributes,
      tags,
      dataProtectionPolicy,
      createdAt: this.deps.clock.now(),
    });
    return { TopicArn: arn };
  }

  async deleteTopic(input: Sns.DeleteTopicInput, ctx: RequestContext): Promise<void> {
    const arn = input.TopicArn!;
    // "Deleting a topic that doesn't exist does not result in an error" (SNS API Reference, DeleteTopic).
    if (!this.storage.getTopic(arn)) {
      if (!parseArn(arn)) throw snsError.shortArn('TopicArn', arn);
      return;
    }
    const topic = this.topic(arn, ctx, 'DeleteTopic');
    this.deps.forgetTopic(topic.arn, this.storage.subscriptionsOf(topic.arn));
    await this.storage.deleteTopic(topic.arn);
  }

  getTopicAttributes(
    input: Sns.GetTopicAttributesInput,
    ctx: RequestContext,
  ): Sns.GetTopicAttributesResponse {
    const topic = this.topic(input.TopicArn, ctx, 'GetTopicAttributes');
    const subs = this.storage.subscriptionsOf(topic.arn);
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
      const subs = this.storage.subscriptionsOf(topic.arn);
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
      else attributes.BeginningArchiveTime ??= snsTimestamp(this.deps.clock.now());
    }
    await this.storage.putTopic({ ...topic, attributes });
  }

  listTopics(input: Sns.ListTopicsInput, ctx: RequestContext): Sns.ListTopicsResponse {
    const arns = this.storage
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
      if (Object.hasOwn(out, key)) throw snsError.invalidParameter('Duplicated keys are not allowed.');
      out[key] = value;
    }
    if (Object.keys(out).length > MAX_TAGS) throw snsError.tagLimitExceeded();
    return out;
  }

  private taggable(arn: string | undefined, ctx: RequestContext, action: string): TopicRecord {
    const topic = arn ? this.storage.getTopic(arn) : undefined;
    if (!topic) throw snsError.resourceNotFound();
    return this.topic(arn, ctx, action, 'ResourceArn');
  }

  async tagResource(input: Sns.TagResourceRequest, ctx: RequestContext): Promise<void> {
    const topic = this.taggable(input.ResourceArn, ctx, 'TagResource');
    const tags = { ...topic.tags, ...this.checkTags(input.Tags ?? []) };
    if (Object.keys(tags).length > MAX_TAGS) throw snsError.tagLimitExceeded();
    await this.storage.putTopic({ ...topic, tags });
  }

  async untagResource(input: Sns.UntagResourceRequest, ctx: RequestContext): Promise<void> {
    const topic = this.taggable(input.ResourceArn, ctx, 'UntagResource');
    const tags = { ...topic.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    await this.storage.putTopic({ ...topic, tags });
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
      throw snsError.invalidParameter('Statement already exists');
    }
    const accounts = input.AWSAccountId ?? [];
    const actions = input.ActionName ?? [];
    if (accounts.length === 0) throw snsError.invalidParameter('AWSAccountId');
    if (actions.length === 0) throw snsError.invalidParameter('ActionName');
    if (actions.some((action) => !Object.hasOwn(SNS_OPERATIONS, action)))
      throw snsError.invalidParameter('Policy statement action out of service scope!');
    policy.Statement.push({
      Sid: input.Label,
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
      Action: oneOrMany(actions.map((a) => `SNS:${a}`)),
      Resource: topic.arn,
    });
    await this.storage.putTopic({
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
    await this.storage.putTopic({
      ...topic,
      attributes: { ...topic.attributes, Policy: JSON.stringify(policy) },
    });
  }

  async putDataProtectionPolicy(input: Sns.PutDataProtectionPolicyInput, ctx: RequestContext): Promise<void> {
    const topic = this.topic(input.ResourceArn, ctx, 'PutDataProtectionPolicy', 'ResourceArn');
    checkDataProtectionPolicy(input.DataProtectionPolicy ?? '');
    await this.storage.putTopic({ ...topic, dataProtectionPolicy: input.DataProtectionPolicy });
  }

  getDataProtectionPolicy(
    input: Sns.GetDataProtectionPolicyInput,
    ctx: RequestContext,
  ): Sns.GetDataProtectionPolicyResponse {
    const topic = this.topic(input.ResourceArn, ctx, 'GetDataProtectionPolicy', 'ResourceArn');
    return { DataProtectionPolicy: topic.dataProtectionPolicy ?? '' };
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
