import { Pool } from 'undici';
import type { SignedHeaders } from './sigv4.js';

export const SNS_VERSION = '2010-03-31';
export const FORM = 'application/x-www-form-urlencoded';

export class SnsCallError extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${action}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/** A form body for `action`, built once where a hot loop sends it over and over. */
export function queryBody(action: string, params: Record<string, string> = {}): string {
  return new URLSearchParams({ Action: action, Version: SNS_VERSION, ...params }).toString();
}

/**
 * The text of the first `<tag>` in an XML answer. Every value the bench reads (TopicArn,
 * SubscriptionArn, MessageId) is a plain ARN or id, so a regex does what an XML parser would at
 * a fraction of the client CPU; `&amp;`-style escapes never occur in them.
 */
export function xmlValue(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/**
 * SNS over awsQuery (the only protocol SNS speaks), straight on an undici pool like SqsWire: the
 * SDK's client CPU per call would cap the load long before either server does.
 */
export class SnsWire {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(origin: string, auth: SignedHeaders, connections: number) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
    });
    this.headers = { 'content-type': FORM, ...auth };
  }

  /** Posts a form body (see queryBody) and returns the XML answer; `action` only names errors. */
  async post(action: string, body: string): Promise<string> {
    const { statusCode, body: answer } = await this.pool.request({
      path: '/',
      method: 'POST',
      headers: this.headers,
      body,
    });
    const text = await answer.text();
    if (statusCode !== 200) throw new SnsCallError(action, statusCode, text);
    return text;
  }

  call(action: string, params: Record<string, string> = {}): Promise<string> {
    return this.post(action, queryBody(action, params));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
