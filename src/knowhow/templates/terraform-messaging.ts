import type { Bucket, BucketDestinationKind, Bus, EventRule, Queue, Sym, Topic } from '../model.js';
import { isRef } from '../model.js';
import type { PlanResource } from './terraform-plan.js';
import { describe, jsonField, type PlanModel } from './terraform-resources.js';

/** Queues, topics, buses, rules and their targets, subscriptions, bucket notifications. */
export function mapMessaging(reader: PlanModel): void {
  const { plan, model } = reader;
  for (const resource of plan.ofType('aws_sqs_queue')) model.queues.push(queue(reader, resource));
  for (const resource of plan.ofType('aws_sns_topic')) model.topics.push(topic(reader, resource));
  for (const resource of plan.ofType('aws_cloudwatch_event_bus')) {
    const bus: Bus = { ...reader.entity(resource, 'name'), policies: [] };
    const kmsKey = reader.kmsKey(resource, 'kms_key_identifier');
    if (kmsKey !== undefined) bus.kmsKey = kmsKey;
    model.buses.push(bus);
  }
  attachQueuePolicies(reader);
  attachTopicPolicies(reader);
  attachBusPolicies(reader);
  for (const resource of plan.ofType('aws_sqs_queue_redrive_policy')) {
    const target = reader.find(model.queues, reader.value(resource, 'queue_url'));
    const dlq = jsonField(reader.value(resource, 'redrive_policy'), 'deadLetterTargetArn');
    if (target && dlq !== undefined) target.redriveDlq = dlq;
    else if (!target) reader.note(resource, `${resource.address} names a queue that is not in the plan`);
  }
  for (const resource of plan.ofType('aws_cloudwatch_event_rule')) model.rules.push(rule(reader, resource));
  for (const resource of plan.ofType('aws_cloudwatch_event_target')) attachTarget(reader, resource);
  for (const resource of plan.ofType('aws_sns_topic_subscription')) {
    const subscription = {
      ...reader.entity(resource),
      topic: reader.value(resource, 'topic_arn') ?? null,
      protocol: reader.value(resource, 'protocol') ?? null,
      endpoint: reader.value(resource, 'endpoint') ?? null,
    } as Model['subscriptions'][number];
    const dlq = jsonField(reader.value(resource, 'redrive_policy'), 'deadLetterTargetArn');
    if (dlq !== undefined) subscription.dlq = dlq;
    const role = reader.value(resource, 'subscription_role_arn');
    if (role !== undefined) subscription.roleArn = role;
    model.subscriptions.push(subscription);
  }
  mapBuckets(reader);
}

type Model = PlanModel['model'];

function queue(reader: PlanModel, resource: PlanResource): Queue {
  const queue: Queue = {
    ...reader.entity(resource, 'name'),
    fifo: reader.plan.literal(resource, ['fifo_queue']) === true,
    policies: [],
  };
  const url = reader.plan.literal(resource, ['url']);
  if (typeof url === 'string') queue.url = url;
  const fields: [keyof Queue, string][] = [
    ['receiveWaitTimeSeconds', 'receive_wait_time_seconds'],
    ['visibilityTimeoutSeconds', 'visibility_timeout_seconds'],
    ['retentionSeconds', 'message_retention_seconds'],
    ['sqsManagedSse', 'sqs_managed_sse_enabled'],
  ];
  for (const [field, attribute] of fields) {
    const value = reader.value(resource, attribute);
    if (value !== undefined) (queue as unknown as Record<string, Sym>)[field] = value;
  }
  const kmsKey = reader.kmsKey(resource, 'kms_master_key_id');
  if (kmsKey !== undefined) queue.kmsKey = kmsKey;
  const dlq = jsonField(reader.value(resource, 'redrive_policy'), 'deadLetterTargetArn');
  if (dlq !== undefined) queue.redriveDlq = dlq;
  // `policy` is also computed from a separate aws_sqs_queue_policy: only what the author wrote here.
  inlinePolicy(reader, resource, queue);
  return queue;
}

/** The `policy` argument a queue or topic resource carries itself, when the author wrote one. */
function inlinePolicy(reader: PlanModel, resource: PlanResource, owner: Queue | Topic): void {
  if (!reader.configured(resource, 'policy')) return;
  const { policy, unknown } = reader.attach(resource, ['policy']);
  if (policy) owner.policies.push(policy);
  if (unknown) owner.policyUnknown = unknown;
}

function topic(reader: PlanModel, resource: PlanResource): Topic {
  const topic: Topic = {
    ...reader.entity(resource, 'name'),
    fifo: reader.plan.literal(resource, ['fifo_topic']) === true,
    policies: [],
  };
  const kmsKey = reader.kmsKey(resource, 'kms_master_key_id');
  if (kmsKey !== undefined) topic.kmsKey = kmsKey;
  inlinePolicy(reader, resource, topic);
  return topic;
}

/**
 * Attaches a policy resource to the entity it names. When the plan cannot tell which entity that
 * is, every entity of the kind may carry it, so all are marked rather than judged without it.
 */
