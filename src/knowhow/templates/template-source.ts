import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Document as YamlDocument,
} from 'yaml';

/**
 * A template's text parsed into plain JSON (short-form intrinsics turned into their long form,
 * `!Ref X` → `{ Ref: X }`), with the line of any key by its path, so that readers can point a
 * finding at the logical id (or the SAM event) the author wrote.
 */
export interface TemplateSource {
  root: unknown;
  /** 1-based line of the key at `path` (`['Resources', 'MyQueue']`), when the text has it. */
  lineOf(path: string[]): number | undefined;
}

/** The text is neither JSON nor YAML; the message says where. */
export class SourceSyntaxError extends Error {}

export function parseTemplateText(text: string): TemplateSource {
  return looksLikeJson(text) ? parseJson(text) : parseYaml(text);
}

function looksLikeJson(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
}

// ---- JSON -------------------------------------------------------------------------------------

function parseJson(text: string): TemplateSource {
  const body = text.replace(/^\uFEFF/, '');
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (error) {
    throw new SourceSyntaxError(`invalid JSON: ${(error as Error).message}`);
  }
  const lines = jsonKeyLines(body);
  return { root, lineOf: (path) => lines.get(path.join('\u0000')) };
}

const JSON_KEY_DEPTH = 6;

/**
 * The line of every object key down to a few levels, by its path. JSON.parse keeps no offsets,
 * and the text is already known to be valid JSON, so a scan of strings and brackets is enough.
 */
function jsonKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  type Frame = { object: boolean; key?: string; expectKey: boolean };
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    else if (char === '{') stack.push({ object: true, expectKey: true });
    else if (char === '[') stack.push({ object: false, expectKey: false });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    } else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
        top.expectKey = false;
        if (stack.length <= JSON_KEY_DEPTH) {
          const path = stack.map((frame) => frame.key ?? '');
          const id = path.join('\u0000');
          if (!lines.has(id)) lines.set(id, line);
        }
      }
      i = end;
    }
  }
  return lines;
}

// ---- YAML -------------------------------------------------------------------------------------

/** Short-form tags whose long form is not `Fn::<Name>`. */
const TAG_KEYS: Record<string, string> = { '!Ref': 'Ref', '!Condition': 'Condition' };

function parseYaml(text: string): TemplateSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.linePos ? ` (line ${first.linePos[0].line})` : '';
    throw new SourceSyntaxError(`invalid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  const root = toPlain(doc, doc.contents as Node | null);
  const lineOf = (path: string[]): number | undefined => {
    let node: unknown = doc.contents;
    let keyOffset: number | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (!isMap(node)) return undefined;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return undefined;
      keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    }
    return keyOffset === undefined ? undefined : lineCounter.linePos(keyOffset).line;
  };
  return { root, lineOf };
}

/** The node as plain JSON, short-form intrinsics rewritten to their long form. */
function toPlain(doc: YamlDocument, node: Node | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toPlain(doc, node.resolve(doc) as Node | undefined);
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((item) => toPlain(doc, item as Node));
  else if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toPlain(doc, pair.key as Node));
      const item = toPlain(doc, pair.value as Node);
      // YAML merge keys (`<<: *base`) copy the other map's entries under this one's.
      if (key === '<<' && item && typeof item === 'object' && !Array.isArray(item)) {
        for (const [mergedKey, mergedValue] of Object.entries(item)) {
          if (!(mergedKey in object)) object[mergedKey] = mergedValue;
        }
      } else object[key] = item;
    }
    value = object;
  } else return null;
  return node.tag?.startsWith('!') && !node.tag.startsWith('!!') ? longForm(node.tag, value) : value;
}

function longForm(tag: string, value: unknown): unknown {
  const key = TAG_KEYS[tag] ?? `Fn::${tag.slice(1)}`;
  // `!GetAtt Resource.Attribute` is the short form of `Fn::GetAtt: [Resource, Attribute]`.
  if (key === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [key]: dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [key]: value };
}
