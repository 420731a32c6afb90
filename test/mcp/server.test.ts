import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { advise, parseWorkload } from '../../src/knowhow/advise/index.js';
import { RULES } from '../../src/knowhow/rules/index.js';
import { cliMain, freePort, runCli } from '../support/server.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer, uniqueName } from '../support/tideway.js';
import { answerOf, call, connectMcp, errorOf, type McpSession, resourceText } from './mcp-client.js';

// What the server exposes is Tideway's own contract (docs/mcp.md, issue 13 "tideway mcp"); the
// findings and advice it relays are those of lint, doctor and advise, checked here end to end over
// the SDK's stdio client as an agent would see them.

const TOOLS = ['advise', 'lint', 'doctor', 'list_resources', 'describe_resource'];

/** An EventBridge rule sends to a queue whose (absent) policy does not allow events.amazonaws.com. */
const RULE_TO_QUEUE_WITHOUT_POLICY = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
  OrdersRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop.orders]
      Targets:
        - Id: orders
          Arn: !GetAtt OrdersQueue.Arn
`;

/** The same, with the queue policy AWS's documentation gives: the service, scoped to the rule. */
const RULE_TO_QUEUE_WITH_POLICY = `${RULE_TO_QUEUE_WITHOUT_POLICY}  OrdersQueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref OrdersQueue]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt OrdersQueue.Arn
            Condition:
              ArnEquals: { aws:SourceArn: !GetAtt OrdersRule.Arn }
