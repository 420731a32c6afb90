import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const dlqPolicyMissingRule: KnowHowRule = {
  id: 'dlq-policy-missing',
  severity: 'error',
  title: 'A dead-letter queue that the sending service (or a Pipe role) is not allowed to write to',
  check: () => [],
};
