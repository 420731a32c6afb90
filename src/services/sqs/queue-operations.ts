import type * as Sqs from '@aws-sdk/client-sqs';
import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import { randomToken } from '../../core/ids.js';
import type { RequestContext } from '../../protocols/service.js';
import type { QueueRecord, QueueStorage } from '../../storage/types.js';
import {
  FIFO_DEFAULTS,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  READ_ONLY,
  READABLE,
  STANDARD_DEFAULTS,
  validateAttributes,
} from './attributes.js';
import { sqsError } from './errors.js';
import { pageOfQueues, type QueueAccess } from './queue-access.js';
import { isValidQueueName } from './queue-url.js';
import { deletedTooRecently } from './rules/queue-names.js';

const PURGE_INTERVAL_MS = 60_000;
const MAX_TAGS = 50;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const PERMISSION_ACTIONS = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'ListQueueTags',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
]);

/** Queues themselves: creation, lookup, listing, deletion, attributes, purges, tags and permissions. */
export class QueueOperations {
  constructor(
    private readonly storage: QueueStorage,
    private readonly clock: Clock,
    private readonly access: QueueAccess,
  ) {}

  // ---- queues -------------------------------------------------------------

  async createQueue(input: Sqs.CreateQueueRequest, ctx: RequestContext): Promise<Sqs.CreateQueueResult> {
    const name = input.QueueName!;
    const requested = input.Attributes ?? {};
    const fifo = requested.FifoQueue === 'true';
    if (!isValidQueueName(name, fifo)) {
      throw sqsError.invalidParameterValue(
        fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const attributes = validateAttributes(requested as Record<string, string>, fifo, true);
    this.checkFifoSettings(attributes, fifo);
    const { account, region } = ctx.caller;
    const existing = await this.storage.getQueue(account, region, name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        // The reuse period a queue without a key was given is not kept (see normaliseEncryption).
        if (key === 'KmsDataKeyReusePeriodSeconds' && !existing.attributes.KmsMasterKeyId) continue;
        if ((existing.attributes[key] ?? '') !== value) throw sqsError.queueNameExists(key);
      }
      return { QueueUrl: this.access.urlOf(existing, ctx) };
    }
    if (deletedTooRecently(await this.storage.deletedAt(account, region, name), this.clock.now())) {
      throw sqsError.queueDeletedRecently();
    }
    const tags = input.tags ?? {};
    this.checkTags(tags, 0, name);
    const arn = formatArn('sqs', region, account, name);
    if (attributes.RedrivePolicy)
      await this.checkRedrive(attributes.RedrivePolicy, arn, fifo, account, region);
    const now = this.clock.now();
    const record: QueueRecord = {
      id: randomToken(9),
      account,
      region,
      name,
      arn,
      fifo,
      attributes: this.withDefaults(attributes, fifo),
      tags: { ...tags },
      createdAt: now,
      modifiedAt: now,
    };
    await this.storage.createQueue(record);
    return { QueueUrl: this.access.urlOf(record, ctx) };
  }

  private withDefaults(attributes: Record<string, string>, fifo: boolean): Record<string, string> {
    const out = { ...STANDARD_DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}), ...attributes };
    this.normaliseEncryption(out, attributes);
    for (const key of Object.keys(out)) if (out[key] === '') delete out[key];
    return out;
  }

  // SSE-KMS and SSE-SQS exclude each other; a KMS key brings its data-key reuse period.
  private normaliseEncryption(out: Record<string, string>, changed: Record<string, string>): void {
    if (changed.KmsMasterKeyId) {
      if (changed.SqsManagedSseEnabled === undefined) out.SqsManagedSseEnabled = 'false';
      out.KmsDataKeyReusePeriodSeconds ??= '300';
    } else if (changed.KmsMasterKeyId === '' || changed.SqsManagedSseEnabled === 'true') {
      delete out.KmsMasterKeyId;
      delete out.KmsDataKeyReusePeriodSeconds;
    }
    // A reuse period without a KMS key is taken but never shown: AWS sends no
    // KmsDataKeyReusePeriodSeconds back for a queue without KmsMasterKeyId (terraform-provider-aws
    // #19786 and #40728, whose waits for it to appear time out).
    if (!out.KmsMasterKeyId) delete out.KmsDataKeyReusePeriodSeconds;
  }

  private checkFifoSettings(
    attributes: Record<string, string>,
    fifo: boolean,
    current?: Record<string, string>,
  ) {
    if (!fifo) return;
    const scope = attributes.DeduplicationScope ?? current?.DeduplicationScope ?? 'queue';
    const limit = attributes.FifoThroughputLimit ?? current?.FifoThroughputLimit ?? 'perQueue';
    if (limit === 'perMessageGroupId' && scope !== 'messageGroup') {
      throw sqsError.invalidAttributeValue(
        'Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
      );
    }
  }

  private async checkRedrive(
    value: string,
    sourceArn: string,
    fifo: boolean,
    account: string,
    region: string,
  ) {
    const policy = parseRedrivePolicy(value);
    const target = await this.storage.getQueueByArn(policy.deadLetterTargetArn);
    if (!target || target.account !== account || target.region !== region) {
      throw sqsError.invalidParameterValue(
        `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
      );
    }
    if (target.fifo !== fifo) {
      throw sqsError.invalidParameterValue(
        `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`,
      );
    }
    const allow = target.attributes.RedriveAllowPolicy;
    if (allow) {
      const rule = parseRedriveAllowPolicy(allow);
      const permitted =
        rule.redrivePermission === 'allowAll' ||
        (rule.redrivePermission === 'byQueue' && (rule.sourceQueueArns ?? []).includes(sourceArn));
      if (!permitted) {
        throw sqsError.invalidParameterValue(
          `Value ${value} for parameter RedrivePolicy is invalid. Reason: Queue ${sourceArn} is not allowed to use ${target.arn} as a dead-letter queue: its RedriveAllowPolicy does not permit it.`,
        );
      }
    }
  }

  async getQueueUrl(input: Sqs.GetQueueUrlRequest, ctx: RequestContext): Promise<Sqs.GetQueueUrlResult> {
    const account = input.QueueOwnerAWSAccountId ?? ctx.caller.account;
    const queue = await this.storage.getQueue(account, ctx.caller.region, input.QueueName!);
    if (!queue) throw sqsError.queueDoesNotExist();
    if (queue.account !== ctx.caller.account) this.access.authorizeForeign(queue, ctx, 'GetQueueUrl');
    return { QueueUrl: this.access.urlOf(queue, ctx) };
  }

  async listQueues(input: Sqs.ListQueuesRequest, ctx: RequestContext): Promise<Sqs.ListQueuesResult> {
    const prefix = input.QueueNamePrefix ?? '';
    const queues = (await this.storage.listQueues(ctx.caller.account, ctx.caller.region))
      .filter((q) => q.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return pageOfQueues(queues, input.MaxResults, input.NextToken, 1000, (page, next) => ({
      QueueUrls: page.length > 0 ? page.map((q) => this.access.urlOf(q, ctx)) : undefined,
      NextToken: next,
    }));
  }

  async deleteQueue(input: Sqs.DeleteQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'DeleteQueue');
    await this.storage.deleteQueue(queue);
  }

  async getQueueAttributes(
    input: Sqs.GetQueueAttributesRequest,
    ctx: RequestContext,
  ): Promise<Sqs.GetQueueAttributesResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'GetQueueAttributes');
    const names = (input.AttributeNames ?? []) as string[];
    for (const name of names) {
      if (!READABLE.has(name)) throw sqsError.invalidAttributeName(`Unknown Attribute ${name}.`);
    }
    if (names.length === 0) return {};
    const all = await this.allAttributes(queue);
    const wanted = names.includes('All') ? Object.keys(all) : names;
    const out: Record<string, string> = {};
    for (const name of wanted) if (all[name] !== undefined) out[name] = all[name];
    return Object.keys(out).length > 0 ? { Attributes: out } : {};
  }

  private async allAttributes(queue: QueueRecord): Promise<Record<string, string>> {
    const counts = await this.storage.counts(queue);
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
      ...queue.attributes,
    };
  }

  async setQueueAttributes(input: Sqs.SetQueueAttributesRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'SetQueueAttributes');
    const requested = input.Attributes as Record<string, string>;
    for (const name of Object.keys(requested)) {
      if (READ_ONLY.includes(name)) throw sqsError.invalidAttributeName(`Unknown Attribute ${name}.`);
    }
    const attributes = validateAttributes(requested, queue.fifo, false);
    this.checkFifoSettings(attributes, queue.fifo, queue.attributes);
    if (attributes.RedrivePolicy) {
      await this.checkRedrive(attributes.RedrivePolicy, queue.arn, queue.fifo, queue.account, queue.region);
    }
    const merged = { ...queue.attributes, ...attributes };
    this.normaliseEncryption(merged, attributes);
    for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
    await this.storage.updateQueue({ ...queue, attributes: merged, modifiedAt: this.clock.now() });
  }

  async purgeQueue(input: Sqs.PurgeQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'PurgeQueue');
    const last = await this.storage.lastPurge(queue);
    if (last !== undefined && this.clock.now() - last < PURGE_INTERVAL_MS) {
      throw sqsError.purgeQueueInProgress(queue.name);
    }
    await this.storage.purge(queue);
  }

  // ---- tags and permissions ----------------------------------------------

  private checkTags(tags: Record<string, string>, existing: number, name: string): void {
    for (const [key, value] of Object.entries(tags)) {
      if (key.length < 1 || key.length > 128 || value.length > 256) {
        throw sqsError.invalidParameterValue(
          `Tag key must be 1 to 128 characters and value at most 256 characters.`,
        );
      }
    }
    if (existing + Object.keys(tags).length > MAX_TAGS) {
      throw sqsError.invalidParameterValue(`Too many tags added for queue ${name}.`);
    }
  }

  async tagQueue(input: Sqs.TagQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'TagQueue');
    const tags = input.Tags ?? {};
    if (Object.keys(tags).length === 0) throw sqsError.missingParameter('Tags');
    const merged = { ...queue.tags, ...tags };
    this.checkTags(merged, 0, queue.name);
    await this.storage.updateQueue({ ...queue, tags: merged });
  }

  async untagQueue(input: Sqs.UntagQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'UntagQueue');
    const keys = input.TagKeys ?? [];
    if (keys.length === 0) throw sqsError.missingParameter('TagKeys');
    const tags = { ...queue.tags };
    for (const key of keys) delete tags[key];
    await this.storage.updateQueue({ ...queue, tags });
  }

  async listQueueTags(
    input: Sqs.ListQueueTagsRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ListQueueTagsResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'ListQueueTags');
    return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
  }

  async addPermission(input: Sqs.AddPermissionRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'AddPermission');
    const label = input.Label!;
    if (!LABEL.test(label)) {
      throw sqsError.invalidValue(
        'Label',
        label,
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const accounts = input.AWSAccountIds ?? [];
    const actions = input.Actions ?? [];
    if (accounts.length === 0) throw sqsError.missingParameter('AWSAccountIds');
    if (actions.length === 0) throw sqsError.missingParameter('Actions');
    for (const action of actions) {
      if (!PERMISSION_ACTIONS.has(action))
        throw sqsError.invalidValue(
          'ActionName',
          action,
          'Please refer to the appropriate WSDL for a list of valid actions.',
        );
    }
    for (const account of accounts) {
      if (!/^\d{12}$/.test(account))
        throw sqsError.invalidValue('AWSAccountId', account, 'Must be a 12-digit AWS account id.');
    }
    const policy = queue.attributes.Policy
      ? (JSON.parse(queue.attributes.Policy) as { Version: string; Id: string; Statement: any[] })
      : { Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    if (statements.some((s) => s.Sid === label))
      throw sqsError.invalidValue('Label', label, 'Already exists.');
    // Queue policy quotas (SQS Developer Guide, "Amazon SQS policy quotas").
    if (actions.length > 7) {
      throw sqsError.overLimit(
        `${actions.length} actions were found in a statement from the submitted policy, max allowed is 7`,
      );
    }
    if (statements.length + 1 > 20) {
      throw sqsError.overLimit(
        `${statements.length + 1} statements were found in the submitted policy, max allowed is 20`,
      );
    }
    statements.push({
      Sid: label,
      Effect: 'Allow',
      // AWS writes a single principal or action as a plain string, several as an array.
      Principal: { AWS: oneOrMany(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
      Action: oneOrMany(actions.map((a) => `SQS:${a}`)),
      Resource: queue.arn,
    });
    policy.Statement = statements;
    await this.storage.updateQueue({
      ...queue,
      attributes: { ...queue.attributes, Policy: JSON.stringify(policy) },
      modifiedAt: this.clock.now(),
    });
  }

  async removePermission(input: Sqs.RemovePermissionRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'RemovePermission');
    const label = input.Label!;
    const notFound = sqsError.invalidValue('Label', label, "can't find label.");
    if (!queue.attributes.Policy) throw notFound;
    const policy = JSON.parse(queue.attributes.Policy) as { Statement: any[] | any };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    const kept = statements.filter((s) => s.Sid !== label);
    if (kept.length === statements.length) throw notFound;
    const attributes = { ...queue.attributes };
    if (kept.length === 0) delete attributes.Policy;
    else attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
    await this.storage.updateQueue({ ...queue, attributes, modifiedAt: this.clock.now() });
  }
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}
