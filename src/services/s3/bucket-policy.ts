import {
  evaluatePolicy,
  type PolicyDecision,
  type PolicyDocument,
  PolicyError,
  type PolicyPrincipal,
  validatePolicy,
} from '../../core/policy.js';
import { s3Failure } from './errors.js';
import type { ObjectDeliveryOrigin } from './front-door.js';
import type { BucketRecord } from './model.js';

/**
 * Bucket policies: PutBucketPolicy's checks with S3's MalformedPolicy texts, and the access
 * decision for a caller. The bucket's own account is allowed unless a statement denies it (its
 * identity policies are not modelled); any other account needs a statement that allows it.
 */

const malformed = (message: string) => s3Failure('MalformedPolicy', 400, message);

/** Condition keys that pin a statement to known callers: with one, `*` is not public. */
const PINNING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  'aws:sourceip',
]);

/** Checks a policy document as PutBucketPolicy does and returns it parsed. */
export function validBucketPolicy(text: string, bucket: string): PolicyDocument {
  if (!text.trimStart().startsWith('{'))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  const doc = raw as Record<string, unknown>;
  if (doc.Statement === undefined) throw malformed('Missing required field Statement');
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (statements.length === 0) throw malformed('Could not parse the policy: Statement is empty!');
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null) throw malformed('Statement is not well formed');
    const s = statement as Record<string, unknown>;
    if (s.Effect === undefined) throw malformed('Missing required field Effect');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`Invalid effect: ${String(s.Effect)}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined)
      throw malformed('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Missing required field Action');
    for (const action of listOf(s.Action ?? s.NotAction)) {
      if (typeof action !== 'string' || !(action === '*' || /^s3:[A-Za-z*?]+$/i.test(action)))
        throw malformed('Policy has invalid action');
    }
    if (s.Resource === undefined && s.NotResource === undefined)
      throw malformed('Missing required field Resource');
    for (const resource of listOf(s.Resource ?? s.NotResource)) {
      if (typeof resource !== 'string' || !resourceInBucket(resource, bucket))
        throw malformed('Policy has invalid resource');
    }
  }
  try {
    return validatePolicy(raw);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    if (/principal/i.test(err.message)) throw malformed('Invalid principal in policy');
    if (/condition/i.test(err.message)) throw malformed('Policy has an invalid condition key');
    throw malformed('Policy has invalid JSON');
  }
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** A statement's resource must name this bucket or objects in it (wildcards allowed). */
function resourceInBucket(resource: string, bucket: string): boolean {
  if (resource === '*') return true;
  const prefix = 'arn:aws:s3:::';
  if (!resource.startsWith(prefix)) return false;
  const rest = resource.slice(prefix.length);
  const slash = rest.indexOf('/');
  const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
  return globMatch(bucketPart, bucket) || (slash < 0 && globMatch(bucketPart, `${bucket}/`));
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

/** Whether the policy grants anyone (`*`) an action without pinning the caller: S3's IsPublic. */
export function isPublicPolicy(text: string): boolean {
  let doc: PolicyDocument;
  try {
    doc = JSON.parse(text) as PolicyDocument;
  } catch {
    return false;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.some((s) => {
    if (s?.Effect !== 'Allow' || !anyone(s.Principal)) return false;
    const keys = Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
    return !keys.some((key) => PINNING_KEYS.has(key.toLowerCase()));
  });
}

function anyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

export interface AccessRequest {
  principal: PolicyPrincipal;
  /** The principal's account, compared with the bucket's. */
  account: string;
  action: string;
  resource: string;
  context?: Record<string, string | undefined>;
}

/** The decision for one request on the bucket: owner unless denied, others only when allowed. */
export function bucketAccess(bucket: BucketRecord, request: AccessRequest): PolicyDecision {
  const owner = request.account === bucket.account;
  if (!bucket.policy) return owner ? 'Allow' : 'ImplicitDeny';
  let decision: PolicyDecision;
  try {
    decision = evaluatePolicy(bucket.policy, request);
  } catch {
    // A stored policy was validated when it was put; one that no longer parses allows nothing.
    decision = 'ImplicitDeny';
  }
  if (decision === 'ExplicitDeny') return decision;
  return owner ? 'Allow' : decision;
}

/** The resource ARN of a bucket or of one of its objects. */
export function s3Arn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

/**
 * Whether another service may write `key` into the bucket for `origin`: as the origin's role
 * (the source account's root without one), with the origin's resource as aws:SourceArn and its
 * account as aws:SourceAccount, which is how bucket policies pin service writers.
 */
export function mayWrite(bucket: BucketRecord, origin: ObjectDeliveryOrigin, key = '*'): boolean {
  const principalArn = origin.roleArn ?? `arn:aws:iam::${origin.sourceAccount}:root`;
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principalArn)?.[1] ?? origin.sourceAccount;
  return (
    bucketAccess(bucket, {
      principal: { kind: 'AWS', id: principalArn },
      account,
      action: 's3:PutObject',
      resource: s3Arn(bucket.name, key),
      context: {
        'aws:SourceArn': origin.sourceArn,
        'aws:SourceAccount': origin.sourceAccount,
        'aws:PrincipalServiceName': origin.principal,
      },
    }) === 'Allow'
  );
}
