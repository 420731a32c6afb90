import type { Finding, KnowHowRule } from '../findings.js';
import { type Entity, isRef, isUnknown, type Sym } from '../model.js';
import { findingOn, label } from './finding-site.js';

const ID = 'no-customer-managed-key';

/** `alias/aws/sqs`, `alias/aws/sns`, or an ARN of such an alias: a key AWS manages, not you. */
export function isAwsManagedAlias(value: string): boolean {
  return /(^|:)alias\/aws\//.test(value.trim());
}

/**
 * Without a key of your own, you cannot say in a key policy who may read the messages, cannot
 * audit or revoke that use, and cannot share an encrypted queue or topic with another account or
 * with the services that deliver to it (aws-managed-key-blocks-delivery covers that breakage).
 * SSE-SQS (SqsManagedSseEnabled) encrypts with a key SQS owns: it is not a customer-managed key.
 */
export const noCustomerManagedKeyRule: KnowHowRule = {
  id: ID,
  severity: 'notice',
  title: 'A queue or topic without a customer-managed KMS key',
  check(model, context) {
    const severity = context.profile === 'production' ? 'warning' : 'notice';
    const findings: Finding[] = [];
    const check = (entity: Entity, kind: 'Queue' | 'Topic', kmsKey: Sym | undefined): void => {
      let state: string;
      if (kmsKey === undefined || kmsKey === null || kmsKey === '') {
        state = 'has no KmsMasterKeyId';
      } else if (isUnknown(kmsKey)) {
        context.explain({
          resource: entity.id,
          origin: entity.origin,
          message: `${ID}: the KMS key of ${entity.id} is not known (${kmsKey.$unknown}).`,
        });
        return;
      } else if (typeof kmsKey === 'string' && isAwsManagedAlias(kmsKey)) {
        state = `is encrypted with the AWS-managed key ${kmsKey}`;
      } else if (typeof kmsKey === 'string' || isRef(kmsKey)) {
        return;
      } else {
        context.explain({
          resource: entity.id,
          origin: entity.origin,
          message: `${ID}: the KMS key of ${entity.id} is not a literal or a reference.`,
        });
        return;
      }
      const service = kind === 'Queue' ? 'sqs' : 'sns';
      const finding = findingOn(model, context, ID, severity, entity, {
        message:
          `${kind} ${label(entity)} ${state}: no key policy of yours controls who can decrypt its messages, ` +
          'and the use of the key cannot be scoped, audited or revoked per application' +
          (kind === 'Queue' ? ' (SSE-SQS, SqsManagedSseEnabled, uses a key that SQS owns).' : '.'),
        fix:
          `Create an AWS::KMS::Key (Terraform aws_kms_key) and set KmsMasterKeyId to its ARN ` +
          `(kms_master_key_id), not alias/aws/${service}. Its key policy must let the services that send ` +
          `to this ${kind.toLowerCase()} use it (kms:GenerateDataKey*, kms:Decrypt).`,
      });
      if (finding) findings.push(finding);
    };
    for (const queue of model.queues) check(queue, 'Queue', queue.kmsKey);
    for (const topic of model.topics) check(topic, 'Topic', topic.kmsKey);
    return findings;
  },
};
