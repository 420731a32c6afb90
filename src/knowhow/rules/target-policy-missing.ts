import type { KnowHowRule } from '../findings.js';
import { deliveryFindings } from './policy-delivery-check.js';
import { explainOn } from './policy-findings.js';

/**
 * EventBridge, SNS and S3 send into a queue or topic as their service principal: only the
 * destination's resource policy can let them in. An EventBridge target that names a RoleArn is
 * sent with that role instead (AWS's EventBridge guide: for SQS, SNS and Lambda targets either an
 * execution role or a resource-based policy), so there the role's own policies must allow the call.
 */
export const targetPolicyMissingRule: KnowHowRule = {
  id: 'target-policy-missing',
  severity: 'error',
  title:
    'A rule target, SNS subscription or S3 notification sends to a queue or topic whose policy does not allow the service',
  check(model, context) {
    return deliveryFindings(
      model,
      context,
      targetPolicyMissingRule,
      (delivery) =>
        delivery.kind === 'target' &&
        delivery.service !== 'pipes.amazonaws.com' &&
        // Sent with a role, only worth checking when the target is a queue or topic.
        (delivery.via !== 'role' || delivery.action !== undefined),
      (delivery) =>
        explainOn(
          context,
          targetPolicyMissingRule,
          delivery.declaredBy,
          `${delivery.label} names a RoleArn: EventBridge sends with that role, not through the destination's policy.`,
        ),
    );
  },
};
