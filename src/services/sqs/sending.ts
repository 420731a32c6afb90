import { createHash } from 'node:crypto';
import type * as Sqs from '@aws-sdk/client-sqs';
import type { NewMessage, QueueRecord } from '../../storage/types.js';
import { MAX_MESSAGE_SIZE } from './attributes.js';
import { sqsError } from './errors.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import { checkBody, validateMessageAttributes } from './messages.js';

// MessageGroupId, MessageDeduplicationId and ReceiveRequestAttemptId: 1..128 of alphanumerics and punctuation.
export const GROUP_OR_DEDUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

// The last body that passed checkBody: a fan-out hands many queues the same string, and its
// characters need scanning only once. Only a body that passed is remembered.
let lastValidBody: string | undefined;

/** What a send names: SendMessage's input, a batch entry, or a delivery from another service. */
export type SendEntry = Pick<
  Sqs.SendMessageRequest,
  | 'MessageBody'
  | 'MessageAttributes'
  | 'MessageSystemAttributes'
  | 'DelaySeconds'
  | 'MessageGroupId'
  | 'MessageDeduplicationId'
>;

/**
 * SQS's send rules for one message, in AWS's order: body, attributes, size, delay, group and
 * deduplication ids. A batch entry's size refusal has its own wording (recorded from AWS:
 * "cannot be validated" in SendMessageBatch, "are invalid" in SendMessage).
 */
export function newMessage(
  queue: QueueRecord,
  entry: SendEntry,
  senderId: string,
  carrier: 'single' | 'batch',
): NewMessage {
  const body = entry.MessageBody ?? '';
  if (body.length === 0) throw sqsError.missingParameter('MessageBody');
  if (body !== lastValidBody) {
    checkBody(body);
    lastValidBody = body;
  }
  const attrs = validateMessageAttributes(entry.MessageAttributes);
  const system = validateMessageAttributes(entry.MessageSystemAttributes, 'system');
  const maxSize = Number(queue.attributes.MaximumMessageSize ?? MAX_MESSAGE_SIZE);
  const size = Buffer.byteLength(body) + (attrs?.size ?? 0);
  if (size > maxSize) {
    const verb = carrier === 'batch' ? 'cannot be validated' : 'are invalid';
    throw sqsError.invalidParameterValue(
      `One or more parameters ${verb}. Reason: Message must be shorter than ${maxSize} bytes.`,
    );
  }
  let delaySeconds = entry.DelaySeconds;
  if (delaySeconds !== undefined) {
    // A FIFO queue takes 0 as "no per-message delay": the queue's own DelaySeconds still applies.
    if (queue.fifo) {
      if (delaySeconds !== 0) {
        throw sqsError.invalidValue(
          'DelaySeconds',
          delaySeconds,
          'The request include parameter that is not valid for this queue type.',
        );
      }
      delaySeconds = undefined;
    } else if (delaySeconds < 0 || delaySeconds > 900) {
      throw sqsError.invalidValue('DelaySeconds', delaySeconds, 'DelaySeconds must be >= 0 and <= 900.');
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
      if (queue.attributes.ContentBasedDeduplication !== 'true') throw missingDeduplication();
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
    delaySeconds,
    groupId,
    deduplicationId: dedupId,
    senderId,
  };
}

function missingDeduplication() {
  return sqsError.invalidParameterValue(
    'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
  );
}

/**
 * A FIFO batch with an entry that lacks its group id, or its deduplication id where the queue
 * does not derive one, fails as a whole (AWS answers the request with InvalidParameterValue, not
 * one failed entry).
 */
export function checkFifoBatch(queue: QueueRecord, entries: readonly SendEntry[]): void {
  if (!queue.fifo) return;
  for (const entry of entries) {
    if (entry.MessageGroupId === undefined) {
      throw sqsError.invalidParameterValue('The request must contain the parameter MessageGroupId.');
    }
    if (entry.MessageDeduplicationId === undefined && queue.attributes.ContentBasedDeduplication !== 'true') {
      throw missingDeduplication();
    }
  }
}
