import type { DeliveryOutcome } from '../sqs/deliveries.js';
import { bucketOrigin } from './destination-check.js';
import { eventBridgeEvent, eventRecord, NOTIFICATION_SUBJECT, recordsMessage } from './event-records.js';
import type { ObjectEvent } from './model.js';
import {
  type Destination,
  destinations,
  destinationTakes,
  type NotificationConfiguration,
} from './notification-config.js';
import type { S3Deps } from './operations.js';

/**
 * Turns each object event into what the bucket's configuration asks for: one message per matching
 * queue or topic configuration, and the `aws.s3` event on the default bus when EventBridge is on.
 * As on AWS, what a destination refuses is dropped without telling the request that caused it;
 * it is logged (once per destination and reason, then at debug level) and counted for doctor.
 */
export class NotificationDispatcher {
  // Configurations are parsed once per stored document, not once per event.
  private readonly parsed = new WeakMap<object, Destination[]>();
  private readonly warned = new Set<string>();

  constructor(private readonly deps: S3Deps) {}

  dispatch(event: ObjectEvent): void {
    const config = event.bucket.notification as NotificationConfiguration | undefined;
    if (!config || typeof config !== 'object') return;
    let all = this.parsed.get(config);
    if (!all) {
      all = destinations(config);
      this.parsed.set(config, all);
    }
    for (const destination of all) {
      if (!destinationTakes(destination, event.name, event.key)) continue;
      this.send(destination, event).catch((err: unknown) => {
        this.deps.log.error({ err, destination: destination.arn }, 'S3 notification failed');
      });
    }
    if (config.EventBridgeConfiguration) this.toEventBridge(event);
  }

  private async send(destination: Destination, event: ObjectEvent): Promise<void> {
    const { frontDoors } = this.deps;
    const body = recordsMessage(eventRecord(event, destination.id));
    const origin = bucketOrigin(event.bucket);
    if (destination.kind === 'lambda') {
      this.dropped(
        destination,
        event,
        'lambda',
        'Tideway runs no Lambda functions, so the function cannot be invoked',
      );
      return;
    }
    if (destination.kind === 'queue') {
      const outcome: DeliveryOutcome = frontDoors.sqs
        ? await frontDoors.sqs.deliver(destination.arn, { body }, origin)
        : { kind: 'missing' };
      if (outcome.kind !== 'delivered') this.dropped(destination, event, outcome.kind, reasonOf(outcome));
      return;
    }
    const outcome: DeliveryOutcome = frontDoors.sns
      ? await frontDoors.sns.publish(
          destination.arn,
          { message: body, subject: NOTIFICATION_SUBJECT },
          origin,
        )
      : { kind: 'missing' };
    // SNS's front door logs its own refusals; only the count for doctor is added here.
    if (outcome.kind !== 'delivered') this.count(destination, event, reasonOf(outcome));
  }

  private toEventBridge(event: ObjectEvent): void {
    const events = this.deps.frontDoors.events;
    if (!events) return;
    try {
      events.putServiceEvent(event.bucket.account, event.bucket.region, eventBridgeEvent(event));
    } catch (err) {
      this.deps.log.error({ err, bucket: event.bucket.name }, 'S3 event to EventBridge failed');
    }
  }

  private dropped(destination: Destination, event: ObjectEvent, kind: string, reason: string): void {
    const key = `${destination.arn}\n${kind}`;
    const fields = { bucket: event.bucket.name, destination: destination.arn, key: event.key };
    const text = `dropped the S3 notification ${event.name} of bucket ${event.bucket.name}: ${reason}`;
    if (this.warned.has(key)) {
      this.deps.log.debug(fields, text);
    } else {
      if (this.warned.size >= 10_000) this.warned.clear();
      this.warned.add(key);
      this.deps.log.warn(fields, `${text} (logged once for this destination; later ones at debug level)`);
    }
    this.count(destination, event, reason);
  }

  private count(destination: Destination, event: ObjectEvent, reason: string): void {
    if (destination.kind === 'lambda') return;
    this.deps.hints?.record(
      {
        kind: 'dropped-deliveries',
        resource: destination.arn,
        message: `S3 dropped notifications of bucket ${event.bucket.name} to ${destination.arn}: ${reason}.`,
        fix: `Add a statement to the ${destination.kind} policy allowing s3.amazonaws.com ${
          destination.kind === 'queue' ? 'sqs:SendMessage' : 'sns:Publish'
        } with aws:SourceArn arn:aws:s3:::${event.bucket.name} and aws:SourceAccount ${event.bucket.account}.`,
      },
      true,
    );
  }
}

function reasonOf(outcome: DeliveryOutcome): string {
  if (outcome.kind === 'missing') return 'the destination does not exist';
  if (outcome.kind === 'denied' || outcome.kind === 'rejected') return outcome.reason;
  return 'delivered';
}
