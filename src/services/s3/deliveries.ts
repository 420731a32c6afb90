import { randomUUID } from 'node:crypto';
import * as access from './access.js';
import { s3Error } from './errors.js';
import type { DeliveredObject, ObjectDeliveryOrigin, S3FrontDoor } from './front-door.js';
import type { BucketRecord, ObjectRecord } from './model.js';
import { checkKey, checkMetadata, wholeSeconds } from './object-headers.js';
import { storeBody } from './objects.js';
import type { S3Deps } from './operations.js';

type WriteCheck = (bucket: BucketRecord, origin: ObjectDeliveryOrigin, key?: string) => boolean;

/**
 * Whether `origin` may write into `bucket`: the access part's policy check (bucket policies that
 * grant the origin's role or account, pinned by aws:SourceArn / aws:SourceAccount) when it is
 * there, else only the bucket owner's own resources may write.
 */
export function mayWrite(bucket: BucketRecord, origin: ObjectDeliveryOrigin, key?: string): boolean {
  const policyCheck = (access as Record<string, unknown>).mayWrite as WriteCheck | undefined;
  if (policyCheck) return policyCheck(bucket, origin, key);
  return bucket.account === origin.sourceAccount;
}

/** `arn:aws:s3:::<name>` or the bare name. */
export function bucketNameOf(bucket: string): string {
  return bucket.startsWith('arn:aws:s3:::') ? bucket.slice('arn:aws:s3:::'.length) : bucket;
}

async function* once(body: Uint8Array): AsyncIterable<Uint8Array> {
  yield body;
}

/**
 * PutObject for other services (Firehose's objects): the bucket by ARN or name, the write
 * allowed by `mayWrite`, the object committed as ObjectCreated:Put with the origin's account as
 * the requester, so notifications see it like any other upload.
 */
export function s3FrontDoor({ state, clock }: S3Deps): S3FrontDoor {
  return {
    async putObject(object: DeliveredObject, origin: ObjectDeliveryOrigin) {
      const name = bucketNameOf(object.bucket);
      const bucket = state.requireBucket(name);
      checkKey(object.key);
      if (!mayWrite(bucket, origin, object.key)) throw s3Error.accessDenied();
      const stored = await storeBody(state, once(object.body), 'CRC64NVME');
      const record: ObjectRecord = {
        bucket: name,
        key: object.key,
        size: stored.ref.size,
        etag: `"${stored.md5}"`,
        lastModified: wholeSeconds(clock.now()),
        body: [stored.ref],
        metadata: checkMetadata(object.metadata),
        checksum: stored.checksum,
        owner: origin.sourceAccount,
      };
      if (object.contentType !== undefined) record.contentType = object.contentType;
      if (object.contentEncoding !== undefined) record.contentEncoding = object.contentEncoding;
      try {
        await state.commitObject(record, {}, 'ObjectCreated:Put', {
          account: origin.sourceAccount,
          requestId: randomUUID(),
          sourceIp: '127.0.0.1',
        });
      } catch (err) {
        state.release([stored.ref]);
        throw err;
      }
      return { etag: record.etag };
    },
  };
}
