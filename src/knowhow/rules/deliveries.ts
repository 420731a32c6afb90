import {
  type Entity,
  isRef,
  isUnknown,
  lookup,
  type Model,
  type Queue,
  type Sym,
  type Topic,
} from '../model.js';
import { arnService } from './policy-arns.js';
import { show, unknownReason } from './policy-values.js';

export type DeliveryKind = 'target' | 'dlq';

export type SendAction = 'sqs:SendMessage' | 'sns:Publish';

/**
 * One path by which a service sends into a queue or topic of the model: an EventBridge rule target
 * or its dead-letter queue, an SNS subscription to a queue or its dead-letter queue, an S3
 * notification, a Pipe's target or dead-letter queue.
 */
export interface Delivery {
  kind: DeliveryKind;
  /** The service principal that makes the call. */
  service: 'events.amazonaws.com' | 'sns.amazonaws.com' | 's3.amazonaws.com' | 'pipes.amazonaws.com';
  /** The resource the service acts for (rule, topic, bucket, pipe), when the model declares it. */
  sender?: Entity;
  /** How the delivery names the sender: for a subscription, its TopicArn. */
  senderSym: Sym;
  /** The resource that declares the delivery: the rule, the subscription, the bucket, the pipe. */
  declaredBy: Entity;
  /** The destination as written. */
  destination: Sym;
  /** The destination's entity when the model declares it as a queue or topic. */
  target?: Queue | Topic;
  /** The call made on the destination; undefined when the destination's type cannot be told. */
  action?: SendAction;
  /**
   * How the call is authorised: the destination's resource policy, or an execution role (Pipes, and
   * EventBridge targets that name a RoleArn).
   */
  via: 'resource-policy' | 'role';
  roleArn?: Sym;
  /** Who sends: `target T of EventBridge rule R`, `SNS subscription S of topic T`…, for messages. */
  label: string;
}

