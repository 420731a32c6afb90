import { createHash } from 'node:crypto';
import type * as S from '@aws-sdk/client-s3';
import type { RequestContext } from '../../protocols/service.js';
import { BUCKET_REGIONS, validBucketName } from './bucket-names.js';
import { withOwnerChecks } from './bucket-owner.js';
import { s3Error, s3Failure } from './errors.js';
import type { BucketRecord } from './model.js';
import type { S3Deps, S3Handlers } from './operations.js';
import { validateTags } from './tags.js';

/** The canonical user id S3 shows as an owner's ID: 64 hex digits, stable per account. */
export function canonicalUserId(account: string): string {
  return createHash('sha256').update(`tideway-canonical-user:${account}`).digest('hex');
}

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** The location constraint as GetBucketLocation answers it: none for us-east-1, `EU` kept. */
export function locationConstraint(bucket: BucketRecord): string | undefined {
  const given = bucket.settings?.locationConstraint;
  if (typeof given === 'string') return given;
  return bucket.region === 'us-east-1' ? undefined : bucket.region;
}

/** The region a constraint places a bucket in (`EU` is Ireland's old name). */
function regionOf(constraint: string): string {
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

const MAX_BUCKETS_PAGE = 10000;

export function bucketOperations({ state, clock }: S3Deps): S3Handlers {
  /** The bucket, when the caller's account owns it; another account's is AccessDenied. */
  function ownBucket(name: string, ctx: RequestContext): BucketRecord {
    const bucket = state.requireBucket(name);
    if (bucket.account !== ctx.caller.account) throw s3Error.accessDenied();
    return bucket;
  }

  return withOwnerChecks(state, {
    async CreateBucket(input: S.CreateBucketRequest, ctx: RequestContext) {
      const name = input.Bucket!;
      if (!validBucketName(name)) throw s3Error.invalidBucketName(name);
      const region = ctx.caller.region;
      const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined;
      if (region === 'us-east-1') {
        if (constraint !== undefined && (constraint === 'us-east-1' || !BUCKET_REGIONS.has(constraint)))
          throw s3Error.invalidLocationConstraint(constraint);
      } else if (constraint === undefined || regionOf(constraint) !== region) {
        throw s3Error.illegalLocationConstraint(constraint ?? 'unspecified');
      }
      if (input.ACL !== undefined && input.ACL !== 'private') throw s3Error.bucketAclWithOwnership();
      const tags =
        input.CreateBucketConfiguration?.Tags && input.CreateBucketConfiguration.Tags.length > 0
          ? validateTags(input.CreateBucketConfiguration.Tags as BucketRecord['tags'] & object, true)
          : undefined;
      const existing = state.bucket(name);
      if (existing) {
        if (existing.account !== ctx.caller.account) throw s3Error.bucketAlreadyExists(name);
        // us-east-1 keeps its old behaviour: creating your own bucket again there succeeds.
        if (existing.region === 'us-east-1' && region === 'us-east-1' && !tags)
          return { Location: `/${name}`, BucketArn: bucketArn(name) };
        throw s3Error.bucketAlreadyOwnedByYou(name);
      }
      const bucket: BucketRecord = {
        name,
        account: ctx.caller.account,
        region: constraint === undefined ? 'us-east-1' : regionOf(constraint),
        created: clock.now(),
      };
      if (constraint === 'EU') bucket.settings = { locationConstraint: 'EU' };
      if (tags) bucket.tags = tags;
      await state.createBucket(bucket);
      const location = bucket.region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/`;
      return { Location: location, BucketArn: bucketArn(name) };
    },

    HeadBucket(input: S.HeadBucketRequest) {
      const bucket = state.requireBucket(input.Bucket!);
      return { BucketRegion: bucket.region, AccessPointAlias: false, BucketArn: bucketArn(bucket.name) };
    },

    ListBuckets(input: S.ListBucketsRequest, ctx: RequestContext) {
      const max = input.MaxBuckets;
      if (max !== undefined && (max < 1 || max > MAX_BUCKETS_PAGE))
        throw s3Error.invalidArgument(
          'Argument max-buckets must be an integer between 1 and 10000',
          'max-buckets',
          String(max),
        );
      if (
        input.BucketRegion !== undefined &&
        !BUCKET_REGIONS.has(input.BucketRegion) &&
        input.BucketRegion !== 'us-east-1'
      )
        throw s3Error.invalidArgument(
          `Argument value ${input.BucketRegion} is not a valid AWS Region`,
          'bucket-region',
        );
      let after: string | undefined;
      // An empty token is no token: AWS lists from the start.
      if (input.ContinuationToken !== undefined && input.ContinuationToken !== '') {
        after = decodeToken(input.ContinuationToken);
        if (after === undefined)
          throw s3Error.invalidArgument('The continuation token provided is incorrect', 'continuation-token');
      }
      const mine = state
        .allBuckets()
        .filter(
          (b) =>
            b.account === ctx.caller.account &&
            (input.Prefix === undefined || b.name.startsWith(input.Prefix)) &&
            (input.BucketRegion === undefined || b.region === input.BucketRegion) &&
            (after === undefined || b.name > after),
        );
      const page = max === undefined ? mine : mine.slice(0, max);
      const out: Record<string, unknown> = {
        Buckets: page.map((b) => ({
          Name: b.name,
          CreationDate: new Date(Math.floor(b.created / 1000) * 1000),
          BucketRegion: b.region,
          BucketArn: bucketArn(b.name),
        })),
        Owner: { ID: canonicalUserId(ctx.caller.account) },
      };
      if (input.Prefix !== undefined) out.Prefix = input.Prefix;
      if (page.length < mine.length) out.ContinuationToken = encodeToken(page[page.length - 1].name);
      return out;
    },

    async DeleteBucket(input: S.DeleteBucketRequest, ctx: RequestContext) {
      ownBucket(input.Bucket!, ctx);
      await state.deleteBucket(input.Bucket!);
      return {};
    },

    GetBucketLocation(input: S.GetBucketLocationRequest) {
      const bucket = state.requireBucket(input.Bucket!);
      return { LocationConstraint: locationConstraint(bucket) };
    },

    async PutBucketTagging(input: S.PutBucketTaggingRequest, ctx: RequestContext) {
      const bucket = ownBucket(input.Bucket!, ctx);
      const tags = validateTags((input.Tagging?.TagSet ?? []) as NonNullable<BucketRecord['tags']>, true);
      await state.saveBucket({ ...bucket, tags });
      return {};
    },

    GetBucketTagging(input: S.GetBucketTaggingRequest, ctx: RequestContext) {
      const bucket = ownBucket(input.Bucket!, ctx);
      if (!bucket.tags || bucket.tags.length === 0) throw s3Error.noSuchTagSet(bucket.name);
      return { TagSet: bucket.tags };
    },

    async DeleteBucketTagging(input: S.DeleteBucketTaggingRequest, ctx: RequestContext) {
      const bucket = ownBucket(input.Bucket!, ctx);
      const { tags: _dropped, ...rest } = bucket;
      await state.saveBucket(rest);
      return {};
    },

    GetBucketVersioning(input: S.GetBucketVersioningRequest, ctx: RequestContext) {
      const bucket = ownBucket(input.Bucket!, ctx);
      return bucket.versioning ? { Status: bucket.versioning } : {};
    },

    async PutBucketVersioning(input: S.PutBucketVersioningRequest, ctx: RequestContext) {
      const bucket = ownBucket(input.Bucket!, ctx);
      const status = input.VersioningConfiguration?.Status;
      if (status === undefined)
        throw s3Failure(
          'IllegalVersioningConfigurationException',
          400,
          'The Versioning element must be specified',
        );
      if (status === 'Enabled' || input.VersioningConfiguration?.MFADelete === 'Enabled')
        throw s3Error.notImplemented(
          'Tideway does not support versioning: a bucket is unversioned or Suspended, never Enabled.',
        );
      if (status !== 'Suspended') throw s3Error.malformedXml();
      await state.saveBucket({ ...bucket, versioning: 'Suspended' });
      return {};
    },
  });
}

function encodeToken(name: string): string {
  return Buffer.from(`b:${name}`, 'utf8').toString('base64');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return text.startsWith('b:') ? text.slice(2) : undefined;
}
