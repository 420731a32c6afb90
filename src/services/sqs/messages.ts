import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { setEntry } from '../../core/entries.js';
import type { StoredAttributeValue } from '../../storage/types.js';
import { sqsError } from './errors.js';

const ALLOWED_CHARS = '#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]';

/** SQS accepts only these XML characters in bodies and string attribute values. */
export function findInvalidCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0xd7ff) continue;
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
    }
    return c;
  }
  return undefined;
}

export function checkBody(body: string): void {
  const bad = findInvalidCharacter(body);
  if (bad !== undefined) {
    throw sqsError.invalidMessageContents(
      `Invalid binary character '#x${bad.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is ${ALLOWED_CHARS}.`,
    );
  }
}

// AWS accepts letters and digits of any script, as a name like 'öther_encodings' shows.
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_.-]+$/u;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const MAX_ATTRIBUTES = 10;

export interface ValidatedAttributes {
  values: Record<string, StoredAttributeValue>;
  /** Bytes that count towards the message size: names, types and values. */
  size: number;
}

/** Validates user message attributes as SQS does (names, types, values, at most 10). */
export function validateMessageAttributes(
  input: Record<string, MessageAttributeValue> | undefined,
  kind: 'user' | 'system' = 'user',
): ValidatedAttributes | undefined {
  if (!input) return undefined;
  const names = Object.keys(input);
  if (names.length === 0) return undefined;
  if (kind === 'user' && names.length > MAX_ATTRIBUTES) {
    throw sqsError.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const values: Record<string, StoredAttributeValue> = {};
  let size = 0;
  for (const name of names) {
    const attr = input[name];
    if (kind === 'system') {
      if (name !== 'AWSTraceHeader') {
        throw sqsError.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
      }
      if (attr.DataType !== 'String') {
        throw sqsError.invalidParameterValue(
          `Message system attribute '${name}' must be of DataType 'String'.`,
        );
      }
    } else {
      checkAttributeName(name);
    }
    const dataType = attr.DataType ?? '';
    const match = DATA_TYPE.exec(dataType);
    if (!dataType) {
      throw sqsError.invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    }
    if (!match || dataType.length > 256) {
      throw sqsError.invalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (attr.StringListValues?.length || attr.BinaryListValues?.length) {
      throw sqsError.invalidParameterValue(
        `Message (${kind}) attribute '${name}' uses StringListValues or BinaryListValues, which are not supported.`,
      );
    }
    const base = match[1];
    if (base === 'Binary') {
      if (!attr.BinaryValue || attr.BinaryValue.length === 0) {
        throw sqsError.invalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
        );
      }
      if (attr.StringValue !== undefined) {
        throw sqsError.invalidParameterValue(
          `Message (${kind}) attribute '${name}' with type 'Binary' must use field 'Binary'.`,
        );
      }
      setEntry(values, name, { DataType: dataType, BinaryValue: Buffer.from(attr.BinaryValue) });
      size += attr.BinaryValue.length;
    } else {
      const value = attr.StringValue;
      if (value === undefined || value === '') {
        throw sqsError.invalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`,
        );
      }
      if (attr.BinaryValue !== undefined) {
        throw sqsError.invalidParameterValue(
          `Message (${kind}) attribute '${name}' with type '${base}' must use field 'String'.`,
        );
      }
      if (base === 'Number' && !isSqsNumber(value)) {
        throw sqsError.invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
      }
      const bad = findInvalidCharacter(value);
      if (bad !== undefined) {
        throw sqsError.invalidMessageContents(
          `Invalid binary character '#x${bad.toString(16).toUpperCase()}' was found in the message attribute '${name}', the set of allowed characters is ${ALLOWED_CHARS}.`,
        );
      }
      setEntry(values, name, { DataType: dataType, StringValue: value });
      size += Buffer.byteLength(value);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(dataType);
  }
  return { values, size };
}

function checkAttributeName(name: string): void {
  const lower = name.toLowerCase();
  const bad =
    name.length === 0 ||
    name.length > 256 ||
    !ATTRIBUTE_NAME.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..');
  if (bad) {
    throw sqsError.invalidParameterValue(
      `Message (user) attribute name '${name}' is invalid. The attribute name can contain alphanumeric characters, hyphens (-), underscores (_) and periods (.). It can be up to 256 characters long, must not start or end with a period, and must not contain successive periods.`,
    );
  }
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw sqsError.invalidParameterValue(
      `You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.`,
    );
  }
}

// SQS numbers: up to 38 significant digits, between -10^128 and 10^126.
function isSqsNumber(value: string): boolean {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return false;
  const digits = value
    .replace(/[eE].*$/, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '');
  if (digits.length > 38) return false;
  const n = Number(value);
  return Number.isFinite(n) && n >= -1e128 && n <= 1e126;
}

/** Whether an attribute name is selected by MessageAttributeNames (`All`, `.*`, `prefix.*` or exact names). */
export function attributeSelector(requested: string[] | undefined): ((name: string) => boolean) | undefined {
  if (!requested || requested.length === 0) return undefined;
  if (requested.includes('All') || requested.includes('.*')) return () => true;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const r of requested) {
    if (r.endsWith('.*')) prefixes.push(r.slice(0, -1));
    else exact.add(r);
  }
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}
