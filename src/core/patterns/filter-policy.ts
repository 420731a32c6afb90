import {
  type Conjunction,
  DocumentPattern,
  type JsonValue,
  matchesField,
  type NumberDomain,
} from './operators.js';
import { compileRule, OR_ERRORS, PatternSyntaxError, type RuleCompilerOptions } from './rule-compiler.js';

/**
 * Amazon SNS subscription filter policies: parsing with SNS's limits and error texts, and matching against
 * message attributes or the message body. The operators themselves live in operators.ts.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export class FilterPolicyError extends Error {
  override name = 'FilterPolicyError';

  /**
   * @param message AWS's text after the "Invalid parameter: FilterPolicy: " lead
   * @param underFilterPolicy false for the one error AWS words without that lead: "Invalid parameter: " + message
   */
  constructor(
    message: string,
    readonly underFilterPolicy = true,
  ) {
    super(message);
  }
}

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
  /** Alternatives (from `$or`), each a set of fields that must all match. */
  readonly branches: readonly Conjunction[];
}

export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

// "Filter policy constraints in Amazon SNS": numbers from -1e9 to 1e9 with five decimal places.
const SNS_NUMBERS: NumberDomain = { limit: 1e9, decimals: 5 };
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

// SNS runs an older Ruler than EventBridge: recorded AWS responses refuse {"anything-but": {"suffix": ...}}
// with "Unsupported anything-but pattern: suffix", and its prefix texts predate the combined wording.
const SNS_RULES: RuleCompilerOptions = {
  domain: SNS_NUMBERS,
  or: true,
  anythingBut: new Set(['prefix']),
  extraMatchTypes: new Set(['suffix', 'equals-ignore-case']),
};

interface CompiledPolicy extends FilterPolicy {
  readonly document?: DocumentPattern;
}

export function parseFilterPolicy(json: string, scope: FilterPolicyScope): FilterPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new FilterPolicyError('failed to parse JSON.');
  }
  // AWS re-serializes the policy before compiling it: its error positions count in the compact form.
  const compact = JSON.stringify(parsed);
  const branches = compileSns(compact);

  if (scope === 'MessageAttributes' && branches.some((branch) => branch.some((f) => f.path.length > 1))) {
    throw new FilterPolicyError(
      'Filter policy scope MessageAttributes does not support nested filter policy',
      false,
    );
  }
  if (branches.some((branch) => branch.length > MAX_KEYS)) {
    throw new FilterPolicyError(`Filter policy can not have more than ${MAX_KEYS} keys`);
  }
  if (combinations(branches) > MAX_COMBINATIONS) throw new FilterPolicyError('Filter policy is too complex');

  const policy: CompiledPolicy = {
    scope,
    branches,
    document: scope === 'MessageBody' ? new DocumentPattern(branches, SNS_NUMBERS) : undefined,
  };
  return policy;
}

function compileSns(compact: string): Conjunction[] {
  try {
    return compileRule(compact, SNS_RULES);
  } catch (err) {
    if (!(err instanceof PatternSyntaxError)) throw err;
    // "Amazon SNS only recognizes an $or relationship when …; when these conditions are not met, $or is
    // treated as a regular attribute name" (SNS guide, AND/OR logic).
    if (OR_ERRORS.has(err.reason) || err.reason.endsWith('cannot be used inside $or.')) {
      try {
        return compileRule(compact, { ...SNS_RULES, or: false });
      } catch (plain) {
        if (plain instanceof PatternSyntaxError) throw new FilterPolicyError(plain.message);
        throw plain;
      }
    }
    throw new FilterPolicyError(err.message);
  }
}

/**
 * The SNS guide's "total combination of values": per branch, the product over its fields of the number of
 * values times the field's nesting depth (its example counts a three-level key with four values as 3 x 4),
 * summed over the `$or` branches.
 */
function combinations(branches: readonly Conjunction[]): number {
  let total = 0;
  for (const branch of branches) {
    let product = 1;
    for (const field of branch) product *= field.matchers.length * field.path.join('.').split('.').length;
    total += product;
  }
  return total;
}

export function matchesAttributes(
  policy: FilterPolicy,
  attributes: Record<string, SnsAttribute> | undefined,
): boolean {
  const values = attributeValues(attributes ?? {});
  return policy.branches.some((branch) =>
    branch.every((field) => {
      const name = field.path[0];
      return matchesField(
        field.matchers,
        Object.hasOwn(values, name) ? values[name] : undefined,
        SNS_NUMBERS,
      );
    }),
  );
}

export function matchesBody(policy: FilterPolicy, body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const document = (policy as CompiledPolicy).document ?? new DocumentPattern(policy.branches, SNS_NUMBERS);
  return document.matches(parsed as JsonValue);
}

/** Message attributes as the JSON values a filter sees: strings, numbers, and the elements of String.Array. */
function attributeValues(attributes: Record<string, SnsAttribute>): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = Object.create(null);
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = attributeValue(attribute);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function attributeValue(attribute: SnsAttribute): JsonValue | undefined {
  const text = attribute.StringValue;
  // Custom type labels ("Number.float") keep their base type's meaning.
  const type = attribute.DataType === 'String.Array' ? 'String.Array' : attribute.DataType.split('.')[0];
  if (text === undefined) return undefined;
  switch (type) {
    case 'String':
      return text;
    case 'Number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'String.Array':
      try {
        const array: unknown = JSON.parse(text);
        return Array.isArray(array) ? (array as JsonValue[]) : text;
      } catch {
        return text;
      }
    default:
      // "Amazon SNS ignores message attributes with the Binary data type."
      return undefined;
  }
}
