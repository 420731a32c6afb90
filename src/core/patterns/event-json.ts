import { sourceLocation } from './rule-compiler.js';

/**
 * Syntax errors in an event pattern's JSON, worded as AWS words them: its streaming parser
 * (Jackson) reports the first bad token with its own text and position, which JSON.parse does not
 * give. Only checks; the pattern compiler reads the text once it is known to be well formed.
 */

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

const EXPECTING_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export function checkJsonSyntax(source: string): void {
  new Checker(source).document();
}

class Checker {
  private i = 0;

  constructor(private readonly source: string) {}

  document(): void {
    // Jackson reads no token at all from blank text; the compiler then says "Filter is not an object".
    this.space();
    if (this.i === this.source.length) return;
    this.value();
    // Ruler stops reading at the end of the pattern's object; anything after it is refused here rather than ignored.
    this.space();
    if (this.i < this.source.length) this.value();
  }

  private fail(reason: string, consumed = this.i): never {
    throw new JsonSyntaxError(`${reason}\n at ${sourceLocation(this.source, consumed + 1)}`);
  }

  private space(): void {
    while (this.i < this.source.length && ' \t\n\r'.includes(this.source[this.i])) this.i++;
  }

  private unexpected(expecting: string): never {
    const c = this.source[this.i];
    return this.fail(`Unexpected character (${describe(c)}): ${expecting}`, this.i);
  }

  private endOfInput(container: 'Object' | 'Array', start: number): never {
    return this.fail(
      `Unexpected end-of-input: expected close marker for ${container} (start marker at ${sourceLocation(this.source, start + 1)})`,
    );
  }

  private value(): void {
    this.space();
    const c = this.source[this.i];
    if (c === undefined) this.fail(`Unexpected end-of-input: expected a valid value ${EXPECTING_VALUE}`);
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else if (/[A-Za-z_$]/.test(c)) this.literal();
    else this.unexpected(`expected a valid value ${EXPECTING_VALUE}`);
  }

  private literal(): void {
    const start = this.i;
    while (this.i < this.source.length && /[\p{L}\p{N}_$]/u.test(this.source[this.i])) this.i++;
    const word = this.source.slice(start, this.i);
    if (word === 'true' || word === 'false' || word === 'null') return;
    this.fail(`Unrecognized token '${word}': was expecting ${EXPECTING_VALUE}`);
  }

  private number(): void {
    const match = /^-?(0|[1-9][0-9]*)?(\.[0-9]*)?([eE][+-]?[0-9]*)?/.exec(this.source.slice(this.i))![0];
    const start = this.i;
    this.i += match.length;
    if (/^-?0[0-9]/.test(this.source.slice(start, start + 3))) {
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(match)) {
      const c = this.source[this.i];
      if (c === undefined) this.fail('Unexpected end-of-input in a Number value');
      this.unexpected('Expected space separating root-level values');
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.source[this.i];
      if (c === undefined)
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      this.i++;
      if (c === '"') return;
      if (c === '\\') {
        const e = this.source[this.i++];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}/.test(this.source.slice(this.i, this.i + 4))) {
            this.fail(
              'Unexpected character in a unicode escape: expected a hex-digit for character escape sequence',
            );
          }
          this.i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.fail(`Unrecognized character escape ${describe(e ?? '')}`);
        }
      } else if (c.charCodeAt(0) < 0x20) {
        this.fail(
          `Illegal unquoted character ((CTRL-CHAR, code ${c.charCodeAt(0)})): has to be escaped using backslash to be included in string value`,
        );
      }
    }
  }

  private object(): void {
    const start = this.i++;
    this.space();
    if (this.source[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.i >= this.source.length) this.endOfInput('Object', start);
      if (this.source[this.i] !== '"') this.unexpected('was expecting double-quote to start field name');
      this.string();
      this.space();
      if (this.i >= this.source.length) this.endOfInput('Object', start);
      if (this.source[this.i] !== ':')
        this.unexpected('was expecting a colon to separate field name and value');
      this.i++;
      this.value();
      this.space();
      const c = this.source[this.i];
      if (c === undefined) this.endOfInput('Object', start);
      this.i++;
      if (c === '}') return;
      if (c === ',') continue;
      this.i--;
      if (c === ']') this.closeMismatch(']', '}', 'Object', start);
      this.unexpected('was expecting comma to separate Object entries');
    }
  }

  private array(): void {
    const start = this.i++;
    this.space();
    if (this.source[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.i >= this.source.length) this.endOfInput('Array', start);
      this.value();
      this.space();
      const c = this.source[this.i];
      if (c === undefined) this.endOfInput('Array', start);
      this.i++;
      if (c === ']') return;
      if (c === ',') continue;
      this.i--;
      if (c === '}') this.closeMismatch('}', ']', 'Array', start);
      this.unexpected('was expecting comma to separate Array entries');
    }
  }

  private closeMismatch(found: string, expected: string, container: string, start: number): never {
    return this.fail(
      `Unexpected close marker '${found}': expected '${expected}' (for ${container} starting at ${sourceLocation(this.source, start + 1)})`,
      this.i,
    );
  }
}

/** Jackson's way of naming a character: ('x' (code 120)). */
function describe(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20) return `(CTRL-CHAR, code ${code})`;
  return `'${c}' (code ${code}${code > 0x7f ? ` / 0x${code.toString(16)}` : ''})`;
}
