import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { setEntry } from '../../core/entries.js';
import type { StoredAttributeValue } from '../../storage/types.js';
import { snsError } from './errors.js';

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
// AWS reserves these prefixes but documents names under them for SMS and mobile push
// (SNS guide, "Amazon SNS message attributes", reserved attributes).
const RESERVED_PREFIXES = ['aws.', 'amazon.'];
const DOCUMENTED_RESERVED = ['AWS.SNS.SMS.', 'AWS.MM.SMS.', 'AWS.SNS.MOBILE.'];

// Attribute problems are ParameterValueInvalid with AWS's bare texts.
function fail(reason: string): Error {
  return snsError.invalidParameterValue(reason);
}

function checkName(name: string): void {
  if (name.startsWith('.'))
    throw fail(`Invalid message attribute name starting with character '.' was found.`);
  if (name.endsWith('.')) throw fail(`Invalid message attribute name ending with character '.' was found.`);
  if (name.includes('..')) throw fail(`Message attribute name can not have successive '.' character.`);
  if (Buffer.byteLength(name) > 256)
    throw fail('Length of message attribute name must be less than 256 bytes.');
  if (!NAME_CHARS.test(name)) {
    // AWS names the first offending character by its code point, as in XML: '#x5E' for '^'.
    const bad = [...name].find((c) => !NAME_CHARS.test(c)) ?? '';
    const code = (bad.codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw fail(
      `Invalid non-alphanumeric character '#x${code}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  const lower = name.toLowerCase();
  if (
    RESERVED_PREFIXES.some((p) => lower.startsWith(p)) &&
    !DOCUMENTED_RESERVED.some((p) => name.startsWith(p))
  ) {
    throw fail(`The message attribute name '${name}' uses a reserved prefix.`);
  }
}

/** A validated attribute set, with the bytes it adds to the message size. */
export interface CheckedAttributes {
  values: Record<string, StoredAttributeValue>;
  size: number;
}

/** Publish's message attributes, validated as SNS does (SNS guide, "Amazon SNS message attributes"). */
export function checkMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): CheckedAttributes | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const values: Record<string, StoredAttributeValue> = {};
  let size = 0;
  for (const [name, attr] of Object.entries(attributes)) {
    checkName(name);
    const type = attr.DataType ?? '';
    const base = type.split('.')[0];
    // A custom type follows its base after a dot: "String.prefixed", never "String." alone.
    if (!DATA_TYPE.test(type)) {
      throw fail(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const binary = base === 'Binary';
    const given = binary ? attr.BinaryValue : attr.StringValue;
    const other = binary ? attr.StringValue : attr.BinaryValue;
    if (given === undefined && other !== undefined) {
      throw fail(
        `The message attribute '${name}' with type '${type}' must use field '${binary ? 'Binary' : 'String'}'.`,
      );
    }
    if (binary) {
      if (!attr.BinaryValue || attr.BinaryValue.length === 0) {
        throw fail(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
        );
      }
      setEntry(values, name, { DataType: type, BinaryValue: attr.BinaryValue });
      size += Buffer.byteLength(name) + Buffer.byteLength(type) + attr.BinaryValue.length;
      continue;
    }
    const value = attr.StringValue;
    if (value === undefined || value === '') {
      throw fail(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (base === 'Number' && !isSnsNumber(value)) {
      throw fail(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array' && !isStringArray(value)) {
      throw fail(
        `The message attribute '${name}' with type 'String.Array' has an invalid value: must be a JSON array of strings, numbers, true, false or null.`,
      );
    }
    setEntry(values, name, { DataType: type, StringValue: value });
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + Buffer.byteLength(value);
  }
  return { values, size };
}

/** Numbers SNS accepts: finite, within ±10^9 with at most five decimals. */
function isSnsNumber(value: string): boolean {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && Math.abs(n) <= 1e9 && !/\.\d{6,}$/.test(value.trim());
}

function isStringArray(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as unknown;
    return (
      Array.isArray(parsed) &&
      parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    );
  } catch {
    return false;
  }
}

/** How the JSON envelope writes an attribute: {"Type": …, "Value": …}, binaries in base64. */
export function envelopeAttribute(value: StoredAttributeValue): { Type: string; Value: string } {
  return {
    Type: value.DataType,
    Value: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : (value.StringValue ?? ''),
  };
}
