import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  ListTagsForResourceCommand,
  PutRuleCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { uniqueName } from '../support/tideway.js';

const PATTERN = JSON.stringify({ source: ['my.app'] });

// Tags of rules and event buses (AWS's recorded answers in LocalStack's test_events_tags snapshots).
describe('EventBridge tags', () => {
  const t = withEventsServer();

  async function tagCycle(arn: string, client = t.events): Promise<void> {
    await client.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: 'tag1', Value: 'value1' },
          { Key: 'tag2', Value: 'value2' },
        ],
      }),
    );
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: 'tag1', Value: 'value1' },
      { Key: 'tag2', Value: 'value2' },
    ]);
    await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['tag2'] }));
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
      { Key: 'tag1', Value: 'value1' },
    ]);
    await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['not-there'] }));
  }

  it('tags, lists and untags a rule', async () => {
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({ Name: uniqueName('rule'), EventPattern: PATTERN }),
    );
    await tagCycle(RuleArn!);
  });

  it('tags, lists and untags the default bus, which exists from the first call', async () => {
    const account = '666666666666';
    const client = eventsClient(t.server.endpoint, { credentials: accountCredentials(account) });
    try {
      await tagCycle(`arn:aws:events:us-east-1:${account}:event-bus/default`, client);
    } finally {
      client.destroy();
    }
  });

  it('a value given again replaces the old one in place', async () => {
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({
        Name: uniqueName('rule'),
        EventPattern: PATTERN,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await t.events.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'a', Value: '3' }] }));
    assert.deepEqual((await t.events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
  });

  it('a rule deleted and put again has no tags', async () => {
    const name = uniqueName('rule');
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({ Name: name, EventPattern: PATTERN, Tags: [{ Key: 'tag1', Value: 'value1' }] }),
    );
    await t.events.send(new DeleteRuleCommand({ Name: name }));
    await eventsRejects(
      t.events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn })),
      'ResourceNotFoundException',
      `Rule ${name} does not exist on EventBus default.`,
    );
    await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    assert.deepEqual(
      (await t.events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags,
      [],
    );
  });

  it('a custom bus deleted and created again has no tags; the default bus keeps its own', async () => {
    const name = uniqueName('bus');
    const { EventBusArn } = await t.events.send(
      new CreateEventBusCommand({
        Name: name,
        Tags: [
          { Key: 'tag1', Value: 'value1' },
          { Key: 'tag2', Value: 'value2' },
        ],
      }),
    );
    assert.deepEqual(
      (await t.events.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn }))).Tags,
      [
        { Key: 'tag1', Value: 'value1' },
        { Key: 'tag2', Value: 'value2' },
      ],
    );
    await t.events.send(new DeleteEventBusCommand({ Name: name }));
    await eventsRejects(
      t.events.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn })),
      'ResourceNotFoundException',
      `Event bus ${name} does not exist.`,
    );
    await t.events.send(new CreateEventBusCommand({ Name: name }));
    assert.deepEqual(
      (await t.events.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn }))).Tags,
      [],
    );

    const account = '777777777777';
    const client = eventsClient(t.server.endpoint, { credentials: accountCredentials(account) });
    try {
      const defaultBus = `arn:aws:events:us-east-1:${account}:event-bus/default`;
      await client.send(
        new TagResourceCommand({ ResourceARN: defaultBus, Tags: [{ Key: 'tag1', Value: 'value1' }] }),
      );
      // "Recreating" the default bus is a CreateEventBus AWS refuses: the bus and its tags stay.
      await eventsRejects(
        client.send(new CreateEventBusCommand({ Name: 'default' })),
        'ResourceAlreadyExistsException',
        'Event bus default already exists.',
      );
      assert.deepEqual(
        (await client.send(new ListTagsForResourceCommand({ ResourceARN: defaultBus }))).Tags,
        [{ Key: 'tag1', Value: 'value1' }],
      );
    } finally {
      client.destroy();
    }
  });

  it('names the rule or bus that is not there, for all three operations', async () => {
    const name = uniqueName('missing');
    const cases = [
      [
        `arn:aws:events:us-east-1:000000000000:rule/${name}`,
        `Rule ${name} does not exist on EventBus default.`,
      ],
      [`arn:aws:events:us-east-1:000000000000:rule/${name}-bus/r`, `Event bus ${name}-bus does not exist.`],
      [`arn:aws:events:us-east-1:000000000000:event-bus/${name}`, `Event bus ${name} does not exist.`],
    ];
    for (const [arn, text] of cases) {
      await eventsRejects(
        t.events.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'tag1', Value: 'value1' }] })),
        'ResourceNotFoundException',
        text,
      );
      await eventsRejects(
        t.events.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
        'ResourceNotFoundException',
        text,
      );
      await eventsRejects(
        t.events.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['tag1'] })),
        'ResourceNotFoundException',
        text,
      );
    }
  });

  it('refuses an ARN that names no rule or bus', async () => {
    for (const arn of [
      'not-an-arn',
      'arn:aws:sqs:us-east-1:000000000000:q',
      'arn:aws:events:us-east-1:000000000000:archive/a',
    ]) {
      await eventsRejects(
        t.events.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
        'ValidationException',
        `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`,
      );
    }
  });
});
