import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DEFAULT_ACCOUNT, queueArn } from '../support/queues.js';
import { freePort, runCli } from '../support/server.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// The official SARIF 2.1.0 schema is draft-04; Ajv 8 reads it as draft-07 once the two
// spellings that differ are renamed (as test/unit/knowhow/report-sarif.test.ts does).
const official = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
);
const { id: schemaId, $schema: _draft04, ...schemaBody } = official;
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormatsModule as unknown as (ajv: Ajv) => Ajv)(ajv);
const sarifSchema = ajv.compile({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: schemaId,
  ...schemaBody,
});

function assertValidSarif(log: unknown): void {
  assert.ok(sarifSchema(log), JSON.stringify(sarifSchema.errors, null, 2));
}

// `tideway doctor` (issue 13): --endpoint (or AWS_ENDPOINT_URL), --account, --region,
// --format text|json|sarif, --disable; exit 1 on errors, 2 when nothing answers.
describe('tideway doctor (the command)', () => {
  let server: RunningTideway;
  let subscriptionArn: string;

  before(async () => {
    server = await startServer();
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cli-closed' }));
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['AWSTraceHeader'], WaitTimeSeconds: 1 }),
    );
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'cli-topic' }));
    subscriptionArn = (
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queueArn('cli-closed'),
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
    await sns.send(new PublishCommand({ TopicArn, Message: 'lost' }));
  });
  after(() => server.stop());

  it('prints JSON findings and exits 1 when one is an error', async () => {
    const run = await runCli(['doctor', '--endpoint', server.endpoint, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const { findings } = JSON.parse(run.stdout) as { findings: Record<string, unknown>[] };
    const drop = findings.find((f) => f.rule === 'dropped-deliveries')!;
    assert.equal(drop.severity, 'error');
    assert.equal(drop.resource, subscriptionArn);
    assert.equal(drop.file, `tideway://${DEFAULT_ACCOUNT}/us-east-1`);
    assert.equal(typeof drop.fix, 'string');
    const system = findings.find((f) => f.rule === 'system-attribute-as-message-attribute')!;
    assert.equal(system.resource, queueArn('cli-closed'));
    assert.equal(system.severity, 'warning');
  });

  it('reads AWS_ENDPOINT_URL, and --disable takes the errors away (exit 0)', async () => {
    // The closed queue is both a static mistake (target-policy-missing) and a runtime drop.
    const disable = 'dropped-deliveries,target-policy-missing';
    const run = await runCli(['doctor', '--format', 'json', '--disable', disable], {
      AWS_ENDPOINT_URL: server.endpoint,
    });
    assert.equal(run.code, 0, run.stderr);
    const { findings } = JSON.parse(run.stdout) as { findings: { rule: string }[] };
    assert.ok(findings.some((f) => f.rule === 'system-attribute-as-message-attribute'));
    assert.ok(!findings.some((f) => f.rule === 'dropped-deliveries'));
  });

  it('prints SARIF 2.1.0 that the schema accepts, runtime hints among its rules', async () => {
    const run = await runCli(['doctor', '--endpoint', server.endpoint, '--format', 'sarif']);
    assert.equal(run.code, 1, run.stderr);
    const log = JSON.parse(run.stdout);
    assertValidSarif(log);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    const ruleIds = sarifRun.tool.driver.rules.map((rule: { id: string }) => rule.id);
    const drop = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'dropped-deliveries');
    assert.equal(drop.level, 'error');
    assert.equal(ruleIds[drop.ruleIndex], 'dropped-deliveries');
    assert.equal(
      drop.locations[0].physicalLocation.artifactLocation.uri,
      `tideway://${DEFAULT_ACCOUNT}/us-east-1`,
    );
    assert.equal(drop.locations[0].logicalLocations[0].name, subscriptionArn);
    for (const result of sarifRun.results) assert.equal(ruleIds[result.ruleIndex], result.ruleId);
  });

  it('prints text naming each finding with its fix', async () => {
    const run = await runCli(['doctor', '--endpoint', server.endpoint]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /dropped-deliveries/);
    assert.match(run.stdout, /MessageSystemAttributeNames/);
  });

  it('limits itself to --account and --region', async () => {
    const run = await runCli([
      'doctor',
      '--endpoint',
      server.endpoint,
      '--format',
      'json',
      '--region',
      'eu-west-1',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).findings, []);
  });

  it('exits 2 when nothing answers at the endpoint', async () => {
    const port = await freePort();
    const run = await runCli(['doctor', '--endpoint', `http://127.0.0.1:${port}`]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`no Tideway answers at http://127.0.0.1:${port}`));
    assert.equal(run.stdout, '');
  });

  it('exits 2 on an endpoint that is not an http URL, saying so', async () => {
    for (const endpoint of ['localhost:4566', 'ftp://127.0.0.1:4566', 'nowhere']) {
      const run = await runCli(['doctor', '--endpoint', endpoint]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--endpoint must be an http:\/\/ or https:\/\/ URL/);
      assert.ok(run.stderr.includes(`'${endpoint}'`), run.stderr);
    }
  });

  it('exits 2 on a wrong option, and 0 with --help', async () => {
    const bad = await runCli(['doctor', '--format', 'xml', '--endpoint', server.endpoint]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be one of text, json, sarif/);
    const help = await runCli(['doctor', '--help']);
    assert.equal(help.code, 0);
    for (const flag of [
      '--endpoint',
      '--account',
      '--region',
      '--format',
      '--disable',
      '--profile',
      '--explain',
    ]) {
      assert.ok(help.stdout.includes(flag), `--help mentions ${flag}`);
    }
  });
});
