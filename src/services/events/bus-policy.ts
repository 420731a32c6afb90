import { evaluatePolicy, PolicyError, type PolicyStatement, parsePolicy } from '../../core/policy.js';
import type { BusRecord } from './records.js';

/**
 * A bus's resource policy: the statements PutPermission writes, and the decision PutEvents (and a
 * rule in another account targeting the bus) asks for. Only the policy decides: there are no
 * identity policies, and the bus's own account is always allowed, as in AWS.
 */

/**
 * Whether the bus's policy lets `principalAccount` call `action` (`events:PutEvents`) on it.
 * `sourceArn` is the rule sending on another account's behalf (aws:SourceArn); `principalOrgId`
 * is the caller's organization, for statements PutPermission wrote with aws:PrincipalOrgID
 * (Tideway has no AWS Organizations, so without it such statements never allow).
 */
export function busPolicyAllows(
  bus: BusRecord,
  principalAccount: string,
  action: string,
  sourceArn?: string,
  principalOrgId?: string,
): boolean {
  if (principalAccount === bus.account) return true;
  if (bus.policy === undefined) return false;
  try {
    return (
      evaluatePolicy(bus.policy, {
        principal: { kind: 'AWS', id: principalAccount },
        action,
        resource: bus.arn,
        context: {
          'aws:SourceArn': sourceArn,
          'aws:SourceAccount': sourceArn === undefined ? undefined : principalAccount,
          'aws:PrincipalOrgID': principalOrgId,
        },
      }) === 'Allow'
    );
  } catch (err) {
    // A stored policy was checked when it was put; one that no longer parses allows nothing.
    if (err instanceof PolicyError) return false;
    throw err;
  }
}

/** The statement AWS writes for PutPermission's Action/Principal/StatementId/Condition form. */
export function permissionStatement(
  bus: BusRecord,
  statementId: string,
  action: string,
  principal: string,
  condition?: { Type: string; Key: string; Value: string },
): PolicyStatement {
  const statement: PolicyStatement = {
    Sid: statementId,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
    Action: action,
    Resource: bus.arn,
  };
  if (condition) statement.Condition = { [condition.Type]: { [condition.Key]: condition.Value } };
  return statement;
}

/** The statements of a stored policy (none when the bus has no policy). */
export function policyStatements(policy: string | undefined): PolicyStatement[] {
  if (policy === undefined) return [];
  const statement = parsePolicy(policy).Statement;
  return Array.isArray(statement) ? statement : [statement];
}

/** The policy text AWS keeps after a statement is added, replaced or removed; undefined when none are left. */
export function policyText(statements: PolicyStatement[]): string | undefined {
  if (statements.length === 0) return undefined;
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
