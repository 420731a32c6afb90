import type { KnowHowRule } from '../findings.js';
import { deliveryFindings } from './policy-delivery-check.js';

/**
 * EventBridge and SNS write to a dead-letter queue as their service principal, so its queue policy
 * must let them; a Pipe writes with its execution role, so the role must.
 */
export const dlqPolicyMissingRule: KnowHowRule = {
  id: 'dlq-policy-missing',
  severity: 'error',
  title: 'A dead-letter queue that the sending service (or a Pipe role) is not allowed to write to',
  check(model, context) {
    return deliveryFindings(model, context, dlqPolicyMissingRule, (delivery) => delivery.kind === 'dlq');
  },
};
