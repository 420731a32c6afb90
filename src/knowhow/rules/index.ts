import type { KnowHowRule } from '../findings.js';
import { awsManagedKeyBlocksDeliveryRule } from './aws-managed-key-blocks-delivery.js';
import { dlqPolicyMissingRule } from './dlq-policy-missing.js';
import { inlineBrokerCredentialsRule } from './inline-broker-credentials.js';
import { missingDlqRule } from './missing-dlq.js';
import { mskScramSecretRule } from './msk-scram-secret.js';
import { noCustomerManagedKeyRule } from './no-customer-managed-key.js';
import { servicePrincipalUnscopedRule } from './service-principal-unscoped.js';
import { snsFirehoseDoubleNewlineRule } from './sns-firehose-double-newline.js';
import { sqsShortPollingRule } from './sqs-short-polling.js';
import { sqsVisibilityBelowFunctionTimeoutRule } from './sqs-visibility-below-function-timeout.js';
import { targetPolicyMissingRule } from './target-policy-missing.js';

/** Every rule, in the order of docs/rules/README.md. */
export const RULES: readonly KnowHowRule[] = [
  targetPolicyMissingRule,
  dlqPolicyMissingRule,
  servicePrincipalUnscopedRule,
  awsManagedKeyBlocksDeliveryRule,
  sqsShortPollingRule,
  noCustomerManagedKeyRule,
  snsFirehoseDoubleNewlineRule,
  inlineBrokerCredentialsRule,
  mskScramSecretRule,
  sqsVisibilityBelowFunctionTimeoutRule,
  missingDlqRule,
];
