import type { Finding, KnowHowRule } from '../findings.js';
import { deliveries } from './deliveries.js';
import {
  checkPolicyDelivery,
  checkRoleDelivery,
  type PolicyGap,
  policyGapFindings,
} from './policy-delivery-check.js';
import { distinct, explainOn } from './policy-findings.js';

/**
 * EventBridge, SNS and S3 send into a queue or topic as their service principal: only the
 * destination's resource policy can let them in. An EventBridge target that names a RoleArn is
 * sent with that role instead (AWS's EventBridge guide: for SQS, SNS and Lambda targets either an
 * execution role or a resource-based policy), so there the role's own policies must allow the call.
 */
export const targetPolicyMissingRule: KnowHowRule = {
  id: 'target-policy-missing',
  severity: 'error',
  title:
    'A rule target, SNS subscription or S3 notification sends to a queue or topic whose policy does not allow the service',
  check(model, context) {
    const gaps: PolicyGap[] = [];
    const roleFindings: Finding[] = [];
    for (const delivery of deliveries(model)) {
      if (delivery.kind !== 'target' || delivery.service === 'pipes.amazonaws.com') continue;
      if (delivery.via === 'role') {
        // Only worth a note when the target is a queue or topic.
        if (delivery.action === undefined) continue;
        explainOn(
          context,
          targetPolicyMissingRule,
          delivery.declaredBy,
          `${delivery.label} names a RoleArn: EventBridge sends with that role, not through the destination's policy.`,
        );
        const finding = checkRoleDelivery(model, context, targetPolicyMissingRule, delivery);
        if (finding) roleFindings.push(finding);
        continue;
      }
      const gap = checkPolicyDelivery(model, context, targetPolicyMissingRule, delivery);
      if (gap) gaps.push(gap);
    }
    return distinct([...policyGapFindings(model, targetPolicyMissingRule, gaps), ...roleFindings]);
  },
};