function attachTo<T extends Queue | Topic | Bus>(
  reader: PlanModel,
  resource: PlanResource,
  list: T[],
  target: Sym | undefined,
  kind: string,
): T | undefined {
  const entity = reader.find(list, target);
  const { policy, unknown } = reader.attach(resource, ['policy']);
  if (entity) {
    if (policy) entity.policies.push(policy);
    if (unknown) entity.policyUnknown = unknown;
    return entity;
  }
  if (isRef(target) || typeof target === 'string') {
    reader.note(
      resource,
      `${resource.address} applies to ${describe(target)}, a ${kind} that is not in the plan`,
    );
    return undefined;
  }
  const reason = `${resource.address} applies to a ${kind} known only after apply`;
  for (const other of list) other.policyUnknown ??= reason;
  reader.note(resource, reason);
  return undefined;
}

function attachQueuePolicies(reader: PlanModel): void {
  for (const resource of reader.plan.ofType('aws_sqs_queue_policy')) {
    attachTo(reader, resource, reader.model.queues, reader.value(resource, 'queue_url'), 'queue');
  }
}

function attachTopicPolicies(reader: PlanModel): void {
  for (const resource of reader.plan.ofType('aws_sns_topic_policy')) {
    attachTo(reader, resource, reader.model.topics, reader.value(resource, 'arn'), 'topic');
  }
}

function attachBusPolicies(reader: PlanModel): void {
  for (const resource of reader.plan.ofType('aws_cloudwatch_event_bus_policy')) {
    const name = reader.value(resource, 'event_bus_name') ?? 'default';
    if (reader.find(reader.model.buses, name) || !(typeof name === 'string')) {
      attachTo(reader, resource, reader.model.buses, name, 'event bus');
      continue;
    }
    // The default bus (or a bus made elsewhere) is not declared: the policy resource stands for it.
    const bus: Bus = { ...reader.entity(resource), name, policies: [] };
    const { policy, unknown } = reader.attach(resource, ['policy']);
    if (policy) bus.policies.push(policy);
    if (unknown) bus.policyUnknown = unknown;
    reader.model.buses.push(bus);
  }
}

function rule(reader: PlanModel, resource: PlanResource): EventRule {
  return {
    ...reader.entity(resource, 'name'),
    bus: reader.value(resource, 'event_bus_name') ?? 'default',
    hasPattern: reader.value(resource, 'event_pattern') !== undefined,
    hasSchedule: reader.value(resource, 'schedule_expression') !== undefined,
    targets: [],
  };
}

/** A bus as a name: from an ARN, or from the bus entity a reference designates. */
function busName(reader: PlanModel, value: Sym): Sym {
  if (typeof value === 'string')
    return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
  const bus = isRef(value) ? reader.find(reader.model.buses, value) : undefined;
  return bus && typeof bus.name === 'string' ? bus.name : value;
}

function sameBus(reader: PlanModel, a: Sym, b: Sym): boolean {
  return JSON.stringify(busName(reader, a)) === JSON.stringify(busName(reader, b));
}

function attachTarget(reader: PlanModel, resource: PlanResource): void {
  const ruleValue = reader.value(resource, 'rule');
  const bus = reader.value(resource, 'event_bus_name') ?? 'default';
  const rules = reader.model.rules;
  const owner = isRef(ruleValue)
    ? rules.find((rule) => rule.id === ruleValue.$ref)
    : rules.find(
        (rule) => (rule.name === ruleValue || rule.arn === ruleValue) && sameBus(reader, rule.bus, bus),
      );
  if (!owner) {
    reader.note(
      resource,
      `${resource.address} targets rule ${describe(ruleValue)}, which is not in the plan`,
    );
    return;
  }
  const target: EventRule['targets'][number] = {
    // target_id is generated at apply when not set: the address is what the author can find.
    targetId: reader.value(resource, 'target_id') ?? resource.address,
    arn: reader.value(resource, 'arn') ?? null,
  };
  const dlq = reader.value(resource, 'dead_letter_config', 0, 'arn');
  if (dlq !== undefined) target.dlq = dlq;
  const role = reader.value(resource, 'role_arn');
  if (role !== undefined) target.roleArn = role;
  owner.targets.push(target);
}

const NOTIFICATION_BLOCKS: [string, string, BucketDestinationKind][] = [
  ['queue', 'queue_arn', 'queue'],
  ['topic', 'topic_arn', 'topic'],
  ['lambda_function', 'lambda_function_arn', 'lambda'],
];

function mapBuckets(reader: PlanModel): void {
  const buckets: Bucket[] = reader.plan
    .ofType('aws_s3_bucket')
    .map((resource) => ({ ...reader.entity(resource, 'bucket'), notifications: [] }));
  reader.model.buckets.push(...buckets);
  for (const resource of reader.plan.ofType('aws_s3_bucket_notification')) {
    const bucketValue = reader.value(resource, 'bucket');
    let bucket = reader.find(buckets, bucketValue);
    if (!bucket) {
      // A bucket made elsewhere: the notification resource is what the author edits.
      bucket = { ...reader.entity(resource), notifications: [] };
      if (bucketValue !== undefined) bucket.name = bucketValue;
      reader.model.buckets.push(bucket);
    }
    for (const [block, attribute, kind] of NOTIFICATION_BLOCKS) {
      for (let i = 0; i < reader.blocks(resource, block); i++) {
        bucket.notifications.push({ kind, target: reader.value(resource, block, i, attribute) ?? null });
      }
    }
    if (reader.plan.literal(resource, ['eventbridge']) === true)
      bucket.notifications.push({ kind: 'eventbridge' });
  }
}
