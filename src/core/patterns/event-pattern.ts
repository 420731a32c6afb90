import { checkJsonSyntax, JsonSyntaxError } from './event-json.js';
import { WILDCARD_TOO_COMPLEX, type WildcardGlob, wildcardComplexity } from './event-wildcard.js';
import {
  type Conjunction,
  DocumentPattern,
  type JsonValue,
  type NumberDomain,
  normalizeDocument,
} from './operators.js';
import { compileRule, PatternSyntaxError, type RuleCompilerOptions } from './rule-compiler.js';

/**
 * EventBridge event patterns: compiled once, with EventBridge's texts for what it refuses. The
 * index that matches one event against many patterns lives in event-index.ts.
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
export const EVENTBRIDGE_NUMBERS: NumberDomain = { limit: 5e9, decimals: 6 };

/**
 * Bounds of Tideway's own choosing where AWS publishes none (docs/eventbridge.md): how many
 * alternatives `$or` may expand into, and how many wildcard positions may be live at once. The
 * second is set between what AWS was recorded to accept ("/Users/*\/dir/dir/dir/dir/dir/doc.txt")
 * and to refuse ("*:*:*:*:*:event-bus/*").
 */
export const MAX_OR_BRANCHES = 1000;
export const MAX_WILDCARD_COMPLEXITY = 10;
const TOO_MANY_BRANCHES = 'Rule is too complex - try using fewer $or alternatives';

const EVENTBRIDGE_RULES: RuleCompilerOptions = {
  domain: EVENTBRIDGE_NUMBERS,
  or: true,
  anythingBut: new Set(['prefix', 'suffix', 'equals-ignore-case']),
  extraMatchTypes: new Set(['suffix', 'equals-ignore-case']),
  newerRuler: true,
  maxBranches: { count: MAX_OR_BRANCHES, reason: TOO_MANY_BRANCHES },
};

const REASON = 'Event pattern is not valid. Reason: ';

/** A compiled pattern: its `$or` alternatives, each a set of fields that must all match. */
export class CompiledEventPattern implements EventPattern {
  readonly document: DocumentPattern;

  constructor(
    readonly text: string,
    readonly branches: readonly Conjunction[],
  ) {
    this.document = new DocumentPattern(branches, EVENTBRIDGE_NUMBERS);
  }

  matches(event: JsonValue): boolean {
    return this.document.matches(event);
  }
}

export function compileEventPattern(text: string): CompiledEventPattern {
  let branches: Conjunction[];
  try {
    checkJsonSyntax(text);
    // AWS quotes the pattern as sent, so positions count in the caller's own text.
    branches = compileRule(text, EVENTBRIDGE_RULES);
  } catch (err) {
    if (err instanceof PatternSyntaxError || err instanceof JsonSyntaxError) {
      throw new EventPatternError(REASON + err.message);
    }
    throw err;
  }
  checkWildcardComplexity(branches);
  return new CompiledEventPattern(text, branches);
}

function checkWildcardComplexity(branches: readonly Conjunction[]): void {
  for (const branch of branches) {
    for (const field of branch) {
      const globs: WildcardGlob[] = [];
      for (const matcher of field.matchers) {
        if (matcher.type === 'wildcard') globs.push(matcher.glob);
        else if (matcher.type === 'anything-but-wildcard') globs.push(...matcher.globs);
      }
      if (globs.length > 0 && wildcardComplexity(globs, MAX_WILDCARD_COMPLEXITY) > MAX_WILDCARD_COMPLEXITY) {
        throw new EventPatternError(REASON + WILDCARD_TOO_COMPLEX);
      }
    }
  }
}

export { EventPatternIndex } from './event-index.js';
export { normalizeDocument };
