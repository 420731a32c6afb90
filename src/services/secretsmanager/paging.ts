import { smError } from './errors.js';

// Paging tokens carry the offset of the next item, opaque to the caller as AWS's are.
const PREFIX = 'tideway-sm:';

export function writePage(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`).toString('base64');
}

export function readPage(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0) throw smError.invalidNextToken();
  return offset;
}
