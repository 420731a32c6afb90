import type { AttachedPolicy, Model } from '../model.js';
import { conditionsHold, type DeliverySource } from './policy-conditions.js';
import { actionCovers, type Destination, principalCovers, resourceCovers } from './policy-match.js';
import { describeStatement, type PolicyStatement, readStatements } from './policy-statements.js';
import type { Tri } from './policy-values.js';

/** A question to the policies attached to a resource (or to a role): may this caller do these actions? */
export interface GrantRequest {
  /** The service principal that calls; undefined for identity policies (a role's), which name none. */
  service?: string;
  /** Every one of them must be allowed (KMS needs both kms:GenerateDataKey* and kms:Decrypt). */
  actions: string[];
  /** What the statements must cover; undefined for key policies (their Resource is the key). */
  destination?: Destination;
  /** What the call carries into conditions. */
  source: DeliverySource;
}

export type GrantVerdict =
  | { decision: 'allowed' }
  | { decision: 'denied'; action: string; statement: string }
  | { decision: 'missing'; action: string; closest?: string }
  | { decision: 'unknown'; reason: string };

/**
 * Evaluates the request the way IAM does for one policy type: an explicit Deny wins, then any
 * Allow; nothing else is the implicit deny. What cannot be decided counts as allowing (and no
 * Deny), so that a rule reports only what it can show; the verdict then says why.
 */
export function evaluateGrant(model: Model, policies: AttachedPolicy[], request: GrantRequest): GrantVerdict {
  let unknown: GrantVerdict | undefined;
  let missing: GrantVerdict | undefined;
  for (const action of request.actions) {
    const verdict = evaluateAction(model, policies, request, action);
    if (verdict.decision === 'denied') return verdict;
    if (verdict.decision === 'missing') missing ??= verdict;
    if (verdict.decision === 'unknown') unknown ??= verdict;
  }
  return missing ?? unknown ?? { decision: 'allowed' };
}

interface StatementMatch {
  statement: PolicyStatement;
  answer: Tri;
  failed: string[];
  unknown: string[];
}

function evaluateAction(
  model: Model,
  policies: AttachedPolicy[],
  request: GrantRequest,
  action: string,
): GrantVerdict {
  let allowed = false;
  let maybe: string | undefined;
  let closest: StatementMatch | undefined;
  for (const policy of policies) {
    const read = readStatements(policy);
    if (read.unknown) maybe ??= `a statement of ${policy.from} is not known (${read.unknown})`;
    for (const statement of read.statements) {
      const match = matchStatement(model, statement, request, action);
      if (statement.effect === 'Deny') {
        if (match.answer === 'yes')
          return { decision: 'denied', action, statement: describeStatement(statement) };
        continue;
      }
      if (statement.effect === 'Allow' && match.answer === 'yes') allowed = true;
      else if (match.answer !== 'no') {
        const what = match.unknown.length > 0 ? match.unknown.join(', ') : 'its Effect';
        maybe ??= `${describeStatement(statement)} may allow it: ${what} cannot be decided`;
      } else if (statement.effect === 'Allow' && (!closest || match.failed.length < closest.failed.length)) {
        closest = match;
      }
    }
  }
  if (allowed) return { decision: 'allowed' };
  if (maybe) return { decision: 'unknown', reason: maybe };
  return {
    decision: 'missing',
    action,
    closest: closest
      ? `${describeStatement(closest.statement)} does not match its ${closest.failed.join(', ')}`
      : undefined,
  };
}

function matchStatement(
  model: Model,
  statement: PolicyStatement,
  request: GrantRequest,
  action: string,
): StatementMatch {
  const answers: [string, Tri, string?][] = [
    ['Principal', principalCovers(statement, request.service)],
    ['Action', actionCovers(statement, action)],
    ['Resource', resourceCovers(model, statement, request.destination)],
  ];
  if (request.service === undefined) {
    // Conditions of an identity policy read the caller's session, which a template does not show.
    answers.push(['Condition', statement.condition === undefined ? 'yes' : 'unknown', 'its Condition']);
  } else {
    const conditions = conditionsHold(model, statement.condition, request.source);
    answers.push(['Condition', conditions.answer, conditions.unknown]);
  }
  const failed = answers.filter(([, answer]) => answer === 'no').map(([element]) => element);
  const unknown = answers
    .filter(([, answer]) => answer === 'unknown')
    .map(([element, , why]) => why ?? `its ${element}`);
  const answer: Tri = failed.length > 0 ? 'no' : unknown.length > 0 ? 'unknown' : 'yes';
  return { statement, answer, failed, unknown };
}
