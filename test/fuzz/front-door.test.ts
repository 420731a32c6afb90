import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { XMLValidator } from 'fast-xml-parser';
import { type RawResponse, rawRequest, rawSocket, sigv4 } from '../support/server.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// A bounded, seeded storm of malformed requests: the same seed gives the same requests, so a
// failure names a request that can be replayed. Whatever comes in, the answer must be an AWS
// error (or a success) in a well-formed body, never a 5xx.

/** mulberry32: small, fast and good enough to pick among fuzz cases deterministically. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Fuzz {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Text mixing ordinary characters with those that trip parsers and XML writers. */
  text(max = 40): string {
    const pieces = [
      'a',
      'Z',
      '0',
      '-',
      '_',
      '.',
      '/',
      ':',
      ' ',
      '&',
      '<',
      '>',
      '"',
      "'",
      '%',
      '+',
      '=',
      '\u0000',
      '\u0001',
      '\u0008',
      '\u000b',
      '\u001f',
      '\t',
      '\n',
      '\r',
      '\u007f',
      '\ufffe',
      '\uffff',
      '\ud800',
      '\udfff',
      '\u00e9',
      '\u{1f600}',
      ']]>',
      '&#x1;',
      '{{x}}',
      '__proto__',
      'constructor',
      '000000000000',
      'http://',
    ];
    let out = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) out += this.pick(pieces);
    return out;
  }
  /** A JSON value of any type, for members that expect another. */
  value(depth = 0): unknown {
    switch (this.int(depth > 1 ? 5 : 8)) {
      case 0:
        return this.text();
      case 1:
        return this.pick([0, -1, 1.5, 1e300, 2 ** 53, Number.MAX_SAFE_INTEGER, 12]);
      case 2:
        return this.chance(0.5);
      case 3:
        return null;
      case 4:
        return this.pick(['', '0', 'true', 'String', 'Number', 'Binary', 'All']);
      case 5:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) o[this.pick(MEMBER_NAMES)] = this.value(depth + 1);
        return o;
      }
    }
  }
}

const ACCOUNT = '000000000000';
/** Another seed explores other requests (`TIDEWAY_FUZZ_SEED=7 node --test …`); the default run is always the same. */
const SEED_OFFSET = Number(process.env.TIDEWAY_FUZZ_SEED ?? 0) || 0;

const SQS_OPERATIONS = [
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteQueue',
  'GetQueueUrl',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'ListQueues',
  'ListQueueTags',
  'TagQueue',
  'UntagQueue',
  'PurgeQueue',
  'AddPermission',
  'RemovePermission',
  'ListDeadLetterSourceQueues',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
  'NoSuchOperation',
  '',
  'toString',
  '__proto__',
];

const MEMBER_NAMES = [
  'QueueUrl',
  'QueueName',
  'MessageBody',
  'DelaySeconds',
  'MessageAttributes',
  'MessageSystemAttributes',
  'MessageDeduplicationId',
  'MessageGroupId',
  'ReceiptHandle',
  'VisibilityTimeout',
  'Entries',
  'Id',
  'Attributes',
  'AttributeNames',
  'MessageAttributeNames',
  'MessageSystemAttributeNames',
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
  'ReceiveRequestAttemptId',
  'Tags',
  'TagKeys',
  'Label',
  'AWSAccountIds',
  'Actions',
  'QueueNamePrefix',
  'MaxResults',
  'NextToken',
  'SourceArn',
  'DestinationArn',
  'MaxNumberOfMessagesPerSecond',
  'TaskHandle',
  'DataType',
  'StringValue',
  'BinaryValue',
  'StringListValues',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  '__proto__',
  'constructor',
];

const ATTRIBUTE_NAMES = [
  'All',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'ApproximateNumberOfMessages',
  'QueueArn',
  'Bogus',
];

/** Mangles a real value: truncation, insertion, a swapped character or a wholly different text. */
function mangle(f: Fuzz, value: string): string {
  switch (f.int(6)) {
    case 0:
      return value.slice(0, f.int(value.length + 1));
    case 1: {
      const at = f.int(value.length + 1);
      return value.slice(0, at) + f.text(6) + value.slice(at);
    }
    case 2:
      return value.replace(/[a-z]/, f.text(1));
    case 3:
      return value + value;
    case 4:
      return f.text();
    default:
      return value;
  }
}

