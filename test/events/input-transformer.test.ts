import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { receive, sqsClient, uniqueName } from '../support/tideway.js';

// The transformer cases of LocalStack's AWS-validated test_events_inputs.py, end to end: PutRule,
// PutTargets to a queue whose policy lets events.amazonaws.com send, PutEvents, and the SQS body
// compared byte for byte (JSON bodies with their minified text; test/unit/event-input.test.ts holds
// every recorded case against the renderer itself).

const PATTERN = {
  source: ['core.update-account-command'],
  'detail-type': ['core.update-account-command'],
  detail: { command: ['update-account'] },
};
const SPECIAL_EVENT_DETAIL = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
  listsingle: ['HIGH'],
  listmulti: ['ACTIVE', 'INACTIVE'],
  valid: true,
};
const NESTED_PATHS = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
};

describe('EventBridge target input through SQS', () => {
  const suite = withEventsServer();
  let sqs: SQSClient;
  let bus: string;
  before(async () => {
    sqs = sqsClient(suite.server.endpoint);
    bus = uniqueName('bus');
    await suite.events.send(new CreateEventBusCommand({ Name: bus }));
  });

  async function queueForEvents(): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const arn = Attributes!.QueueArn!;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn,
        },
      ],
    };
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }),
    );
    return { url: QueueUrl!, arn };
  }

  /** What the queue holds after one matching event, polled briefly since delivery follows PutEvents. */
  async function bodiesAfterEvent(
    input: Partial<Target>,
    detail: object = SPECIAL_EVENT_DETAIL,
    expected = 1,
  ): Promise<string[]> {
    const queue = await queueForEvents();
    const rule = uniqueName('rule');
    await suite.events.send(
      new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(PATTERN) }),
    );
    const put = await suite.events.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: bus,
        Targets: [{ Id: 't1', Arn: queue.arn, ...input }],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const sent = await suite.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: 'core.update-account-command',
            DetailType: 'core.update-account-command',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    assert.equal(sent.FailedEntryCount, 0);
    const messages: Message[] = [];
    // Expecting nothing still waits the whole round, so a late delivery would be seen.
    const wanted = Math.max(expected, 1);
    for (let attempt = 0; attempt < 20 && messages.length < wanted; attempt++) {
      messages.push(...(await receive(sqs, queue.url, { MaxNumberOfMessages: 10 })));
      if (messages.length < wanted) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return messages.map((m) => m.Body!);
  }

  const transformer = (template: string, paths: Record<string, string> = NESTED_PATHS) => ({
    InputTransformer: { InputPathsMap: paths, InputTemplate: template },
  });

  it('delivers a JSON template filled and minified', async () => {
    const bodies = await bodiesAfterEvent(
      transformer('{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}'),
    );
    assert.deepEqual(bodies, [
      '{"method":"PUT","path":"users-service/users/0a787ecb-4015","bod":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}',
    ]);
  });

  it('delivers a string template with objects and lists unquoted', async () => {
    const bodies = await bodiesAfterEvent(
      transformer(
        '"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"',
      ),
    );
    assert.deepEqual(bodies, [
      '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"',
    ]);
  });

  it('delivers one quoted line per template line', async () => {
    const bodies = await bodiesAfterEvent(
      transformer(
        '"<listsingle> single list item"\n"<listmulti> multiple list items"\n"Command is <valid>!"',
      ),
    );
    assert.deepEqual(bodies, [
      '"[HIGH] single list item"\n"[ACTIVE,INACTIVE] multiple list items"\n"Command is true!"',
    ]);
  });

  it('fills the reserved variables', async () => {
    const rule = uniqueName('rule');
    const queue = await queueForEvents();
    const { RuleArn } = await suite.events.send(
      new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(PATTERN) }),
    );
    await suite.events.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: bus,
        Targets: [
          {
            Id: 't1',
            Arn: queue.arn,
            InputTransformer: {
              InputTemplate:
                '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "event": <aws.events.event.json>}',
            },
          },
        ],
      }),
    );
    await suite.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: 'core.update-account-command',
            DetailType: 'core.update-account-command',
            Detail: JSON.stringify(SPECIAL_EVENT_DETAIL),
          },
        ],
      }),
    );
    let messages: Message[] = [];
    for (let attempt = 0; attempt < 20 && messages.length === 0; attempt++) {
      messages = await receive(sqs, queue.url);
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(messages.length, 1);
    const body = JSON.parse(messages[0].Body!);
    assert.equal(body.arn, RuleArn);
    assert.equal(body.name, rule);
    assert.deepEqual(body.event.detail, SPECIAL_EVENT_DETAIL);
    assert.deepEqual(Object.keys(body.event), [
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
  });

  it('delivers nothing when an object goes inside a string of a JSON template', async () => {
    assert.deepEqual(
      await bodiesAfterEvent(transformer('{"payload": "<payload>"}'), SPECIAL_EVENT_DETAIL, 0),
      [],
    );
  });

  it('delivers the part InputPath selects', async () => {
    assert.deepEqual(await bodiesAfterEvent({ InputPath: '$.detail.payload.sf_id' }), ['"baz"']);
  });

  it('refuses two input kinds on one target and an undefined placeholder, with AWS texts', async () => {
    const rule = uniqueName('rule');
    await suite.events.send(
      new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(PATTERN) }),
    );
    const arn = 'arn:aws:sqs:us-east-1:000000000000:nowhere';
    await eventsRejects(
      suite.events.send(
        new PutTargetsCommand({
          Rule: rule,
          EventBusName: bus,
          Targets: [{ Id: 'both', Arn: arn, InputPath: '$.detail', ...transformer('<userId>') }],
        }),
      ),
      'ValidationException',
      'Only one of Input, InputPath, or InputTransformer must be provided for target both.',
    );
    await eventsRejects(
      suite.events.send(
        new PutTargetsCommand({
          Rule: rule,
          EventBusName: bus,
          Targets: [
            {
              Id: 'undefined-key',
              Arn: arn,
              ...transformer('"Event of <userId> type, with not defined key <notdefinedkey>"'),
            },
          ],
        }),
      ),
      'ValidationException',
      'InputTemplate for target undefined-key contains invalid placeholder notdefinedkey.',
    );
  });
});
