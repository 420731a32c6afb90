import type { BucketRecord } from '../../services/s3/model.js';
import type { NotificationConfiguration } from '../../services/s3/notification-config.js';
import type { Bucket } from '../model.js';
import { type LiveSource, liveFile, type Scope } from './sources.js';

/**
 * S3 for `tideway doctor`: buckets with the destinations of their notifications, so the delivery
 * rules check each queue's and topic's policy for s3.amazonaws.com as they do for templates.
 * `buckets` resolves every bucket (S3 loads its state on first use; none before).
 */
export function s3Source(buckets: () => Promise<BucketRecord[]>): LiveSource {
  return {
    scopes: async () => (await buckets()).map((b) => ({ account: b.account, region: b.region })),
    async collect(model, scope) {
      for (const bucket of await buckets()) {
        if (bucket.account !== scope.account || bucket.region !== scope.region) continue;
        model.buckets.push(liveBucket(bucket, scope));
      }
    },
  };
}

function liveBucket(bucket: BucketRecord, scope: Scope): Bucket {
  const arn = `arn:aws:s3:::${bucket.name}`;
  const config = (bucket.notification ?? {}) as NotificationConfiguration;
  const notifications: Bucket['notifications'] = [
    ...(config.QueueConfigurations ?? []).map((c) => ({
      kind: 'queue' as const,
      target: c.QueueArn ?? null,
    })),
    ...(config.TopicConfigurations ?? []).map((c) => ({
      kind: 'topic' as const,
      target: c.TopicArn ?? null,
    })),
    ...(config.LambdaFunctionConfigurations ?? []).map((c) => ({
      kind: 'lambda' as const,
      target: c.LambdaFunctionArn ?? null,
    })),
    ...(config.EventBridgeConfiguration ? [{ kind: 'eventbridge' as const }] : []),
  ];
  return {
    id: arn,
    type: 'AWS::S3::Bucket',
    arn,
    name: bucket.name,
    origin: { file: liveFile(scope) },
    ignore: [],
    attributes: {
      CreationDate: new Date(bucket.created).toISOString(),
      Region: bucket.region,
      NotificationDestinations: String(notifications.length),
    },
    notifications,
  };
}
