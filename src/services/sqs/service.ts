import { createHash } from 'node:crypto';
import type * as Sqs from '@aws-sdk/client-sqs';
import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import { randomToken } from '../../core/ids.js';
import { evaluatePolicy } from '../../core/policy.js';
import type { ServiceError } from '../../protocols/errors.js';
import type { RequestContext } from '../../protocols/service.js';
import type {
  DeleteOutcome,
  MoveTask,
  NewMessage,
  QueueRecord,
  QueueStorage,
  ReceivedMessage,
  SendOutcome,
  StoredAttributeValue,
} from '../../storage/types.js';
import {
  FIFO_DEFAULTS,
  MAX_MESSAGE_SIZE,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  READ_ONLY,
  READABLE,
  STANDARD_DEFAULTS,
  validateAttributes,
} from './attributes.js';
import { sqsError } from './errors.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import { attributeSelector, checkBody, validateMessageAttributes } from './messages.js';
import { isValidQueueName, parseQueueUrl, queueUrl } from './queue-url.js';
import { deletedTooRecently } from './rules/queue-names.js';

const PURGE_INTERVAL_MS = 60_000;
const MAX_TAGS = 50;
const MAX_INFLIGHT_STANDARD = 120_000;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
// MessageGroupId and MessageDeduplicationId: 1..128 of alphanumerics and punctuation.
const GROUP_OR_DEDUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
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

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

function sendResult(message: NewMessage, sent: SendOutcome): Sqs.SendMessageResult {
  return {
    MD5OfMessageBody: message.md5OfBody,
    MD5OfMessageAttributes: message.md5OfAttributes,
    MD5OfMessageSystemAttributes: message.md5OfSystemAttributes,
    MessageId: sent.messageId,
    SequenceNumber: sent.sequenceNumber,
  };
}

function failure(id: string, err: unknown): BatchFailure {
  const e = err as ServiceError;
  if (!e.queryCode) throw err;
  return { Id: id, SenderFault: e.fault === 'Sender', Code: e.queryCode, Message: e.message };
}

/** Amazon SQS: the semantics of every operation, over whatever protocol carried it. */
export class SqsService {
  constructor(
    private readonly storage: QueueStorage,
    private readonly clock: Clock,
  ) {}

  /** Nothing to forget here: what SQS remembers (deleted names included) lives in its storage. */
  reset(): void {}

  // ---- queue lookup -------------------------------------------------------

  /** The queue a URL names, once the caller may use it; at once when the storage can say at once. */
  private resolve(url: string, ctx: RequestContext, action: string): QueueRecord | Promise<QueueRecord> {
    const address = parseQueueUrl(url);
    if (!address) throw sqsError.queueDoesNotExist();
    const region = address.region ?? ctx.caller.region;
    if (this.storage.getQueueNow) {
      return this.admit(this.storage.getQueueNow(address.account, region, address.name), ctx, action);
    }
    return this.storage
      .getQueue(address.account, region, address.name)
      .then((queue) => this.admit(queue, ctx, action));
  }

  private admit(queue: QueueRecord | undefined, ctx: RequestContext, action: string): QueueRecord {
    if (!queue) throw sqsError.queueDoesNotExist();
    if (queue.account !== ctx.caller.account) this.authorizeForeign(queue, ctx, action);
    return queue;
  }

  /** Another account reaches a queue only where its policy allows it. */
  private authorizeForeign(queue: QueueRecord, ctx: RequestContext, action: string): void {
    const policy = queue.attributes.Policy;
    const decision = policy
      ? evaluatePolicy(policy, {
          principal: { kind: 'AWS', id: `arn:aws:iam::${ctx.caller.account}:root` },
          action: `sqs:${action}`,
          resource: queue.arn,
          context: {
            'aws:SourceAccount': ctx.caller.account,
            'aws:PrincipalAccount': ctx.caller.account,
            'aws:SecureTransport': String(ctx.secure),
          },
        })
      : 'ImplicitDeny';
    if (decision !== 'Allow') {
      ctx.log.warn(
        { queue: queue.arn, callerAccount: ctx.caller.account, action: `sqs:${action}` },
        policy
          ? 'denied: the queue policy does not allow this account'
          : 'denied: the queue belongs to another account and has no policy',
      );
      throw sqsError.accessDenied(`arn:aws:iam::${ctx.caller.account}:root`, `sqs:${action}`, queue.arn);
    }
  }

