import { ServiceError } from './errors.js';
import type {
  Constraints,
  ListShape,
  MapShape,
  ScalarKind,
  ScalarShape,
  Shape,
  StructureShape,
  ValidationErrors,
} from './shapes.js';

/**
 * Checks a decoded input against its model's constraints (required members, lengths, ranges,
 * patterns, enums) the way AWS's front end ("coral") does, before any handler runs: every member
 * of the whole input is checked and every failure collected, so the answer names them all.
 * The texts are AWS's, as recorded from real answers (LocalStack's AWS-validated snapshots of
 * Lambda, EventBridge, KMS, CloudWatch Logs, API Gateway; Kinesis answers recorded by moto and
 * kinesalite):
 *
 *   2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member
 *   must have length greater than or equal to 1; Value null at 'records.1.member.partitionKey'
 *   failed to satisfy constraint: Member must not be null
 */
export interface Violation {
  /** The member path as AWS prints it: lowerCamel names, `.N.member` for list items, `.key.member` in maps. */
  path: string;
  /** How AWS prints the value: `'abc'`, `'[a, b]'`, `null`, or empty where it prints none (binary data). */
  value: string;
  /** `Member must have length less than or equal to 128` and the like. */
  constraint: string;
}

/** AWS reports at most this many failures in one answer (as recorded by kinesalite). */
const MAX_REPORTED = 10;

/** Every constraint the input breaks, in the order AWS reports them (see `reportOrder`). */
export function findViolations(shape: StructureShape, input: Record<string, unknown>): Violation[] {
  // Most inputs are valid: one pass that builds nothing says so; only a bad one is walked again
  // to say what is wrong and where.
  if (!needsCheck(shape) || isValid(shape, input)) return [];
  const found: Violation[] = [];
  checkStructure(shape, input, '', found);
  return found.length > MAX_REPORTED ? found.slice(0, MAX_REPORTED) : found;
}

