import type { Finding, KnowHowRule, RuleContext } from '../findings.js';
import { type Entity, isUnknown, lookup, type Model, type Queue, type Role, type Topic } from '../model.js';
import { type Delivery, deliveries, describeDelivery, unresolvedReason } from './deliveries.js';
import { entityArn } from './policy-arns.js';
import { senderArn } from './policy-conditions.js';
import { distinct, explainOn, ignores, makeFinding, placeOf, policyIgnores } from './policy-findings.js';
import { evaluateGrant, type GrantVerdict } from './policy-grants.js';
import type { Destination } from './policy-match.js';
import { show } from './policy-values.js';

/** What AWS does when the service may not send, by service and by kind of delivery. */
const CONSEQUENCE: Record<Delivery['service'], Record<Delivery['kind'], string>> = {
  'events.amazonaws.com': {
    target: 'EventBridge cannot deliver: every matching event is dropped (FailedInvocations in CloudWatch).',
    dlq: 'Events that fail delivery are dropped silently instead of reaching the dead-letter queue.',
  },
  'sns.amazonaws.com': {
    target: 'SNS cannot deliver to the queue: every message is dropped.',
    dlq: 'Messages that fail delivery are dropped silently instead of reaching the dead-letter queue.',
  },
  's3.amazonaws.com': {
    target:
      'S3 refuses the notification configuration ("Unable to validate the following destination configurations"), so the deployment fails.',
    dlq: '',
  },
  'pipes.amazonaws.com': {
    target: '',
    dlq: 'Events that fail are dropped instead of reaching the dead-letter queue.',
  },
};

/** A delivery that the destination's policies do not allow. */
export interface PolicyGap {
  delivery: Delivery;
  target: Queue | Topic;
  action: string;
  verdict: Extract<GrantVerdict, { decision: 'missing' | 'denied' }>;
}

/**
 * Checks one delivery that AWS authorises through the destination's resource policy: the gap when
 * the policies do not allow it, nothing (and a note when it cannot be decided) otherwise.
 */
export function checkPolicyDelivery(
  model: Model,
  context: RuleContext,
  rule: KnowHowRule,
  delivery: Delivery,
): PolicyGap | undefined {
  const { target, action } = delivery;
  const who = describeDelivery(delivery);
  if (!target || !action) {
    explainOn(
      context,
      rule,
      delivery.declaredBy,
      `${who}: ${unresolvedReason(delivery)}, so its policy cannot be checked.`,
    );
    return undefined;
  }
  if (target.policyUnknown) {
    explainOn(
      context,
      rule,
      target,
      `${who}: the policy of ${target.id} cannot be read (${target.policyUnknown}).`,
    );
    return undefined;
  }
  const verdict = evaluateGrant(model, target.policies, {
    service: delivery.service,
    actions: [action],
    destination: { entity: target },
    source: { sender: delivery.sender, senderSym: delivery.senderSym, service: delivery.service },
  });
  if (verdict.decision === 'allowed') return undefined;
  if (verdict.decision === 'unknown') {
    explainOn(context, rule, target, `${who}: ${verdict.reason}.`);
    return undefined;
  }
  if (
    ignores(model, target, rule.id, context) ||
    ignores(model, delivery.declaredBy, rule.id, context) ||
    target.policies.some((policy) => policyIgnores(model, policy, rule.id, context))
  ) {
    return undefined;
  }
  return { delivery, target, action, verdict };
}

/**
 * One finding per destination, service and kind of delivery: several rules (or subscriptions)
 * that share a dead-letter queue need one statement, listing them all as sources.
 */
export function policyGapFindings(model: Model, rule: KnowHowRule, gaps: PolicyGap[]): Finding[] {
  const groups = new Map<string, PolicyGap[]>();
  for (const gap of gaps) {
    const key = `${gap.target.id}\u0000${gap.delivery.service}\u0000${gap.delivery.kind}\u0000${gap.action}`;
    groups.set(key, [...(groups.get(key) ?? []), gap]);
  }
  return [...groups.values()].map((group) => gapFinding(model, rule, group));
}

function gapFinding(model: Model, rule: KnowHowRule, group: PolicyGap[]): Finding {
  const [first] = group as [PolicyGap, ...PolicyGap[]];
  const { delivery, target, action, verdict } = first;
  const labels = listOf(group.map((gap) => gap.delivery.label));
  const kindName = model.queues.includes(target as Queue) ? 'queue' : 'topic';
  const what = `${delivery.service} to ${action}`;
  const why = policyGap(target.id, kindName, target.policies.length, what, verdict);
  const path =
    delivery.kind === 'dlq'
      ? `Queue ${target.id} is the dead-letter queue of ${labels}`
      : `${capitalise(labels)} ${group.length > 1 ? 'send' : 'sends'} to ${kindName} ${target.id}`;
  const message = `${path}, but ${why} ${CONSEQUENCE[delivery.service][delivery.kind]}`;
  const statement = JSON.stringify(allowStatement(model, group, target, action));
  const carrier =
    kindName === 'queue'
      ? 'AWS::SQS::QueuePolicy, AWS::SQS::QueueInlinePolicy or aws_sqs_queue_policy'
      : 'AWS::SNS::TopicPolicy, AWS::SNS::TopicInlinePolicy or aws_sns_topic_policy';
  let fix = `Add this statement to the policy of ${target.id} (${carrier}): ${statement}`;
  if (verdict.decision === 'denied')
    fix += `, and narrow ${verdict.statement} so that it does not deny ${what}`;
  return makeFinding(rule, placeOf(target), message, `${fix}.`);
}

