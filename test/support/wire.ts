import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { xmlText } from './server.js';
import { type SqsProtocol, sqsClient } from './tideway.js';

/** One answer as it crossed the wire. */
export interface WireAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * The SDK's own HTTP handler, keeping a copy of the last answer: tests drive the official
 * client and still see the `__type`, `x-amzn-query-error` or XML that AWS's clients parse.
 */
export class RecordingHandler extends NodeHttpHandler {
  last?: WireAnswer;

  override async handle(...args: Parameters<NodeHttpHandler['handle']>) {
    const result = await super.handle(...args);
    const { response } = result;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks);
    this.last = { status: response.statusCode, headers: response.headers, body: body.toString('utf8') };
    response.body = Readable.from([body]);
    return result;
  }
}

/** An SQS client over either protocol whose `wire.last` is the last answer. */
export function recordingSqsClient(
  endpoint: string,
  protocol: SqsProtocol,
): { sqs: SQSClient; wire: RecordingHandler } {
  const wire = new RecordingHandler();
  return { sqs: sqsClient(endpoint, protocol, { requestHandler: wire }), wire };
}

export interface WireError {
  /** The awsJson error type, namespace included (`com.amazonaws.sqs#…` or coral's). */
  type: string;
  /** The awsQuery code: `x-amzn-query-error` over JSON, `<Code>` in the XML. */
  queryCode: string;
  message: string;
  /** 400 unless given. */
  status?: number;
}

/** Checks the last answer against AWS's error on that protocol, byte-level fields included. */
export function assertWireError(wire: RecordingHandler, protocol: SqsProtocol, expected: WireError): void {
  const answer = wire.last;
  assert.ok(answer, 'no answer recorded');
  assert.equal(answer.status, expected.status ?? 400, `HTTP status (${answer.body})`);
  if (protocol === 'json') {
    const parsed = JSON.parse(answer.body) as { __type?: string; message?: string };
    assert.equal(parsed.__type, expected.type, '__type');
    assert.equal(parsed.message, expected.message, 'message');
    assert.equal(answer.headers['x-amzn-query-error'], `${expected.queryCode};Sender`, 'x-amzn-query-error');
  } else {
    assert.equal(xmlText(answer.body, 'Type'), 'Sender', 'Type');
    assert.equal(xmlText(answer.body, 'Code'), expected.queryCode, 'Code');
    assert.equal(unescapeXml(xmlText(answer.body, 'Message') ?? ''), expected.message, 'Message');
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(quot|apos|lt|gt|amp);/g, (_, e: string) =>
    e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'lt' ? '<' : e === 'gt' ? '>' : '&',
  );
}
