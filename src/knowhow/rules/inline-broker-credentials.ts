import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const inlineBrokerCredentialsRule: KnowHowRule = {
  id: 'inline-broker-credentials',
  severity: 'error',
  title: 'Broker or Kafka credentials written in the template',
  check: () => [],
};
