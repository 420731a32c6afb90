import { isAccountId } from '../../core/accounts.js';

export interface QueueAddress {
  account: string;
  name: string;
  /** Set when the URL names a region in an AWS-style host (sqs.<region>.amazonaws.com). */
  region?: string;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export function isValidQueueName(name: string, fifo: boolean): boolean {
  return fifo ? FIFO_QUEUE_NAME.test(name) : QUEUE_NAME.test(name);
}

export function queueUrl(baseUrl: string, account: string, name: string): string {
  return `${baseUrl}/${account}/${name}`;
}

// Clients repeat the same few queue URLs on every call; parsing each once is enough.
const parsed = new Map<string, QueueAddress | undefined>();
const PARSED_LIMIT = 10_000;
// Each request brings its URL as a new string, which a map lookup must hash first; comparing it
// with the URL of the call before is cheaper, and a client working one queue repeats that one.
let lastUrl = '';
let lastAddress: QueueAddress | undefined;

/** Accepts our own URLs, AWS-style ones, and a bare `/<account>/<name>` path. */
export function parseQueueUrl(value: string): QueueAddress | undefined {
  if (value === lastUrl) return lastAddress;
  let address: QueueAddress | undefined;
  if (parsed.has(value)) {
    address = parsed.get(value);
  } else {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    address = parseUncached(value);
    parsed.set(value, address);
  }
  lastUrl = value;
  lastAddress = address;
  return address;
}

function parseUncached(value: string): QueueAddress | undefined {
  let path = value;
  let host = '';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)(\/.*)?$/i.exec(value);
  if (scheme) {
    host = scheme[1];
    path = scheme[2] ?? '';
  }
  const parts = path
    .split('?')[0]
    .split('/')
    .filter((p) => p.length > 0);
  if (parts.length !== 2 || !isAccountId(parts[0])) return undefined;
  const region = /^sqs\.([a-z0-9-]+)\./.exec(host)?.[1] ?? /^([a-z]{2}-[a-z]+-\d)\.queue\./.exec(host)?.[1];
  let name: string;
  try {
    name = decodeURIComponent(parts[1]);
  } catch {
    // A malformed escape names no queue that could exist.
    return undefined;
  }
  return { account: parts[0], name, region };
}
