import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { runDoctor } from '../../src/knowhow/doctor.js';
import { eventsClient } from '../support/events.js';
import { DEFAULT_ACCOUNT, queueArn } from '../support/queues.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// The lint rules (docs/rules/) over the live model: the same mistakes as in templates, seeded
// through the APIs. EventBridge and SNS drop deliveries to a queue whose policy does not allow
// events.amazonaws.com / sns.amazonaws.com (target-policy-missing, dlq-policy-missing); a
// resource policy granting a service principal with no aws:SourceArn/SourceAccount is the
// confused deputy (service-principal-unscoped).
describe('doctor runs the lint rules on live resources', () => {
  let server: RunningTideway;
  const ruleArn = `arn:aws:events:us-east-1:${DEFAULT_ACCOUNT}:rule/live-rule`;
  let subscriptionArn: string;

  before(async () => {
    server = await startServer();
    const sqs = sqsClient(server.endpoint);
    await sqs.send(new CreateQueueCommand({ QueueName: 'live-target' }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'live-dlq' }));
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'live-unscoped',
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn('live-unscoped'),
              },
            ],
          }),
        },
      }),
    );
    const events = eventsClient(server.endpoint);
    await events.send(
      new PutRuleCommand({ Name: 'live-rule', EventPattern: JSON.stringify({ source: ['app'] }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'live-rule',
        Targets: [{ Id: 't', Arn: queueArn('live-target'), DeadLetterConfig: { Arn: queueArn('live-dlq') } }],
      }),
    );
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'live-topic' }));
    subscriptionArn = (
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queueArn('live-target'),
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
  });
  after(() => server.stop());

  it('finds target-policy-missing on a rule target and a subscription whose queue keeps the service out', async () => {
    const { findings } = await runDoctor({ endpoint: server.endpoint });
    const missing = findings.filter((f) => f.rule === 'target-policy-missing');
    // Both are reported on the queue, the resource to fix; each message names its sender.
    assert.equal(missing.length, 2, JSON.stringify(missing));
    for (const f of missing) {
      assert.equal(f.resource, queueArn('live-target'));
      assert.equal(f.severity, 'error');
    }
    assert.ok(missing.some((f) => f.message.includes(ruleArn)));
    assert.ok(missing.some((f) => f.message.includes(subscriptionArn)));
    for (const f of missing) assert.equal(f.file, `tideway://${DEFAULT_ACCOUNT}/us-east-1`);
  });

  it('finds dlq-policy-missing on the rule target whose dead-letter queue keeps EventBridge out', async () => {
    const { findings } = await runDoctor({ endpoint: server.endpoint });
    assert.ok(
      findings.some(
        (f) => f.rule === 'dlq-policy-missing' && [ruleArn, queueArn('live-dlq')].includes(f.resource),
      ),
      JSON.stringify(findings),
    );
  });

  it('finds service-principal-unscoped on a queue policy open to sns.amazonaws.com from anywhere', async () => {
    const { findings } = await runDoctor({ endpoint: server.endpoint });
    assert.ok(
      findings.some(
        (f) => f.rule === 'service-principal-unscoped' && f.resource === queueArn('live-unscoped'),
      ),
      JSON.stringify(findings),
    );
  });
});
