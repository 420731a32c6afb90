import { isIPv6 } from 'node:net';

/**
 * IP literals and CIDR blocks as the AWS pattern engine (Ruler) reads them. Hand-written because its rules
 * differ from node:net's: a CIDR's range starts at the address as written (not the masked network), a /32
 * (or /128) is refused, and only text shaped like an address is ever treated as one.
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  low: bigint;
  high: bigint;
}

export class CidrError extends Error {
  override name = 'CidrError';
}

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** The address, or undefined when the text is not an IPv4 or IPv6 literal. */
export function parseIp(text: string): IpAddress | undefined {
  if (IPV4_SHAPE.test(text)) {
    let value = 0n;
    for (const part of text.split('.')) {
      const octet = Number(part);
      if (octet > 255) return undefined;
      value = (value << 8n) | BigInt(octet);
    }
    return { family: 4, value };
  }
  if (IPV6_SHAPE.test(text) && isIPv6(text)) {
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
    const headGroups = head ? head.split(':') : [];
    const tailGroups = tail ? tail.split(':') : [];
    const missing = 8 - headGroups.length - tailGroups.length;
    const groups =
      tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...tailGroups];
    let value = 0n;
    for (const group of groups) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
    return { family: 6, value };
  }
  return undefined;
}

/** Ruler's CIDR reading, with its error texts. */
export function parseCidr(text: string): IpRange {
  // Java's String.split drops trailing empty parts, so "10.0.0.0/" has one part, not two.
  const parts = text.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new CidrError("Malformed CIDR, one '/' required");
  const [address, maskText] = parts;
  if (!/^[+-]?\d+$/.test(maskText) || Math.abs(Number(maskText)) > 2 ** 31 - 1) {
    throw new CidrError('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new CidrError('Malformed CIDR, mask bits must not be negative');
  if (!looksLikeIp(address)) throw new CidrError(`Nonstandard IP address: ${address}`);
  const ip = parseIp(address);
  if (!ip) throw new CidrError(`Invalid IP address: ${address}`);
  const width = ip.family === 4 ? 32 : 128;
  if (maskBits >= width) throw new CidrError(`IPv${ip.family} mask bits must be < ${width}`);
  const hostBits = (1n << BigInt(width - maskBits)) - 1n;
  return { family: ip.family, low: ip.value, high: ip.value | hostBits };
}
