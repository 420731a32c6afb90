import { createHash, type Hash, hash } from 'node:crypto';

// Digests SQS returns as MD5OfMessageBody / MD5OfBody, MD5OfMessageAttributes and
// MD5OfMessageSystemAttributes. SDKs recompute them client-side and reject the response on a
// mismatch, so these must match AWS byte for byte. The attribute encoding follows the SQS
// Developer Guide, "Calculating the MD5 message digest for message attributes".

export interface SqsAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

// Transport type bytes from the guide. List transports (3 and 4) exist only in SDK checksum code:
// SQS rejects StringListValues/BinaryListValues, so they never reach a digest.
const STRING_TRANSPORT = Uint8Array.of(1);
const BINARY_TRANSPORT = Uint8Array.of(2);

// The last body digested: a publication fanned out to many queues hands each the same string, so
// it is hashed once, not once per queue. Comparing an identical string costs a pointer check.
let lastBody: string | undefined;
let lastDigest = '';

export function md5OfBody(body: string): string {
  if (body === lastBody) return lastDigest;
  // One-shot hashing (Node >= 20.12): no Hash object per message.
  lastDigest = hash('md5', body, 'hex');
  lastBody = body;
  return lastDigest;
}

export function md5OfAttributes(attrs: Record<string, SqsAttributeValue>): string | undefined {
  const entries = Object.entries(attrs).map(([name, value]) => ({ name: Buffer.from(name, 'utf8'), value }));
  // SQS omits the digest element entirely when there is nothing to digest.
  if (entries.length === 0) return undefined;
  // Byte order, not String#sort: UTF-16 code-unit order disagrees with UTF-8 byte order for names
  // mixing astral characters with U+E000..U+FFFF.
  entries.sort((a, b) => Buffer.compare(a.name, b.name));

  const hash = createHash('md5');
  for (const { name, value } of entries) {
    writeField(hash, name);
    writeField(hash, Buffer.from(value.DataType, 'utf8'));
    // Custom labels (`Binary.png`, `Number.float`) keep the base type's transport; the label itself
    // is still hashed as part of DataType above.
    if (baseType(value.DataType) === 'Binary') {
      hash.update(BINARY_TRANSPORT);
      writeField(hash, value.BinaryValue ?? new Uint8Array(0));
    } else {
      hash.update(STRING_TRANSPORT);
      writeField(hash, Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

function baseType(dataType: string): string {
  const dot = dataType.indexOf('.');
  return dot === -1 ? dataType : dataType.slice(0, dot);
}

function writeField(hash: Hash, bytes: Uint8Array): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.byteLength);
  hash.update(length);
  hash.update(bytes);
}
