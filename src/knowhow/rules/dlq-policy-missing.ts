import type { Finding, KnowHowRule } from '../findings.js';
import { deliveries } from './deliveries.js';
import {
  checkPolicyDelivery,
  checkRoleDelivery,
  type PolicyGap,
  policyGapFindings,
} from './policy-delivery-check.js';
import { distinct } from './policy-findings.js';

/**
 * EventBridge and SNS write to a dead-letter queue as their service principal, so its queue policy
 * must let them; a Pipe writes with its execution role, so the role must.
 */
export const dlqPolicyMissingRule: KnowHowRule = {
  id: 'dlq-policy-missing',
  severity: 'error',
  title: 'A dead-letter queue that the sending service (or a Pipe role) is not allowed to write to',
  check(model, context) {
    const findings: Finding[] = [];
    const gaps: PolicyGap[] = [];
    for (const delivery of deliveries(model)) {
      if (delivery.kind !== 'dlq') continue;
      if (delivery.via === 'role') {
        const finding = checkRoleDelivery(model, context, dlqPolicyMissingRule, delivery);
        if (finding) findings.push(finding);
        continue;
      }
      const gap = checkPolicyDelivery(model, context, dlqPolicyMissingRule, delivery);
      if (gap) gaps.push(gap);
    }
    return distinct([...policyGapFindings(model, dlqPolicyMissingRule, gaps), ...findings]);
  },
};
