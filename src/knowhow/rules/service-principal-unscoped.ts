import type { KnowHowRule } from '../findings.js';

// SKELETON: replaced by the rule's implementation before this lands.
export const servicePrincipalUnscopedRule: KnowHowRule = {
  id: 'service-principal-unscoped',
  severity: 'error',
  title:
    'A resource policy grants a service principal without aws:SourceArn / aws:SourceAccount (confused deputy)',
  check: () => [],
};
