/**
 * The rules Firehose applies to Prefix and ErrorOutputPrefix when a stream is created or its
 * destination updated (Firehose developer guide, "Custom prefixes for Amazon S3 objects"):
 * expressions are `!{namespace:value}` with the namespaces `timestamp`, `firehose`,
 * `partitionKeyFromQuery` and `partitionKeyFromLambda`; `firehose:` takes `error-output-type` (error
 * prefix only) or `random-string`; partition keys need dynamic partitioning and stay out of the
 * error prefix; a Prefix with expressions needs an ErrorOutputPrefix. Evaluating them is the
 * delivery pipeline's; this only says whether a configuration is accepted.
 */

export interface PrefixExpression {
  namespace: string;
  value: string;
}

/** AWS's framing of every prefix refusal, with its own spelling. */
export function prefixConstraintMessage(constraint: string): string {
  return `Ths supplied prefix(es) do not satisfy the following constraint: ${constraint}`;
}

/** The expressions of a prefix, or the constraint it breaks when one is malformed. */
export function parsePrefix(prefix: string): { expressions: PrefixExpression[] } | { error: string } {
  const expressions: PrefixExpression[] = [];
  let at = 0;
  for (;;) {
    const start = prefix.indexOf('!{', at);
    if (start < 0) break;
    const end = prefix.indexOf('}', start);
    if (end < 0) return { error: `Expression starting at position ${start} is not closed with '}'` };
    const body = prefix.slice(start + 2, end);
    if (body.includes('!{')) return { error: 'Expressions cannot be nested' };
    const colon = body.indexOf(':');
    if (colon < 0) return { error: `Expression '!{${body}}' must be of the form !{namespace:value}` };
    expressions.push({ namespace: body.slice(0, colon), value: body.slice(colon + 1) });
    at = end + 1;
  }
  return { expressions };
}

/** Java DateTimeFormatter pattern letters Firehose evaluates; quoted text passes through. */
const PATTERN_LETTERS = /^[GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp]$/;

function timestampPatternError(pattern: string): string | undefined {
  if (pattern.length === 0) return 'The timestamp namespace requires a DateTimeFormatter pattern';
  let quoted = false;
  for (const ch of pattern) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && /[a-zA-Z]/.test(ch) && !PATTERN_LETTERS.test(ch)) {
      return `Invalid timestamp format '${pattern}': unknown pattern letter '${ch}'`;
    }
  }
  if (quoted) return `Invalid timestamp format '${pattern}': unterminated quote`;
  return undefined;
}

const PARTITION_NAMESPACES = new Set(['partitionKeyFromQuery', 'partitionKeyFromLambda']);

function expressionError(e: PrefixExpression, where: 'Prefix' | 'ErrorOutputPrefix'): string | undefined {
  switch (e.namespace) {
    case 'timestamp':
      return timestampPatternError(e.value);
    case 'firehose':
      if (e.value === 'random-string') return undefined;
      if (e.value === 'error-output-type') {
        return where === 'Prefix'
          ? 'The firehose:error-output-type expression is not allowed in Prefix'
          : undefined;
      }
      return `Unknown value '${e.value}' for the firehose namespace`;
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      if (where === 'ErrorOutputPrefix') {
        return `The ${e.namespace} namespace is not allowed in ErrorOutputPrefix`;
      }
      if (e.value.length === 0) return `The ${e.namespace} namespace requires a key name`;
      return undefined;
    default:
      return `Unknown namespace '${e.namespace}'`;
  }
}

/**
 * Checks both prefixes of an S3 destination; answers the constraint broken (to be wrapped in
 * `prefixConstraintMessage`), or undefined when they are accepted.
 */
export function prefixRuleViolation(
  prefix: string | undefined,
  errorOutputPrefix: string | undefined,
  dynamicPartitioning: boolean,
): string | undefined {
  const parsedPrefix = parsePrefix(prefix ?? '');
  if ('error' in parsedPrefix) return parsedPrefix.error;
  const parsedError = parsePrefix(errorOutputPrefix ?? '');
  if ('error' in parsedError) return parsedError.error;
  for (const e of parsedPrefix.expressions) {
    const error = expressionError(e, 'Prefix');
    if (error) return error;
  }
  for (const e of parsedError.expressions) {
    const error = expressionError(e, 'ErrorOutputPrefix');
    if (error) return error;
  }
  const partitionKeys = parsedPrefix.expressions.filter((e) => PARTITION_NAMESPACES.has(e.namespace));
  if (partitionKeys.length > 0 && !dynamicPartitioning) {
    return 'Partition key expressions (partitionKeyFromQuery, partitionKeyFromLambda) require dynamic partitioning to be enabled';
  }
  if (dynamicPartitioning && partitionKeys.length === 0) {
    return 'Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression when dynamic partitioning is enabled';
  }
  if (parsedPrefix.expressions.length > 0 && !errorOutputPrefix) {
    return 'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions';
  }
  return undefined;
}