interface Targets {
  queueUrls: string[];
  receiptHandles: string[];
  queueArns: string[];
}

function queueUrl(f: Fuzz, endpoint: string, t: Targets): string {
  switch (f.int(8)) {
    case 0:
    case 5:
    case 6:
    case 7:
      return f.pick(t.queueUrls);
    case 1:
      return mangle(f, f.pick(t.queueUrls));
    case 2:
      return `${endpoint}/${f.pick([ACCOUNT, '123', '999999999999', f.text(12)])}/${f.text(20)}`;
    case 3:
      return f.text();
    default:
      return f.pick([
        '',
        'http://',
        'https://sqs.us-east-1.amazonaws.com/',
        '/000000000000/',
        `${endpoint}/`,
      ]);
  }
}

/** Members each SQS operation requires beyond QueueUrl: the storm sends them most of the time, to get past the first check. */
const SQS_REQUIRED: Record<string, string[]> = {
  SendMessage: ['MessageBody'],
  DeleteMessage: ['ReceiptHandle'],
  ChangeMessageVisibility: ['ReceiptHandle', 'VisibilityTimeout'],
  SendMessageBatch: ['Entries'],
  DeleteMessageBatch: ['Entries'],
  ChangeMessageVisibilityBatch: ['Entries'],
  CreateQueue: ['QueueName', 'Attributes'],
  GetQueueUrl: ['QueueName'],
  SetQueueAttributes: ['Attributes'],
  TagQueue: ['Tags'],
  UntagQueue: ['TagKeys'],
  AddPermission: ['Label', 'AWSAccountIds', 'Actions'],
  RemovePermission: ['Label'],
  StartMessageMoveTask: ['SourceArn'],
  CancelMessageMoveTask: ['TaskHandle'],
  ListMessageMoveTasks: ['SourceArn'],
  ReceiveMessage: ['MaxNumberOfMessages', 'AttributeNames'],
};

function sqsMember(f: Fuzz, name: string, t: Targets): unknown {
  if (f.chance(0.2)) return f.value();
  switch (name) {
    case 'ReceiptHandle':
      return f.chance(0.3) ? f.pick(t.receiptHandles) : mangle(f, f.pick(t.receiptHandles));
    case 'MessageBody':
      return f.text(60);
    case 'QueueName':
      return f.chance(0.3) ? f.pick(['fuzz', 'fuzz.fifo', 'fuzz-2', 'x.fifo']) : f.text(30);
    case 'VisibilityTimeout':
    case 'MaxNumberOfMessages':
      return f.pick([0, 1, 10, 11, -1, 43200, 43201, 1.5, '5']);
    case 'AttributeNames':
      return Array.from({ length: f.int(3) }, () => (f.chance(0.7) ? f.pick(ATTRIBUTE_NAMES) : f.text(10)));
    case 'Tags': {
      const tags: Record<string, unknown> = {};
      for (let i = f.int(3); i >= 0; i--) tags[f.text(12)] = f.chance(0.8) ? f.text(20) : f.value();
      return tags;
    }
    case 'TagKeys':
    case 'AWSAccountIds':
    case 'Actions':
      return Array.from({ length: f.int(3) }, () => f.pick([ACCOUNT, 'SendMessage', '*', f.text(12)]));
    case 'Label':
      return f.text(20);
    case 'SourceArn':
      return f.chance(0.5) ? f.pick(t.queueArns) : mangle(f, f.pick(t.queueArns));
    case 'TaskHandle':
      return f.chance(0.3) ? Buffer.from(f.text(30)).toString('base64') : f.text(30);
    default:
      return f.value();
  }
}

