import type { StoredAttributeValue } from '../../storage/types.js';
import { envelopeAttribute } from './message-attributes.js';
import type { SignableMessage } from './signing.js';

/** Signs what a notification carries; created on first need (key generation takes a moment). */
export interface NotificationSigner {
  sign(message: SignableMessage, version: '1' | '2'): string;
}

export interface NotificationFields {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
  sequenceNumber?: string;
  attributes?: Record<string, StoredAttributeValue>;
  unsubscribeUrl: string;
  /** Absent on FIFO topics: their notifications carry no signature. */
  signing?: { signer: NotificationSigner; version: '1' | '2'; certUrl: string };
}

/**
 * The JSON document SNS delivers to SQS and HTTP endpoints (SNS guide, "HTTP/HTTPS notification
 * JSON format"), laid out as AWS writes it: two-space indent and ` : ` between key and value.
 * Returned as a template on the UnsubscribeURL, the one field that differs per subscription, so a
 * publication with many subscribers builds (and signs) its document once.
 */
export function notificationTemplate(
  n: Omit<NotificationFields, 'unsubscribeUrl'>,
): (unsubscribeUrl: string) => string {
  const fields: Array<[string, string]> = [
    ['Type', 'Notification'],
    ['MessageId', n.messageId],
  ];
  if (n.sequenceNumber !== undefined) fields.push(['SequenceNumber', n.sequenceNumber]);
  fields.push(['TopicArn', n.topicArn]);
  if (n.subject !== undefined) fields.push(['Subject', n.subject]);
  fields.push(['Message', n.message], ['Timestamp', n.timestamp]);
  if (n.signing) {
    const signature = n.signing.signer.sign(
      {
        Type: 'Notification',
        MessageId: n.messageId,
        TopicArn: n.topicArn,
        Subject: n.subject,
        Message: n.message,
        Timestamp: n.timestamp,
      },
      n.signing.version,
    );
    fields.push(
      ['SignatureVersion', n.signing.version],
      ['Signature', signature],
      ['SigningCertURL', n.signing.certUrl],
    );
  }
  const head = `${documentJson(fields, false)},\n  "UnsubscribeURL" : `;
  let tail = '';
  const attributes = n.attributes ? Object.entries(n.attributes) : [];
  if (attributes.length > 0) {
    const lines = attributes.map(
      ([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(envelopeAttribute(v))}`,
    );
    tail = `,\n  "MessageAttributes" : {\n${lines.join(',\n')}\n  }`;
  }
  tail += '\n}';
  return (unsubscribeUrl) => head + JSON.stringify(unsubscribeUrl) + tail;
}

/** AWS's layout for the JSON documents it sends: two-space indent, ` : ` after each key. */
export function documentJson(fields: Array<[string, string]>, closed = true): string {
  const body = `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n')}`;
  return closed ? `${body}\n}` : body;
}

/** SNS timestamps: ISO 8601 with milliseconds, UTC. */
export function snsTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
