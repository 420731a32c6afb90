import { evaluatePolicy } from '../../core/policy.js';
import type { BusRecord } from './records.js';

/**
 * Whether `principalAccount` may `action` (events:PutEvents) on another account's bus, by the bus's
 * resource policy. A stand-in with the signature of bus-policy.ts's `busPolicyAllows`, written by
 * the bus-permissions part in parallel.
 * TODO(merge): once bus-policy.ts lands, make this `return busPolicyAllows(bus, principalAccount,
 * action, sourceArn)` (or import it directly where this is called) and keep one evaluation.
 */
export function busAllows(
  bus: BusRecord,
  principalAccount: string,
  action: string,
  sourceArn?: string,
): boolean {
  if (principalAccount === bus.account) return true;
  if (!bus.policy) return false;
  try {
    return (
      evaluatePolicy(bus.policy, {
        principal: { kind: 'AWS', id: principalAccount },
        action,
        resource: bus.arn,
        context:
          sourceArn === undefined
            ? {}
            : { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': principalAccount },
      }) === 'Allow'
    );
  } catch {
    return false;
  }
}
