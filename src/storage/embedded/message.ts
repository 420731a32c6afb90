import { setEntry } from '../../core/entries.js';
import type { MessageView, StoredAttributeValue } from '../types.js';
import type { Logged, LogRow } from './log-rows.js';

/** A message as the embedded engine holds it. */
export class StoredMessage implements MessageView, Logged {
  heapIndex = -1;
  /** Position in the heap of messages enqueued earlier than they arrived (standard DLQ moves). */
  retentionIndex = -1;
  /** Non-zero while the message waits in a standard queue's ready deque. */
  readyStamp = 0;
  /** Non-zero while the message sits in its queue's retention deque. */
  retentionStamp = 0;
  /** Arrival order across restarts. */
  ord = 0;
  body = '';
  /** The body sealed for the journal (NewMessage.sealedBody); kept beside the clear one in memory. */
  sealedBody?: string = undefined;
  md5OfBody = '';
  attributes?: Record<string, StoredAttributeValue>;
  md5OfAttributes?: string;
  systemAttributes?: Record<string, StoredAttributeValue>;
  md5OfSystemAttributes?: string;
  sentAt = 0;
  /** Counts towards retention; a standard-queue DLQ move keeps the original. */
  enqueuedAt = 0;
  senderId = '';
  receiveCount = 0;
  firstReceiveAt?: number;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  /** When it next becomes receivable (end of delay or of visibility timeout). */
  visibleAt = 0;
  inflight = false;
  /** Start of the current in-flight period: the 12-hour limit counts from it. */
  receivedAt = 0;
  /** Nonce of the newest receipt handle. */
  receiptToken = '';
  /** Journal rows holding its record and its latest receive state (with --data-dir). */
  logRecord: LogRow | undefined = undefined;
  logState: LogRow | undefined = undefined;

  constructor(readonly id: string) {}
}

type AttributeRow = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/** What never changes after a send: written once per message. */
export interface MessageContent {
  id: string;
  /** Empty when `sealedBody` holds it: a sealed body never reaches the journal in clear. */
  body: string;
  sealedBody?: string;
  md5OfBody: string;
  attributes?: AttributeRow;
  md5OfAttributes?: string;
  systemAttributes?: AttributeRow;
  md5OfSystemAttributes?: string;
  sentAt: number;
  senderId: string;
  groupId?: string;
  deduplicationId?: string;
}

/** What receives and moves change: small, rewritten on each of them. */
export interface MessageState {
  enqueuedAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  visibleAt: number;
  inflight: boolean;
  receivedAt: number;
  receiptToken: string;
}

function attrsToRow(attrs: Record<string, StoredAttributeValue> | undefined) {
  if (!attrs) return undefined;
  const out: AttributeRow = {};
  for (const [k, v] of Object.entries(attrs)) {
    setEntry(out, k, {
      DataType: v.DataType,
      StringValue: v.StringValue,
      BinaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
    });
  }
  return out;
}

function attrsFromRow(attrs: AttributeRow | undefined) {
  if (!attrs) return undefined;
  const out: Record<string, StoredAttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    setEntry(out, k, {
      DataType: v.DataType,
      StringValue: v.StringValue,
      BinaryValue: v.BinaryValue !== undefined ? Buffer.from(v.BinaryValue, 'base64') : undefined,
    });
  }
  return out;
}

export function contentOf(m: StoredMessage): MessageContent {
  return {
    id: m.id,
    body: m.sealedBody === undefined ? m.body : '',
    sealedBody: m.sealedBody,
    md5OfBody: m.md5OfBody,
    attributes: attrsToRow(m.attributes),
    md5OfAttributes: m.md5OfAttributes,
    systemAttributes: attrsToRow(m.systemAttributes),
    md5OfSystemAttributes: m.md5OfSystemAttributes,
    sentAt: m.sentAt,
    senderId: m.senderId,
    groupId: m.groupId,
    deduplicationId: m.deduplicationId,
  };
}

export function restoreMessage(ord: number, content: MessageContent, state: MessageState): StoredMessage {
  const m = new StoredMessage(content.id);
  Object.assign(m, content, state, {
    ord,
    attributes: attrsFromRow(content.attributes),
    systemAttributes: attrsFromRow(content.systemAttributes),
  });
  return m;
}
