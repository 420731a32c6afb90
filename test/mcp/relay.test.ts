import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type Advice, type Workload, WorkloadError } from '../../src/knowhow/advise/index.js';
import type { DoctorOptions, DoctorResult } from '../../src/knowhow/doctor.js';
import type { Finding } from '../../src/knowhow/findings.js';
import type { LintOptions, LintResult } from '../../src/knowhow/lint.js';
import type { LiveInventory } from '../../src/knowhow/live/inventory.js';
import { workloadSchema } from '../../src/knowhow/mcp/advise-tool.js';
import type { KnowHow } from '../../src/knowhow/mcp/know-how.js';
import { createTidewayMcpServer } from '../../src/knowhow/mcp/server.js';
import type { Bus, EventRule, Subscription } from '../../src/knowhow/model.js';
import { base, model, queue, topic } from '../support/knowhow-model.js';
import { answerOf, errorOf, resourceText } from './mcp-client.js';

// The server's own behaviour, whatever advise, lint, doctor and the inventory answer: what it
// passes them, how it names a template given as text, how it shapes the live view, and how it
// turns their failures into error results. They are replaced here by functions that record their
// calls; server.test.ts runs the real ones over stdio.

const ENDPOINT = 'http://127.0.0.1:4566';
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
const QUEUE_ARN = arn('sqs', 'orders');
const DLQ_ARN = arn('sqs', 'orders-dlq');
const QUEUE_URL = `${ENDPOINT}/${ACCOUNT}/orders`;
const TOPIC_ARN = arn('sns', 'orders');
const SUBSCRIPTION_ARN = `${TOPIC_ARN}:5f1c2a`;
const BUS_ARN = arn('events', 'event-bus/default');
const RULE_ARN = arn('events', 'rule/shipping');
const LIVE = { file: `tideway://${ACCOUNT}/${REGION}` };

