import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import type { RawResponse } from '../support/server.js';

// What every answer of a storm must be: AWS's error (or a success) in a well-formed body.

/** XML 1.0 §2.2 Char: what may appear in a document, raw or as a character reference. */
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** What is wrong with an answer, or undefined when it is a proper AWS answer. */
function problemWith(label: string, res: RawResponse): string | undefined {
  try {
    checkAnswer(label, res);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

function checkAnswer(label: string, res: RawResponse): void {
  assert.ok(res.status < 500, `${label}: status ${res.status}: ${res.body.slice(0, 300)}`);
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('xml')) {
    const valid = XMLValidator.validate(res.body);
    assert.equal(valid, true, `${label}: malformed XML ${JSON.stringify(valid)}: ${res.body.slice(0, 300)}`);
    assert.match(res.body, XML_CHAR, `${label}: a character XML 1.0 forbids: ${JSON.stringify(res.body)}`);
    for (const ref of res.body.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
      const code = ref[1][0] === 'x' ? Number.parseInt(ref[1].slice(1), 16) : Number(ref[1]);
      assert.match(
        String.fromCodePoint(code),
        XML_CHAR,
        `${label}: a reference to a forbidden character ${ref[0]}`,
      );
    }
    // awsQuery's <ErrorResponse>, or restXml's <Error> for a request no service claims.
    if (res.status >= 400)
      assert.match(res.body, /^<\?xml[^>]*\?><(ErrorResponse[ >]|Error>)[\s\S]*<Code>[^<]+<\/Code>/, label);
  } else if (type.includes('json')) {
    const parsed = JSON.parse(res.body);
    // awsJson names the error in `__type`, restJson1 in `x-amzn-ErrorType`.
    const named = typeof parsed.__type === 'string' || typeof res.headers['x-amzn-errortype'] === 'string';
    if (res.status >= 400) assert.ok(named, `${label}: no __type: ${res.body}`);
  } else if (type === 'application/x-amz-cbor-1.1') {
    // Kinesis over CBOR: the body arrives decoded as UTF-8 here, so only its ASCII keys are read.
    if (res.status >= 400) assert.match(res.body, /__type/, `${label}: no __type in a CBOR error`);
  } else {
    assert.fail(`${label}: answer of type ${type}: ${res.body.slice(0, 300)}`);
  }
}

/** Every bad answer of a run, reported together: one run shows every kind of failure. */
export class Failures {
  readonly seen: string[] = [];
  /** How many answers of each status and code: shows that the storm reaches past the first check. */
  readonly answers = new Map<string, number>();
  note(label: string, res: RawResponse): void {
    const problem = problemWith(label, res);
    if (problem) this.seen.push(problem);
    const code = /"__type":"(?:[^"#]*#)?([^"]+)"|<Code>([^<]+)<\/Code>/.exec(res.body);
    const key = `${res.status} ${code?.[1] ?? code?.[2] ?? ''}`;
    this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
  }
  summary(): string {
    return [...this.answers]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  }
  check(): void {
    assert.deepEqual(this.seen.slice(0, 4), [], `${this.seen.length} bad answers`);
  }
}