`;

const LINE_OF = { OrdersQueue: 3, OrdersRule: 5 } as Record<string, number>;

async function closedEndpoint(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

async function lintTempDirs(): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith('tideway-mcp-lint-'));
}

describe('tideway mcp over stdio', () => {
  let tideway: RunningTideway;
  let session: McpSession;
  const sqs = () => sqsClient(tideway.endpoint);
  let topicArn: string;
  let allowedQueue: { url: string; arn: string };
  let openQueue: { url: string; arn: string };
  let allowedSubscription: string;

  before(async () => {
    tideway = await startServer();
    const sns = snsClient(tideway.endpoint);
    const client = sqs();
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('orders') }))).TopicArn!;
    allowedQueue = await subscribableQueue(client, uniqueName('allowed'), topicArn);
    // Subscribed without a policy that lets SNS deliver: AWS drops every message to it.
    openQueue = await subscribableQueue(client, uniqueName('open'));
    allowedSubscription = (
      await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: allowedQueue.arn }),
      )
    ).SubscriptionArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: openQueue.arn }));
    sns.destroy();
    client.destroy();
    session = await connectMcp(['--endpoint', tideway.endpoint]);
  });

  after(async () => {
    await session?.close();
    await tideway?.stop();
  });

  describe('what it exposes', () => {
    it('is named tideway, with the version of package.json', async () => {
      const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
      const info = session.client.getServerVersion();
      assert.equal(info?.name, 'tideway');
      assert.equal(info?.version, pkg.version);
      assert.match(session.client.getInstructions() ?? '', /advise/);
    });

    it('lists the five tools, each read-only with an input and an output schema', async () => {
      const { tools } = await session.client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), [...TOOLS].sort());
      for (const tool of tools) {
        assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is read-only`);
        assert.equal(tool.inputSchema.type, 'object');
        assert.equal(tool.outputSchema?.type, 'object', `${tool.name} declares its output`);
        assert.ok((tool.description ?? '').length > 40, `${tool.name} says what it does`);
      }
      const lint = tools.find((tool) => tool.name === 'lint')!;
      for (const rule of RULES) assert.ok(lint.description!.includes(rule.id), `lint lists ${rule.id}`);
      assert.deepEqual(Object.keys(lint.inputSchema.properties ?? {}).sort(), [
        'disable',
        'explain',
        'filename',
        'format',
        'paths',
        'profile',
        'template',
      ]);
      const doctor = tools.find((tool) => tool.name === 'doctor')!;
      assert.ok(doctor.description!.includes(tideway.endpoint), 'doctor names the endpoint it reads');
    });

    it('serves the rule catalogue as a resource, and a template for live resources', async () => {
      const { resources } = await session.client.listResources();
      assert.ok(resources.some((r) => r.uri === 'tideway://rules'));
      const read = await session.client.readResource({ uri: 'tideway://rules' });
      const rules = JSON.parse(resourceText(read));
      assert.deepEqual(
        rules.map((rule: { id: string }) => rule.id),
        RULES.map((rule) => rule.id),
      );
      for (const rule of rules) assert.equal(rule.doc, `docs/rules/${rule.id}.md`);
      const { resourceTemplates } = await session.client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => t.uriTemplate),
        ['tideway://resources/{+arn}'],
      );
    });
  });

  describe('advise', () => {
    it('answers a workload with the advice advise gives', async () => {
      const workload = { ordering: 'per-group', consumers: 'fan-out' };
      const answer = answerOf(await call(session, 'advise', { workload }));
      assert.deepEqual(answer, JSON.parse(JSON.stringify(advise(parseWorkload(workload)))));
      assert.ok(answer.services.length > 0);
      assert.ok(answer.services.every((s: { reason: string }) => s.reason.length > 0));
    });

    it('describes every dimension in its input schema', async () => {
      const { tools } = await session.client.listTools();
      const workload = (tools.find((tool) => tool.name === 'advise')!.inputSchema.properties as any).workload;
      for (const name of [
        'replay',
        'ordering',
        'consumers',
        'crossAccount',
        'kafkaApi',
        'messageSize',
        'tenants',
      ]) {
        assert.ok(workload.properties?.[name], `advise's schema has ${name}`);
      }
      assert.deepEqual(workload.properties.ordering.enum, ['none', 'per-group', 'per-partition']);
    });

    it('reports a wrong answer as an error result naming the dimension', async () => {
      const message = errorOf(await call(session, 'advise', { workload: { ordering: 'sideways' } }));
      assert.match(message, /ordering/);
    });

    it('reports an unknown field with the names of the right ones', async () => {
      const message = errorOf(await call(session, 'advise', { workload: { frequency: 'daily' } }));
      assert.match(message, /^Invalid workload: .*frequency/);
    });

    it('refuses a workload that is not an object', async () => {
      const message = errorOf(await call(session, 'advise', { workload: 'lots of orders' }));
      assert.match(message, /workload/);
    });
  });

  describe('lint', () => {
    it('finds a rule target whose queue policy does not allow EventBridge, in template text', async () => {
      const answer = answerOf(
        await call(session, 'lint', { template: RULE_TO_QUEUE_WITHOUT_POLICY, filename: 'orders.yaml' }),
      );
      const finding = answer.findings.find((f: { rule: string }) => f.rule === 'target-policy-missing');
      assert.ok(finding, JSON.stringify(answer.findings));
      assert.equal(finding.severity, 'error');
      assert.equal(finding.file, 'orders.yaml', 'the name the agent gave, not the temporary copy');
      assert.ok(finding.resource in LINE_OF, finding.resource);
      assert.equal(finding.line, LINE_OF[finding.resource]);
      assert.ok(finding.fix.length > 0);
      assert.ok(answer.summary.errors >= 1);
      assert.deepEqual(answer.files, ['orders.yaml']);
      assert.equal(answer.notes, undefined, 'notes only with explain');
    });

    it('makes no such finding once the queue policy allows the rule', async () => {
      const answer = answerOf(await call(session, 'lint', { template: RULE_TO_QUEUE_WITH_POLICY }));
      const rules = answer.findings.map((f: { rule: string }) => f.rule);
      assert.ok(!rules.includes('target-policy-missing'), rules.join());
      assert.ok(!rules.includes('service-principal-unscoped'), rules.join());
    });

    it('skips disabled rules', async () => {
      const answer = answerOf(
        await call(session, 'lint', {
          template: RULE_TO_QUEUE_WITHOUT_POLICY,
          disable: ['target-policy-missing'],
        }),
      );
      assert.ok(!answer.findings.some((f: { rule: string }) => f.rule === 'target-policy-missing'));
    });

    it('says with explain why an unresolved target got no finding', async () => {
      const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  QueueArn: { Type: String }
Resources:
  OrdersRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop.orders] }
      Targets:
        - Id: orders
          Arn: !Ref QueueArn
`;
      const answer = answerOf(await call(session, 'lint', { template, explain: true }));
      assert.ok(!answer.findings.some((f: { rule: string }) => f.rule === 'target-policy-missing'));
      assert.ok(Array.isArray(answer.notes) && answer.notes.length > 0, JSON.stringify(answer));
    });

    it('reads files given by path, and names them as given', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'tideway-mcp-test-'));
      try {
        const file = path.join(dir, 'template.json');
        // The same template in JSON, to go through the JSON reader too.
        await writeFile(
          file,
          JSON.stringify({
            Resources: {
              OrdersQueue: { Type: 'AWS::SQS::Queue' },
              OrdersRule: {
                Type: 'AWS::Events::Rule',
                Properties: {
                  EventPattern: { source: ['shop.orders'] },
                  Targets: [{ Id: 'orders', Arn: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] } }],
                },
              },
            },
          }),
        );
        const answer = answerOf(await call(session, 'lint', { paths: [dir] }));
        const finding = answer.findings.find((f: { rule: string }) => f.rule === 'target-policy-missing');
        assert.ok(finding, JSON.stringify(answer));
        assert.equal(finding.file, file);
        assert.deepEqual(answer.files, [file]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('leaves no temporary copy behind, whatever lint answered', async () => {
      const before = await lintTempDirs();
      await call(session, 'lint', { template: RULE_TO_QUEUE_WITHOUT_POLICY });
      await call(session, 'lint', { template: '{ "not": "a template" }', format: 'json' });
      assert.deepEqual(await lintTempDirs(), before);
    });

    it('refuses calls that give neither or both of paths and template', async () => {
      assert.match(errorOf(await call(session, 'lint', {})), /either "paths" or "template"/);
      assert.match(
        errorOf(await call(session, 'lint', { paths: ['a.yaml'], template: RULE_TO_QUEUE_WITHOUT_POLICY })),
        /either "paths" or "template"/,
      );
    });

    it('names the paths that do not exist', async () => {
      const missing = path.join(os.tmpdir(), uniqueName('no-such-template'), 'template.yaml');
      const message = errorOf(await call(session, 'lint', { paths: [missing] }));
      assert.ok(message.includes(missing), message);
    });

    it('refuses an unknown rule id in disable, rather than hiding nothing', async () => {
      const message = errorOf(
        await call(session, 'lint', { template: RULE_TO_QUEUE_WITHOUT_POLICY, disable: ['no-such-rule'] }),
      );
      assert.match(message, /no-such-rule/);
    });
  });

  describe('doctor', () => {
    it('checks the live resources: a subscription to a queue whose policy does not allow SNS', async () => {
      const answer = answerOf(await call(session, 'doctor', {}));
      assert.equal(answer.endpoint, tideway.endpoint);
      const finding = answer.findings.find(
        (f: { rule: string; message: string; resource: string }) =>
          f.rule === 'target-policy-missing' && `${f.resource} ${f.message}`.includes(openQueue.arn),
      );
      assert.ok(finding, JSON.stringify(answer.findings));
      assert.equal(finding.file, 'tideway://000000000000/us-east-1');
      assert.ok(
        !answer.findings.some(
          (f: { rule: string; resource: string }) =>
            f.rule === 'target-policy-missing' && f.resource === allowedQueue.arn,
        ),
      );
      assert.ok(answer.summary.errors >= 1);
    });

    it('checks one region only when asked', async () => {
      const answer = answerOf(await call(session, 'doctor', { region: 'eu-west-1' }));
      assert.deepEqual(answer.findings, []);
    });

    it('says clearly when nothing listens at the endpoint', async () => {
      const endpoint = await closedEndpoint();
      const message = errorOf(await call(session, 'doctor', { endpoint }));
      assert.ok(message.includes(endpoint), message);
    });

    it('refuses a malformed account or endpoint', async () => {
      assert.match(errorOf(await call(session, 'doctor', { account: '12' })), /account/);
      assert.match(errorOf(await call(session, 'doctor', { endpoint: 'localhost' })), /endpoint/);
    });
  });

  describe('the live view', () => {
    it('lists the queues and topics with their ARNs', async () => {
      const answer = answerOf(await call(session, 'list_resources', {}));
      assert.equal(answer.endpoint, tideway.endpoint);
      const queue = answer.resources.find((r: { arn: string }) => r.arn === allowedQueue.arn);
      assert.ok(queue, JSON.stringify(answer.resources));
      assert.equal(queue.kind, 'queue');
      assert.equal(queue.url, allowedQueue.url);
      assert.equal(queue.account, '000000000000');
      assert.equal(queue.region, 'us-east-1');
      assert.equal(queue.uri, `tideway://resources/${allowedQueue.arn}`);
      const topic = answer.resources.find((r: { arn: string }) => r.arn === topicArn);
      assert.equal(topic?.kind, 'topic');
    });

    it('lists only the kinds asked for', async () => {
      const answer = answerOf(await call(session, 'list_resources', { kinds: ['topic'] }));
      assert.ok(answer.resources.length > 0);
      assert.ok(answer.resources.every((r: { kind: string }) => r.kind === 'topic'));
      assert.ok(answer.resources.some((r: { arn: string }) => r.arn === topicArn));
    });

    it('describes a topic with its subscriptions', async () => {
      const answer = answerOf(await call(session, 'describe_resource', { arn: topicArn }));
      assert.equal(answer.kind, 'topic');
      assert.equal(answer.arn, topicArn);
      const subscriptions = answer.related.filter((r: { relation: string }) => r.relation === 'subscription');
      assert.equal(subscriptions.length, 2, JSON.stringify(answer.related));
      assert.ok(subscriptions.some((r: { arn: string }) => r.arn === allowedSubscription));
    });

    it('describes a queue, by ARN or URL, with its policy and who delivers to it', async () => {
      for (const arn of [allowedQueue.arn, allowedQueue.url]) {
        const answer = answerOf(await call(session, 'describe_resource', { arn }));
        assert.equal(answer.kind, 'queue');
        assert.equal(answer.arn, allowedQueue.arn);
        assert.equal(answer.resource.attributes.QueueArn, allowedQueue.arn);
        const statement = answer.resource.policies[0].document.Statement[0];
        assert.deepEqual(statement.Principal, { Service: 'sns.amazonaws.com' });
        assert.ok(
          answer.related.some(
            (r: { relation: string; arn: string }) =>
              r.relation === 'delivered-by-subscription' && r.arn === allowedSubscription,
          ),
          JSON.stringify(answer.related),
        );
      }
    });

    it('serves the same description as a resource', async () => {
      const { resources } = await session.client.listResources();
      assert.ok(resources.some((r) => r.uri === `tideway://resources/${topicArn}`));
      const read = await session.client.readResource({ uri: `tideway://resources/${topicArn}` });
      const description = JSON.parse(resourceText(read));
      assert.equal(description.arn, topicArn);
      assert.equal(description.kind, 'topic');
    });

    it('reports an ARN it does not know as an error result', async () => {
      const arn = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
      const message = errorOf(await call(session, 'describe_resource', { arn }));
      assert.ok(message.includes(arn), message);
    });

    it('says clearly when nothing listens at the endpoint', async () => {
      const endpoint = await closedEndpoint();
      for (const [tool, args] of [
        ['list_resources', { endpoint }],
        ['describe_resource', { endpoint, arn: topicArn }],
      ] as const) {
        const message = errorOf(await call(session, tool, args));
        assert.ok(message.includes(endpoint), `${tool}: ${message}`);
      }
    });
  });

  it('keeps serving after errors, and reports an unknown tool as an error result', async () => {
    const message = errorOf(await call(session, 'delete_queue', { arn: allowedQueue.arn }));
    assert.match(message, /delete_queue/);
    const { tools } = await session.client.listTools();
    assert.equal(tools.length, TOOLS.length);
  });
});