function liveInventory(): LiveInventory {
  const live = (id: string, type: string) => ({ ...base(id, type), arn: id, origin: LIVE });
  const subscription: Subscription = {
    ...live(SUBSCRIPTION_ARN, 'AWS::SNS::Subscription'),
    topic: TOPIC_ARN,
    protocol: 'sqs',
    endpoint: QUEUE_ARN,
  };
  const bus: Bus = { ...live(BUS_ARN, 'AWS::Events::EventBus'), name: 'default', policies: [] };
  const rule: EventRule = {
    ...live(RULE_ARN, 'AWS::Events::Rule'),
    bus: 'default',
    hasPattern: true,
    hasSchedule: false,
    targets: [{ targetId: 'to-orders', arn: QUEUE_ARN, dlq: DLQ_ARN }],
  };
  const policy = { Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' } }] };
  return {
    scopes: [
      {
        account: ACCOUNT,
        region: REGION,
        model: model(
          {
            queues: [
              queue(QUEUE_ARN, {
                ...live(QUEUE_ARN, 'AWS::SQS::Queue'),
                name: 'orders',
                url: QUEUE_URL,
                redriveDlq: DLQ_ARN,
                attributes: { QueueArn: QUEUE_ARN, VisibilityTimeout: '30' },
                policies: [{ document: policy, from: QUEUE_ARN, origin: LIVE }],
              }),
              queue(DLQ_ARN, { ...live(DLQ_ARN, 'AWS::SQS::Queue'), name: 'orders-dlq' }),
            ],
            topics: [topic(TOPIC_ARN, { ...live(TOPIC_ARN, 'AWS::SNS::Topic'), name: 'orders' })],
            subscriptions: [subscription],
            buses: [bus],
            rules: [rule],
          },
          'live',
        ),
      },
      { account: '111122223333', region: 'eu-west-1', model: model({}, 'live') },
    ],
  };
}

const FINDING: Finding = {
  rule: 'target-policy-missing',
  severity: 'error',
  resource: 'OrdersQueue',
  file: 'placeholder',
  line: 3,
  message: 'OrdersRule sends to OrdersQueue, whose policy does not allow events.amazonaws.com',
  fix: 'Add an AWS::SQS::QueuePolicy allowing events.amazonaws.com, scoped with aws:SourceArn',
};

const ADVICE: Advice = {
  pattern: 'fan-out',
  services: [
    { id: 'sns', reason: 'fan-out to several kinds of subscriber' },
    { id: 'sqs', reason: 'a queue per consumer' },
  ],
  integrations: [
    { id: 'sns-sqs-fanout', services: ['sns', 'sqs'], description: 'SNS topic → one SQS queue per consumer' },
  ],
  settings: [{ service: 'sqs', setting: 'ReceiveMessageWaitTimeSeconds', value: '20', why: 'long polling' }],
};

interface Calls {
  lint: { paths: string[]; options: LintOptions; contents: string[] }[];
  doctor: DoctorOptions[];
  inventory: { endpoint: string; filter: { account?: string; region?: string } }[];
}

function recordingKnowHow(calls: Calls): Partial<KnowHow> {
  return {
    parseWorkload: (input) => {
      if ((input as { frequency?: unknown }).frequency !== undefined) {
        throw new WorkloadError("unknown workload field 'frequency'");
      }
      return input as Workload;
    },
    advise: () => ADVICE,
    lintPaths: async (paths, options = {}) => {
      const contents = await Promise.all(paths.map((p) => readFile(p, 'utf8').catch(() => '')));
      calls.lint.push({ paths, options, contents });
      if (contents[0] === 'NOT A TEMPLATE') throw new Error(`cannot read ${paths[0]}: no Resources`);
      return {
        findings: [{ ...FINDING, file: paths[0] }],
        notes: [{ resource: 'Param', origin: { file: paths[0], line: 2 }, message: 'a parameter' }],
        files: paths,
        skipped: [{ path: paths[0], reason: 'a skipped file' }],
      } as LintResult;
    },
    runDoctor: async (options) => {
      calls.doctor.push(options);
      if (options.endpoint.endsWith(':1')) throw new Error(`nothing answers at ${options.endpoint}`);
      return {
        findings: [{ ...FINDING, resource: QUEUE_ARN, file: LIVE.file, line: undefined }],
        notes: [{ message: 'a note' }],
        scopes: [{ account: ACCOUNT, region: REGION }],
      } as DoctorResult;
    },
    fetchInventory: async (endpoint, filter = {}) => {
      calls.inventory.push({ endpoint, filter });
      if (endpoint.endsWith(':1')) throw new Error(`nothing answers at ${endpoint}`);
      const inventory = liveInventory();
      return {
        scopes: inventory.scopes.filter(
          (s) =>
            (!filter.account || s.account === filter.account) &&
            (!filter.region || s.region === filter.region),
        ),
      };
    },
  };
}

describe('tideway mcp relays advise, lint, doctor and the inventory', () => {
  const calls: Calls = { lint: [], doctor: [], inventory: [] };
  const client = new Client({ name: 'relay-test', version: '1.0.0' });
  const server = createTidewayMcpServer({ endpoint: ENDPOINT, knowHow: recordingKnowHow(calls) });
  const callTool = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  before(async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
  });

  after(async () => {
    await client.close();
    await server.close();
  });

  it('advise: the advice as structured content, and a workload error as an error result', async () => {
    assert.deepEqual(answerOf(await callTool('advise', { workload: { consumers: 'fan-out' } })), ADVICE);
    assert.equal(
      errorOf(await callTool('advise', { workload: { frequency: 'daily' } })),
      "Invalid workload: unknown workload field 'frequency'",
    );
  });

  it('lint: a template given as text is read from a file of the right kind, named as the agent named it', async () => {
    const template = 'Resources:\n  OrdersQueue:\n    Type: AWS::SQS::Queue\n';
    const answer = answerOf(
      await callTool('lint', {
        template,
        filename: 'infra/orders.yaml',
        disable: ['missing-dlq'],
        profile: 'production',
      }),
    );
    const seen = calls.lint.at(-1)!;
    assert.equal(seen.contents[0], template);
    assert.equal(path.basename(seen.paths[0]), 'orders.yaml');
    assert.deepEqual(seen.options, { disable: ['missing-dlq'], profile: 'production' });
    assert.deepEqual(answer.findings, [{ ...FINDING, file: 'infra/orders.yaml' }]);
    assert.deepEqual(answer.files, ['infra/orders.yaml']);
    assert.deepEqual(answer.skipped, [{ path: 'infra/orders.yaml', reason: 'a skipped file' }]);
    assert.deepEqual(answer.summary, { errors: 1, warnings: 0, notices: 0 });
    assert.equal(answer.notes, undefined);
  });

  it("lint: a template lint cannot read is an error result under the agent's name for it", async () => {
    const message = errorOf(await callTool('lint', { template: 'NOT A TEMPLATE', filename: 'orders.yaml' }));
    assert.equal(message, 'lint failed: cannot read orders.yaml: no Resources');
  });

  it('lint: JSON and plans get a .json file, YAML a .yaml one, when no filename is given', async () => {
    for (const [args, expected] of [
      [{ template: '{"Resources": {}}' }, 'template.json'],
      [{ template: '  {"format_version": "1.2"}', format: 'terraform-plan' }, 'template.json'],
      [{ template: 'Resources: {}' }, 'template.yaml'],
      [{ template: 'Resources: {}', filename: 'stack' }, 'stack.yaml'],
    ] as const) {
      const answer = answerOf(await callTool('lint', args));
      assert.equal(path.basename(calls.lint.at(-1)!.paths[0]), expected);
      assert.equal(answer.findings[0].file, 'filename' in args ? args.filename : expected);
    }
  });

  it('lint: paths go through as given, and notes come back only with explain', async () => {
    const here = path.dirname(new URL(import.meta.url).pathname);
    const answer = answerOf(await callTool('lint', { paths: [here], explain: true }));
    assert.deepEqual(calls.lint.at(-1)!.paths, [here]);
    assert.equal(answer.findings[0].file, here);
    assert.deepEqual(answer.notes, [
      { resource: 'Param', origin: { file: here, line: 2 }, message: 'a parameter' },
    ]);
  });

  it("doctor: the server's endpoint unless the call names one, with the filters and rules asked", async () => {
    const answer = answerOf(
      await callTool('doctor', {
        account: '111122223333',
        region: 'eu-west-1',
        disable: ['short-polling-empty-receives', 'sqs-short-polling'],
        explain: true,
      }),
    );
    assert.deepEqual(calls.doctor.at(-1), {
      endpoint: ENDPOINT,
      account: '111122223333',
      region: 'eu-west-1',
      disable: ['short-polling-empty-receives', 'sqs-short-polling'],
      profile: undefined,
    });
    assert.equal(answer.endpoint, ENDPOINT);
    assert.equal(answer.findings[0].resource, QUEUE_ARN);
    assert.equal('line' in answer.findings[0], false);
    assert.deepEqual(answer.notes, [{ message: 'a note' }]);
    await callTool('doctor', { endpoint: 'http://localhost:9999/' });
    assert.equal(calls.doctor.at(-1)!.endpoint, 'http://localhost:9999', 'paths are appended to it');
  });

  it('doctor: a failure names the endpoint', async () => {
    const message = errorOf(await callTool('doctor', { endpoint: 'http://127.0.0.1:1' }));
    assert.equal(
      message,
      'doctor could not check the Tideway at http://127.0.0.1:1: nothing answers at http://127.0.0.1:1',
    );
  });

  it('list_resources: every resource with its kind, scope and URI, filtered by kind and scope', async () => {
    const all = answerOf(await callTool('list_resources', {}));
    assert.deepEqual(
      all.resources.map((r: { kind: string; arn: string }) => `${r.kind} ${r.arn}`),
      [
        `queue ${QUEUE_ARN}`,
        `queue ${DLQ_ARN}`,
        `topic ${TOPIC_ARN}`,
        `subscription ${SUBSCRIPTION_ARN}`,
        `bus ${BUS_ARN}`,
        `rule ${RULE_ARN}`,
      ],
    );
    assert.deepEqual(all.resources[0], {
      kind: 'queue',
      arn: QUEUE_ARN,
      name: 'orders',
      type: 'AWS::SQS::Queue',
      account: ACCOUNT,
      region: REGION,
      url: QUEUE_URL,
      uri: `tideway://resources/${QUEUE_ARN}`,
    });
    const buses = answerOf(await callTool('list_resources', { kinds: ['bus', 'rule'] }));
    assert.deepEqual(
      buses.resources.map((r: { arn: string }) => r.arn),
      [BUS_ARN, RULE_ARN],
    );
    const elsewhere = answerOf(await callTool('list_resources', { region: 'eu-west-1' }));
    assert.deepEqual(calls.inventory.at(-1)!.filter, { account: undefined, region: 'eu-west-1' });
    assert.deepEqual(elsewhere.resources, []);
    assert.match(errorOf(await callTool('list_resources', { kinds: ['table'] })), /kinds/);
  });

  it('describe_resource: a queue with its attributes, policy, and everything that points at it', async () => {
    const answer = answerOf(await callTool('describe_resource', { arn: QUEUE_ARN }));
    assert.deepEqual(calls.inventory.at(-1)!.filter, { account: ACCOUNT, region: REGION });
    assert.equal(answer.kind, 'queue');
    assert.equal(answer.resource.url, QUEUE_URL);
    assert.deepEqual(answer.resource.attributes, { QueueArn: QUEUE_ARN, VisibilityTimeout: '30' });
    assert.equal(answer.resource.policies[0].document.Statement[0].Principal.Service, 'sns.amazonaws.com');
    assert.equal('origin' in answer.resource, false, 'bookkeeping stays out');
    assert.deepEqual(answer.related, [
      { relation: 'delivered-by-subscription', arn: SUBSCRIPTION_ARN },
      { relation: 'delivered-by-rule', arn: RULE_ARN, targetId: 'to-orders' },
    ]);
  });

  it('describe_resource: what a dead-letter queue serves, a topic its subscriptions, a bus its rules', async () => {
    const dlq = answerOf(await callTool('describe_resource', { arn: DLQ_ARN }));
    assert.deepEqual(dlq.related, [
      { relation: 'dead-letter-queue-of', arn: RULE_ARN, targetId: 'to-orders' },
      { relation: 'dead-letter-queue-of', arn: QUEUE_ARN },
    ]);
    const topicView = answerOf(await callTool('describe_resource', { arn: TOPIC_ARN }));
    assert.deepEqual(topicView.related, [{ relation: 'subscription', arn: SUBSCRIPTION_ARN }]);
    const busView = answerOf(await callTool('describe_resource', { arn: BUS_ARN }));
    assert.deepEqual(busView.related, [{ relation: 'rule', arn: RULE_ARN }]);
    const ruleView = answerOf(await callTool('describe_resource', { arn: RULE_ARN }));
    assert.deepEqual(ruleView.resource.targets, [{ targetId: 'to-orders', arn: QUEUE_ARN, dlq: DLQ_ARN }]);
  });

  it('describe_resource: a queue URL reads every scope; an unknown ARN is an error result', async () => {
    const byUrl = answerOf(await callTool('describe_resource', { arn: QUEUE_URL }));
    assert.deepEqual(calls.inventory.at(-1)!.filter, {});
    assert.equal(byUrl.arn, QUEUE_ARN);
    const missing = arn('sqs', 'missing');
    assert.equal(
      errorOf(await callTool('describe_resource', { arn: missing })),
      `No resource ${missing} at the Tideway at ${ENDPOINT}; list_resources shows the ARNs there.`,
    );
  });

  it('resources: the live resources listed and read by URI, percent-encoded or not', async () => {
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === `tideway://resources/${RULE_ARN}` && r.name === RULE_ARN));
    assert.ok(resources.some((r) => r.uri === `tideway://resources/${QUEUE_ARN}` && r.name === 'orders'));
    for (const uri of [
      `tideway://resources/${RULE_ARN}`,
      `tideway://resources/${encodeURIComponent(RULE_ARN)}`,
    ]) {
      const description = JSON.parse(resourceText(await client.readResource({ uri })));
      assert.equal(description.arn, RULE_ARN);
      assert.equal(description.kind, 'rule');
    }
    await assert.rejects(
      client.readResource({ uri: `tideway://resources/${arn('sqs', 'missing')}` }),
      /No resource arn:aws:sqs:us-east-1:000000000000:missing/,
    );
  });
});

