import type * as F from '@aws-sdk/client-firehose';
import { parameter, type WorkRecord } from './types.js';

/**
 * The Delimiter parameter as bytes: the console and CloudFormation write it with backslash
 * escapes (`\n`, the default), which stand for the characters they name.
 */
export function appendedDelimiter(processor: F.Processor): Uint8Array {
  const value = parameter(processor, 'Delimiter') ?? '\\n';
  const text = value.replace(/\\([nrt\\0])/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '0' ? '\0' : '\\',
  );
  return Buffer.from(text, 'utf8');
}

/** AppendDelimiterToRecord: each record ends with the delimiter, whatever it already ends with. */
export function appendDelimiter(records: WorkRecord[], processor: F.Processor): WorkRecord[] {
  const delimiter = appendedDelimiter(processor);
  return records.map((r) => ({ ...r, data: Buffer.concat([r.data, delimiter]) }));
}