/** One awsJson body for an SQS operation: mostly the right members with fuzzed values. */
function sqsJsonMembers(f: Fuzz, operation: string, endpoint: string, t: Targets): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.chance(0.85)) body.QueueUrl = f.chance(0.85) ? queueUrl(f, endpoint, t) : f.value();
  const required = Object.hasOwn(SQS_REQUIRED, operation) ? SQS_REQUIRED[operation] : [];
  for (const name of required) if (f.chance(0.85)) body[name] = sqsMember(f, name, t);
  if (f.chance(0.2)) body.ReceiptHandle = sqsMember(f, 'ReceiptHandle', t);
  if (f.chance(0.2)) body.MessageBody = sqsMember(f, 'MessageBody', t);
  if (f.chance(0.1)) body.QueueName = sqsMember(f, 'QueueName', t);
  if (f.chance(0.3) || body.Attributes !== undefined) {
    const attributes: Record<string, unknown> = {};
    for (let i = f.int(3); i >= 0; i--) {
      attributes[f.chance(0.7) ? f.pick(ATTRIBUTE_NAMES) : f.text(10)] = f.chance(0.7)
        ? f.text(20)
        : f.value();
    }
    body.Attributes = attributes;
  }
  if (f.chance(0.25)) {
    const attributes: Record<string, unknown> = {};
    for (let i = f.int(3); i >= 0; i--) {
      attributes[f.text(12)] = f.chance(0.6)
        ? {
            DataType: f.pick(['String', 'Number', 'Binary', 'String.x', f.text(8)]),
            StringValue: f.chance(0.7) ? f.text(20) : f.value(),
            ...(f.chance(0.3) ? { BinaryValue: f.pick(['AAEC', '!!', f.text(8)]) } : {}),
          }
        : f.value();
    }
    body.MessageAttributes = attributes;
  }
  if (f.chance(0.25) || body.Entries !== undefined) {
    body.Entries = f.chance(0.8)
      ? Array.from({ length: f.int(12) }, () => ({
          Id: f.chance(0.7) ? f.text(10) : f.value(),
          MessageBody: f.text(20),
          ReceiptHandle: mangle(f, f.pick(t.receiptHandles)),
          ...(f.chance(0.3) ? { DelaySeconds: f.value() } : {}),
          ...(f.chance(0.3) ? { VisibilityTimeout: f.value() } : {}),
        }))
      : f.value();
  }
  for (let i = f.int(4); i > 0; i--) body[f.pick(MEMBER_NAMES)] = f.value();
  return body;
}