describe('tideway mcp with nothing listening at its endpoint', () => {
  const calls: Calls = { lint: [], doctor: [], inventory: [] };
  const client = new Client({ name: 'relay-test', version: '1.0.0' });
  const server = createTidewayMcpServer({ endpoint: 'http://127.0.0.1:1', knowHow: recordingKnowHow(calls) });

  before(async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
  });

  after(async () => {
    await client.close();
    await server.close();
  });

  it('lists no live resources rather than failing the listing, and still serves the rules', async () => {
    const { resources } = await client.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      ['tideway://rules'],
    );
  });

  it('fails a read of a live resource with a message naming the endpoint', async () => {
    await assert.rejects(
      client.readResource({ uri: `tideway://resources/${QUEUE_ARN}` }),
      /Could not read the Tideway at http:\/\/127\.0\.0\.1:1: nothing answers/,
    );
  });
});

describe("advise's input schema", () => {
  const dimensions = [
    { name: 'replay', kind: 'boolean', default: false, description: 'Re-read after consumption.' },
    { name: 'ordering', kind: 'choice', values: ['none', 'per-group', 'per-partition'], default: 'none' },
    { name: 'messageSize', kind: 'size', default: 1024 },
    { name: 'tenants', kind: 'count', default: 1 },
  ];

  it('has one property per dimension, with its allowed values and default', () => {
    const json = z.toJSONSchema(workloadSchema(dimensions)) as any;
    assert.deepEqual(Object.keys(json.properties), ['replay', 'ordering', 'messageSize', 'tenants']);
    assert.equal(json.properties.replay.type, 'boolean');
    assert.equal(json.properties.replay.description, 'Re-read after consumption. Default: false.');
    assert.deepEqual(json.properties.ordering.enum, ['none', 'per-group', 'per-partition']);
    assert.equal(json.properties.ordering.description, 'Default: "none".');
    assert.deepEqual(json.required ?? [], []);
  });

  it('accepts answers of the right kind and leaves unknown fields to parseWorkload', () => {
    const schema = workloadSchema(dimensions);
    assert.ok(schema.safeParse({ ordering: 'per-group', messageSize: '256KiB', tenants: 40 }).success);
    assert.ok(schema.safeParse({ replay: true, messageSize: 2048 }).success);
    assert.ok(schema.safeParse({ frequency: 'daily' }).success, 'parseWorkload names the known fields');
    for (const wrong of [
      { ordering: 'sideways' },
      { replay: 'often' },
      { tenants: 0 },
      { messageSize: -1 },
    ]) {
      assert.equal(schema.safeParse(wrong).success, false, JSON.stringify(wrong));
    }
  });

  it('is any object when advise does not describe its dimensions', () => {
    const schema = workloadSchema(undefined);
    assert.ok(schema.safeParse({ anything: 1 }).success);
    assert.equal(schema.safeParse('fast').success, false);
  });
});
