/**
 * SNS parses its JSON attributes (FilterPolicy, RedrivePolicy) with Jackson and puts Jackson's
 * complaint in its error: "failed to parse JSON. Unexpected character ('i' (code 105)): was
 * expecting double-quote to start field name\n at [Source: …; line: 1, column: 2]". JSON.parse
 * says where, in other words; this scanner finds the first fault and words it as Jackson does,
 * for the faults whose texts are known. Others (a text cut short, a bad escape) get the bare
 * "failed to parse JSON.".
 */

const SOURCE = 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';
const EXPECTING_VALUE =
  "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/** "failed to parse JSON." and, where Jackson's text for the fault is known, that text. */
export function jsonParseFailure(text: string): string {
  const detail = firstFault(text);
  return detail ? `failed to parse JSON. ${detail}` : 'failed to parse JSON.';
}

class Fault {
  constructor(readonly text: string) {}
}

function firstFault(text: string): string | undefined {
  let i = 0;
  const where = (at: number): string => {
    let line = 1;
    let start = 0;
    for (let k = 0; k < at; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        start = k + 1;
      }
    }
    return `\n at [Source: ${SOURCE}; line: ${line}, column: ${at - start + 1}]`;
  };
  const unexpected = (reason: string): Fault => {
    const code = text.charCodeAt(i);
    const shown = code < 32 ? `(CTRL-CHAR, code ${code})` : `'${text[i]}' (code ${code})`;
    return new Fault(`Unexpected character (${shown}): ${reason}${where(i)}`);
  };
  // Running off the end has a text of its own in Jackson, not reproduced here.
  const endOfInput = () => new Fault('');
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw endOfInput();
    i++;
  };
  const value = (): void => {
    skipSpace();
    if (i >= text.length) throw endOfInput();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) {
      while (i < text.length && /[-+0-9.eE]/.test(text[i])) i++;
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i])) i++;
      const token = text.slice(start, i);
      if (token !== 'true' && token !== 'false' && token !== 'null')
        throw new Fault(`Unrecognized token '${token}': ${EXPECTING_VALUE}${where(i)}`);
    } else throw unexpected('expected a value');
  };
  const object = () => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (i >= text.length) throw endOfInput();
      if (text[i] !== '"') throw unexpected('was expecting double-quote to start field name');
      string();
      skipSpace();
      if (i >= text.length) throw endOfInput();
      if (text[i] !== ':') throw unexpected('was expecting a colon to separate field name and value');
      i++;
      value();
      skipSpace();
      if (i >= text.length) throw endOfInput();
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') throw unexpected('was expecting comma to separate Object entries');
      i++;
    }
  };
  const array = () => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (i >= text.length) throw endOfInput();
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') throw unexpected('was expecting comma to separate Array entries');
      i++;
    }
  };
  try {
    value();
  } catch (err) {
    if (err instanceof Fault) return err.text || undefined;
    throw err;
  }
  return undefined;
}
