import { createHash, randomUUID } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { TopicRecord, TopicStorage } from '../../storage/types.js';
import type { TopicEncryption } from './encryption.js';
import { snsTimestamp } from './envelope.js';
import { snsError } from './errors.js';
import type { FanOut } from './fan-out.js';
import { checkMessageAttributes } from './message-attributes.js';
import type { Outbox } from './outbox.js';
import type { PlatformService } from './platform.js';
import type { Publication } from './publication.js';
import { isPhoneNumber, type SmsService } from './sms.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './topic-attributes.js';
import type { TopicOperations } from './topics.js';

// FIFO topics remember deduplication ids for five minutes (SNS guide, "Message deduplication for FIFO topics").
const DEDUP_WINDOW_MS = 5 * 60_000;
const BATCH_ID = /^[A-Za-z0-9_-]+$/;
const MAX_BATCH_ID_LENGTH = 80;
const GROUP_OR_DEDUP_ID = /^[\x21-\x7e]{1,128}$/;

const FIRST_SEQUENCE = 10_000_000_000_000_000_000n;

/** One message as Publish or a PublishBatch entry gives it. */
export type PublishEntry = Pick<
  Sns.PublishInput,
  | 'Message'
  | 'Subject'
  | 'MessageStructure'
  | 'MessageAttributes'
  | 'MessageGroupId'
  | 'MessageDeduplicationId'
>;

export interface PublishDependencies {
  clock: Clock;
  storage: TopicStorage;
  topicOps: TopicOperations;
  fanOut: FanOut;
  outbox: Outbox;
  platform: PlatformService;
  sms: SmsService;
  /** SSE-KMS: the topic's key, met at each publication. */
  encryption?: TopicEncryption;
}

/** Publish and PublishBatch: checks, FIFO sequencing and deduplication, then fan-out; SMS and mobile push. */
export class PublishOperations {
  constructor(private readonly deps: PublishDependencies) {}

  /** Validates one message (Publish or a batch entry) into what fan-out needs. */
  private prepare(topic: TopicRecord, entry: PublishEntry, baseUrl: string): Publication {
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
    const publishedAt = this.deps.clock.now();
    // Written out only for the envelopes and the outbox: raw deliveries carry no timestamp.
    let timestamp: string | undefined;
    return {
      topic,
      messageId: randomUUID(),
      message,
      structured,
      subject: entry.Subject,
      attributes: checked?.values,
      groupId,
      deduplicationId: dedupId,
      get timestamp() {
        timestamp ??= snsTimestamp(publishedAt);
        return timestamp;
      },
      publishedAt,
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
    const got = await this.deps.storage.sequencePublication(
      p.topic.arn,
      deduplicationKey(p),
      p.messageId,
      this.deps.clock.now(),
      DEDUP_WINDOW_MS,
    );
    p.messageId = got.messageId;
    p.sequenceNumber = (FIRST_SEQUENCE + got.sequence).toString();
    return { duplicate: got.duplicate };
  }

  /** Fan-out, then (FIFO) the deduplication id made durable: a crash between them loses no message. */
  private async deliver(p: Publication, ctx: RequestContext): Promise<void> {
    await this.deps.fanOut.fanOut(p, ctx);
    if (p.topic.fifo) {
      await this.deps.storage.confirmPublication(p.topic.arn, deduplicationKey(p), this.deps.clock.now());
    }
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
    const topic = this.deps.topicOps.topic(
      arn,
      ctx,
      'Publish',
      input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn',
    );
    return this.publishToTopic(topic, input, ctx);
  }

  /**
   * Publish once the topic is known and the caller let in: its checks, FIFO sequencing and
   * fan-out. The SNS front door (front-door.ts) enters here for other services' deliveries.
   */
  async publishToTopic(
    topic: TopicRecord,
    entry: PublishEntry,
    ctx: RequestContext,
  ): Promise<Sns.PublishResponse> {
    const publication = this.prepare(topic, entry, ctx.baseUrl);
    this.deps.encryption?.check(topic);
    // Standard topics skip the storage round trip: nothing to deduplicate or number.
    if (!topic.fifo || !(await this.sequence(publication)).duplicate) await this.deliver(publication, ctx);
    return { MessageId: publication.messageId, SequenceNumber: publication.sequenceNumber };
  }

  /** Mobile push to one device endpoint: recorded in the outbox as the push service would get it. */
  private publishToEndpoint(input: Sns.PublishInput, ctx: RequestContext): Sns.PublishResponse {
    const endpoint = this.deps.platform.findEndpoint(input.TargetArn!, ctx);
    if (!endpoint)
      throw snsError.invalidParameter('TargetArn', 'No endpoint found for the target arn specified');
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
      timestamp: snsTimestamp(this.deps.clock.now()),
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
      timestamp: snsTimestamp(this.deps.clock.now()),
      type: 'Notification',
      protocol: 'sms',
      endpoint: phone,
      message,
    });
    return { MessageId: messageId };
  }

  async publishBatch(input: Sns.PublishBatchInput, ctx: RequestContext): Promise<Sns.PublishBatchResponse> {
    const topic = this.deps.topicOps.topic(input.TopicArn, ctx, 'Publish');
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0) throw snsError.emptyBatch();
    if (entries.length > 10) throw snsError.tooManyEntries();
    const ids = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      const id = entry.Id ?? '';
      if (id.length > MAX_BATCH_ID_LENGTH) throw snsError.batchEntryIdTooLong(id);
      if (!BATCH_ID.test(id)) throw snsError.batchEntryIdCharacters(id);
      if (ids.has(id)) throw snsError.batchIdsNotDistinct();
      ids.add(id);
    }
    for (const entry of entries) {
      // Malformed attributes, a JSON structure without its default or missing FIFO parameters in
      // one entry fail the whole batch, in that order, as in AWS; the size limit counts bodies and
      // attributes together (SNS API Reference, PublishBatch).
      total +=
        Buffer.byteLength(entry.Message ?? '') + (checkMessageAttributes(entry.MessageAttributes)?.size ?? 0);
      if (entry.MessageStructure === 'json') parseStructured(entry.Message ?? '');
      if (topic.fifo) this.checkFifoParameters(topic, entry.MessageGroupId, entry.MessageDeduplicationId);
    }
    if (total > Number(topic.attributes.MaximumMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE))
      throw snsError.batchTooLong();
    // The key fails the whole batch: it is the topic's, not an entry's.
    this.deps.encryption?.check(topic);
    const Successful: Sns.PublishBatchResultEntry[] = [];
    const Failed: Sns.BatchResultErrorEntry[] = [];
    const deliveries: Promise<void>[] = [];
    for (const entry of entries) {
      try {
        const publication = this.prepare(topic, entry, ctx.baseUrl);
        if (!topic.fifo || !(await this.sequence(publication)).duplicate) {
          deliveries.push(this.deliver(publication, ctx));
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
}

/** The scope of a FIFO deduplication id: the topic, or the message group with FifoThroughputScope=MessageGroup. */
function deduplicationKey(p: Publication): string {
  return p.topic.attributes.FifoThroughputScope === 'MessageGroup'
    ? `${p.groupId}\u0000${p.deduplicationId}`
    : p.deduplicationId!;
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
