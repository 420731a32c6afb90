import type * as Sqs from '@aws-sdk/client-sqs';
import { setEntry } from '../../core/entries.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { ServiceError } from '../../protocols/errors.js';
import type { RequestContext } from '../../protocols/service.js';
import type {
  DeleteOutcome,
  NewMessage,
  QueueRecord,
  QueueStorage,
  ReceivedMessage,
  SendOutcome,
  StoredAttributeValue,
} from '../../storage/types.js';
import { MAX_MESSAGE_SIZE } from './attributes.js';
import type { QueueEncryption } from './encryption.js';
import { sqsError } from './errors.js';
import { md5OfAttributes } from './md5.js';
import { attributeSelector } from './messages.js';
import type { QueueAccess } from './queue-access.js';
import { checkFifoBatch, GROUP_OR_DEDUP_ID, newMessage } from './sending.js';

const MAX_INFLIGHT_STANDARD = 120_000;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

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

/** Who a request's messages come from: its access key id, as AWS reports in SenderId. */
function senderOf(ctx: RequestContext): string {
  return ctx.caller.accessKeyId ?? ctx.caller.account;
}

function failure(id: string, err: unknown): BatchFailure {
  const e = err as ServiceError;
  if (!e.queryCode) throw err;
  return { Id: id, SenderFault: e.fault === 'Sender', Code: e.queryCode, Message: e.message };
}

/** Messages: sending, receiving, deleting and changing visibility, one at a time or in batches. */
export class MessageOperations {
  constructor(
    private readonly storage: QueueStorage,
    private readonly access: QueueAccess,
    private readonly encryption: QueueEncryption,
    /** Receives that show a mistake, for `tideway doctor`. */
    private readonly hints?: HintRecorder,
  ) {}

  /** An encrypted queue's messages take the data key (KMS's refusal fails the request) and, with a journal, are sealed. */
  private encrypt(queue: QueueRecord, messages: NewMessage[]): void {
    if (!this.encryption.encrypts(queue)) return;
    const key = this.encryption.sendingKey(queue);
    for (const m of messages) {
      const sealed = this.encryption.seal(key, m.body);
      if (sealed !== undefined) m.sealedBody = sealed;
    }
  }

  // Not async: with an in-memory engine the answer is ready before this returns (see QueueStorage.sendNow).
  sendMessage(
    input: Sqs.SendMessageRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageResult | Promise<Sqs.SendMessageResult> {
    const queue = this.access.resolve(input.QueueUrl!, ctx, 'SendMessage');
    if (queue instanceof Promise) return queue.then((q) => this.sendOne(q, input, ctx));
    return this.sendOne(queue, input, ctx);
  }

  private sendOne(
    queue: QueueRecord,
    input: Sqs.SendMessageRequest,
    ctx: RequestContext,
  ): Sqs.SendMessageResult | Promise<Sqs.SendMessageResult> {
    const message = newMessage(queue, input, senderOf(ctx), 'single');
    const batch = [message];
    this.encrypt(queue, batch);
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
    const queue = this.access.resolve(input.QueueUrl!, ctx, 'SendMessage');
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
    checkFifoBatch(queue, entries);
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
        accepted.push({ id: entry.Id!, message: newMessage(queue, entry, senderOf(ctx), 'batch') });
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
    this.encrypt(queue, messages);
    if (this.storage.sendNow) return result(this.storage.sendNow(queue, messages));
    return this.storage.send(queue, messages).then(result);
  }

  async receiveMessage(
    input: Sqs.ReceiveMessageRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ReceiveMessageResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'ReceiveMessage');
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
    this.encryption.checkReceive(queue);
    const received = await this.storage.receive(queue, {
      max,
      visibilityTimeoutSeconds: visibility,
      waitSeconds: wait,
      attemptId: queue.fifo ? attemptId : undefined,
      // Only a receive that may wait needs to hear that its client went away.
      signal: wait > 0 ? ctx.signal : undefined,
    });
    this.hints?.receive(queue.arn, input.MessageAttributeNames, wait, received.length === 0);
    if (received.length === 0) return {};
    return { Messages: received.map((r) => this.toMessage(queue, r, systemNames, selectUser)) };
  }

  private toMessage(
    queue: QueueRecord,
    r: ReceivedMessage,
    systemNames: string[],
    selectUser: ((name: string) => boolean) | undefined,
  ): Sqs.Message {
    const m = r.message;
    const out: Sqs.Message = {
      MessageId: m.id,
      ReceiptHandle: r.receiptHandle,
      MD5OfBody: m.md5OfBody,
      // Restored from the journal sealed: opened on the way out, never written back in clear.
      Body: m.body === '' && m.sealedBody !== undefined ? this.encryption.open(queue, m.sealedBody) : m.body,
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
        if (selectUser(name)) setEntry(chosen, name, { ...value });
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
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'DeleteMessage');
    const [outcome] = await this.storage.deleteMessages(queue, [input.ReceiptHandle!]);
    const err = this.deleteError(input.ReceiptHandle!, outcome);
    if (err) throw err;
  }

  async deleteMessageBatch(
    input: Sqs.DeleteMessageBatchRequest,
    ctx: RequestContext,
  ): Promise<Sqs.DeleteMessageBatchResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'DeleteMessage');
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
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'ChangeMessageVisibility');
    await this.changeOne(queue, input.ReceiptHandle!, input.VisibilityTimeout);
  }

  async changeMessageVisibilityBatch(
    input: Sqs.ChangeMessageVisibilityBatchRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ChangeMessageVisibilityBatchResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'ChangeMessageVisibility');
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
}
