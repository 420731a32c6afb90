/**
 * The JSON reading EventBridge does on target input. PutTargets parses a target's Input with Jackson
 * and, when it fails, reports only Jackson's location ("[Source: (String)"…"; line: 1, column: 4]");
 * like Jackson's readTree it reads the first value and ignores what follows. A filled InputTemplate is
 * read at delivery as a run of JSON values (one object, or one quoted string per line) and passed on
 * minified. JSON.parse gives neither the position nor the values' own text (numbers as written),
 * hence this scanner.
 */

export interface JsonFault {
  line: number;
  /** 1-based, where Jackson's parser stood: on the offending character, or after an unknown word. */
  column: number;
}

export type JsonScan = { ok: true; minified: string } | { ok: false; fault: JsonFault };

// Jackson (2.9 to 2.12) quotes at most 500 characters of the source in a location.
const SOURCE_SNIPPET = 500;

/** Jackson's location text for a fault in `source`. */
export function jacksonLocation(source: string, fault: JsonFault): string {
  const shown = source.length > SOURCE_SNIPPET ? source.slice(0, SOURCE_SNIPPET) : source;
  const truncated =
    source.length > SOURCE_SNIPPET ? `[truncated ${source.length - SOURCE_SNIPPET} chars]` : '';
  return `[Source: (String)"${shown}"${truncated}; line: ${fault.line}, column: ${fault.column}]`;
}

class Fault {
  /** @param at 0-based index the column is counted from */
  constructor(readonly at: number) {}
}

const WORD_CHAR = /[A-Za-z0-9_$]/;
const HEX = /^[0-9A-Fa-f]{4}$/;

/** Reads the first JSON value of `text`: its minified text, or where a parser would fail. */
export function scanJsonValue(text: string): JsonScan {
  return scan(text, false);
}

/**
 * Reads `text` as JSON values separated by whitespace (at least one): each minified, one per line,
 * or where a parser would fail.
 */
export function scanJsonValues(text: string): JsonScan {
  return scan(text, true);
}

function scan(text: string, sequence: boolean): JsonScan {
  let i = 0;
  const out: string[] = [];

  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      i++;
    }
  };
  const expectMore = () => {
    if (i >= text.length) throw new Fault(text.length);
  };
  const string = () => {
    const start = i++;
    for (;;) {
      expectMore();
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) throw new Fault(i);
      if (c === 92) {
        i++;
        expectMore();
        const e = text[i];
        if (e === 'u') {
          if (!HEX.test(text.slice(i + 1, i + 5))) throw new Fault(Math.min(i + 1, text.length));
          i += 4;
        } else if (!'"\\/bfnrt'.includes(e)) throw new Fault(i);
      }
      i++;
    }
    i++;
    out.push(text.slice(start, i));
  };
  const digits = () => {
    const start = i;
    while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
    if (i === start) throw new Fault(i);
  };
  const number = () => {
    const start = i;
    if (text[i] === '-') i++;
    expectMore();
    if (text[i] === '0') {
      i++;
      if (i < text.length && text[i] >= '0' && text[i] <= '9') throw new Fault(i);
    } else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
    out.push(text.slice(start, i));
  };
  const word = () => {
    const start = i;
    while (i < text.length && WORD_CHAR.test(text[i])) i++;
    const token = text.slice(start, i);
    if (token !== 'true' && token !== 'false' && token !== 'null') throw new Fault(i);
    out.push(token);
  };
  const value = (): void => {
    skipSpace();
    expectMore();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else if (WORD_CHAR.test(c)) word();
    else throw new Fault(i);
  };
  const object = () => {
    i++;
    out.push('{');
    skipSpace();
    if (text[i] === '}') {
      i++;
      out.push('}');
      return;
    }
    for (;;) {
      skipSpace();
      expectMore();
      if (text[i] !== '"') throw new Fault(i);
      string();
      skipSpace();
      expectMore();
      if (text[i] !== ':') throw new Fault(i);
      i++;
      out.push(':');
      value();
      skipSpace();
      expectMore();
      if (text[i] === '}') {
        i++;
        out.push('}');
        return;
      }
      if (text[i] !== ',') throw new Fault(i);
      i++;
      out.push(',');
    }
  };
  const array = () => {
    i++;
    out.push('[');
    skipSpace();
    if (text[i] === ']') {
      i++;
      out.push(']');
      return;
    }
    for (;;) {
      value();
      skipSpace();
      expectMore();
      if (text[i] === ']') {
        i++;
        out.push(']');
        return;
      }
      if (text[i] !== ',') throw new Fault(i);
      i++;
      out.push(',');
    }
  };

  try {
    value();
    while (sequence) {
      skipSpace();
      if (i >= text.length) break;
      out.push('\n');
      value();
    }
  } catch (err) {
    if (err instanceof Fault) return { ok: false, fault: position(text, err.at) };
    throw err;
  }
  return { ok: true, minified: out.join('') };
}

function position(text: string, at: number): JsonFault {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < at; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}
