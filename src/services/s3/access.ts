import { createHash } from 'node:crypto';
import type { RestHead, RestService } from '../../protocols/rest-dispatch.js';
import type { HttpReply, RequestContext } from '../../protocols/service.js';
import { bucketAccess, isPublicPolicy, s3Arn, validBucketPolicy } from './bucket-policy.js';
import { type CorsRule, decorateActual, preflightAnswer, validCorsRules } from './cors.js';
import { s3Error, s3Failure } from './errors.js';
import type { BucketRecord } from './model.js';
import type { S3Deps, S3Handlers } from './operations.js';
import { checkPresignedQuery } from './presign.js';
import { checkUnsupportedHeaders, notSupported, OWNER_ONLY_ACLS } from './unsupported.js';

export { isPublicPolicy, mayWrite } from './bucket-policy.js';

/**
 * Who may do what with a bucket: CORS configurations, bucket policies and the owner-only ACL
 * Tideway keeps, as operations, and the checks S3 makes on every request (presigned URL expiry,
 * the expected bucket owner, the bucket policy for callers of other accounts, CORS headers) as
 * hooks of the REST service.
 */

/** S3 names an account by a 64-hex canonical user id; Tideway derives it from the account id. */
export function canonicalUserId(account: string): string {
  return createHash('sha256').update(`tideway-canonical-user:${account}`).digest('hex');
}

