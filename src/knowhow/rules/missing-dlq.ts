import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const missingDlqRule: KnowHowRule = {
  id: 'missing-dlq',
  severity: 'warning',
  title: 'A Lambda-consumed queue, rule target or SNS subscription without a dead-letter queue',
  check: () => [],
};
