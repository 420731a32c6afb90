import type { Logger } from '../../core/logger.js';
import { scoped, servicePrincipals, sourceScope } from '../../knowhow/rules/policy-scoping.js';
import { readStatements } from '../../knowhow/rules/policy-statements.js';
import type { FrontDoors } from '../registry.js';
import type { DeliveryOrigin } from '../sqs/deliveries.js';
import { NOTIFICATION_SUBJECT, testEventMessage } from './event-records.js';
import type { BucketRecord } from './model.js';
import { type Destination, notificationError } from './notification-config.js';

// What S3 does with the destinations of a configuration before it keeps it: a test event to each
// queue and topic, through the target's own front door (so its policy decides, as on AWS), and a
// look at the target's policy for the confused deputy.

export const S3_PRINCIPAL = 's3.amazonaws.com';

/** S3 as the sender of a bucket's notifications: the bucket is the source, its owner the account. */
export function bucketOrigin(bucket: BucketRecord): DeliveryOrigin {
  return { principal: S3_PRINCIPAL, sourceArn: `arn:aws:s3:::${bucket.name}`, sourceAccount: bucket.account };
}

export interface TestEventContext {
  bucket: BucketRecord;
  time: number;
  requestId: string;
  hostId: string;
}

interface Failure {
  name: string;
  value: string;
}

/**
 * Sends `s3:TestEvent` to every queue and topic the configuration names (once per target) and
 * refuses the configuration, naming each target that did not take it, as S3 does. Tideway runs
 * no functions: a Lambda destination fails as a function S3 may not invoke.
 */
export async function validateDestinations(
  frontDoors: FrontDoors,
  all: Destination[],
  context: TestEventContext,
): Promise<void> {
  const origin = bucketOrigin(context.bucket);
  const body = testEventMessage(context.bucket.name, context.time, context.requestId, context.hostId);
  const failures: Failure[] = [];
  const seen = new Set<string>();
  for (const destination of all) {
    const key = `${destination.kind}\n${destination.arn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const failure = await testDestination(frontDoors, destination, body, origin);
    if (failure) failures.push(failure);
  }
  if (failures.length > 0) throw notificationError.unvalidated(failures);
}

async function testDestination(
  frontDoors: FrontDoors,
  destination: Destination,
  body: string,
  origin: DeliveryOrigin,
): Promise<Failure | undefined> {
  const { arn } = destination;
  if (destination.kind === 'lambda') {
    return { name: `${arn}, null`, value: `Not authorized to invoke function [${arn}]` };
  }
  if (destination.kind === 'queue') {
    const outcome = frontDoors.sqs
      ? await frontDoors.sqs.deliver(arn, { body }, origin)
      : ({ kind: 'missing' } as const);
    if (outcome.kind === 'delivered') return undefined;
    if (outcome.kind === 'missing') return { name: arn, value: 'The destination queue does not exist' };
    return {
      name: arn,
      value: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
    };
  }
  const outcome = frontDoors.sns
    ? await frontDoors.sns.publish(arn, { message: body, subject: NOTIFICATION_SUBJECT }, origin)
    : ({ kind: 'missing' } as const);
  if (outcome.kind === 'delivered') return undefined;
  if (outcome.kind === 'missing') return { name: arn, value: 'The destination topic does not exist' };
  return {
    name: arn,
    value: 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket',
  };
}

/**
 * Which statements of a policy let s3.amazonaws.com in without both aws:SourceArn and
 * aws:SourceAccount (or an organization): bucket ARNs carry no account, so SourceArn alone lets a
 * bucket of that name in any account send here. Empty when the policy scopes S3 or names it not.
 */
export function unscopedS3Grants(policy: string | undefined, from: string): number[] {
  if (policy === undefined || policy === '') return [];
  const read = readStatements({ document: policy, from, origin: { file: from } });
  const found: number[] = [];
  for (const statement of read.statements) {
    if (statement.effect !== 'Allow') continue;
    if (!servicePrincipals(statement).includes(S3_PRINCIPAL)) continue;
    if (!scoped(S3_PRINCIPAL, sourceScope(statement))) found.push(statement.index);
  }
  return found;
}

/**
 * Warns once per destination whose policy grants S3 without both source conditions. No runtime
 * hint besides: `tideway doctor` lints the live queue and topic policies themselves
 * (service-principal-unscoped), which says the same about the same statements.
 */
export class UnscopedGrantWarnings {
  private readonly warned = new Set<string>();

  constructor(
    private readonly frontDoors: FrontDoors,
    private readonly log: Logger,
  ) {}

  async check(all: Destination[], bucket: BucketRecord): Promise<void> {
    for (const destination of all) {
      if (destination.kind === 'lambda' || this.warned.has(destination.arn)) continue;
      const door = destination.kind === 'queue' ? this.frontDoors.sqs : this.frontDoors.sns;
      let policy: string | undefined;
      try {
        policy = await door?.policy?.(destination.arn);
      } catch {
        continue;
      }
      const statements = unscopedS3Grants(policy, destination.arn);
      if (statements.length === 0) continue;
      this.warned.add(destination.arn);
      if (this.warned.size > 10_000) this.warned.clear();
      const which = statements.map((i) => `statement ${i + 1}`).join(', ');
      const message = `The policy of ${destination.arn} grants s3.amazonaws.com (${which}) without both aws:SourceArn and aws:SourceAccount: bucket ARNs carry no account, so a bucket of that name in any account can make S3 send into it (the confused deputy). Bucket ${bucket.name} notifies it.`;
      const fix = `Add to ${which} a Condition: {"ArnLike":{"aws:SourceArn":"arn:aws:s3:::${bucket.name}"},"StringEquals":{"aws:SourceAccount":"${bucket.account}"}}.`;
      this.log.warn({ destination: destination.arn, bucket: bucket.name, fix }, `${message} Fix: ${fix}`);
    }
  }
}
