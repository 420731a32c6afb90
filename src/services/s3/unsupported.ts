import type { RestHead } from '../../protocols/rest-dispatch.js';
import { s3Error } from './errors.js';

/**
 * What Tideway's S3 does not do, answered as S3 answers a feature it does not implement: 501
 * NotImplemented, with a message naming the feature, so a test fails at the call that needs it
 * instead of later on a silently missing behaviour. docs/s3.md lists the same features.
 */

/** The feature each unserved operation belongs to, by the first pattern its name fits. */
const FEATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/ObjectLock|ObjectLegalHold|ObjectRetention/, 'Object Lock'],
  [/Lifecycle/, 'lifecycle configurations'],
  [/Replication/, 'replication'],
  [/Website/, 'static website hosting'],
  [/Acl$/, 'access control lists beyond the canned private ACL'],
  [/UpdateObjectEncryption/, 'changing the encryption of stored objects'],
  [/Analytics/, 'storage class analytics'],
  [/IntelligentTiering/, 'S3 Intelligent-Tiering configurations'],
  [/Inventory/, 'S3 Inventory'],
  [/Metrics/, 'request metrics configurations'],
  [/Metadata|Annotation/, 'S3 Metadata tables and annotations'],
  [/Logging/, 'server access logging'],
  [/Accelerate/, 'Transfer Acceleration'],
  [/RequestPayment/, 'Requester Pays'],
  [/OwnershipControls/, 'Object Ownership controls'],
  [/PublicAccessBlock/, 'Block Public Access settings'],
  [/Abac/, 'attribute-based access control for buckets'],
  [/^(Get|Put)BucketNotification$/, 'the legacy notification API (use PutBucketNotificationConfiguration)'],
  [/DirectoryBuckets|CreateSession/, 'directory buckets (S3 Express One Zone)'],
  [/SelectObjectContent/, 'S3 Select'],
  [/RestoreObject/, 'restoring archived objects'],
  [/Torrent/, 'BitTorrent'],
  [/RenameObject/, 'renaming objects (directory buckets)'],
  [/WriteGetObjectResponse/, 'S3 Object Lambda'],
];

/** The feature an operation belongs to, for its message. */
export function featureOf(operation: string): string {
  for (const [pattern, feature] of FEATURES) if (pattern.test(operation)) return feature;
  return operation;
}

export function notSupported(feature: string, operation: string) {
  return s3Error.notImplemented(`Tideway's S3 does not support ${feature} (${operation}).`);
}

/** The operations answered by `unsupportedOperation`: their requests are refused before any body is read. */
const unserved = new Set<string>();

export function isUnsupported(operation: string): boolean {
  return unserved.has(operation);
}

/** The handler of an operation Tideway does not serve. */
export function unsupportedOperation(name: string) {
  unserved.add(name);
  return () => {
    throw notSupported(featureOf(name), name);
  };
}

// Requests of served operations that ask for an unsupported feature through their headers.
const SSE_C = [
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-copy-source-server-side-encryption-customer-algorithm',
];
const OBJECT_LOCK = [
  'x-amz-object-lock-mode',
  'x-amz-object-lock-retain-until-date',
  'x-amz-object-lock-legal-hold',
];
const GRANTS = [
  'x-amz-grant-full-control',
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write',
  'x-amz-grant-write-acp',
];
/** The canned ACLs that give nobody but the owner access, which is what Tideway keeps. */
export const OWNER_ONLY_ACLS = new Set(['private', 'bucket-owner-full-control', 'bucket-owner-read']);

function header(head: RestHead, name: string): string | undefined {
  const value = head.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Throws NotImplemented for an unserved operation, and when a served operation's request asks
 * for an unsupported feature by a header: customer-provided keys (SSE-C), Object Lock settings,
 * or ACLs beyond private.
 */
export function checkUnsupportedHeaders(operation: string, head: RestHead): void {
  // Its body may not even follow the schema Tideway knows: the answer is the feature's absence.
  if (unserved.has(operation)) throw notSupported(featureOf(operation), operation);
  if (SSE_C.some((name) => header(head, name) !== undefined))
    throw notSupported('server-side encryption with customer-provided keys (SSE-C)', operation);
  if (OBJECT_LOCK.some((name) => header(head, name) !== undefined))
    throw notSupported('Object Lock', operation);
  if (
    operation === 'CreateBucket' &&
    header(head, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true'
  )
    throw notSupported('Object Lock', operation);
  // PutBucketAcl and PutObjectAcl check their own input, body included.
  if (operation.endsWith('Acl')) return;
  const acl = header(head, 'x-amz-acl');
  // Buckets are BucketOwnerEnforced, S3's default since 2023: an ACL granting anyone else is
  // refused as S3 refuses it there, not as a missing feature.
  if (
    (acl !== undefined && !OWNER_ONLY_ACLS.has(acl)) ||
    GRANTS.some((name) => header(head, name) !== undefined)
  )
    throw operation === 'CreateBucket' ? s3Error.bucketAclWithOwnership() : s3Error.aclNotSupported();
}
