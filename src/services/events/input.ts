import type { JsonValue } from '../../core/patterns/operators.js';
import { eventsError } from './errors.js';
import { jacksonLocation, scanJsonValue, scanJsonValues } from './input-json.js';
import { type CompiledPath, compilePath } from './input-path.js';
import type { BusEvent, RuleRecord, TargetRecord } from './records.js';

/**
 * What a target receives for an event (the event's JSON, the constant Input, the part InputPath
 * selects, or InputTransformer's filled template) and PutTargets' checks of those three. The quoting
 * rules are AWS's, as its recorded deliveries show them (docs/eventbridge/input.md):
 * - a placeholder outside any JSON string takes the value as JSON: a string gets quotes, an object
 *   or array its JSON text; inside a string it takes the bare text, unescaped;
 * - an object or array inside a string of a plain (non-object) template loses its quote marks
 *   (`{acc_id:0a787ecb-4015,sf_id:baz}`); in a JSON-object template it goes in as is;
 * - a path that finds nothing gives the empty string;
 * - once filled, the template must read as JSON values: one object, or quoted strings one per line
 *   ("for strings, quotes are required"); they go out minified, one per line. When it does not
 *   read, the target is not invoked.
 */

/** The target must not be invoked for this event: AWS drops the delivery (the router counts a failed invocation). */
export class TargetInputError extends Error {
  override name = 'TargetInputError';
}

const RULE_ARN = 'aws.events.rule-arn';
const RULE_NAME = 'aws.events.rule-name';
const INGESTION_TIME = 'aws.events.event.ingestion-time';
const EVENT = 'aws.events.event';
const EVENT_JSON = 'aws.events.event.json';
const RESERVED: ReadonlySet<string> = new Set([RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON]);

// "The characters < and > cannot be escaped": every <…> in a template is a placeholder.
const PLACEHOLDER = /<([^<>]+)>/g;

interface Slot {
  name: string;
  /** Whether the placeholder stands inside a JSON string literal of the template. */
  inString: boolean;
}

interface Transformer {
  /** Literal text around the slots: literals[k] comes before slots[k]; one more literal than slots. */
  literals: string[];
  slots: Slot[];
  paths: Map<string, CompiledPath | undefined>;
  /** A template that is a JSON object (where an object or array inside a string keeps its quotes). */
  json: boolean;
}

type Renderer = (event: BusEvent, rule: RuleRecord, ingestionTime?: number) => string;

// Compiled once per stored target: the router renders per event per target.
const renderers = new WeakMap<TargetRecord, Renderer>();
const eventTexts = new WeakMap<BusEvent, string>();

/**
 * What the target receives for `event`, matched by `rule`. `ingestionTime` (clock ms) is when
 * EventBridge received the event; without it, the event's own time stands in.
 * @throws TargetInputError when AWS would not invoke the target for this event
 */
export function renderTargetInput(
  target: TargetRecord,
  event: BusEvent,
  rule: RuleRecord,
  ingestionTime?: number,
): string {
  let render = renderers.get(target);
  if (render === undefined) {
    render = compileRenderer(target);
    renderers.set(target, render);
  }
  return render(event, rule, ingestionTime);
}

