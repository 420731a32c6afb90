import { randomUUID } from 'node:crypto';
import { DatePatternError, formatDate } from './date-pattern.js';

/** The layout Firehose appends to a Prefix that holds no `!{timestamp:…}` expression. */
export const DEFAULT_TIME_LAYOUT = '!{timestamp:yyyy/MM/dd/HH/}';

/** What `!{firehose:error-output-type}` evaluates to, by the reason records failed. */
export type ErrorOutputType = 'processing-failed' | 'http-endpoint-failed' | 'format-conversion-failed';

/** What one evaluation of a prefix knows: one instant and one error type for every expression in it. */
export interface PrefixContext {
  /** Epoch ms: the approximate arrival of the oldest record in the object. */
  time: number;
  /** CustomTimeZone; UTC without one. */
  timeZone?: string;
  errorOutputType?: ErrorOutputType;
  /** The record's keys from MetadataExtraction (dynamic partitioning). */
  partitionKeysFromQuery?: Readonly<Record<string, string>>;
}

/** A prefix that cannot be evaluated for these records: they go to the error output instead. */
export class PrefixEvaluationError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

const EXPRESSION = /!\{([^:}]*):([^}]*)\}/g;

/** The Prefix Firehose evaluates: with the default time layout appended when it has no timestamp. */
export function effectivePrefix(prefix: string | undefined, dynamicPartitioning: boolean): string {
  const value = prefix ?? '';
  // Dynamic partitioning delivers to exactly the prefix its keys build.
  if (dynamicPartitioning || /!\{timestamp:/.test(value)) return value;
  return value + DEFAULT_TIME_LAYOUT;
}

/**
 * The ErrorOutputPrefix Firehose evaluates. Without one (allowed only when Prefix holds no
 * expressions) failed records go under `<Prefix><error-output-type>/yyyy/MM/dd/HH/`.
 */
export function effectiveErrorPrefix(
  prefix: string | undefined,
  errorOutputPrefix: string | undefined,
): string {
  if (errorOutputPrefix) return errorOutputPrefix;
  return `${prefix ?? ''}!{firehose:error-output-type}/${DEFAULT_TIME_LAYOUT}`;
}

/** The keys a prefix reads from MetadataExtraction, in order of appearance. */
export function partitionKeysOf(prefix: string): string[] {
  const keys: string[] = [];
  for (const match of prefix.matchAll(EXPRESSION)) {
    if (match[1] === 'partitionKeyFromQuery' && !keys.includes(match[2])) keys.push(match[2]);
  }
  return keys;
}

/** Eleven random characters, as `!{firehose:random-string}` gives (a UUID's head, as AWS shows). */
export function randomString(): string {
  return randomUUID().slice(0, 11);
}

/** Evaluates every `!{namespace:value}` of a prefix. */
export function evaluatePrefix(template: string, context: PrefixContext): string {
  return template.replace(EXPRESSION, (_whole, namespace: string, value: string) => {
    switch (namespace) {
      case 'timestamp':
        try {
          return formatDate(context.time, value, context.timeZone);
        } catch (err) {
          if (err instanceof DatePatternError) {
            throw new PrefixEvaluationError(
              'S3.InvalidPrefix',
              `Invalid timestamp expression: ${err.message}`,
            );
          }
          throw err;
        }
      case 'firehose':
        if (value === 'random-string') return randomString();
        if (value === 'error-output-type') {
          if (context.errorOutputType) return context.errorOutputType;
          throw new PrefixEvaluationError(
            'S3.InvalidPrefix',
            'The error-output-type value can only be used in the ErrorOutputPrefix field.',
          );
        }
        throw new PrefixEvaluationError('S3.InvalidPrefix', `Unknown firehose namespace value: ${value}`);
      case 'partitionKeyFromQuery': {
        const key = context.partitionKeysFromQuery?.[value];
        if (key === undefined) {
          throw new PrefixEvaluationError(
            'DynamicPartitioning.MetadataExtractionFailed',
            `partitionKeyFromQuery:${value} was not found in the metadata extracted from the record.`,
          );
        }
        return key;
      }
      case 'partitionKeyFromLambda':
        throw new PrefixEvaluationError(
          'Lambda.NotSupported',
          `partitionKeyFromLambda:${value} needs a Lambda transformation, and Tideway runs no Lambda functions.`,
        );
      default:
        throw new PrefixEvaluationError('S3.InvalidPrefix', `Unknown namespace: ${namespace}`);
    }
  });
}
