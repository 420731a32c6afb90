import type { Finding, KnowHowRule } from '../findings.js';
import {
  type AttachedPolicy,
  type Bus,
  type Entity,
  lookup,
  type Model,
  type Queue,
  type Topic,
} from '../model.js';
import { deliveries } from './deliveries.js';
import { senderArn } from './policy-conditions.js';
import {
  editedResource,
  explainOn,
  ignores,
  makeFinding,
  placeOf,
  policyIgnores,
} from './policy-findings.js';
import { scoped, servicePrincipals, sourceScope } from './policy-scoping.js';
import { describeStatement, readStatements } from './policy-statements.js';

/** Service principals whose role trust policies this rule reads: the ones that assume roles for messaging. */
const RULE_ID = 'service-principal-unscoped';

const TRUST_SERVICES = ['events.amazonaws.com', 'pipes.amazonaws.com'];

/**
 * A service principal acts for whichever AWS account configures it: without a source condition,
 * any account's rule, topic or bucket can make the service write into this resource.
 */
export const servicePrincipalUnscopedRule: KnowHowRule = {
  id: RULE_ID,
  severity: 'error',
  title:
    'A resource policy grants a service principal without aws:SourceArn / aws:SourceAccount (confused deputy)',
  check(model, context) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const owners: (Queue | Topic | Bus)[] = [...model.queues, ...model.topics, ...model.buses];
    for (const owner of owners) {
      for (const policy of owner.policies) {
        const read = readStatements(policy);
        if (read.unknown)
          explainOn(
            context,
            servicePrincipalUnscopedRule,
            owner,
            `a statement of ${policy.from} is not known (${read.unknown}).`,
          );
        for (const statement of read.statements) {
          if (statement.effect !== 'Allow') continue;
          for (const service of servicePrincipals(statement)) {
            const key = `${policy.from}\u0000${statement.index}\u0000${service}`;
            if (seen.has(key) || scoped(service, sourceScope(statement))) continue;
            seen.add(key);
            if (ignores(model, owner, RULE_ID, context) || policyIgnores(model, policy, RULE_ID, context))
              continue;
            const receivers = owners.filter((other) => other.policies.some((p) => p.from === policy.from));
            findings.push(
              makeFinding(
                servicePrincipalUnscopedRule,
                policyPlace(model, policy),
                unscopedMessage(describeStatement(statement), service, receivers, sourceScope(statement).arn),
                unscopedFix(model, describeStatement(statement), service, receivers),
              ),
            );
          }
        }
      }
    }
    for (const role of model.roles) {
      const read = readStatements({ document: role.trust, from: role.id, origin: role.origin });
      if (read.unknown)
        explainOn(
          context,
          servicePrincipalUnscopedRule,
          role,
          `the trust policy of ${role.id} is not known (${read.unknown}).`,
        );
      for (const statement of read.statements) {
        if (statement.effect !== 'Allow') continue;
        const scope = sourceScope(statement);
        for (const service of servicePrincipals(statement)) {
          if (!TRUST_SERVICES.includes(service) || scope.arn || scope.account || scope.org) continue;
          if (ignores(model, role, RULE_ID, context)) continue;
          findings.push(
            makeFinding(
              servicePrincipalUnscopedRule,
              placeOf(role),
              `The trust policy of role ${role.id} lets ${service} assume it with neither aws:SourceArn nor aws:SourceAccount (nor aws:SourceOrgID): a ${service === 'pipes.amazonaws.com' ? 'pipe' : 'rule'} of any account that knows the role's ARN can have the service act with this role (the confused deputy).`,
              `Add to ${describeStatement(statement)} a Condition: {"StringEquals":{"aws:SourceAccount":"<your account id>"}} (or aws:SourceArn with the ARN of the ${service === 'pipes.amazonaws.com' ? 'pipe' : 'rule'}).`,
              'warning',
            ),
          );
        }
      }
    }
    return findings;
  },
};

/** The policy resource when it is one of its own (a QueuePolicy), the queue or topic otherwise. */
function policyPlace(
  model: Model,
  policy: AttachedPolicy,
): { resource: string; origin: AttachedPolicy['origin'] } {
  const carrier = lookup(model, policy.from);
  return { resource: carrier ? editedResource(carrier) : policy.from, origin: policy.origin };
}

function unscopedMessage(statement: string, service: string, receivers: Entity[], hasArn: boolean): string {
  const names = receivers.map((receiver) => receiver.id).join(', ');
  const onWhat = names ? ` on ${names}` : '';
  if (service === 's3.amazonaws.com') {
    const missing = hasArn ? 'aws:SourceAccount' : 'aws:SourceArn and aws:SourceAccount';
    return `${capitalise(statement)} grants s3.amazonaws.com${onWhat} without ${missing}: bucket ARNs carry no account, so a bucket of any account with that name can make S3 send into it (the confused deputy).`;
  }
  const sender =
    service === 'sns.amazonaws.com' ? 'topic' : service === 'events.amazonaws.com' ? 'rule' : 'resource';
  return `${capitalise(statement)} grants ${service}${onWhat} with neither aws:SourceArn nor aws:SourceAccount (nor aws:SourceOrgID): a ${sender} of any AWS account can make the service send into it (the confused deputy).`;
}

function unscopedFix(model: Model, statement: string, service: string, receivers: Entity[]): string {
  const senders = deliveries(model)
    .filter((delivery) => delivery.service === service && receivers.includes(delivery.target as Queue))
    .map((delivery) => senderArn(model, delivery) ?? `<ARN of ${delivery.sender?.id ?? 'the sender'}>`);
  const arns = [...new Set(senders)];
  const sourceArn =
    arns.length === 0 ? '<ARN of the resource that sends>' : arns.length === 1 ? arns[0] : arns;
  const condition: Record<string, unknown> = { ArnEquals: { 'aws:SourceArn': sourceArn } };
  if (service === 's3.amazonaws.com') condition.StringEquals = { 'aws:SourceAccount': '<your account id>' };
  return `Add to ${statement} a Condition: ${JSON.stringify(condition)}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