  private urlOf(queue: QueueRecord, ctx: RequestContext): string {
    return queueUrl(ctx.baseUrl, queue.account, queue.name);
  }

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
        if ((existing.attributes[key] ?? '') !== value) throw sqsError.queueNameExists(key);
      }
      return { QueueUrl: this.urlOf(existing, ctx) };
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
    return { QueueUrl: this.urlOf(record, ctx) };
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
    if (queue.account !== ctx.caller.account) this.authorizeForeign(queue, ctx, 'GetQueueUrl');
    return { QueueUrl: this.urlOf(queue, ctx) };
  }

  async listQueues(input: Sqs.ListQueuesRequest, ctx: RequestContext): Promise<Sqs.ListQueuesResult> {
    const prefix = input.QueueNamePrefix ?? '';
    const queues = (await this.storage.listQueues(ctx.caller.account, ctx.caller.region))
      .filter((q) => q.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.page(queues, input.MaxResults, input.NextToken, 1000, (page, next) => ({
      QueueUrls: page.length > 0 ? page.map((q) => this.urlOf(q, ctx)) : undefined,
      NextToken: next,
    }));
  }

  /** Paging by name with an opaque token; without MaxResults AWS returns up to 1,000 and no token. */
  private page<T>(
    queues: QueueRecord[],
    maxResults: number | undefined,
    nextToken: string | undefined,
    limit: number,
    shape: (page: QueueRecord[], next?: string) => T,
  ): T {
    if (maxResults !== undefined && (maxResults < 1 || maxResults > limit)) {
      throw sqsError.invalidParameterValue(
        `Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${limit}.`,
      );
    }
    let start = 0;
    if (nextToken !== undefined) {
      const after = Buffer.from(nextToken, 'base64').toString('utf8');
      if (!after.startsWith('tw:')) throw sqsError.invalidParameterValue('Invalid NextToken value.');
      start = queues.findIndex((q) => q.arn > after.slice(3));
      if (start < 0) start = queues.length;
    }
    const size = maxResults ?? limit;
    const page = queues.slice(start, start + size);
    const more = maxResults !== undefined && start + size < queues.length;
    return shape(page, more ? Buffer.from(`tw:${page[page.length - 1].arn}`).toString('base64') : undefined);
  }

  async deleteQueue(input: Sqs.DeleteQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'DeleteQueue');
    await this.storage.deleteQueue(queue);
  }

  async getQueueAttributes(
    input: Sqs.GetQueueAttributesRequest,
    ctx: RequestContext,
  ): Promise<Sqs.GetQueueAttributesResult> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'GetQueueAttributes');
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
    const queue = await this.resolve(input.QueueUrl!, ctx, 'SetQueueAttributes');
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
    const queue = await this.resolve(input.QueueUrl!, ctx, 'PurgeQueue');
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
    const queue = await this.resolve(input.QueueUrl!, ctx, 'TagQueue');
    const tags = input.Tags ?? {};
    if (Object.keys(tags).length === 0) throw sqsError.missingParameter('Tags');
    const merged = { ...queue.tags, ...tags };
    this.checkTags(merged, 0, queue.name);
    await this.storage.updateQueue({ ...queue, tags: merged });
  }

  async untagQueue(input: Sqs.UntagQueueRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'UntagQueue');
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
    const queue = await this.resolve(input.QueueUrl!, ctx, 'ListQueueTags');
    return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
  }

  async addPermission(input: Sqs.AddPermissionRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'AddPermission');
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
    const queue = await this.resolve(input.QueueUrl!, ctx, 'RemovePermission');
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

  // ---- messages -----------------------------------------------------------

  private toNewMessage(
    queue: QueueRecord,
    entry: Sqs.SendMessageRequest | Sqs.SendMessageBatchRequestEntry,
    ctx: RequestContext,
  ): NewMessage {
    const body = entry.MessageBody ?? '';
    if (body.length === 0) throw sqsError.missingParameter('MessageBody');
    checkBody(body);
    const attrs = validateMessageAttributes(entry.MessageAttributes);
    const system = validateMessageAttributes(entry.MessageSystemAttributes, 'system');
    const maxSize = Number(queue.attributes.MaximumMessageSize ?? MAX_MESSAGE_SIZE);
    const size = Buffer.byteLength(body) + (attrs?.size ?? 0);
    if (size > maxSize) {
      throw sqsError.invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
      );
    }
    if (entry.DelaySeconds !== undefined) {
      if (queue.fifo) {
        throw sqsError.invalidValue(
          'DelaySeconds',
          entry.DelaySeconds,
          'The request include parameter that is not valid for this queue type.',
        );
      }
      if (entry.DelaySeconds < 0 || entry.DelaySeconds > 900) {
        throw sqsError.invalidValue(
          'DelaySeconds',
          entry.DelaySeconds,
          'DelaySeconds must be >= 0 and <= 900.',
        );
      }
    }
    const groupId = entry.MessageGroupId;
    let dedupId = entry.MessageDeduplicationId;
    if (groupId !== undefined && !GROUP_OR_DEDUP_ID.test(groupId)) {
      throw sqsError.invalidValue(
        'MessageGroupId',
        groupId,
        'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    if (dedupId !== undefined && !GROUP_OR_DEDUP_ID.test(dedupId)) {
      throw sqsError.invalidValue(
        'MessageDeduplicationId',
        dedupId,
        'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    if (queue.fifo) {
      if (groupId === undefined) throw sqsError.missingParameter('MessageGroupId');
      if (dedupId === undefined) {
        if (queue.attributes.ContentBasedDeduplication !== 'true') {
          throw sqsError.invalidParameterValue(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
      }
    } else if (dedupId !== undefined) {
      throw sqsError.invalidValue(
        'MessageDeduplicationId',
        dedupId,
        'The request include parameter that is not valid for this queue type.',
      );
    }
    return {
      body,
      md5OfBody: md5OfBody(body),
      attributes: attrs?.values,
      md5OfAttributes: attrs && md5OfAttributes(attrs.values),
      systemAttributes: system?.values,
      md5OfSystemAttributes: system && md5OfAttributes(system.values),
      delaySeconds: entry.DelaySeconds,
      groupId,
      deduplicationId: dedupId,
      senderId: ctx.caller.accessKeyId ?? ctx.caller.account,
    };
  }

  // Not async: with an in-memory engine the answer is ready before this returns (see QueueStorage.sendNow).
  sendMessage(
    input: Sqs.SendMessageRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageResult | Promise<Sqs.SendMessageResult> {
    const queue = this.resolve(input.QueueUrl!, ctx, 'SendMessage');
    if (queue instanceof Promise) return queue.then((q) => this.sendOne(q, input, ctx));
    return this.sendOne(queue, input, ctx);
  }

  private sendOne(
    queue: QueueRecord,
    input: Sqs.SendMessageRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageResult | Promise<Sqs.SendMessageResult> {
    const message = this.toNewMessage(queue, input, ctx);
    const batch = [message];
    if (this.storage.sendNow) return sendResult(message, this.storage.sendNow(queue, batch)[0]);
    return this.storage.send(queue, batch).then((sent) => sendResult(message, sent[0]));
  }

  private checkBatch<T extends { Id?: string }>(entries: T[] | undefined, entryName: string): T[] {
    if (!entries || entries.length === 0) throw sqsError.emptyBatchRequest(entryName);
    if (entries.length > 10) throw sqsError.tooManyEntries(entries.length);
    const seen = new Set<string>();
    for (const entry of entries) {
      const id = entry.Id ?? '';
      if (seen.has(id)) throw sqsError.batchEntryIdsNotDistinct(id);
      seen.add(id);
    }
    for (const entry of entries) if (!BATCH_ID.test(entry.Id ?? '')) throw sqsError.invalidBatchEntryId();
    return entries;
  }

  sendMessageBatch(
    input: Sqs.SendMessageBatchRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageBatchResult | Promise<Sqs.SendMessageBatchResult> {
    const queue = this.resolve(input.QueueUrl!, ctx, 'SendMessage');
    if (queue instanceof Promise) return queue.then((q) => this.sendBatch(q, input, ctx));
    return this.sendBatch(queue, input, ctx);
  }

  private sendBatch(
    queue: QueueRecord,
    input: Sqs.SendMessageBatchRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageBatchResult | Promise<Sqs.SendMessageBatchResult> {
    const entries = this.checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
    let total = 0;
    for (const e of entries) {
      total += Buffer.byteLength(e.MessageBody ?? '');
      for (const [name, a] of Object.entries(e.MessageAttributes ?? {})) {
        total += Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '');
        total += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '');
      }
    }
    if (total > MAX_MESSAGE_SIZE) throw sqsError.batchRequestTooLong(MAX_MESSAGE_SIZE, total);
    const failed: BatchFailure[] = [];
    const accepted: Array<{ id: string; message: NewMessage }> = [];
    for (const entry of entries) {
      try {
        // In a batch AWS reports an empty body as EmptyValue on the entry.
        if (!entry.MessageBody) {
          failed.push({
            Id: entry.Id!,
            SenderFault: true,
            Code: 'EmptyValue',
            Message: 'The request must contain the parameter MessageBody.',
          });
          continue;
        }
        accepted.push({ id: entry.Id!, message: this.toNewMessage(queue, entry, ctx) });
      } catch (err) {
        failed.push(failure(entry.Id!, err));
      }
    }
    const result = (sent: SendOutcome[]): Sqs.SendMessageBatchResult => ({
      Successful: accepted.map((a, i) => ({
        Id: a.id,
        MessageId: sent[i].messageId,
        MD5OfMessageBody: a.message.md5OfBody,
        MD5OfMessageAttributes: a.message.md5OfAttributes,
        MD5OfMessageSystemAttributes: a.message.md5OfSystemAttributes,
        SequenceNumber: sent[i].sequenceNumber,
      })),
      Failed: failed,
    });
    if (accepted.length === 0) return result([]);
    const messages = accepted.map((a) => a.message);
    if (this.storage.sendNow) return result(this.storage.sendNow(queue, messages));
    return this.storage.send(queue, messages).then(result);
  }

  async receiveMessage(
    input: Sqs.ReceiveMessageRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ReceiveMessageResult> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'ReceiveMessage');
    const max = input.MaxNumberOfMessages ?? 1;
    if (max < 1 || max > 10) {
      throw sqsError.invalidValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
    }
    const wait = input.WaitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
    if (wait < 0 || wait > 20) {
      throw sqsError.invalidValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
    }
    const visibility = input.VisibilityTimeout ?? Number(queue.attributes.VisibilityTimeout);
    if (visibility < 0 || visibility > 43_200) {
      throw sqsError.invalidValue('VisibilityTimeout', visibility, 'Must be >= 0 and <= 43200, if provided.');
    }
    const attemptId = input.ReceiveRequestAttemptId;
    if (attemptId !== undefined && !GROUP_OR_DEDUP_ID.test(attemptId)) {
      throw sqsError.invalidValue(
        'ReceiveRequestAttemptId',
        attemptId,
        'ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    // Standard queues answer OverLimit at 120,000 in-flight messages; FIFO queues just return nothing.
    if (!queue.fifo && (await this.storage.counts(queue)).inflight >= MAX_INFLIGHT_STANDARD) {
      throw sqsError.overLimit(
        `The maximum number of in flight messages (${MAX_INFLIGHT_STANDARD}) has been reached.`,
      );
    }
    const systemNames = [
      ...(input.AttributeNames ?? []),
      ...(input.MessageSystemAttributeNames ?? []),
    ] as string[];
    const selectUser = attributeSelector(input.MessageAttributeNames);
    const received = await this.storage.receive(queue, {
      max,
      visibilityTimeoutSeconds: visibility,
      waitSeconds: wait,
      attemptId: queue.fifo ? attemptId : undefined,
      // Only a receive that may wait needs to hear that its client went away.
      signal: wait > 0 ? ctx.signal : undefined,
    });
    if (received.length === 0) return {};
    return { Messages: received.map((r) => this.toMessage(r, systemNames, selectUser)) };
  }

  private toMessage(
    r: ReceivedMessage,
    systemNames: string[],
    selectUser: ((name: string) => boolean) | undefined,
  ): Sqs.Message {
    const m = r.message;
    const out: Sqs.Message = {
      MessageId: m.id,
      ReceiptHandle: r.receiptHandle,
      MD5OfBody: m.md5OfBody,
      Body: m.body,
    };
    if (systemNames.length > 0) {
      const all = systemNames.includes('All');
      const want = (name: string) => all || systemNames.includes(name);
      const attrs: Record<string, string> = {};
      if (want('SenderId')) attrs.SenderId = m.senderId;
      if (want('SentTimestamp')) attrs.SentTimestamp = String(m.sentAt);
      if (want('ApproximateReceiveCount')) attrs.ApproximateReceiveCount = String(m.receiveCount);
      if (want('ApproximateFirstReceiveTimestamp') && m.firstReceiveAt !== undefined) {
        attrs.ApproximateFirstReceiveTimestamp = String(m.firstReceiveAt);
      }
      const trace = m.systemAttributes?.AWSTraceHeader?.StringValue;
      if (want('AWSTraceHeader') && trace !== undefined) attrs.AWSTraceHeader = trace;
      if (want('SequenceNumber') && m.sequenceNumber !== undefined) attrs.SequenceNumber = m.sequenceNumber;
      if (want('MessageDeduplicationId') && m.deduplicationId !== undefined) {
        attrs.MessageDeduplicationId = m.deduplicationId;
      }
      if (want('MessageGroupId') && m.groupId !== undefined) attrs.MessageGroupId = m.groupId;
      if (want('DeadLetterQueueSourceArn') && m.deadLetterSourceArn !== undefined) {
        attrs.DeadLetterQueueSourceArn = m.deadLetterSourceArn;
      }
      if (Object.keys(attrs).length > 0) out.Attributes = attrs;
    }
    if (selectUser && m.attributes) {
      const chosen: Record<string, StoredAttributeValue> = {};
      for (const [name, value] of Object.entries(m.attributes))
        if (selectUser(name)) chosen[name] = { ...value };
      if (Object.keys(chosen).length > 0) {
        out.MessageAttributes = chosen;
        out.MD5OfMessageAttributes =
          Object.keys(chosen).length === Object.keys(m.attributes).length
            ? m.md5OfAttributes
            : md5OfAttributes(chosen);
      }
    }
    return out;
  }

  private deleteError(handle: string, outcome: DeleteOutcome): ServiceError | undefined {
    if (outcome === 'invalid') return sqsError.receiptHandleIsInvalid(handle);
    if (outcome === 'expired')
      return sqsError.invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
    return undefined;
  }

  async deleteMessage(input: Sqs.DeleteMessageRequest, ctx: RequestContext): Promise<void> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'DeleteMessage');
    const [outcome] = await this.storage.deleteMessages(queue, [input.ReceiptHandle!]);
    const err = this.deleteError(input.ReceiptHandle!, outcome);
    if (err) throw err;
  }

  async deleteMessageBatch(
    input: Sqs.DeleteMessageBatchRequest,
    ctx: RequestContext,
  ): Promise<Sqs.DeleteMessageBatchResult> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'DeleteMessage');
    const entries = this.checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
    const outcomes = await this.storage.deleteMessages(
      queue,
      entries.map((e) => e.ReceiptHandle!),
    );
    const results = entries.map((e, i) => {
      const err = this.deleteError(e.ReceiptHandle!, outcomes[i]);
      return err && failure(e.Id!, err);
    });
    return {
      Successful: entries.filter((_, i) => !results[i]).map((e) => ({ Id: e.Id! })),
      Failed: results.filter((r): r is BatchFailure => r !== undefined),
    };
  }

  private async changeOne(queue: QueueRecord, handle: string, timeout: number | undefined): Promise<void> {
    if (timeout === undefined) throw sqsError.missingParameter('VisibilityTimeout');
    if (timeout < 0 || timeout > 43_200) {
      throw sqsError.invalidValue(
        'VisibilityTimeout',
        timeout,
        'VisibilityTimeout must be an integer between 0 and 43200',
      );
    }
    const outcome = await this.storage.changeVisibility(queue, handle, timeout);
    switch (outcome) {
      case 'invalid':
        throw sqsError.receiptHandleIsInvalid(handle);
      case 'missing':
        throw sqsError.invalidValue(
          'ReceiptHandle',
          handle,
          'Message does not exist or is not available for visibility timeout change.',
        );
      case 'expired':
        throw sqsError.invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
      case 'tooLong':
        throw sqsError.invalidValue(
          'VisibilityTimeout',
          timeout,
          'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
        );
    }
  }

  async changeMessageVisibility(
    input: Sqs.ChangeMessageVisibilityRequest,
    ctx: RequestContext,
  ): Promise<void> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'ChangeMessageVisibility');
    await this.changeOne(queue, input.ReceiptHandle!, input.VisibilityTimeout);
  }

  async changeMessageVisibilityBatch(
    input: Sqs.ChangeMessageVisibilityBatchRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ChangeMessageVisibilityBatchResult> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'ChangeMessageVisibility');
    const entries = this.checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
    const results = await Promise.all(
      entries.map((e) =>
        this.changeOne(queue, e.ReceiptHandle!, e.VisibilityTimeout).then(
          () => undefined,
          (err: unknown) => failure(e.Id!, err),
        ),
      ),
    );
    return {
      Successful: entries.filter((_, i) => !results[i]).map((e) => ({ Id: e.Id! })),
      Failed: results.filter((r): r is BatchFailure => r !== undefined),
    };
  }

  // ---- dead-letter queues and move tasks ---------------------------------

  async listDeadLetterSourceQueues(
    input: Sqs.ListDeadLetterSourceQueuesRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ListDeadLetterSourceQueuesResult> {
    const queue = await this.resolve(input.QueueUrl!, ctx, 'ListDeadLetterSourceQueues');
    const sources = (await this.storage.listQueues(queue.account, queue.region))
      .filter((q) => {
        if (!q.attributes.RedrivePolicy) return false;
        try {
          return parseRedrivePolicy(q.attributes.RedrivePolicy).deadLetterTargetArn === queue.arn;
        } catch {
          return false;
        }
      })
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    return this.page(sources, input.MaxResults, input.NextToken, 1000, (page, next) => ({
      queueUrls: page.map((q) => this.urlOf(q, ctx)),
      NextToken: next,
    }));
  }

  private async queueByArn(arn: string, ctx: RequestContext, parameter: string): Promise<QueueRecord> {
    const queue = await this.storage.getQueueByArn(arn);
    if (!queue || queue.account !== ctx.caller.account) {
      throw sqsError.resourceNotFound(
        `The resource that you specified for the ${parameter} parameter doesn't exist.`,
      );
    }
    return queue;
  }

  async startMessageMoveTask(
    input: Sqs.StartMessageMoveTaskRequest,
    ctx: RequestContext,
  ): Promise<Sqs.StartMessageMoveTaskResult> {
    const source = await this.queueByArn(input.SourceArn!, ctx, 'SourceArn');
    const destination = input.DestinationArn
      ? await this.queueByArn(input.DestinationArn, ctx, 'DestinationArn')
      : undefined;
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (rate < 1 || rate > 500)) {
      throw sqsError.invalidValue(
        'MaxNumberOfMessagesPerSecond',
        rate,
        'Must be between 1 and 500, if provided.',
      );
    }
    const isDeadLetterQueue = (await this.storage.listQueues(source.account, source.region)).some((q) => {
      try {
        return (
          !!q.attributes.RedrivePolicy &&
          parseRedrivePolicy(q.attributes.RedrivePolicy).deadLetterTargetArn === source.arn
        );
      } catch {
        return false;
      }
    });
    if (!isDeadLetterQueue) {
      throw sqsError.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    if (destination && destination.fifo !== source.fifo) {
      throw sqsError.invalidParameterValue(
        'The source queue and destination queue must be of the same queue type.',
      );
    }
    if ((await this.storage.listMoveTasks(source)).some((t) => t.status === 'RUNNING')) {
      throw sqsError.invalidParameterValue(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const task = await this.storage.startMoveTask(source, destination, rate);
    return { TaskHandle: task.taskHandle };
  }

  async listMessageMoveTasks(
    input: Sqs.ListMessageMoveTasksRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ListMessageMoveTasksResult> {
    const source = await this.queueByArn(input.SourceArn!, ctx, 'SourceArn');
    const max = input.MaxResults ?? 1;
    if (max < 1 || max > 10)
      throw sqsError.invalidValue('MaxResults', max, 'Must be between 1 and 10, if provided.');
    const tasks = (await this.storage.listMoveTasks(source)).slice(0, max);
    return { Results: tasks.map(toTaskEntry) };
  }

  async cancelMessageMoveTask(
    input: Sqs.CancelMessageMoveTaskRequest,
    _ctx: RequestContext,
  ): Promise<Sqs.CancelMessageMoveTaskResult> {
    const handle = input.TaskHandle!;
    const task = await this.storage.cancelMoveTask(handle);
    if (!task) throw sqsError.resourceNotFound('Task does not exist.');
    if (task.status !== 'CANCELLED') {
      throw sqsError.invalidParameterValue(
        `Task ${handle} is ${task.status} and can no longer be cancelled.`,
      );
    }
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function toTaskEntry(task: MoveTask): Sqs.ListMessageMoveTasksResultEntry {
  return {
    TaskHandle: task.status === 'RUNNING' ? task.taskHandle : undefined,
    Status: task.status,
    SourceArn: task.sourceArn,
    DestinationArn: task.destinationArn,
    MaxNumberOfMessagesPerSecond: task.maxPerSecond,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    FailureReason: task.failureReason,
    StartedTimestamp: task.startedAt,
  };
}
