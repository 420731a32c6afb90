import type { StoredAttributeValue, TopicRecord } from '../../storage/types.js';

/** One message on its way from Publish (or a batch entry) to the subscribers, and to the archive. */
export interface Publication {
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
