import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const sqsShortPollingRule: KnowHowRule = {
  id: 'sqs-short-polling',
  severity: 'warning',
  title: 'A queue that code polls uses short polling (ReceiveMessageWaitTimeSeconds 0)',
  check: () => [],
};
