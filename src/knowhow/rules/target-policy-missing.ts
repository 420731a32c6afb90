import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const targetPolicyMissingRule: KnowHowRule = {
  id: 'target-policy-missing',
  severity: 'error',
  title:
    'A rule target, SNS subscription or S3 notification sends to a queue or topic whose policy does not allow the service',
  check: () => [],
};
