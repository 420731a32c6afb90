import { type AttachedPolicy, isObject, isUnknown, type Sym } from '../model.js';
import { documentOf, field, items, unknownReason } from './policy-values.js';

/** One statement of a policy document, its elements still symbols. */
export interface PolicyStatement {
  /** Its position in the document, for messages. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny' | 'unknown';
  principal?: Sym;
  notPrincipal?: Sym;
  action?: Sym;
  notAction?: Sym;
  resource?: Sym;
  notResource?: Sym;
  condition?: Sym;
  /** The policy it belongs to. */
  policy: AttachedPolicy;
}

export interface ReadStatements {
  statements: PolicyStatement[];
  /** Set when the document (or its statement list) cannot be read: the policy may allow anything. */
  unknown?: string;
}

/** The statements of an attached policy, or why they cannot be read. */
export function readStatements(policy: AttachedPolicy): ReadStatements {
  const document = documentOf(policy.document);
  if (isUnknown(document)) return { statements: [], unknown: unknownReason(document) };
  if (!isObject(document)) return { statements: [], unknown: 'the policy document is not an object' };
  const list = field(document, 'Statement');
  if (isUnknown(list)) return { statements: [], unknown: unknownReason(list) };
  const statements: PolicyStatement[] = [];
  let unknown: string | undefined;
  items(list).forEach((entry, index) => {
    if (isUnknown(entry)) {
      unknown ??= unknownReason(entry);
      return;
    }
    if (!isObject(entry)) return;
    const effect = field(entry, 'Effect');
    const sid = field(entry, 'Sid');
    statements.push({
      index,
      sid: typeof sid === 'string' ? sid : undefined,
      effect: effect === 'Allow' || effect === 'Deny' ? effect : 'unknown',
      principal: field(entry, 'Principal'),
      notPrincipal: field(entry, 'NotPrincipal'),
      action: field(entry, 'Action'),
      notAction: field(entry, 'NotAction'),
      resource: field(entry, 'Resource'),
      notResource: field(entry, 'NotResource'),
      condition: field(entry, 'Condition'),
      policy,
    });
  });
  return { statements, unknown };
}

/** `statement 2 ("AllowSns") of QueuePolicy`, for messages. */
export function describeStatement(statement: PolicyStatement): string {
  const sid = statement.sid ? ` ("${statement.sid}")` : '';
  return `statement ${statement.index + 1}${sid} of ${statement.policy.from}`;
}
