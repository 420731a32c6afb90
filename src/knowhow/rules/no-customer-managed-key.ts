import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const noCustomerManagedKeyRule: KnowHowRule = {
  id: 'no-customer-managed-key',
  severity: 'notice',
  title: 'A queue or topic without a customer-managed KMS key',
  check: () => [],
};