describe('tideway mcp, the command', () => {
  it('takes its default endpoint from AWS_ENDPOINT_URL, else 127.0.0.1:4566', async () => {
    const fromEnv = await connectMcp([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:45999' });
    const byDefault = await connectMcp([], { AWS_ENDPOINT_URL: undefined });
    try {
      const described = async (s: McpSession) =>
        (await s.client.listTools()).tools.find((tool) => tool.name === 'doctor')!.description!;
      assert.ok((await described(fromEnv)).includes('http://127.0.0.1:45999'));
      assert.ok((await described(byDefault)).includes('http://127.0.0.1:4566'));
    } finally {
      await fromEnv.close();
      await byDefault.close();
    }
  });

  it('exits 0 once its client closes stdin', async () => {
    const child = spawn(process.execPath, [cliMain, 'mcp'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const request = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    child.stdin.write(`${JSON.stringify(request)}\n`);
    while (!stdout.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 20));
    const response = JSON.parse(stdout.split('\n')[0]);
    assert.equal(response.id, 1);
    assert.equal(response.result.serverInfo.name, 'tideway');
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    assert.equal(await exited, 0);
    clearTimeout(timer);
  });

  it('--help describes the command and exits 0', async () => {
    const run = await runCli(['mcp', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--endpoint/);
    assert.match(run.stdout, /AWS_ENDPOINT_URL/);
  });

  it('refuses an unknown option or an endpoint that is not an http URL with exit code 2', async () => {
    for (const args of [['--no-such-flag'], ['--endpoint', 'ftp://example.com'], ['--endpoint', 'nope']]) {
      const run = await runCli(['mcp', ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /tideway mcp:/);
      assert.equal(run.stdout, '', 'nothing on stdout, which carries the protocol');
    }
  });
});