function listOf(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

function policyGap(id: string, kindName: string, count: number, what: string, verdict: GrantVerdict): string {
  if (verdict.decision === 'denied') return `${verdict.statement} denies ${what}.`;
  if (count === 0) return `${id} has no ${kindName} policy, so nothing allows ${what}.`;
  const closest = verdict.decision === 'missing' && verdict.closest ? ` (${verdict.closest})` : '';
  return `no statement of its ${kindName} policy allows ${what}${closest}.`;
}

/** The statement to add: the service, the action, the destination, scoped to these senders. */
function allowStatement(
  model: Model,
  group: PolicyGap[],
  target: Entity,
  action: string,
): Record<string, unknown> {
  const { service } = group[0]!.delivery;
  const arns = [
    ...new Set(
      group.map(({ delivery }) => {
        const source = { sender: delivery.sender, senderSym: delivery.senderSym, service };
        return senderArn(model, source) ?? `<ARN of ${delivery.sender?.id ?? show(delivery.senderSym)}>`;
      }),
    ),
  ];
  const condition: Record<string, unknown> = {
    ArnEquals: { 'aws:SourceArn': arns.length === 1 ? arns[0] : arns },
  };
  // Bucket ARNs carry no account: S3's statement needs the owner's account as well.
  if (service === 's3.amazonaws.com') condition.StringEquals = { 'aws:SourceAccount': '<your account id>' };
  return {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: action,
    Resource: entityArn(model, target) ?? `<ARN of ${target.id}>`,
    Condition: condition,
  };
}

/**
 * Checks a delivery that AWS authorises through an execution role (a Pipe's dead-letter queue, an
 * EventBridge target that names a RoleArn):
 * the role's own policies must allow the call on the destination.
 */
export function checkRoleDelivery(
  model: Model,
  context: RuleContext,
  rule: KnowHowRule,
  delivery: Delivery,
): Finding | undefined {
  const { action } = delivery;
  const role = lookup(model, delivery.roleArn);
  if (!role || !model.roles.includes(role as Role)) {
    const reason = isUnknown(delivery.roleArn)
      ? `is not known (${show(delivery.roleArn)})`
      : `${show(delivery.roleArn)} is not declared in the model`;
    explainOn(
      context,
      rule,
      delivery.declaredBy,
      `${describeDelivery(delivery)}: its execution role ${reason}, so its permissions cannot be checked.`,
    );
    return undefined;
  }
  let destination: Destination | undefined;
  if (delivery.target) destination = { entity: delivery.target };
  else if (typeof delivery.destination === 'string' && delivery.destination.startsWith('arn:')) {
    destination = { arn: delivery.destination };
  }
  if (!destination || !action) {
    explainOn(
      context,
      rule,
      delivery.declaredBy,
      `${describeDelivery(delivery)}: ${unresolvedReason(delivery)}, so the role's permissions cannot be checked.`,
    );
    return undefined;
  }
  const roleEntity = role as Role;
  if (roleEntity.policyUnknown) {
    explainOn(
      context,
      rule,
      role,
      `${describeDelivery(delivery)}: the policies of role ${role.id} cannot be read (${roleEntity.policyUnknown}).`,
    );
    return undefined;
  }
  const verdict = evaluateGrant(model, roleEntity.policies, {
    actions: [action],
    destination,
    source: { sender: delivery.sender, senderSym: delivery.senderSym, service: delivery.service },
  });
  if (verdict.decision === 'allowed') return undefined;
  if (verdict.decision === 'unknown') {
    explainOn(context, rule, role, `${describeDelivery(delivery)}: ${verdict.reason}.`);
    return undefined;
  }
  if (
    ignores(model, role, rule.id, context) ||
    ignores(model, delivery.declaredBy, rule.id, context) ||
    (delivery.target && ignores(model, delivery.target, rule.id, context))
  ) {
    return undefined;
  }
  const destinationName = delivery.target?.id ?? show(delivery.destination);
  const why =
    verdict.decision === 'denied'
      ? `${verdict.statement} denies ${action} on it.`
      : `no policy of the role allows ${action} on it.`;
  const sender = delivery.service === 'pipes.amazonaws.com' ? 'it writes to' : 'EventBridge sends to';
  const message = `${capitalise(describeDelivery(delivery))} is ${destinationName}, which ${sender} with its execution role ${role.id}, not through a queue or topic policy; ${why} ${CONSEQUENCE[delivery.service][delivery.kind]}`;
  const resource = delivery.target
    ? (entityArn(model, delivery.target) ?? `<ARN of ${delivery.target.id}>`)
    : show(delivery.destination);
  const statement = JSON.stringify({ Effect: 'Allow', Action: action, Resource: resource });
  return makeFinding(
    rule,
    placeOf(role),
    message,
    `Add this statement to a policy of role ${role.id}: ${statement}.`,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The findings of a rule over the deliveries it `checks`: those through a resource policy are
 * gathered per destination (one finding a queue or topic), those sent with a role are checked
 * against that role one by one, after `beforeRole` has had its say about them.
 */
export function deliveryFindings(
  model: Model,
  context: RuleContext,
  rule: KnowHowRule,
  checks: (delivery: Delivery) => boolean,
  beforeRole?: (delivery: Delivery) => void,
): Finding[] {
  const gaps: PolicyGap[] = [];
  const roleFindings: Finding[] = [];
  for (const delivery of deliveries(model)) {
    if (!checks(delivery)) continue;
    if (delivery.via === 'role') {
      beforeRole?.(delivery);
      const finding = checkRoleDelivery(model, context, rule, delivery);
      if (finding) roleFindings.push(finding);
      continue;
    }
    const gap = checkPolicyDelivery(model, context, rule, delivery);
    if (gap) gaps.push(gap);
  }
  return distinct([...policyGapFindings(model, rule, gaps), ...roleFindings]);
}
