import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const snsFirehoseDoubleNewlineRule: KnowHowRule = {
  id: 'sns-firehose-double-newline',
  severity: 'warning',
  title: 'An SNS firehose subscription whose delivery stream appends a second newline',
  check: () => [],
};
