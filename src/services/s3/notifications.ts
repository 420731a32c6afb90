import { randomBytes } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import type { RequestContext } from '../../protocols/service.js';
import { UnscopedGrantWarnings, validateDestinations } from './destination-check.js';
import { s3Error } from './errors.js';
import type { BucketRecord } from './model.js';
import {
  destinations,
  type NotificationConfiguration,
  normaliseConfiguration,
} from './notification-config.js';
import { NotificationDispatcher } from './notification-dispatch.js';
import type { S3Deps, S3Handlers } from './operations.js';

/**
 * Bucket notifications: Put/GetBucketNotificationConfiguration, and the events S3 sends after
 * each object change (notification-dispatch.ts). The legacy PutBucketNotification and
 * GetBucketNotification share their request line; the current operations answer it (see
 * operations.ts), and a legacy document (`<QueueConfiguration><Queue>…<Event>…`) reads the same.
 */
export function notificationOperations(deps: S3Deps): S3Handlers {
  const { state, clock, frontDoors, log } = deps;
  const dispatcher = new NotificationDispatcher(deps);
  state.onObjectEvent((event) => dispatcher.dispatch(event));
  const warnings = new UnscopedGrantWarnings(frontDoors, log);

  const ownedBucket = (name: string, expectedOwner: string | undefined): BucketRecord => {
    const bucket = state.requireBucket(name);
    if (expectedOwner !== undefined && expectedOwner !== bucket.account) throw s3Error.accessDenied();
    return bucket;
  };

  return {
    GetBucketNotificationConfiguration: (input: S3.GetBucketNotificationConfigurationRequest) => {
      const bucket = ownedBucket(input.Bucket!, input.ExpectedBucketOwner);
      return structuredClone((bucket.notification as NotificationConfiguration | undefined) ?? {});
    },
    PutBucketNotificationConfiguration: async (
      input: S3.PutBucketNotificationConfigurationRequest,
      ctx: RequestContext,
    ) => {
      const bucket = ownedBucket(input.Bucket!, input.ExpectedBucketOwner);
      const config = normaliseConfiguration(input.NotificationConfiguration);
      const all = destinations(config);
      if (input.SkipDestinationValidation !== true) {
        await validateDestinations(frontDoors, all, {
          bucket,
          time: clock.now(),
          requestId: ctx.requestId,
          hostId: hostIdFor(ctx.requestId),
        });
      }
      await warnings.check(all, bucket);
      // The bucket may have changed while the test events were out: store onto the latest record.
      const latest = state.requireBucket(bucket.name);
      const empty = all.length === 0 && !config.EventBridgeConfiguration;
      await state.saveBucket({ ...latest, notification: empty ? undefined : config });
      return {};
    },
  };
}

/** An extended request id for the test event, shaped as S3's `x-amz-id-2`. */
function hostIdFor(requestId: string): string {
  return Buffer.concat([Buffer.from(requestId), randomBytes(24)]).toString('base64');
}
