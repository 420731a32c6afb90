import { isObject, isRef, isUnknown, type Sym } from '../model.js';

/**
 * Three-valued answers for policy questions on symbolic templates: a value the reader could not
 * know (a parameter, an import, "known after apply") makes the answer `unknown`, never `no`, so that
 * a rule only reports what it can show.
 */
export type Tri = 'yes' | 'no' | 'unknown';

/** True when any answer is yes; unknown when none is yes but one is unknown. */
export function anyTri(answers: Iterable<Tri>): Tri {
  let result: Tri = 'no';
  for (const answer of answers) {
    if (answer === 'yes') return 'yes';
    if (answer === 'unknown') result = 'unknown';
  }
  return result;
}

/** True when every answer is yes; no as soon as one is no. */
export function allTri(answers: Iterable<Tri>): Tri {
  let result: Tri = 'yes';
  for (const answer of answers) {
    if (answer === 'no') return 'no';
    if (answer === 'unknown') result = 'unknown';
  }
  return result;
}

export function notTri(answer: Tri): Tri {
  return answer === 'yes' ? 'no' : answer === 'no' ? 'yes' : 'unknown';
}

/** A policy element that may be one value or a list of them (Action, Resource, condition values…). */
export function items(value: Sym | undefined): Sym[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A policy document as symbols; Terraform and live readers may hand it over as a JSON string. */
export function documentOf(document: Sym | undefined): Sym | undefined {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document) as Sym;
  } catch {
    return { $unknown: 'the policy document is not valid JSON' };
  }
}

/** The value of `key` in an object, matched case-insensitively as IAM reads element names. */
export function field(value: Sym | undefined, key: string): Sym | undefined {
  if (!isObject(value)) return undefined;
  const wanted = key.toLowerCase();
  for (const [name, entry] of Object.entries(value)) {
    if (name.toLowerCase() === wanted) return entry;
  }
  return undefined;
}

/** Whether a symbol carries anything the reader could not resolve, and why. */
export function unknownReason(value: Sym | undefined): string | undefined {
  if (isUnknown(value)) return value.param ? `${value.$unknown} (parameter ${value.param})` : value.$unknown;
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unknownReason(item);
      if (reason) return reason;
    }
  }
  return undefined;
}

/**
 * IAM's wildcard match: `*` any run of characters, `?` one character. Case-insensitive for actions
 * and service principals, case-sensitive for ARNs.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

/** `${AWS::AccountId}`, `${AWS::Region}`… kept by the readers inside strings. */
export const PSEUDO = /\$\{[^}]+\}/;

/** A literal 12-digit account id, or undefined when the string carries none (or a pseudo parameter). */
export function literalAccount(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{12}$/.test(value) ? value : undefined;
}

/** The account field of a literal ARN, when it is a 12-digit literal. */
export function arnAccount(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : literalAccount(arnFields(arn)?.[4]);
}

/**
 * Compares an ARN pattern (from a policy) with an ARN (of a resource), field by field. Both may
 * carry pseudo parameters: the same pseudo parameter on both sides is the same value (one stack),
 * a pseudo parameter against a literal cannot be decided.
 */
export function arnMatch(pattern: string, arn: string, wildcards: boolean): Tri {
  if (pattern === arn) return 'yes';
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) {
    if (PSEUDO.test(pattern) || PSEUDO.test(arn)) return 'unknown';
    return wildcards && wildcardMatch(pattern, arn) ? 'yes' : 'no';
  }
  const answers: Tri[] = patternParts.map((part, index) => {
    const other = arnParts[index] ?? '';
    if (part === other) return 'yes';
    if (wildcards && part === '*') return 'yes';
    if (PSEUDO.test(part) || PSEUDO.test(other)) return 'unknown';
    return wildcards && wildcardMatch(part, other) ? 'yes' : 'no';
  });
  return allTri(answers);
}

/**
 * `arn:partition:service:region:account:resource` as six fields (the resource keeps its colons).
 * Pseudo parameters such as `${AWS::AccountId}` hold colons of their own, so they are set aside
 * before splitting.
 */
export function arnFields(arn: string): string[] | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  // A fullwidth colon stands in for the colons inside pseudo parameters while splitting.
  const masked = arn.replace(/\$\{[^}]+\}/g, (pseudo) => pseudo.replace(/:/g, '\uff1a'));
  const parts = masked.split(':');
  if (parts.length < 6) return undefined;
  const restore = (part: string) => part.replace(/\uff1a/g, ':');
  return [...parts.slice(0, 5), parts.slice(5).join(':')].map(restore);
}

function splitArn(arn: string): string[] | undefined {
  return arnFields(arn);
}

/** A short rendering of a symbol for messages. */
export function show(value: Sym | undefined): string {
  if (value === undefined) return '(not set)';
  if (isRef(value)) return value.$attr ? `${value.$ref}.${value.$attr}` : value.$ref;
  if (isUnknown(value)) return value.param ? `parameter ${value.param}` : `(unknown: ${value.$unknown})`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