/** PutTargets' checks of one target's Input, InputPath and InputTransformer, with AWS's texts. */
export function checkTargetInput(target: TargetRecord): void {
  const id = target.Id;
  const given = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined);
  if (given.length > 1) {
    throw eventsError.validation(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`,
    );
  }
  if (target.Input !== undefined) {
    const scan = scanJsonValue(target.Input);
    if (!scan.ok) {
      throw eventsError.validation(
        `JSON syntax error in input for target ${id}: ${jacksonLocation(target.Input, scan.fault)}`,
      );
    }
  }
  if (target.InputPath !== undefined && compilePath(target.InputPath) === undefined) {
    throw eventsError.validation(`InputPath for target ${id} is invalid.`);
  }
  const transformer = target.InputTransformer;
  if (transformer === undefined) return;
  const paths = transformer.InputPathsMap ?? {};
  for (const path of Object.values(paths)) {
    if (compilePath(path) === undefined)
      throw eventsError.validation(`InputPath for target ${id} is invalid.`);
  }
  for (const match of (transformer.InputTemplate ?? '').matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!RESERVED.has(name) && !Object.hasOwn(paths, name)) {
      throw eventsError.validation(`InputTemplate for target ${id} contains invalid placeholder ${name}.`);
    }
  }
}

function compileRenderer(target: TargetRecord): Renderer {
  if (target.Input !== undefined) {
    const input = target.Input;
    return () => input;
  }
  if (target.InputPath !== undefined) {
    const path = compilePath(target.InputPath);
    return (event) => {
      const selected = path?.select(event as unknown as JsonValue);
      if (selected === undefined) {
        throw new TargetInputError(`InputPath ${target.InputPath} selects nothing in the event`);
      }
      return JSON.stringify(selected);
    };
  }
  if (target.InputTransformer !== undefined) {
    const transformer = compileTransformer(
      target.InputTransformer.InputTemplate ?? '',
      target.InputTransformer.InputPathsMap ?? {},
    );
    return (event, rule, ingestionTime) => fill(transformer, event, rule, ingestionTime);
  }
  return eventText;
}

/** The event as targets receive it: the envelope's JSON, no spaces, in the envelope's field order. */
function eventText(event: BusEvent): string {
  let text = eventTexts.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    eventTexts.set(event, text);
  }
  return text;
}

function compileTransformer(template: string, pathsMap: Record<string, string>): Transformer {
  const literals: string[] = [];
  const slots: Slot[] = [];
  let inString = false;
  let literalStart = 0;
  // Tracks string literals of the template the way a JSON reader would: a quote not escaped.
  const advance = (to: number) => {
    for (let k = literalStart; k < to; k++) {
      if (template[k] === '\\') k++;
      else if (template[k] === '"') inString = !inString;
    }
  };
  for (const match of template.matchAll(PLACEHOLDER)) {
    const at = match.index;
    advance(at);
    literals.push(template.slice(literalStart, at));
    slots.push({ name: match[1], inString });
    literalStart = at + match[0].length;
  }
  literals.push(template.slice(literalStart));
  const paths = new Map<string, CompiledPath | undefined>();
  for (const [name, path] of Object.entries(pathsMap)) paths.set(name, compilePath(path));
  return { literals, slots, paths, json: template.trimStart().startsWith('{') };
}

function fill(transformer: Transformer, event: BusEvent, rule: RuleRecord, ingestionTime?: number): string {
  const document = event as unknown as JsonValue;
  let out = transformer.literals[0];
  for (let k = 0; k < transformer.slots.length; k++) {
    const slot = transformer.slots[k];
    const value = slotValue(slot.name, transformer, document, event, rule, ingestionTime);
    out += insertion(value, slot.inString, transformer.json) + transformer.literals[k + 1];
  }
  const scan = scanJsonValues(out);
  if (!scan.ok) {
    throw new TargetInputError(
      `the filled InputTemplate is not JSON (line ${scan.fault.line}, column ${scan.fault.column})`,
    );
  }
  return scan.minified;
}

function slotValue(
  name: string,
  transformer: Transformer,
  document: JsonValue,
  event: BusEvent,
  rule: RuleRecord,
  ingestionTime: number | undefined,
): JsonValue | undefined {
  switch (name) {
    case RULE_ARN:
      return rule.arn;
    case RULE_NAME:
      return rule.name;
    case INGESTION_TIME:
      return ingestionTime === undefined ? event.time : isoSeconds(ingestionTime);
    case EVENT:
      return eventWithoutDetail(event);
    case EVENT_JSON:
      return document;
  }
  return transformer.paths.get(name)?.select(document);
}

/** `<aws.events.event>`: the envelope without its detail, in the order and names AWS gives it. */
function eventWithoutDetail(event: BusEvent): JsonValue {
  return {
    id: event.id,
    account: event.account,
    detailType: event['detail-type'],
    time: event.time,
    source: event.source,
    region: event.region,
    resources: event.resources,
    version: event.version,
  };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function insertion(value: JsonValue | undefined, inString: boolean, jsonTemplate: boolean): string {
  if (value === undefined) return inString ? '' : '""';
  if (typeof value === 'string') return inString ? value : `"${value}"`;
  const text = JSON.stringify(value);
  if (inString && !jsonTemplate && typeof value === 'object' && value !== null)
    return text.replaceAll('"', '');
  return text;
}
