import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const awsManagedKeyBlocksDeliveryRule: KnowHowRule = {
  id: 'aws-managed-key-blocks-delivery',
  severity: 'error',
  title: 'A queue or topic encrypted with a key that the sending service cannot use',
  check: () => [],
};
