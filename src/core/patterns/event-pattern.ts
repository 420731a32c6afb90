import { DocumentPattern, type JsonValue, type NumberDomain } from './operators.js';
import { compileRule, PatternSyntaxError, type RuleCompilerOptions } from './rule-compiler.js';

/**
 * EventBridge event patterns: compiled once, with EventBridge's texts for what it refuses, and an
 * index that finds the patterns one event matches among many.
 */

/** An invalid pattern; `message` is the whole text of AWS's InvalidEventPatternException. */
export class EventPatternError extends Error {
  override name = 'EventPatternError';
}

export interface EventPattern {
  /** The pattern as the caller wrote it. */
  readonly text: string;
  matches(event: JsonValue): boolean;
}

// EventBridge runs the newer Ruler: numbers within ±5e9 with six decimal places.
const EVENTBRIDGE_NUMBERS: NumberDomain = { limit: 5e9, decimals: 6 };

const EVENTBRIDGE_RULES: RuleCompilerOptions = {
  domain: EVENTBRIDGE_NUMBERS,
  or: true,
  anythingBut: new Set(['prefix', 'suffix', 'equals-ignore-case']),
  extraMatchTypes: new Set(['suffix', 'equals-ignore-case']),
};

export function compileEventPattern(text: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EventPatternError('Event pattern is not valid. Reason: Filter is not valid JSON');
  }
  try {
    const branches = compileRule(JSON.stringify(parsed), EVENTBRIDGE_RULES);
    const document = new DocumentPattern(branches, EVENTBRIDGE_NUMBERS);
    return { text, matches: (event) => document.matches(event) };
  } catch (err) {
    if (err instanceof PatternSyntaxError) {
      throw new EventPatternError(`Event pattern is not valid. Reason: ${err.message}`);
    }
    throw err;
  }
}

/** The patterns of many rules, keyed by the caller's key (a rule ARN), matched together. */
export class EventPatternIndex<K> {
  private readonly patterns = new Map<K, EventPattern>();

  add(key: K, pattern: EventPattern): void {
    this.patterns.set(key, pattern);
  }

  remove(key: K): void {
    this.patterns.delete(key);
  }

  get size(): number {
    return this.patterns.size;
  }

  /** The keys whose pattern matches the event, in the order they were added. */
  match(event: JsonValue): K[] {
    const found: K[] = [];
    for (const [key, pattern] of this.patterns) if (pattern.matches(event)) found.push(key);
    return found;
  }
}
