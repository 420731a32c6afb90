import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const mskScramSecretRule: KnowHowRule = {
  id: 'msk-scram-secret',
  severity: 'error',
  title: 'An MSK SCRAM secret without the AmazonMSK_ prefix or encrypted with the default key',
  check: () => [],
};