/** `1 validation error detected: …` / `N validation errors detected: …; …`. */
export function validationMessage(violations: readonly Violation[]): string {
  const n = violations.length;
  const parts = violations.map(
    (v) =>
      `Value ${v.value ? `${v.value} ` : ''}at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
  );
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

const TYPE_NAMES: Record<ScalarKind, string> = {
  integer: 'an Integer',
  long: 'a Long',
  boolean: 'a Boolean',
  string: 'a String',
  blob: 'a Blob',
  timestamp: 'milliseconds since epoch',
  double: 'a Double',
};

/**
 * The SerializationException text AWS's JSON front end gives a value of the wrong JSON type:
 * `NUMBER_VALUE can not be converted to a String`, `Start of list found where not expected`,
 * `Expected null` for a scalar where a structure belongs. (Recorded answers of SQS, Kinesis,
 * Athena, SESv2 and X-Ray; kinesalite's for the list and map forms.)
 */
export function serializationMessage(
  value: unknown,
  expected: ScalarKind | 'list' | 'map' | 'structure',
): string {
  if (Array.isArray(value)) return 'Start of list found where not expected';
  if (value !== null && typeof value === 'object')
    return 'Start of structure or map found where not expected.';
  if (expected === 'structure') return 'Expected null';
  if (expected === 'list') return 'Expected list or null';
  if (expected === 'map') return 'Expected map or null';
  return `${jsonToken(value)} can not be converted to ${TYPE_NAMES[expected]}`;
}

/** A member path as the JSON front end prints it: every segment in lower camel case. */
export function lowerCamelPath(path: string): string {
  return path.split('.').map(lowerFirst).join('.');
}

/**
 * The JSON front end's answers, shared by the services that speak it plainly (Kinesis, KMS,
 * Secrets Manager): a value of the wrong JSON type is a SerializationException, and every broken
 * constraint, a missing member among them, is listed in one error made by `validation` before the
 * handler runs. `reorder` adjusts a violation before it is printed (KMS prints some enums in its
 * own order).
 */
export function jsonFrontEndValidation(
  validation: (message: string) => Error,
  reorder?: (violation: Violation) => Violation,
): ValidationErrors {
  return {
    missing: (path) =>
      validation(
        validationMessage([
          { path: lowerCamelPath(path), value: 'null', constraint: 'Member must not be null' },
        ]),
      ),
    invalidType: (_path, value, expected) =>
      new ServiceError('SerializationException', serializationMessage(value, expected)),
    malformed: (detail) => new ServiceError('SerializationException', detail),
    constraints: (violations) =>
      validation(validationMessage(reorder ? violations.map(reorder) : violations)),
  };
}

function jsonToken(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number' || typeof value === 'bigint') return 'NUMBER_VALUE';
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  return 'NULL_VALUE';
}

// ----- the walk -----

const NEEDS_CHECK = Symbol('needsCheck');

function hasConstraints(c: Constraints): boolean {
  return c.min !== undefined || c.max !== undefined || c.pattern !== undefined || c.enum !== undefined;
}

/** True when something in the shape can fail a check: memoised on the shape, asked on every request. */
function needsCheck(shape: Shape): boolean {
  const memo = shape as Shape & { [NEEDS_CHECK]?: boolean };
  let needed = memo[NEEDS_CHECK];
  if (needed === undefined) {
    memo[NEEDS_CHECK] = false; // a recursive shape reaching itself adds nothing new
    switch (shape.type) {
      case 'structure':
        needed = shape.required.length > 0 || shape.memberList.some(([, m]) => needsCheck(m.shape));
        break;
      case 'list':
        needed = hasConstraints(shape) || needsCheck(shape.member);
        break;
      case 'map':
        needed =
          hasConstraints(shape) ||
          (shape.key !== undefined && hasConstraints(shape.key)) ||
          needsCheck(shape.value);
        break;
      default:
        needed = hasConstraints(shape);
    }
    memo[NEEDS_CHECK] = needed;
  }
  return needed;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A member as the walk needs it, prepared once per structure. */
interface ReportEntry {
  name: string;
  /** The name as paths print it. */
  lower: string;
  shape: Shape;
  required: boolean;
  /** Whether anything inside can fail. */
  checked: boolean;
}

function checkStructure(
  shape: StructureShape,
  input: Record<string, unknown>,
  prefix: string,
  found: Violation[],
) {
  for (const entry of reportOrder(shape)) {
    const value = input[entry.name];
    if (value === undefined || value === null) {
      if (entry.required) {
        found.push({ path: join(prefix, entry.lower), value: 'null', constraint: 'Member must not be null' });
      }
    } else if (entry.checked) {
      // Paths are built only where something failed or a container is walked: PutRecords walks
      // 500 records on every call.
      const member = entry.shape;
      if (!isScalar(member)) checkValue(member, value, join(prefix, entry.lower), found);
      else if (!meetsConstraints(member, value)) checkValue(member, value, join(prefix, entry.lower), found);
    }
  }
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

const REPORT_ORDER = Symbol('reportOrder');

/**
 * The members in the order AWS reports them: neither the model's order nor alphabetical, but the
 * iteration order of a Java HashMap keyed by the lowerCamel member names, filled in model order.
 * Recorded answers fit it: kinesalite's multi-error PutRecord answers (with the hashing of the
 * Java 7 HashMap of their time), and EventBridge's and Lambda's recent ones in LocalStack's
 * snapshots (with today's Java 8 hashing, used here).
 */
function reportOrder(shape: StructureShape): readonly ReportEntry[] {
  const memo = shape as StructureShape & { [REPORT_ORDER]?: readonly ReportEntry[] };
  let order = memo[REPORT_ORDER];
  if (order === undefined) {
    // A HashMap starts with 16 buckets and doubles when more than three quarters are used.
    let buckets = 16;
    while (shape.memberList.length > buckets * 0.75) buckets *= 2;
    const bucketOf = (name: string) => {
      const h = javaHash(name);
      return (h ^ (h >>> 16)) & (buckets - 1);
    };
    order = shape.memberList
      .map(([name, member], index) => {
        const lower = lowerFirst(name);
        const entry: ReportEntry = {
          name,
          lower,
          shape: member.shape,
          required: shape.required.includes(name),
          checked: needsCheck(member.shape),
        };
        return { entry, index, bucket: bucketOf(lower) };
      })
      .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
      .map(({ entry }) => entry);
    memo[REPORT_ORDER] = order;
  }
  return order;
}

/** Java's String.hashCode. */
function javaHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** Whether a value meets every constraint, without building anything. */
function isValid(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'structure': {
      const input = value as Record<string, unknown>;
      for (const entry of reportOrder(shape)) {
        const v = input[entry.name];
        if (v === undefined || v === null) {
          if (entry.required) return false;
        } else if (entry.checked && !isValid(entry.shape, v)) {
          return false;
        }
      }
      return true;
    }
    case 'list': {
      const items = value as unknown[];
      if (!meetsLength(shape, items.length)) return false;
      const member = shape.member;
      if (!needsCheck(member)) return true;
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item === null || item === undefined) {
          if (isScalar(member)) return false;
        } else if (!isValid(member, item)) {
          return false;
        }
      }
      return true;
    }
    case 'map': {
      const entries = value as Record<string, unknown>;
      const keys = Object.keys(entries);
      if (!meetsLength(shape, keys.length)) return false;
      const key = shape.key;
      const checkKeys = key !== undefined && hasConstraints(key);
      const checkValues = needsCheck(shape.value);
      if (!checkKeys && !checkValues) return true;
      for (const k of keys) {
        if (checkKeys && !meetsConstraints(key, k)) return false;
        const v = entries[k];
        if (checkValues && v !== null && v !== undefined && !isValid(shape.value, v)) return false;
      }
      return true;
    }
    default:
      return meetsConstraints(shape, value);
  }
}

function meetsLength(c: Constraints, length: number): boolean {
  return !((c.min !== undefined && length < c.min) || (c.max !== undefined && length > c.max));
}

/** Whether a scalar meets its constraints, without building any text: asked for every value. */
function meetsConstraints(shape: ScalarShape, value: unknown): boolean {
  if (isNumeric(shape)) {
    const n = value as number;
    return !((shape.min !== undefined && n < shape.min) || (shape.max !== undefined && n > shape.max));
  }
  if (shape.type !== 'string' && shape.type !== 'blob') return true;
  const length = (value as { length: number }).length;
  if ((shape.min !== undefined && length < shape.min) || (shape.max !== undefined && length > shape.max)) {
    return false;
  }
  if (shape.type === 'string') {
    if (shape.enum && !shape.enum.includes(value as string)) return false;
    if (shape.pattern !== undefined && !matches(shape, value as string)) return false;
  }
  return true;
}

function checkValue(shape: Shape, value: unknown, path: string, found: Violation[]): void {
  switch (shape.type) {
    case 'structure':
      checkStructure(shape, value as Record<string, unknown>, path, found);
      return;
    case 'list':
      checkList(shape, value as unknown[], path, found);
      return;
    case 'map':
      checkMap(shape, value as Record<string, unknown>, path, found);
      return;
    default:
      for (const constraint of brokenConstraints(shape, value)) {
        found.push({ path, value: printed(shape, value), constraint });
      }
  }
}

function checkList(shape: ListShape, items: unknown[], path: string, found: Violation[]): void {
  for (const constraint of lengthViolations(shape, items.length)) {
    found.push({ path, value: printed(shape, items), constraint });
  }
  const member = shape.member;
  if (!needsCheck(member)) return;
  if (isScalar(member)) {
    // A list of constrained scalars is reported once, at the list, with all of its member's constraints.
    if (items.some((item) => item === null || !meetsConstraints(member, item))) {
      found.push({
        path,
        value: printed(shape, items),
        constraint: `Member must satisfy constraint: [${allConstraints(member).join(', ')}]`,
      });
    }
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item !== null && item !== undefined) checkValue(member, item, `${path}.${i + 1}.member`, found);
  }
}

function checkMap(shape: MapShape, entries: Record<string, unknown>, path: string, found: Violation[]): void {
  const keys = Object.keys(entries);
  for (const constraint of lengthViolations(shape, keys.length)) {
    found.push({ path, value: printed(shape, entries), constraint });
  }
  const key = shape.key;
  if (key && hasConstraints(key) && keys.some((k) => !meetsConstraints(key, k))) {
    found.push({
      path,
      value: printed(shape, entries),
      constraint: `Map keys must satisfy constraint: [${allConstraints(key).join(', ')}]`,
    });
  }
  const value = shape.value;
  if (!needsCheck(value)) return;
  if (isScalar(value)) {
    if (keys.some((k) => entries[k] !== null && !meetsConstraints(value, entries[k]))) {
      found.push({
        path,
        value: printed(shape, entries),
        constraint: `Map value must satisfy constraint: [${allConstraints(value).join(', ')}]`,
      });
    }
    return;
  }
  for (const k of keys) {
    const v = entries[k];
    if (v !== null && v !== undefined) checkValue(value, v, `${path}.${k}.member`, found);
  }
}

function isScalar(shape: Shape): shape is ScalarShape {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

function isNumeric(shape: ScalarShape): boolean {
  return shape.type === 'integer' || shape.type === 'long' || shape.type === 'double';
}

/** The constraints a scalar value breaks, in AWS's order: enum, pattern, then the bounds. */
function brokenConstraints(shape: ScalarShape, value: unknown): string[] {
  const broken: string[] = [];
  if (isNumeric(shape)) {
    const n = value as number;
    if (shape.min !== undefined && n < shape.min) broken.push(valueBound('greater', shape.min));
    if (shape.max !== undefined && n > shape.max) broken.push(valueBound('less', shape.max));
    return broken;
  }
  if (shape.type === 'string') {
    const s = value as string;
    if (shape.enum && !shape.enum.includes(s)) broken.push(enumText(shape.enum));
    if (shape.pattern !== undefined && !matches(shape, s)) broken.push(patternText(shape.pattern));
  }
  if (shape.type === 'string' || shape.type === 'blob') {
    broken.push(...lengthViolations(shape, (value as { length: number }).length));
  }
  return broken;
}

function lengthViolations(c: Constraints, length: number): string[] {
  const broken: string[] = [];
  if (c.min !== undefined && length < c.min)
    broken.push(`Member must have length greater than or equal to ${c.min}`);
  if (c.max !== undefined && length > c.max)
    broken.push(`Member must have length less than or equal to ${c.max}`);
  return broken;
}

function valueBound(side: 'greater' | 'less', bound: number): string {
  return `Member must have value ${side} than or equal to ${bound}`;
}

function enumText(values: readonly string[]): string {
  return `Member must satisfy enum value set: [${values.join(', ')}]`;
}

function patternText(pattern: string): string {
  return `Member must satisfy regular expression pattern: ${pattern}`;
}

/** All of a list member's or map key's constraints, in the order AWS lists them: bounds (max first), pattern, enum. */
function allConstraints(shape: ScalarShape): string[] {
  const all: string[] = [];
  const kind = isNumeric(shape) ? 'value' : 'length';
  if (shape.max !== undefined) all.push(`Member must have ${kind} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) all.push(`Member must have ${kind} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) all.push(patternText(shape.pattern));
  if (shape.enum) all.push(enumText(shape.enum));
  return all;
}

// ----- patterns -----

const COMPILED = new WeakMap<ScalarShape, RegExp | null>();

/**
 * The model's patterns are Java regular expressions that must match the whole value. The ones AWS
 * models use are also valid JavaScript; one that is not (a Java-only construct) is not enforced
 * rather than refusing good input.
 */
function matches(shape: ScalarShape, value: string): boolean {
  let re = COMPILED.get(shape);
  if (re === undefined) {
    re = compile(shape.pattern!);
    COMPILED.set(shape, re);
  }
  return re === null || re.test(value);
}

function compile(pattern: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next reading
    }
  }
  return null;
}

// ----- how AWS prints a value -----

/**
 * A value that holds binary data is reported without it (`Value at 'data'`); an empty list of
 * records still prints as `'[]'` (both as recorded from Kinesis).
 */
function holdsBinary(shape: Shape, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (shape.type) {
    case 'blob':
      return true;
    case 'structure': {
      const input = value as Record<string, unknown>;
      return shape.memberList.some(([name, m]) => holdsBinary(m.shape, input[name]));
    }
    case 'list':
      return (value as unknown[]).some((item) => holdsBinary(shape.member, item));
    case 'map':
      return Object.values(value as Record<string, unknown>).some((v) => holdsBinary(shape.value, v));
    default:
      return false;
  }
}

function printed(shape: Shape, value: unknown): string {
  if (holdsBinary(shape, value)) return '';
  return `'${javaString(shape, value)}'`;
}

/** The value as the Java object AWS decoded it into would print itself. */
function javaString(shape: Shape, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (shape.type) {
    case 'list':
      return `[${(value as unknown[]).map((item) => javaString(shape.member, item)).join(', ')}]`;
    case 'map':
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}=${javaString(shape.value, v)}`)
        .join(', ')}}`;
    case 'structure': {
      const input = value as Record<string, unknown>;
      const members = shape.memberList.map(
        ([name, m]) => `${lowerFirst(name)}=${javaString(m.shape, input[name])}`,
      );
      return `${shape.name ?? ''}(${members.join(', ')})`;
    }
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : String(value);
    default:
      return String(value);
  }
}
