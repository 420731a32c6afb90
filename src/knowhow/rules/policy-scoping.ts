import type { Sym } from '../model.js';
import { conditionKeys } from './policy-conditions.js';
import type { PolicyStatement } from './policy-statements.js';
import { arnFields, items } from './policy-values.js';

/** How far a statement's conditions tie a service principal to one source. */
export interface SourceScope {
  /** aws:SourceArn is set. */
  arn: boolean;
  /** aws:SourceArn names sources of one account (or values the template resolves at deploy). */
  arnInAccount: boolean;
  /** aws:SourceAccount (or SNS's older AWS:SourceOwner) names an account. */
  account: boolean;
  /** aws:SourceOrgID or aws:SourceOrgPaths names an organization. */
  org: boolean;
}

export function sourceScope(statement: PolicyStatement): SourceScope {
  const keys = conditionKeys(statement.condition);
  const arnValues = keys.get('aws:sourcearn');
  const accountValues = [...(keys.get('aws:sourceaccount') ?? []), ...(keys.get('aws:sourceowner') ?? [])];
  return {
    arn: arnValues !== undefined && arnValues.length > 0,
    arnInAccount: arnValues !== undefined && arnValues.length > 0 && arnValues.every(arnNamesAccount),
    account: accountValues.length > 0 && accountValues.every((value) => value !== '*'),
    org: keys.has('aws:sourceorgid') || keys.has('aws:sourceorgpaths'),
  };
}

/**
 * A literal SourceArn scopes only when its account field names one; references and deploy-time
 * values do (they are the stack's own resources).
 */
function arnNamesAccount(value: Sym): boolean {
  if (typeof value !== 'string') return value !== null;
  const parts = arnFields(value);
  if (!parts) return false;
  const account = parts[4] ?? '';
  return account !== '' && account !== '*';
}

/** The service principals (`*.amazonaws.com`) an Allow statement grants, lower-cased. */
export function servicePrincipals(statement: PolicyStatement): string[] {
  const principal = statement.principal;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return [];
  const services = (principal as Record<string, Sym>).Service;
  return items(services)
    .filter(
      (item): item is string => typeof item === 'string' && item.toLowerCase().endsWith('.amazonaws.com'),
    )
    .map((item) => item.toLowerCase());
}

/** Whether the scope is enough for that principal: S3 needs both keys, because bucket ARNs carry no account. */
export function scoped(service: string, scope: SourceScope): boolean {
  if (service === 's3.amazonaws.com') return scope.arn && (scope.account || scope.org);
  return scope.arnInAccount || scope.account || scope.org;
}