/** Every delivery into an SQS queue or SNS topic that the model declares. */
export function deliveries(model: Model): Delivery[] {
  const found: Delivery[] = [];
  const add = (delivery: Omit<Delivery, 'target' | 'action'>, defaultAction?: SendAction): void => {
    const resolved = resolveDestination(model, delivery.destination, defaultAction);
    if (resolved === 'elsewhere') return;
    found.push({ ...delivery, ...resolved });
  };

  for (const rule of model.rules) {
    for (const target of rule.targets) {
      const targetName = show(target.targetId);
      const senderSym = { $ref: rule.id, $attr: 'Arn' };
      const hasRole = target.roleArn !== undefined && target.roleArn !== null && target.roleArn !== '';
      add({
        kind: 'target',
        service: 'events.amazonaws.com',
        sender: rule,
        senderSym,
        declaredBy: rule,
        destination: target.arn,
        via: hasRole ? 'role' : 'resource-policy',
        roleArn: hasRole ? target.roleArn : undefined,
        label: `target ${targetName} of EventBridge rule ${rule.id}`,
      });
      if (target.dlq !== undefined && target.dlq !== null) {
        add(
          {
            kind: 'dlq',
            service: 'events.amazonaws.com',
            sender: rule,
            senderSym,
            declaredBy: rule,
            destination: target.dlq,
            via: 'resource-policy',
            label: `target ${targetName} of EventBridge rule ${rule.id}`,
          },
          'sqs:SendMessage',
        );
      }
    }
  }

  for (const subscription of model.subscriptions) {
    const topic = lookup(model, subscription.topic);
    const sender = topic && model.topics.includes(topic as Topic) ? topic : undefined;
    const protocol =
      typeof subscription.protocol === 'string' ? subscription.protocol.toLowerCase() : undefined;
    const base = {
      service: 'sns.amazonaws.com' as const,
      sender,
      senderSym: subscription.topic,
      declaredBy: subscription,
      via: 'resource-policy' as const,
    };
    if (protocol === 'sqs') {
      add(
        {
          ...base,
          kind: 'target',
          destination: subscription.endpoint,
          label: `SNS subscription ${subscription.id} of topic ${sender?.id ?? show(subscription.topic)}`,
        },
        'sqs:SendMessage',
      );
    }
    if (subscription.dlq !== undefined && subscription.dlq !== null) {
      add(
        {
          ...base,
          kind: 'dlq',
          destination: subscription.dlq,
          label: `SNS subscription ${subscription.id} of topic ${sender?.id ?? show(subscription.topic)}`,
        },
        'sqs:SendMessage',
      );
    }
  }

  for (const bucket of model.buckets) {
    for (const notification of bucket.notifications) {
      if (notification.kind !== 'queue' && notification.kind !== 'topic') continue;
      add(
        {
          kind: 'target',
          service: 's3.amazonaws.com',
          sender: bucket,
          senderSym: { $ref: bucket.id, $attr: 'Arn' },
          declaredBy: bucket,
          destination: notification.target ?? { $unknown: 'the notification names no destination' },
          via: 'resource-policy',
          label: `S3 notification of bucket ${bucket.id}`,
        },
        notification.kind === 'queue' ? 'sqs:SendMessage' : 'sns:Publish',
      );
    }
  }

  for (const pipe of model.pipes) {
    // Scheduler schedules are read as Pipes (both deliver with their role); name them as they are.
    const label =
      pipe.type === 'AWS::Scheduler::Schedule'
        ? `EventBridge Scheduler schedule ${pipe.id}`
        : `EventBridge Pipe ${pipe.id}`;
    const base = {
      service: 'pipes.amazonaws.com' as const,
      sender: pipe,
      senderSym: { $ref: pipe.id, $attr: 'Arn' },
      declaredBy: pipe,
      via: 'role' as const,
      roleArn: pipe.roleArn,
    };
    add({
      ...base,
      kind: 'target',
      destination: pipe.target,
      label,
    });
    if (pipe.dlq !== undefined && pipe.dlq !== null) {
      add({
        ...base,
        kind: 'dlq',
        destination: pipe.dlq,
        label,
      });
    }
  }
  return found;
}

/**
 * The destination's queue or topic and the call made on it. `elsewhere` for destinations of other
 * kinds (a Lambda function, a stream, a bus), which are no delivery into SQS or SNS.
 */
function resolveDestination(
  model: Model,
  destination: Sym,
  defaultAction: SendAction | undefined,
): { target?: Queue | Topic; action?: SendAction } | 'elsewhere' {
  const entity = lookup(model, destination);
  if (entity) {
    if (model.queues.includes(entity as Queue)) return { target: entity as Queue, action: 'sqs:SendMessage' };
    if (model.topics.includes(entity as Topic)) return { target: entity as Topic, action: 'sns:Publish' };
    return 'elsewhere';
  }
  // Queues and topics are always in the model: a reference to anything else names another kind.
  if (isRef(destination) && defaultAction === undefined) return 'elsewhere';
  if (typeof destination === 'string') {
    const service = arnService(destination);
    if (service === 'sqs') return { action: 'sqs:SendMessage' };
    if (service === 'sns') return { action: 'sns:Publish' };
    if (service !== undefined && !service.includes('$')) return 'elsewhere';
  }
  return { action: defaultAction };
}

/** Why a delivery's destination is not a queue or topic of the model, for --explain. */
export function unresolvedReason(delivery: Delivery): string {
  const reason = isUnknown(delivery.destination) ? unknownReason(delivery.destination) : undefined;
  if (reason) return `its destination is not known (${reason})`;
  return `its destination ${show(delivery.destination)} is not declared in the model`;
}

/** `target T of rule R`, or `the dead-letter queue of target T of rule R`, for notes. */
export function describeDelivery(delivery: Delivery): string {
  return delivery.kind === 'dlq' ? `the dead-letter queue of ${delivery.label}` : delivery.label;
}
