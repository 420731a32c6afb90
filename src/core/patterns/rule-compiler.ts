import { parseWildcard, WildcardError, type WildcardGlob } from './event-wildcard.js';
import { CidrError, parseCidr } from './ip.js';
import {
  type Bound,
  type Conjunction,
  comparableNumber,
  type FieldCondition,
  type JsonScalar,
  type Matcher,
  type NumberDomain,
} from './operators.js';

/**
 * Compiles a pattern in AWS's Ruler language into branches of field conditions, failing with Ruler's own
 * texts. AWS reports most of them from a streaming JSON parser, with the parser's position appended
 * (`\n at [Source: (String)"…"; line: 1, column: N]`), so this walks tokens in the order Ruler does and
 * tracks that position the way Jackson reports it; no JSON library exposes those positions, hence by hand.
 */

export interface RuleCompilerOptions {
  domain: NumberDomain;
  /** Whether `$or` introduces alternatives; when false it is an ordinary key. */
  or: boolean;
  /** Operators `anything-but` may wrap in an object, e.g. {"anything-but": {"prefix": "x"}}. */
  anythingBut: ReadonlySet<'prefix' | 'suffix' | 'equals-ignore-case'>;
  /** Match types beyond the core set (prefix, numeric, anything-but, exists, cidr), e.g. 'suffix'. */
  extraMatchTypes: ReadonlySet<'suffix' | 'equals-ignore-case'>;
  /**
   * The newer Ruler EventBridge runs: `wildcard` (also inside anything-but), lists of prefixes,
   * suffixes and wildcards inside anything-but, {"prefix"|"suffix": {"equals-ignore-case": …}}, and
   * the texts that version words differently ("prefix/suffix match pattern must be a string").
   */
  newerRuler?: boolean;
  /** The most alternatives `$or` may expand a pattern into, and the text past it (no position). */
  maxBranches?: { count: number; reason: string };
}

export class PatternSyntaxError extends Error {
  override name = 'PatternSyntaxError';

  /**
   * @param reason Ruler's text alone
   * @param column where the parser stood (1-based), when AWS reports a position
   */
  constructor(
    readonly reason: string,
    readonly source: string,
    readonly column?: number,
    /** Errors raised inside an anything-but list pass through a second handler that adds the location again. */
    located = 1,
  ) {
    const at = column === undefined ? '' : `\n at ${sourceLocation(source, column)}`;
    super(reason + at.repeat(located));
  }
}

// Jackson (2.9 to 2.12) quotes at most 500 characters of the source in a location.
const SOURCE_SNIPPET = 500;

/** Jackson's location text for the parser standing after `consumed` characters of the source. */
export function sourceLocation(source: string, column: number): string {
  const consumed = column - 1;
  const shown = source.length > SOURCE_SNIPPET ? source.slice(0, SOURCE_SNIPPET) : source;
  const truncated =
    source.length > SOURCE_SNIPPET ? `[truncated ${source.length - SOURCE_SNIPPET} chars]` : '';
  const lineStart = source.lastIndexOf('\n', consumed - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < consumed; i = source.indexOf('\n', i + 1)) line++;
  return `[Source: (String)"${shown}"${truncated}; line: ${line}, column: ${consumed - lineStart + 1}]`;
}

/** Texts of the `$or` errors, after which AWS SNS reads `$or` as an ordinary key instead. */
export const OR_ERRORS: ReadonlySet<string> = new Set([
  'It must be an Array followed with $or.',
  'Only JSON object is allowed in array of $or relationship.',
  'There must have at least 2 Objects in $or relationship.',
]);

const OR_KEY = '$or';

// Names Ruler refuses as keys inside `$or` branches: its operators, and words kept for future ones.
const RESERVED_IN_OR = new Set([
  'exact',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-range',
]);

// ---------------------------------------------------------------------------------------------------------
// Tokens of a JSON text already known to be valid (whitespace between tokens is skipped)

type TokenKind = '{' | '}' | '[' | ']' | 'field' | 'string' | 'number' | 'true' | 'false' | 'null';