function ownerOnlyAcl(account: string) {
  const id = canonicalUserId(account);
  return {
    Owner: { ID: id },
    Grants: [{ Grantee: { ID: id, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
  };
}

interface AclInput {
  ACL?: string;
  AccessControlPolicy?: {
    Owner?: { ID?: string };
    Grants?: Array<{ Grantee?: { ID?: string; Type?: string }; Permission?: string }>;
  };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

/** Only what Tideway keeps may be put: the canned private ACL, or a policy granting the owner alone. */
function checkOwnerOnlyAcl(input: AclInput, account: string, operation: string): void {
  const grants = [
    input.GrantFullControl,
    input.GrantRead,
    input.GrantReadACP,
    input.GrantWrite,
    input.GrantWriteACP,
  ];
  const feature = 'access control lists beyond the canned private ACL';
  if (grants.some((g) => g !== undefined)) throw notSupported(feature, operation);
  if (input.ACL !== undefined && !OWNER_ONLY_ACLS.has(input.ACL)) throw notSupported(feature, operation);
  const policy = input.AccessControlPolicy;
  if (policy) {
    const id = canonicalUserId(account);
    const ownerOnly = (policy.Grants ?? []).every(
      (g) => g.Grantee?.Type === 'CanonicalUser' && g.Grantee.ID === id && g.Permission === 'FULL_CONTROL',
    );
    if (!ownerOnly) throw notSupported(feature, operation);
  }
}

export function accessOperations({ state }: S3Deps): S3Handlers {
  const object = (bucket: string, key: string) => {
    state.requireBucket(bucket);
    const found = state.object(bucket, key);
    if (!found) throw s3Error.noSuchKey(key);
    return found;
  };
  return {
    PutBucketCors: async (input: { Bucket: string; CORSConfiguration?: unknown }) => {
      const bucket = state.requireBucket(input.Bucket);
      const rules = validCorsRules(input.CORSConfiguration);
      await state.saveBucket({ ...bucket, cors: rules });
      return {};
    },
    GetBucketCors: (input: { Bucket: string }) => {
      const bucket = state.requireBucket(input.Bucket);
      if (!bucket.cors)
        throw s3Failure('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', {
          BucketName: bucket.name,
        });
      return { CORSRules: bucket.cors };
    },
    DeleteBucketCors: async (input: { Bucket: string }) => {
      const bucket = state.requireBucket(input.Bucket);
      if (bucket.cors) await state.saveBucket({ ...bucket, cors: undefined });
      return {};
    },
    PutBucketPolicy: async (input: { Bucket: string; Policy?: string }) => {
      const bucket = state.requireBucket(input.Bucket);
      validBucketPolicy(input.Policy ?? '', bucket.name);
      await state.saveBucket({ ...bucket, policy: input.Policy });
      return {};
    },
    GetBucketPolicy: (input: { Bucket: string }) => ({
      Policy: requirePolicy(state.requireBucket(input.Bucket)),
    }),
    DeleteBucketPolicy: async (input: { Bucket: string }) => {
      const bucket = state.requireBucket(input.Bucket);
      if (bucket.policy !== undefined) await state.saveBucket({ ...bucket, policy: undefined });
      return {};
    },
    GetBucketPolicyStatus: (input: { Bucket: string }) => {
      const policy = requirePolicy(state.requireBucket(input.Bucket));
      return { PolicyStatus: { IsPublic: isPublicPolicy(policy) } };
    },
    // Every bucket has SSE-S3 by default, as on AWS since 2023; only that setting can be put.
    GetBucketEncryption: (input: { Bucket: string }) => {
      state.requireBucket(input.Bucket);
      return { ServerSideEncryptionConfiguration: DEFAULT_ENCRYPTION };
    },
    PutBucketEncryption: (input: {
      Bucket: string;
      ServerSideEncryptionConfiguration?: EncryptionConfiguration;
    }) => {
      state.requireBucket(input.Bucket);
      const rules = input.ServerSideEncryptionConfiguration?.Rules ?? [];
      if (rules.length === 0) throw s3Error.malformedXml();
      for (const rule of rules) {
        const algorithm = rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
        if (algorithm !== undefined && algorithm !== 'AES256')
          throw notSupported(
            `default bucket encryption with ${algorithm} (only SSE-S3, AES256)`,
            'PutBucketEncryption',
          );
      }
      return {};
    },
    DeleteBucketEncryption: (input: { Bucket: string }) => {
      state.requireBucket(input.Bucket);
      return {};
    },
    GetBucketAcl: (input: { Bucket: string }) => ownerOnlyAcl(state.requireBucket(input.Bucket).account),
    PutBucketAcl: (input: AclInput & { Bucket: string }) => {
      const bucket = state.requireBucket(input.Bucket);
      checkOwnerOnlyAcl(input, bucket.account, 'PutBucketAcl');
      return {};
    },
    GetObjectAcl: (input: { Bucket: string; Key: string }) =>
      ownerOnlyAcl(object(input.Bucket, input.Key).owner),
    PutObjectAcl: (input: AclInput & { Bucket: string; Key: string }) => {
      const found = object(input.Bucket, input.Key);
      checkOwnerOnlyAcl(input, found.owner, 'PutObjectAcl');
      return {};
    },
  };
}

interface EncryptionConfiguration {
  Rules?: Array<{ ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }>;
}

const DEFAULT_ENCRYPTION = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

function requirePolicy(bucket: BucketRecord): string {
  if (bucket.policy === undefined)
    throw s3Failure('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', {
      BucketName: bucket.name,
    });
  return bucket.policy;
}

/** The IAM action each operation is authorized as, where it differs from `s3:<operation>`. */
const ACTIONS: Record<string, string> = {
  HeadObject: 's3:GetObject',
  GetObjectAttributes: 's3:GetObject',
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  ListParts: 's3:ListMultipartUploadParts',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  CopyObject: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  DeleteBucketCors: 's3:PutBucketCORS',
  DeleteBucketTagging: 's3:PutBucketTagging',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
};

export function actionOf(operation: string): string {
  return ACTIONS[operation] ?? `s3:${operation}`;
}

const ACCOUNT_ID = /^\d{12}$/;

function headerOf(head: RestHead, name: string): string | undefined {
  const value = head.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The bucket and key of a template path (`/<bucket>/<key…>`), percent-decoded. */
function bucketAndKey(path: string): { bucket: string; key?: string } {
  const slash = path.indexOf('/', 1);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return '';
    }
  };
  if (slash < 0) return { bucket: decode(path.slice(1)) };
  const key = path.slice(slash + 1);
  return { bucket: decode(path.slice(1, slash)), key: key === '' ? undefined : decode(key) };
}

/** `x-amz-copy-source`: `[/]<bucket>/<key>[?versionId=…]`, percent-encoded. */
function copySourceOf(header: string): { bucket: string; key: string } | undefined {
  const mark = header.indexOf('?');
  const path = (mark < 0 ? header : header.slice(0, mark)).replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
    };
  } catch {
    return undefined;
  }
}

/** The checks S3 makes around every operation, as the REST service's hooks. */
export function accessHooks({
  state,
  clock,
}: S3Deps): Pick<RestService, 'admit' | 'authorize' | 'preflight' | 'claims' | 'decorate'> {
  return {
    admit: (head) => checkPresignedQuery(head.query, clock.now(), head.headers.authorization !== undefined),
    authorize: (operation, labels, head, ctx) => {
      checkUnsupportedHeaders(operation, head);
      const name = labels.Bucket;
      if (name === undefined) return;
      const expected = headerOf(head, 'x-amz-expected-bucket-owner');
      if (expected !== undefined && !ACCOUNT_ID.test(expected))
        throw s3Failure(
          'InvalidBucketOwnerAWSAccountID',
          400,
          `The value of the expected bucket owner parameter must be an AWS Account ID... [${expected}]`,
        );
      // CreateBucket on a taken name is answered by the operation (BucketAlreadyExists).
      const bucket = operation === 'CreateBucket' ? undefined : state.bucket(name);
      if (!bucket) return;
      if (expected !== undefined && expected !== bucket.account) throw s3Error.accessDenied();
      const key = labels.Key;
      const decision = bucketAccess(bucket, {
        principal: { kind: 'AWS', id: ctx.caller.account },
        account: ctx.caller.account,
        action: actionOf(operation),
        resource: operation === 'DeleteObjects' ? s3Arn(bucket.name, '*') : s3Arn(bucket.name, key),
        context: { 'aws:SecureTransport': String(ctx.secure) },
      });
      if (decision !== 'Allow') throw s3Error.accessDenied();
      // A copy reads its source too: the source bucket's policy must let the caller get it.
      const copySource = headerOf(head, 'x-amz-copy-source');
      if (copySource !== undefined) {
        const source = copySourceOf(copySource);
        const from = source && state.bucket(source.bucket);
        if (
          from &&
          bucketAccess(from, {
            principal: { kind: 'AWS', id: ctx.caller.account },
            account: ctx.caller.account,
            action: 's3:GetObject',
            resource: s3Arn(from.name, source.key),
          }) !== 'Allow'
        )
          throw s3Error.accessDenied();
      }
    },
    preflight: (head) => {
      const { bucket, key } = bucketAndKey(head.path);
      const record = bucket === '' ? undefined : state.bucket(bucket);
      const headers = preflightAnswer(
        {
          origin: headerOf(head, 'origin'),
          method: headerOf(head, 'access-control-request-method'),
          headers: headerOf(head, 'access-control-request-headers'),
          object: key !== undefined,
        },
        record !== undefined,
        record?.cors as CorsRule[] | undefined,
      );
      return { status: 200, headers, body: '' };
    },
    claims: (path) => {
      const { bucket } = bucketAndKey(path);
      return bucket !== '' && state.bucket(bucket) !== undefined;
    },
    decorate: (head: RestHead, reply: HttpReply, ctx: RequestContext) => {
      // AWS answers a stored policy with 204, though the model names no status.
      if (ctx.operation === 'PutBucketPolicy' && reply.status === 200) reply.status = 204;
      const origin = headerOf(head, 'origin');
      if (origin === undefined || head.method === 'OPTIONS') return;
      const { bucket } = bucketAndKey(head.path);
      const record = bucket === '' ? undefined : state.bucket(bucket);
      decorateActual(reply, origin, head.method, record?.cors as CorsRule[] | undefined);
    },
  };
}
