import { createHash } from 'node:crypto';
import type { ServiceEvent } from '../events/state.js';
import type { ObjectEvent } from './model.js';

// The documents S3 sends about its objects: the notification record (SQS bodies, SNS messages,
// Lambda payloads), the test event sent when a destination is configured, and the `aws.s3` events
// of buckets with EventBridge turned on. Field order follows AWS's, as users diff them.

export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: {
      key: string;
      size?: number;
      eTag?: string;
      versionId?: string;
      sequencer?: string;
    };
  };
}

/** The subject SNS messages from S3 carry. */
export const NOTIFICATION_SUBJECT = 'Amazon S3 Notification';

/**
 * An account's principal id as S3 events show it: an opaque upper-case id, the same for one
 * account every time (AWS shows the canonical customer id there, which Tideway has not).
 */
export function principalIdOf(requester: string): string {
  if (!/^\d{12}$/.test(requester)) return `AWS:${requester}`;
  const digest = createHash('sha256').update(`tideway-principal:${requester}`).digest();
  let id = 'A';
  for (let i = 0; id.length < 14; i++) id += ALPHABET[digest[i] % ALPHABET.length];
  return id;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * An object key as notification records carry it: form-encoded, so a space is `+` and every
 * byte outside letters, digits, `-_.~` and `/` is `%XX` of its UTF-8.
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~/]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** ISO 8601 with milliseconds, as S3 writes event times. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString();
}

function hasVersion(versionId: string | undefined): versionId is string {
  return versionId !== undefined && versionId !== '' && versionId !== 'null';
}

/** One record of `{"Records":[…]}` for the configuration `configurationId`. */
export function eventRecord(event: ObjectEvent, configurationId: string): S3EventRecord {
  const object: S3EventRecord['s3']['object'] = { key: encodeEventKey(event.key) };
  const family = event.name.split(':')[0];
  if (family === 'ObjectCreated') {
    if (event.size !== undefined) object.size = event.size;
    if (event.etag !== undefined) object.eTag = event.etag;
  }
  // Tagging and ACL records name the object by its ETag and carry no sequencer.
  if (family === 'ObjectTagging' && event.etag !== undefined) object.eTag = event.etag;
  if (hasVersion(event.versionId)) object.versionId = event.versionId;
  if (family !== 'ObjectTagging') object.sequencer = event.sequencer;
  return {
    eventVersion: family === 'ObjectTagging' ? '2.3' : '2.1',
    eventSource: 'aws:s3',
    awsRegion: event.bucket.region,
    eventTime: eventTime(event.time),
    eventName: event.name,
    userIdentity: { principalId: principalIdOf(event.requester) },
    requestParameters: { sourceIPAddress: event.sourceIp },
    responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: event.bucket.name,
        ownerIdentity: { principalId: principalIdOf(event.bucket.account) },
        arn: `arn:aws:s3:::${event.bucket.name}`,
      },
      object,
    },
  };
}

/** The message S3 sends to queues and topics: one record per message. */
export function recordsMessage(record: S3EventRecord): string {
  return JSON.stringify({ Records: [record] });
}

/** What S3 sends each queue and topic when a configuration names it, before it keeps the configuration. */
export function testEventMessage(bucket: string, time: number, requestId: string, hostId: string): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: eventTime(time),
    Bucket: bucket,
    RequestId: requestId,
    HostId: hostId,
  });
}

const REASONS: Partial<Record<ObjectEvent['name'], string>> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
  'ObjectRemoved:Delete': 'DeleteObject',
  'ObjectRemoved:DeleteMarkerCreated': 'DeleteObject',
};

/** The `aws.s3` event EventBridge receives for an object event, as the default bus gets it. */
export function eventBridgeEvent(event: ObjectEvent): ServiceEvent {
  const family = event.name.split(':')[0];
  const object: Record<string, unknown> = { key: event.key };
  let detailType: string;
  const tail: Record<string, unknown> = {};
  if (family === 'ObjectCreated') {
    detailType = 'Object Created';
    if (event.size !== undefined) object.size = event.size;
    if (event.etag !== undefined) object.etag = event.etag;
    if (hasVersion(event.versionId)) object['version-id'] = event.versionId;
    object.sequencer = event.sequencer;
    tail.reason = REASONS[event.name];
  } else if (family === 'ObjectRemoved') {
    detailType = 'Object Deleted';
    if (hasVersion(event.versionId)) object['version-id'] = event.versionId;
    object.sequencer = event.sequencer;
    tail.reason = REASONS[event.name];
    tail['deletion-type'] =
      event.name === 'ObjectRemoved:DeleteMarkerCreated' ? 'Delete Marker Created' : 'Permanently Deleted';
  } else {
    detailType = event.name === 'ObjectTagging:Put' ? 'Object Tags Added' : 'Object Tags Deleted';
    if (event.etag !== undefined) object.etag = event.etag;
    if (hasVersion(event.versionId)) object['version-id'] = event.versionId;
  }
  return {
    source: 'aws.s3',
    'detail-type': detailType,
    resources: [`arn:aws:s3:::${event.bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: event.bucket.name },
      object,
      'request-id': event.requestId,
      requester: event.requester,
      'source-ip-address': event.sourceIp,
      ...tail,
    },
  };
}