/** The raw bytes of an awsJson body: mostly JSON, sometimes broken, empty, huge or not UTF-8. */
function jsonBody(f: Fuzz, members: () => Record<string, unknown>): Buffer {
  switch (f.int(12)) {
    case 0:
      return Buffer.alloc(0);
    case 1:
      return Buffer.from(f.pick(['{', '}', '[]', 'null', '"x"', '1', '{"QueueUrl":}', '{"a":1,}', f.text()]));
    case 2:
      return Buffer.concat([
        Buffer.from('{"QueueUrl":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
    case 3:
      return Buffer.from(JSON.stringify({ ...members(), MessageBody: 'x'.repeat(300_000) }));
    case 4: {
      const text = JSON.stringify(members());
      return Buffer.from(text.slice(0, f.int(text.length)));
    }
    default:
      return Buffer.from(JSON.stringify(members()));
  }
}

/** Form fields for an SQS or SNS awsQuery request, with fuzzed names, indices and values. */
function queryFields(f: Fuzz, action: string, known: Record<string, () => string>): [string, string][] {
  const fields: [string, string][] = [];
  if (f.chance(0.95)) fields.push(['Action', action]);
  if (f.chance(0.9)) fields.push(['Version', f.chance(0.9) ? '2012-11-05' : f.text(10)]);
  for (const [name, make] of Object.entries(known)) if (f.chance(0.6)) fields.push([name, make()]);
  const indexed = [
    'Attribute.N.Name',
    'Attribute.N.Value',
    'AttributeName.N',
    'MessageAttribute.N.Name',
    'MessageAttribute.N.Value.DataType',
    'MessageAttribute.N.Value.StringValue',
    'MessageAttribute.N.Value.BinaryValue',
    'MessageAttributeName.N',
    'SendMessageBatchRequestEntry.N.Id',
    'SendMessageBatchRequestEntry.N.MessageBody',
    'SendMessageBatchRequestEntry.N.DelaySeconds',
    'DeleteMessageBatchRequestEntry.N.Id',
    'DeleteMessageBatchRequestEntry.N.ReceiptHandle',
    'ChangeMessageVisibilityBatchRequestEntry.N.VisibilityTimeout',
    'Tag.N.Key',
    'Tag.N.Value',
    'TagKey.N',
    'AWSAccountId.N',
    'ActionName.N',
    'Attributes.entry.N.key',
    'Attributes.entry.N.value',
    'MessageAttributes.entry.N.Name',
    'MessageAttributes.entry.N.Value.DataType',
    'MessageAttributes.entry.N.Value.StringValue',
    'Tags.member.N.Key',
    'Tags.member.N.Value',
  ];
  for (let i = f.int(6); i > 0; i--) {
    const index = f.pick(['1', '2', '0', '-1', '01', '1.5', 'x', '999999999999', '']);
    fields.push([f.pick(indexed).replace('N', index), f.chance(0.5) ? f.pick(ATTRIBUTE_NAMES) : f.text(20)]);
  }
  for (let i = f.int(3); i > 0; i--) fields.push([f.text(15), f.text(15)]);
  return fields;
}

function formBody(f: Fuzz, fields: [string, string][]): Buffer {
  const encoded = new URLSearchParams(fields).toString();
  switch (f.int(10)) {
    case 0:
      // Percent-escapes that decode to bytes that are not UTF-8.
      return Buffer.from(`${encoded}&MessageBody=%FF%FE%C3%28&QueueName=%ED%A0%80`);
    case 1:
      return Buffer.from(encoded.replace(/%[0-9A-F]{2}/, '%Z'));
    case 2:
      return Buffer.concat([Buffer.from(`${encoded}&MessageBody=`), Buffer.from([0xff, 0x00, 0xc3])]);
    case 3:
      return Buffer.from(`${encoded}&MessageBody=${'y'.repeat(300_000)}`);
    default:
      return Buffer.from(encoded);
  }
}

/** XML 1.0 §2.2 Char: what may appear in a document, raw or as a character reference. */
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** What is wrong with an answer, or undefined when it is a proper AWS answer. */
function problemWith(label: string, res: RawResponse): string | undefined {
  try {
    checkAnswer(label, res);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

function checkAnswer(label: string, res: RawResponse): void {
  assert.ok(res.status < 500, `${label}: status ${res.status}: ${res.body.slice(0, 300)}`);
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('xml')) {
    const valid = XMLValidator.validate(res.body);
    assert.equal(valid, true, `${label}: malformed XML ${JSON.stringify(valid)}: ${res.body.slice(0, 300)}`);
    assert.match(res.body, XML_CHAR, `${label}: a character XML 1.0 forbids: ${JSON.stringify(res.body)}`);
    for (const ref of res.body.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
      const code = ref[1][0] === 'x' ? Number.parseInt(ref[1].slice(1), 16) : Number(ref[1]);
      assert.match(
        String.fromCodePoint(code),
        XML_CHAR,
        `${label}: a reference to a forbidden character ${ref[0]}`,
      );
    }
    // awsQuery's <ErrorResponse>, or restXml's <Error> for a request no service claims.
    if (res.status >= 400)
      assert.match(res.body, /^<\?xml[^>]*\?><(ErrorResponse[ >]|Error>)[\s\S]*<Code>[^<]+<\/Code>/, label);
  } else if (type.includes('json')) {
    const parsed = JSON.parse(res.body);
    // awsJson names the error in `__type`, restJson1 in `x-amzn-ErrorType`.
    const named = typeof parsed.__type === 'string' || typeof res.headers['x-amzn-errortype'] === 'string';
    if (res.status >= 400) assert.ok(named, `${label}: no __type: ${res.body}`);
  } else if (type === 'application/x-amz-cbor-1.1') {
    // Kinesis over CBOR: the body arrives decoded as UTF-8 here, so only its ASCII keys are read.
    if (res.status >= 400) assert.match(res.body, /__type/, `${label}: no __type in a CBOR error`);
  } else {
    assert.fail(`${label}: answer of type ${type}: ${res.body.slice(0, 300)}`);
  }
}

describe('a storm of malformed requests', () => {
  let server: RunningTideway;
  let agent: http.Agent;
  const targets: Targets = { queueUrls: [], receiptHandles: [], queueArns: [] };

  before(async () => {
    server = await startServer({ logLevel: 'error' });
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sqs = sqsClient(server.endpoint);
    for (const name of ['fuzz', 'fuzz.fifo']) {
      const fifo = name.endsWith('.fifo');
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
        }),
      );
      targets.queueUrls.push(QueueUrl!);
      targets.queueArns.push(`arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`);
      for (let i = 0; i < 3; i++) {
        await sqs.send(
          new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageGroupId: fifo ? 'g' : undefined }),
        );
      }
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      for (const m of Messages ?? []) targets.receiptHandles.push(m.ReceiptHandle!);
    }
    sqs.destroy();
  });
  after(async () => {
    agent.destroy();
    await server.stop();
  });

  /** Every bad answer of a run, reported together: one run shows every kind of failure. */
  class Failures {
    readonly seen: string[] = [];
    /** How many answers of each status and code: shows that the storm reaches past the first check. */
    readonly answers = new Map<string, number>();
    note(label: string, res: RawResponse): void {
      const problem = problemWith(label, res);
      if (problem) this.seen.push(problem);
      const code = /"__type":"(?:[^"#]*#)?([^"]+)"|<Code>([^<]+)<\/Code>/.exec(res.body);
      const key = `${res.status} ${code?.[1] ?? code?.[2] ?? ''}`;
      this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
    }
    summary(): string {
      return [...this.answers]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
    }
    check(): void {
      assert.deepEqual(this.seen.slice(0, 4), [], `${this.seen.length} bad answers`);
    }
  }

  const send = (path: string, headers: Record<string, string>, body: Buffer) =>
    rawRequest(server.endpoint, { path, headers, body, agent });

  it('SQS awsJson: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed1 + SEED_OFFSET);
    for (let i = 0; i < 1000; i++) {
      const operation = f.pick(SQS_OPERATIONS);
      const body = jsonBody(f, () => sqsJsonMembers(f, operation, server.endpoint, targets));
      const headers: Record<string, string> = {
        'content-type': f.chance(0.9)
          ? 'application/x-amz-json-1.0'
          : f.pick(['application/json', 'text/plain', '']),
        'x-amz-target': f.chance(0.95) ? `AmazonSQS.${operation}` : f.text(20).replace(/[^\t\x20-\x7e]/g, ''),
        authorization: sigv4(),
      };
      const res = await send(f.chance(0.9) ? '/' : `/${ACCOUNT}/fuzz`, headers, body);
      failures.note(`json #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('SQS awsQuery: every answer is a well-formed XML error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed2 + SEED_OFFSET);
    for (let i = 0; i < 1000; i++) {
      const action = f.pick(SQS_OPERATIONS);
      const fields = queryFields(f, action, {
        QueueUrl: () => queueUrl(f, server.endpoint, targets),
        QueueName: () => f.text(30),
        MessageBody: () => f.text(60),
        ReceiptHandle: () => mangle(f, f.pick(targets.receiptHandles)),
        DelaySeconds: () => f.pick(['0', '-1', '900', '901', 'x', '1.5', f.text(4)]),
        VisibilityTimeout: () => f.pick(['0', '-1', '43200', '43201', 'x', f.text(4)]),
        MaxNumberOfMessages: () => f.pick(['1', '10', '11', '0', 'x', f.text(4)]),
        WaitTimeSeconds: () => f.pick(['0', '21', '-1', f.text(4)]),
        MessageGroupId: () => f.text(10),
        MessageDeduplicationId: () => f.text(10),
        Label: () => f.text(10),
        SourceArn: () => mangle(f, f.pick(targets.queueArns)),
        TaskHandle: () => f.text(30),
        QueueNamePrefix: () => f.text(10),
        MaxResults: () => f.pick(['0', '1', '1001', 'x']),
        NextToken: () => f.text(20),
      });
      const path = f.chance(0.8)
        ? '/'
        : f.pick([
            `/${ACCOUNT}/fuzz`,
            `/${ACCOUNT}/${encodeURIComponent(f.text(10).replace(/[\ud800-\udfff]/g, '')) || 'x'}`,
            '/123/x',
            '/x/y/z',
          ]);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (f.chance(0.7)) headers.authorization = sigv4();
      const res = await send(path, headers, formBody(f, fields));
      failures.note(`query #${i} ${action} ${JSON.stringify(fields).slice(0, 300)}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('SNS awsQuery: every answer is a well-formed XML error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed3 + SEED_OFFSET);
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:fuzz`;
    await send(
      '/',
      { 'content-type': 'application/x-www-form-urlencoded', authorization: sigv4('sns') },
      Buffer.from(
        new URLSearchParams({ Action: 'CreateTopic', Version: '2010-03-31', Name: 'fuzz' }).toString(),
      ),
    );
    const actions = [
      'CreateTopic',
      'DeleteTopic',
      'Publish',
      'PublishBatch',
      'Subscribe',
      'Unsubscribe',
      'ConfirmSubscription',
      'SetTopicAttributes',
      'GetTopicAttributes',
      'SetSubscriptionAttributes',
      'ListSubscriptionsByTopic',
      'TagResource',
      'CreatePlatformApplication',
      'CreatePlatformEndpoint',
      'NoSuchAction',
    ];
    for (let i = 0; i < 400; i++) {
      const action = f.pick(actions);
      const fields = queryFields(f, action, {
        Name: () => f.text(20),
        TopicArn: () => (f.chance(0.5) ? topicArn : mangle(f, topicArn)),
        Message: () => f.text(60),
        Subject: () => f.text(20),
        MessageStructure: () => f.pick(['json', f.text(5)]),
        Protocol: () => f.pick(['sqs', 'http', 'https', 'email', 'lambda', f.text(5)]),
        Endpoint: () => f.pick([`arn:aws:sqs:us-east-1:${ACCOUNT}:fuzz`, 'http://127.0.0.1:1/', f.text(20)]),
        SubscriptionArn: () => mangle(f, `${topicArn}:0d2b7e1a-1111-2222-3333-444444444444`),
        Token: () => f.text(30),
        AttributeName: () => f.text(15),
        AttributeValue: () => f.text(30),
        ResourceArn: () => mangle(f, topicArn),
        MessageGroupId: () => f.text(8),
        'PublishBatchRequestEntries.member.1.Id': () => f.text(8),
        'PublishBatchRequestEntries.member.1.Message': () => f.text(8),
      }).map(([k, v]): [string, string] =>
        k === 'Version' && v === '2012-11-05' ? [k, '2010-03-31'] : [k, v],
      );
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (f.chance(0.8)) headers.authorization = sigv4('sns');
      const res = await send('/', headers, formBody(f, fields));
      failures.note(`sns #${i} ${action} ${JSON.stringify(fields).slice(0, 300)}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('Kinesis awsJson: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed4 + SEED_OFFSET);
    const operations = [
      'CreateStream',
      'DescribeStream',
      'DescribeStreamSummary',
      'PutRecord',
      'PutRecords',
      'GetShardIterator',
      'GetRecords',
      'ListShards',
      'SplitShard',
      'MergeShards',
      'AddTagsToStream',
      'RegisterStreamConsumer',
      'PutResourcePolicy',
      'NoSuchOperation',
    ];
    const streamArn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/fuzz`;
    await send(
      '/',
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.CreateStream',
        authorization: sigv4('kinesis'),
      },
      Buffer.from(JSON.stringify({ StreamName: 'fuzz', ShardCount: 2 })),
    );
    for (let i = 0; i < 400; i++) {
      const operation = f.pick(operations);
      const members = () => {
        const m: Record<string, unknown> = {};
        if (f.chance(0.7)) m.StreamName = f.chance(0.5) ? 'fuzz' : f.chance(0.7) ? f.text(30) : f.value();
        if (f.chance(0.3)) m.StreamARN = f.chance(0.7) ? mangle(f, streamArn) : f.value();
        if (f.chance(0.4)) m.Data = f.pick(['AAEC', '', '!!!', f.text(10), 1, null]);
        if (f.chance(0.4)) m.PartitionKey = f.chance(0.8) ? f.text(30) : f.value();
        if (f.chance(0.3)) m.ShardId = f.pick(['shardId-000000000000', f.text(20), 0]);
        if (f.chance(0.3)) m.ShardIterator = f.text(40);
        if (f.chance(0.2)) m.ShardIteratorType = f.pick(['TRIM_HORIZON', 'AT_SEQUENCE_NUMBER', f.text(5)]);
        if (f.chance(0.2)) m.StartingSequenceNumber = f.pick(['0', '49' + '1'.repeat(54), f.text(20)]);
        if (f.chance(0.2))
          m.Records = f.chance(0.7) ? [{ Data: 'AA==', PartitionKey: f.text(5) }, f.value()] : f.value();
        if (f.chance(0.2)) m.ShardCount = f.value();
        if (f.chance(0.2)) m.Tags = f.value();
        for (let j = f.int(3); j > 0; j--)
          m[f.pick(['Limit', 'NextToken', 'ExplicitHashKey', 'NewStartingHashKey', 'Policy'])] = f.value();
        return m;
      };
      const body = jsonBody(f, members);
      const res = await send(
        '/',
        {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${operation}`,
          authorization: sigv4('kinesis'),
        },
        body,
      );
      failures.note(`kinesis #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('the front door: any method, path, headers and body get an AWS error in a well-formed body', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed5 + SEED_OFFSET);
    const contentTypes = [
      'application/x-amz-json-1.0',
      'application/x-amz-json-1.1',
      'application/x-amz-cbor-1.1',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/json',
      'application/xml',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ];
    const targets = [
      'AmazonSQS.ListQueues',
      'AmazonSQS.',
      'AmazonSQS',
      'Kinesis_20131202.ListStreams',
      'Kinesis_20131202.PutRecord',
      'DynamoDB_20120810.ListTables',
      '.',
      '..ListQueues',
      'AmazonSQS.ListQueues.Extra',
    ];
    const paths = [
      '/',
      '/000000000000/fuzz',
      '/000000000000/',
      '/x/y',
      '//',
      '/?Action=ListQueues',
      '/%ZZ',
      '/a?b=%ZZ',
    ];
    for (let i = 0; i < 400; i++) {
      const method = f.pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS']);
      const headers: Record<string, string> = {};
      const contentType = f.pick(contentTypes);
      if (contentType) headers['content-type'] = contentType;
      if (f.chance(0.5)) headers['x-amz-target'] = f.pick(targets);
      if (f.chance(0.6))
        headers.authorization = f.chance(0.8)
          ? sigv4(f.pick(['sqs', 'sns', 'kinesis', 'dynamodb', '']))
          : 'AWS4-HMAC-SHA256 Credential=///';
      if (f.chance(0.2)) headers.origin = 'http://localhost:3000';
      if (f.chance(0.1)) headers['access-control-request-method'] = 'POST';
      if (f.chance(0.2)) headers.accept = f.pick(['application/xml', 'application/json', '*/*']);
      let path = f.pick(paths);
      if (f.chance(0.3)) {
        const fields = queryFields(
          f,
          f.pick(['ListQueues', 'SendMessage', 'ListTopics', 'Publish', 'Nope']),
          {},
        );
        path += `${path.includes('?') ? '&' : '?'}${new URLSearchParams(fields.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, '')])).toString()}`;
      }
      const body =
        method === 'GET' || method === 'HEAD'
          ? Buffer.alloc(0)
          : f.pick([
              Buffer.alloc(0),
              Buffer.from('{}'),
              Buffer.from([0xa0]),
              Buffer.from([0xbf, 0x61, 0x61, 0xff]),
              Buffer.from([0xff, 0xfe, 0x00, 0x01]),
              Buffer.from('Action=ListQueues&Version=2012-11-05'),
              Buffer.from(f.text(30)),
            ]);
      const res = await send(path, headers, body);
      if (method === 'HEAD') {
        failures.note(`front #${i} HEAD ${path}`, {
          ...res,
          body: res.status < 500 ? '{"__type":"x"}' : res.body,
          headers: { ...res.headers, 'content-type': 'application/json' },
        });
        continue;
      }
      if (res.status === 200 && method === 'OPTIONS' && res.body === '') continue;
      failures.note(
        `front #${i} ${method} ${path} ${JSON.stringify(headers)} ${body.toString('latin1').slice(0, 60)}`,
        res,
      );
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('garbage on the socket (broken request lines, headers, HTTP/2 prefaces) leaves the server answering', async () => {
    const f = new Fuzz(0x5eed6 + SEED_OFFSET);
    const starts = [
      'POST / HTTP/1.1\r\n',
      'GET /_tideway/health HTTP/1.1\r\nHost: x\r\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      'PRI * HTTP/2.0\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      '',
    ];
    for (let i = 0; i < 40; i++) {
      const noise = Buffer.from(Array.from({ length: f.int(200) }, () => f.int(256)));
      const answer = await rawSocket(server.endpoint, Buffer.concat([Buffer.from(f.pick(starts)), noise]));
      // Whatever comes back on HTTP/1.1 is a status line, never a 5xx; an HTTP/2 peer gets frames.
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      if (status) assert.ok(Number(status) < 500, `socket #${i}: ${answer.slice(0, 200)}`);
    }
    const health = await rawRequest(server.endpoint, { method: 'GET', path: '/_tideway/health' });
    assert.equal(health.status, 200);
  });
});