interface Token {
  kind: TokenKind;
  /** The decoded string, field name, or number text. */
  text: string;
  start: number;
  end: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ',' || c === ':' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '{' || c === '}' || c === '[' || c === ']') {
      tokens.push({ kind: c, text: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      const text = JSON.parse(source.slice(i, j + 1)) as string;
      let after = j + 1;
      while (/\s/.test(source[after] ?? '')) after++;
      tokens.push({ kind: source[after] === ':' ? 'field' : 'string', text, start: i, end: j + 1 });
      i = j + 1;
    } else {
      const literal = /^(?:true|false|null|-?[0-9.eE+-]+)/.exec(source.slice(i, i + 400))![0];
      const kind = literal === 'true' || literal === 'false' || literal === 'null' ? literal : 'number';
      tokens.push({ kind, text: literal, start: i, end: i + literal.length });
      i += literal.length;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------
// The compiler

type Branch = Map<string, FieldCondition>;

class Compiler {
  private readonly tokens: Token[];
  private index = -1;
  /** Jackson reads a string's body only when asked for its text; until then it stands after the quote. */
  private textRead = false;
  /** How deep in anything-but lists the parser is (see `fail`). */
  private listDepth = 0;

  constructor(
    private readonly source: string,
    private readonly options: RuleCompilerOptions,
  ) {
    this.tokens = tokenize(source);
  }

  compile(): Conjunction[] {
    const branches: Branch[] = [];
    if (this.next().kind !== '{') this.fail('Filter is not an object');
    this.parseObject(branches, [], false);
    return branches.map((branch) => [...branch.values()]);
  }

  private next(): Token {
    this.index++;
    this.textRead = false;
    return this.current();
  }

  private current(): Token {
    return (
      this.tokens[this.index] ?? { kind: '}', text: '', start: this.source.length, end: this.source.length }
    );
  }

  private text(): string {
    this.textRead = true;
    return this.current().text;
  }

  /** 1-based column after what the parser has consumed. */
  private column(): number {
    let token = this.current();
    // A field name comes with the first part of its value already read.
    if (token.kind === 'field') token = this.tokens[this.index + 1] ?? token;
    const consumed =
      token.kind === 'string' && !(this.textRead && token === this.current()) ? token.start + 1 : token.end;
    return consumed + 1;
  }

  /** `located` is 2 inside anything-but lists, where Ruler's second handler repeats the location. */
  private fail(reason: string, located = this.listDepth > 0 && this.options.newerRuler ? 2 : 1): never {
    throw new PatternSyntaxError(reason, this.source, this.column(), located);
  }

  private parseObject(branches: Branch[], path: string[], insideOr: boolean): void {
    let fieldsPresent = false;
    while (this.next().kind !== '}') {
      fieldsPresent = true;
      const name = this.current().text;
      if (this.options.or && name === OR_KEY) {
        this.parseOr(branches, path);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(name)) {
        this.fail(`${name} is Ruler reserved fieldName which cannot be used inside ${OR_KEY}.`);
      }
      const value = this.next();
      if (value.kind === '{') this.parseObject(branches, [...path, name], insideOr);
      else if (value.kind === '[') this.parseField(branches, [...path, name]);
      else this.fail(`"${name}" must be an object or an array`);
    }
    if (!fieldsPresent) this.fail('Empty objects are not allowed');
  }

  private parseOr(branches: Branch[], path: string[]): void {
    const before = branches.map((branch) => new Map(branch));
    branches.length = 0;
    if (this.next().kind !== '[') this.fail(`It must be an Array followed with ${OR_KEY}.`);
    let alternatives = 0;
    while (this.next().kind !== ']') {
      alternatives++;
      if (this.current().kind !== '{') {
        this.fail(`Only JSON object is allowed in array of ${OR_KEY} relationship.`);
      }
      const forked = before.length > 0 ? before.map((branch) => new Map(branch)) : [new Map()];
      this.parseObject(forked, path, true);
      branches.push(...forked);
      const cap = this.options.maxBranches;
      if (cap && branches.length > cap.count) throw new PatternSyntaxError(cap.reason, this.source);
    }
    if (alternatives < 2) this.fail(`There must have at least 2 Objects in ${OR_KEY} relationship.`);
  }

  private parseField(branches: Branch[], path: string[]): void {
    const matchers: Matcher[] = [];
    while (this.next().kind !== ']') {
      const token = this.current();
      switch (token.kind) {
        case '{':
          matchers.push(this.parseMatchExpression());
          break;
        case 'string':
          matchers.push({ type: 'equals', value: this.text() });
          break;
        case 'number':
          matchers.push({ type: 'equals', value: Number(token.text) });
          break;
        case 'true':
        case 'false':
        case 'null':
          matchers.push({ type: 'equals', value: JSON.parse(token.text) as JsonScalar });
          break;
        default:
          this.fail('Match value must be String, number, true, false, or null');
      }
    }
    if (matchers.length === 0) this.fail('Empty arrays are not allowed');
    if (branches.length === 0) branches.push(new Map());
    // Like Ruler's map per branch, a path given twice keeps its last conditions.
    for (const branch of branches) branch.set(JSON.stringify(path), { path, matchers });
  }

  private parseMatchExpression(): Matcher {
    if (this.next().kind !== 'field') this.fail('Match expression name not found');
    const type = this.current().text;
    const newer = this.options.newerRuler === true;
    switch (type) {
      case 'prefix':
        return newer ? this.affixOperand('prefix') : this.stringOperand('prefix');
      case 'suffix':
        if (!this.options.extraMatchTypes.has(type)) break;
        return newer ? this.affixOperand('suffix') : this.stringOperand('suffix');
      case 'equals-ignore-case':
        if (!this.options.extraMatchTypes.has(type)) break;
        return this.stringOperand(type);
      case 'wildcard': {
        if (!newer) break;
        if (this.next().kind !== 'string') this.fail('wildcard match pattern must be a string');
        const glob = this.wildcard(this.text());
        this.endOfExpression('Only one key allowed in match expression');
        return { type: 'wildcard', glob };
      }
      case 'numeric':
        return this.parseNumeric();
      case 'anything-but':
        return this.parseAnythingBut();
      case 'exists': {
        const value = this.next().kind;
        if (value !== 'true' && value !== 'false')
          this.fail('exists match pattern must be either true or false.');
        this.endOfExpression('Only one key allowed in match expression');
        return { type: 'exists', value: value === 'true' };
      }
      case 'cidr': {
        // Ruler's text for a non-string CIDR really does say "prefix".
        if (this.next().kind !== 'string') this.fail('prefix match pattern must be a string');
        const text = this.text();
        let range: ReturnType<typeof parseCidr>;
        try {
          range = parseCidr(text);
        } catch (err) {
          // Ruler lets these escape without a parser position.
          if (err instanceof CidrError) throw new PatternSyntaxError(err.message, this.source);
          throw err;
        }
        this.endOfExpression('Only one key allowed in match expression');
        return { type: 'cidr', range };
      }
    }
    return this.fail(`Unrecognized match type ${type}`);
  }

  private stringOperand(type: 'prefix' | 'suffix' | 'equals-ignore-case'): Matcher {
    if (this.next().kind !== 'string') this.fail(`${type} match pattern must be a string`);
    const value = this.text();
    this.endOfExpression('Only one key allowed in match expression');
    return { type, value };
  }

  /** A prefix or suffix, which the newer Ruler also takes as {"equals-ignore-case": "…"}. */
  private affixOperand(type: 'prefix' | 'suffix'): Matcher {
    const operand = this.next().kind;
    if (operand === '{') {
      if (this.next().kind !== 'field' || this.current().text !== 'equals-ignore-case') {
        this.fail(`${type} match pattern must be a string`);
      }
      if (this.next().kind !== 'string') this.fail('equals-ignore-case match pattern must be a string');
      const value = this.text();
      this.endOfExpression('Only one key allowed in match expression');
      this.endOfExpression('Only one key allowed in match expression');
      return { type: type === 'prefix' ? 'prefix-ignore-case' : 'suffix-ignore-case', value };
    }
    if (operand !== 'string') this.fail(`${type} match pattern must be a string`);
    const value = this.text();
    this.endOfExpression('Only one key allowed in match expression');
    return { type, value };
  }

  private wildcard(text: string): WildcardGlob {
    try {
      return parseWildcard(text);
    } catch (err) {
      if (err instanceof WildcardError) {
        // Ruler reports a bad escape or doubled star where the parser stands, a complex one without.
        if (err.located) this.fail(err.message);
        throw new PatternSyntaxError(err.message, this.source);
      }
      throw err;
    }
  }

  private endOfExpression(reason: string): void {
    if (this.next().kind !== '}') this.fail(reason);
  }

  private endOfArray(reason: string): void {
    if (this.next().kind !== ']') this.fail(reason);
  }

  private parseAnythingBut(): Matcher {
    let operand = this.next();
    let ignoreCase = false;
    if (operand.kind === '{') {
      if (this.next().kind !== 'field') this.fail('Anything-But expression name not found');
      const inner = this.current().text;
      if (inner === 'equals-ignore-case' && this.options.anythingBut.has(inner)) {
        ignoreCase = true;
        operand = this.next();
      } else if (
        this.options.newerRuler &&
        (inner === 'prefix' || inner === 'suffix' || inner === 'wildcard')
      ) {
        return this.anythingButPatterns(inner);
      } else {
        if ((inner !== 'prefix' && inner !== 'suffix') || !this.options.anythingBut.has(inner)) {
          this.fail(`Unsupported anything-but pattern: ${inner}`);
        }
        if (this.next().kind !== 'string') this.fail(`${inner} match pattern must be a string`);
        const value = this.text();
        if (value === '') this.fail(`Null ${inner} not allowed`);
        this.endOfExpression('Only one key allowed in match expression');
        this.endOfExpression('Only one key allowed in match expression');
        return { type: inner === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', values: [value] };
      }
    }
    const kind = operand.kind;
    if (kind !== '[' && kind !== 'string' && kind !== 'number') {
      this.fail('Value of anything-but must be an array or single string/number value.');
    }
    const matcher = ignoreCase ? this.anythingButIgnoreCase(kind) : this.anythingButValues(kind);
    this.endOfExpression('Too many elements in numeric expression');
    if (ignoreCase) this.endOfExpression('Too many elements in numeric expression');
    return matcher;
  }

  /** The newer Ruler's {"anything-but": {"prefix"|"suffix"|"wildcard": one or a list}}. */
  private anythingButPatterns(inner: 'prefix' | 'suffix' | 'wildcard'): Matcher {
    const mustBeString =
      inner === 'wildcard'
        ? 'wildcard match pattern must be a string'
        : 'prefix/suffix match pattern must be a string';
    const operand = this.next().kind;
    const texts: string[] = [];
    const take = () => {
      const text = this.text();
      if (inner !== 'wildcard' && text === '') this.fail('Null prefix/suffix not allowed');
      texts.push(text);
    };
    if (operand === '[') {
      this.listDepth++;
      while (this.next().kind !== ']') {
        if (this.current().kind !== 'string') this.fail(mustBeString);
        take();
      }
      this.listDepth--;
    } else if (operand === 'string') {
      take();
    } else if (operand === '{') {
      this.fail('Value of anything-but must be an array or single string/number value.');
    } else {
      this.fail(mustBeString);
    }
    this.endOfExpression('Only one key allowed in match expression');
    this.endOfExpression('Only one key allowed in match expression');
    if (inner === 'wildcard') {
      return { type: 'anything-but-wildcard', globs: texts.map((text) => this.wildcard(text)) };
    }
    return { type: inner === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', values: texts };
  }

  private anythingButValues(kind: TokenKind): Matcher {
    if (kind !== '[') {
      const value = kind === 'string' ? this.text() : this.number(false);
      return { type: 'anything-but', values: [value] };
    }
    const values: (string | number)[] = [];
    let strings = 0;
    this.listDepth++;
    while (this.next().kind !== ']') {
      const item = this.current().kind;
      if (item === 'string') {
        values.push(this.text());
        strings++;
      } else if (item === 'number') {
        values.push(this.number(true));
      } else {
        this.fail('Inside anything but list, start|null|boolean is not supported.');
      }
    }
    this.listDepth--;
    if (values.length === 0 || (strings > 0 && strings < values.length)) {
      this.fail(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return { type: 'anything-but', values };
  }

  private anythingButIgnoreCase(kind: TokenKind): Matcher {
    if (kind !== '[') {
      if (kind !== 'string') {
        this.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      }
      return { type: 'anything-but-ignore-case', values: [this.text()] };
    }
    const values: string[] = [];
    this.listDepth++;
    while (this.next().kind !== ']') {
      if (this.current().kind !== 'string') {
        // The newer Ruler fixed the spelling of "numberic".
        const number = this.options.newerRuler ? 'number' : 'numberic';
        this.fail(
          `Inside anything-but/equals-ignore-case list, ${number}|start|null|boolean is not supported.`,
        );
      }
      values.push(this.text());
    }
    this.listDepth--;
    return { type: 'anything-but-ignore-case', values };
  }

  /** The current number token, checked against the domain as Ruler does when it encodes one. */
  private number(located: boolean): number {
    const value = Number(this.current().text);
    this.checkDomain(value, located);
    return value;
  }

  private checkDomain(value: number, located = true): void {
    if (comparableNumber(value, this.options.domain) !== undefined) return;
    const { limit } = this.options.domain;
    const reason = `Value must be between ${javaDouble(-limit)} and ${javaDouble(limit)}, inclusive`;
    if (located) this.fail(reason);
    throw new PatternSyntaxError(reason, this.source);
  }

  private parseNumeric(): Matcher {
    if (this.next().kind !== '[') this.fail('Value of numeric must be an array.');
    const matcher = this.parseNumericTerms();
    this.endOfExpression('Too many elements in numeric expression');
    return matcher;
  }

  private parseNumericTerms(): Matcher {
    if (this.next().kind !== 'string') this.fail(`Invalid member in numeric match: ${this.current().text}`);
    const operator = this.text();
    const operand = this.next();
    const operandValue = () => {
      if (operand.kind !== 'number')
        this.fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
      return Number(operand.text);
    };
    switch (operator) {
      case '=': {
        const value = operandValue();
        this.endOfArray('Too many elements in numeric expression');
        this.checkDomain(value);
        return { type: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
      }
      case '<':
      case '<=': {
        const value = operandValue();
        this.endOfArray('Too many elements in numeric expression');
        this.checkDomain(value);
        return { type: 'numeric', upper: { value, inclusive: operator === '<=' } };
      }
      case '>':
      case '>=': {
        const lower: Bound = { value: operandValue(), inclusive: operator === '>=' };
        if (this.next().kind === ']') {
          this.checkDomain(lower.value);
          return { type: 'numeric', lower };
        }
        return this.completeRange(lower);
      }
    }
    return this.fail(`Unrecognized numeric range operator: ${operator}`);
  }

  private completeRange(lower: Bound): Matcher {
    if (this.current().kind !== 'string') this.fail(`Bad value in numeric range: ${this.current().text}`);
    const operator = this.text();
    if (operator !== '<' && operator !== '<=') this.fail(`Bad numeric range operator: ${operator}`);
    const top = this.next();
    if (top.kind !== 'number') this.fail(`Value of ${operator} must be numeric`);
    const upper: Bound = { value: Number(top.text), inclusive: operator === '<=' };
    if (this.next().kind !== ']') this.fail('Too many terms in numeric range expression');
    this.checkDomain(lower.value);
    this.checkDomain(upper.value);
    if (lower.value >= upper.value) this.fail('Bottom must be less than top');
    return { type: 'numeric', lower, upper };
  }
}

/** Java's Double.toString for the round limits used here, e.g. -1.0E9. */
function javaDouble(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) return Number.isInteger(value) ? value.toFixed(1) : String(value);
  const exponent = Math.floor(Math.log10(magnitude));
  const mantissa = value / 10 ** exponent;
  const digits = Number.isInteger(mantissa) ? mantissa.toFixed(1) : String(mantissa);
  return `${digits}E${exponent}`;
}

/**
 * Compiles a pattern already in compact JSON form (as JSON.stringify writes it: AWS reports positions in
 * its own compact re-serialization of the policy, not in the text the caller sent).
 */
export function compileRule(compactJson: string, options: RuleCompilerOptions): Conjunction[] {
  return new Compiler(compactJson, options).compile();
}
