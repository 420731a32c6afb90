import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const sqsVisibilityBelowFunctionTimeoutRule: KnowHowRule = {
  id: 'sqs-visibility-below-function-timeout',
  severity: 'error',
  title: 'A queue visibility timeout is below the timeout of the function that consumes it',
  check: () => [],
};
