import type { Finding, KnowHowRule } from '../findings.js';
import { isUnknown, type KmsKey, lookup, type Model, type Queue, type Sym } from '../model.js';
import { type Delivery, deliveries, describeDelivery } from './deliveries.js';
import { senderArn } from './policy-conditions.js';
import { distinct, explainOn, ignores, makeFinding, placeOf } from './policy-findings.js';
import { evaluateGrant } from './policy-grants.js';
import { show, unknownReason } from './policy-values.js';

const RULE_ID = 'aws-managed-key-blocks-delivery';

/** The calls a service makes on the destination's key to write an encrypted message. */
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * SNS, EventBridge and S3 encrypt what they write with the destination's KMS key, as their own
 * service principal. An AWS managed key's policy only lets principals of the account use it
 * through the owning service, and cannot be changed; a customer key's policy must name the sender.
 */
export const awsManagedKeyBlocksDeliveryRule: KnowHowRule = {
  id: RULE_ID,
  severity: 'error',
  title: 'A queue or topic encrypted with a key that the sending service cannot use',
  check(model, context) {
    const findings: Finding[] = [];
    for (const delivery of deliveries(model)) {
      const { target } = delivery;
      if (delivery.via !== 'resource-policy' || !target) continue;
      const keySym = target.kmsKey;
      if (keySym === undefined || keySym === null || keySym === '') continue;
      if (isUnknown(keySym)) {
        explainOn(
          context,
          awsManagedKeyBlocksDeliveryRule,
          target,
          `the KMS key of ${target.id} is not known (${unknownReason(keySym)}).`,
        );
        continue;
      }
      const kind = model.queues.includes(target as Queue) ? 'queue' : 'topic';
      const managed = awsManagedAlias(keySym);
      if (managed) {
        if (ignores(model, target, RULE_ID, context) || ignores(model, delivery.declaredBy, RULE_ID, context))
          continue;
        findings.push(
          makeFinding(
            awsManagedKeyBlocksDeliveryRule,
            placeOf(target),
            `${capitalise(kind)} ${target.id} ${receives(delivery)} and is encrypted with the AWS managed key ${managed}, which ${delivery.service} cannot use: its key policy cannot be changed to allow the service. The deliveries fail and the messages are lost.`,
            kind === 'queue'
              ? `Set KmsMasterKeyId to a customer managed key whose key policy allows ${delivery.service} kms:GenerateDataKey* and kms:Decrypt, or use SQS managed encryption (SqsManagedSseEnabled: true) instead.`
              : `Set KmsMasterKeyId to a customer managed key whose key policy allows ${delivery.service} kms:GenerateDataKey* and kms:Decrypt.`,
          ),
        );
        continue;
      }
      const key = findKey(model, keySym);
      if (!key) {
        explainOn(
          context,
          awsManagedKeyBlocksDeliveryRule,
          target,
          `the KMS key ${show(keySym)} of ${target.id} is not declared in the model, so its policy cannot be checked.`,
        );
        continue;
      }
      const finding = checkKeyPolicy(model, context, delivery, key);
      if (finding) findings.push(finding);
    }
    return distinct(findings);
  },
};

/** `alias/aws/sqs`, `alias/aws/sns`… (or their ARN), the names of AWS managed keys. */
function awsManagedAlias(key: Sym): string | undefined {
  if (typeof key !== 'string') return undefined;
  const match = /(?:^|:)(alias\/aws\/[\w-]+)$/.exec(key);
  return match?.[1];
}

/** The model's key a KmsMasterKeyId designates: by reference, ARN, id, or one of its aliases. */
function findKey(model: Model, keySym: Sym): KmsKey | undefined {
  const entity = lookup(model, keySym);
  if (entity && model.keys.includes(entity as KmsKey)) return entity as KmsKey;
  if (typeof keySym !== 'string') return undefined;
  const alias = /(alias\/.+)$/.exec(keySym)?.[1];
  if (alias) return model.keys.find((key) => key.aliases.includes(alias));
  // A bare key id, as SQS and SNS report KmsMasterKeyId when it was set that way.
  return model.keys.find((key) => key.attributes?.KeyId === keySym || key.arn?.endsWith(`:key/${keySym}`));
}

function checkKeyPolicy(
  model: Model,
  context: Parameters<KnowHowRule['check']>[1],
  delivery: Delivery,
  key: KmsKey,
): Finding | undefined {
  const target = delivery.target!;
  if (isUnknown(key.policy)) {
    explainOn(
      context,
      awsManagedKeyBlocksDeliveryRule,
      key,
      `the key policy of ${key.id} is not known (${unknownReason(key.policy)}).`,
    );
    return undefined;
  }
  // No KeyPolicy gives the default one, which trusts the account's IAM principals only.
  const policies =
    key.policy === undefined || key.policy === null
      ? []
      : [{ document: key.policy, from: key.id, origin: key.origin }];
  const source = { sender: delivery.sender, senderSym: delivery.senderSym, service: delivery.service };
  const verdict = evaluateGrant(model, policies, { service: delivery.service, actions: KEY_ACTIONS, source });
  if (verdict.decision === 'allowed') return undefined;
  if (verdict.decision === 'unknown') {
    explainOn(
      context,
      awsManagedKeyBlocksDeliveryRule,
      key,
      `${describeDelivery(delivery)}: ${verdict.reason}.`,
    );
    return undefined;
  }
  if (
    ignores(model, key, RULE_ID, context) ||
    ignores(model, target, RULE_ID, context) ||
    ignores(model, delivery.declaredBy, RULE_ID, context)
  ) {
    return undefined;
  }
  const gap =
    verdict.decision === 'denied'
      ? `${verdict.statement} denies ${delivery.service} ${verdict.action}`
      : `its key policy does not allow ${delivery.service} ${verdict.action}`;
  const statement = {
    Effect: 'Allow',
    Principal: { Service: delivery.service },
    Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    Resource: '*',
    Condition: {
      ArnEquals: {
        'aws:SourceArn':
          senderArn(model, source) ?? `<ARN of ${delivery.sender?.id ?? show(delivery.senderSym)}>`,
      },
    },
  };
  return makeFinding(
    awsManagedKeyBlocksDeliveryRule,
    placeOf(key),
    `${target.id} ${receives(delivery)} and is encrypted with KMS key ${key.id}, but ${gap}: the service cannot encrypt what it writes, and the messages are lost.`,
    `Add this statement to the key policy of ${key.id}: ${JSON.stringify(statement)}.`,
  );
}

/** `receives from target T of rule R` or `is the dead-letter queue of …`. */
function receives(delivery: Delivery): string {
  return delivery.kind === 'dlq'
    ? `is the dead-letter queue of ${delivery.label}`
    : `receives from ${delivery.label}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
