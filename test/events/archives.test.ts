import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeRuleCommand,
  ListArchivesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { advance, uniqueName } from '../support/tideway.js';

// Archives through the SDK, checked against what AWS answered (LocalStack's AWS-validated
// test_archive_and_replay snapshots, and native captures of the archive control plane): fields
// present or absent, error codes and texts, the managed rule AWS keeps on the bus.

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const DEFAULT_BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
const PATTERN = JSON.stringify({
  source: ['core.update-account-command'],
  'detail-type': ['core.update-account-command'],
  detail: { command: ['update-account'] },
});

const archiveName = () => uniqueName('archive').replace(/[^A-Za-z0-9._-]/g, '-');

describe('EventBridge archives', () => {
  const t = withEventsServer();

  it('create, describe, list, update and delete, in the shapes AWS answers', async () => {
    const name = archiveName();
    const created = await t.events.send(
      new CreateArchiveCommand({
        ArchiveName: name,
        EventSourceArn: DEFAULT_BUS,
        Description: 'description of the archive',
        EventPattern: PATTERN,
        RetentionDays: 1,
      }),
    );
    assert.equal(created.ArchiveArn, `arn:aws:events:${REGION}:${ACCOUNT}:archive/${name}`);
    assert.equal(created.State, 'ENABLED');
    assert.ok(created.CreationTime instanceof Date);

    const described = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    assert.deepEqual(
      { ...described, $metadata: undefined },
      {
        $metadata: undefined,
        ArchiveArn: created.ArchiveArn,
        ArchiveName: name,
        EventSourceArn: DEFAULT_BUS,
        Description: 'description of the archive',
        EventPattern: PATTERN,
        State: 'ENABLED',
        RetentionDays: 1,
        SizeBytes: 0,
        EventCount: 0,
        CreationTime: created.CreationTime,
      },
    );

    const listed = await t.events.send(new ListArchivesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Archives, [
      {
        ArchiveName: name,
        EventSourceArn: DEFAULT_BUS,
        State: 'ENABLED',
        RetentionDays: 1,
        SizeBytes: 0,
        EventCount: 0,
        CreationTime: created.CreationTime,
      },
    ]);
    assert.equal(listed.NextToken, undefined);

    const updated = await t.events.send(
      new UpdateArchiveCommand({
        ArchiveName: name,
        Description: 'updated description of the archive',
        EventPattern: '{ "source" : [ "control.updated" ] }',
        RetentionDays: 2,
      }),
    );
    assert.equal(updated.ArchiveArn, created.ArchiveArn);
    assert.equal(updated.State, 'ENABLED');
    assert.deepEqual(updated.CreationTime, created.CreationTime);
    const after = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    // DescribeArchive gives the pattern back as written.
    assert.equal(after.EventPattern, '{ "source" : [ "control.updated" ] }');
    assert.equal(after.Description, 'updated description of the archive');
    assert.equal(after.RetentionDays, 2);

    await t.events.send(new DeleteArchiveCommand({ ArchiveName: name }));
    await eventsRejects(
      t.events.send(new DescribeArchiveCommand({ ArchiveName: name })),
      'ResourceNotFoundException',
      `Archive ${name} does not exist.`,
    );
  });

  it('take omitted and empty fields as AWS does: retention 0, no pattern, no description', async () => {
    const bare = archiveName();
    await t.events.send(new CreateArchiveCommand({ ArchiveName: bare, EventSourceArn: DEFAULT_BUS }));
    const empty = archiveName();
    await t.events.send(
      new CreateArchiveCommand({
        ArchiveName: empty,
        EventSourceArn: DEFAULT_BUS,
        Description: '',
        EventPattern: '',
        RetentionDays: 0,
        KmsKeyIdentifier: '',
      }),
    );
    for (const name of [bare, empty]) {
      const described = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
      assert.equal(described.RetentionDays, 0);
      assert.equal(described.Description, undefined);
      assert.equal(described.EventPattern, undefined);
      assert.equal(described.KmsKeyIdentifier, undefined);
    }
    // An update with empty strings clears the fields.
    await t.events.send(
      new UpdateArchiveCommand({ ArchiveName: bare, Description: 'x', EventPattern: '{"source":["y"]}' }),
    );
    await t.events.send(new UpdateArchiveCommand({ ArchiveName: bare, Description: '', EventPattern: '' }));
    const cleared = await t.events.send(new DescribeArchiveCommand({ ArchiveName: bare }));
    assert.equal(cleared.Description, undefined);
    assert.equal(cleared.EventPattern, undefined);
  });

  it('refuse what AWS refuses, with its texts', async () => {
    const name = archiveName();
    await t.events.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: DEFAULT_BUS }));
    await eventsRejects(
      t.events.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: DEFAULT_BUS })),
      'ResourceAlreadyExistsException',
      `Archive ${name} already exists.`,
    );
    await eventsRejects(
      t.events.send(
        new CreateArchiveCommand({
          ArchiveName: archiveName(),
          EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/doesnotexist`,
        }),
      ),
      'ResourceNotFoundException',
      'Event bus doesnotexist does not exist.',
    );
    await eventsRejects(
      t.events.send(
        new CreateArchiveCommand({
          ArchiveName: archiveName(),
          EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/default/missing`,
        }),
      ),
      'ValidationException',
      'Parameter EventSourceArn is not valid. Reason: Must contain an event bus ARN.',
    );
    await eventsRejects(
      t.events.send(new CreateArchiveCommand({ ArchiveName: 'bad name', EventSourceArn: DEFAULT_BUS })),
      'ValidationException',
      "1 validation error detected: Value 'bad name' at 'archiveName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    await eventsRejects(
      t.events.send(
        new CreateArchiveCommand({
          ArchiveName: archiveName(),
          EventSourceArn: DEFAULT_BUS,
          EventPattern: '{}',
        }),
      ),
      'InvalidEventPatternException',
      /^Event pattern is not valid\. Reason: /,
    );
    await eventsRejects(
      t.events.send(
        new CreateArchiveCommand({
          ArchiveName: archiveName(),
          EventSourceArn: DEFAULT_BUS,
          KmsKeyIdentifier: `arn:aws:kms:${REGION}:${ACCOUNT}:key/ceafd64a-a40d-44cb-84e4-5d55e96b8ec7`,
        }),
      ),
      'ValidationException',
      'The provided KMS key does not exist. Please ensure that the key identifier is correct and your key exists in the same region as the event source.',
    );
    await eventsRejects(
      t.events.send(new DescribeArchiveCommand({ ArchiveName: 'doesnotexist' })),
      'ResourceNotFoundException',
      'Archive doesnotexist does not exist.',
    );
    await eventsRejects(
      t.events.send(new DeleteArchiveCommand({ ArchiveName: 'doesnotexist' })),
      'ResourceNotFoundException',
      'Archive doesnotexist does not exist.',
    );
    // With nothing to change, UpdateArchive says so before it looks the archive up.
    await eventsRejects(
      t.events.send(new UpdateArchiveCommand({ ArchiveName: 'doesnotexist' })),
      'ValidationException',
      'At least one of EventPattern, RetentionDays or Description must be provided.',
    );
    await eventsRejects(
      t.events.send(new UpdateArchiveCommand({ ArchiveName: 'doesnotexist', Description: 'valid' })),
      'ResourceNotFoundException',
      'Archive doesnotexist does not exist.',
    );
    // A refused update changes nothing.
    await eventsRejects(
      t.events.send(
        new UpdateArchiveCommand({
          ArchiveName: name,
          Description: 'must-not-save',
          RetentionDays: 9,
          EventPattern: '{bad',
        }),
      ),
      'InvalidEventPatternException',
    );
    const kept = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    assert.equal(kept.Description, undefined);
    assert.equal(kept.RetentionDays, 0);
  });

  it('list by one filter at a time, in pages whose token keeps its filter', async () => {
    const prefix = archiveName();
    const names = ['a', 'b', 'c'].map((suffix) => `${prefix}-${suffix}`);
    for (const name of names) {
      await t.events.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: DEFAULT_BUS }));
    }
    const first = await t.events.send(new ListArchivesCommand({ NamePrefix: prefix, Limit: 1 }));
    assert.deepEqual(
      first.Archives?.map((a) => a.ArchiveName),
      [names[0]],
    );
    assert.ok(first.NextToken);
    const rest = await t.events.send(
      new ListArchivesCommand({ NamePrefix: prefix, Limit: 5, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      rest.Archives?.map((a) => a.ArchiveName),
      names.slice(1),
    );
    assert.equal(rest.NextToken, undefined);
    await eventsRejects(
      t.events.send(new ListArchivesCommand({ NamePrefix: `${prefix}-b`, NextToken: first.NextToken })),
      'ValidationException',
      'Parameter NextToken is not valid. Reason: Token invalid.',
    );
    await eventsRejects(
      t.events.send(new ListArchivesCommand({ NamePrefix: prefix, NextToken: 'bogus' })),
      'ValidationException',
      'Parameter NextToken is not valid. Reason: Malformed request.',
    );
    await eventsRejects(
      t.events.send(new ListArchivesCommand({ NamePrefix: prefix, State: 'ENABLED' })),
      'ValidationException',
      'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.',
    );
    await eventsRejects(
      t.events.send(
        new ListArchivesCommand({
          EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/doesnotexist`,
        }),
      ),
      'ResourceNotFoundException',
      'Event bus doesnotexist does not exist.',
    );
    const bySource = await t.events.send(new ListArchivesCommand({ EventSourceArn: DEFAULT_BUS }));
    for (const name of names) assert.ok(bySource.Archives?.some((a) => a.ArchiveName === name));
    const disabled = await t.events.send(new ListArchivesCommand({ State: 'DISABLED' }));
    assert.deepEqual(disabled.Archives, []);
    const none = await t.events.send(new ListArchivesCommand({ NamePrefix: 'doesnotexist' }));
    assert.deepEqual(none.Archives, []);
  });

  it('are kept per account', async () => {
    const name = archiveName();
    await t.events.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: DEFAULT_BUS }));
    const other = eventsClient(t.server.endpoint, { credentials: accountCredentials('222222222222') });
    try {
      await eventsRejects(
        other.send(new DescribeArchiveCommand({ ArchiveName: name })),
        'ResourceNotFoundException',
        `Archive ${name} does not exist.`,
      );
      const created = await other.send(
        new CreateArchiveCommand({
          ArchiveName: name,
          EventSourceArn: `arn:aws:events:${REGION}:222222222222:event-bus/default`,
        }),
      );
      assert.equal(created.ArchiveArn, `arn:aws:events:${REGION}:222222222222:archive/${name}`);
    } finally {
      other.destroy();
    }
  });

  it('count the events their pattern matches, and drop them after their retention', async () => {
    const name = archiveName();
    await t.events.send(
      new CreateArchiveCommand({
        ArchiveName: name,
        EventSourceArn: DEFAULT_BUS,
        EventPattern: PATTERN,
        RetentionDays: 1,
      }),
    );
    const entry = {
      Source: 'core.update-account-command',
      DetailType: 'core.update-account-command',
      Detail: JSON.stringify({
        command: 'update-account',
        payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
      }),
    };
    await t.events.send(new PutEventsCommand({ Entries: [entry, entry, { ...entry, Source: 'other' }] }));
    const counted = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    assert.equal(counted.EventCount, 2);
    assert.ok((counted.SizeBytes ?? 0) > 0);
    await advance(t.server, 86_400 + 60);
    const trimmed = await t.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    assert.equal(trimmed.EventCount, 0);
    assert.equal(trimmed.SizeBytes, 0);
  });
});

// AWS keeps a managed rule per archive (recorded in the native archive-control captures); these
// need ListRules/DescribeRule/ListTargetsByRule and CreateEventBus from the rules and buses parts.
describe('EventBridge archives: the managed rule', () => {
  const t = withEventsServer();

  it('is Events-Archive-<name> on the bus, managed by prod.vhs.events.aws.internal, and goes with the archive', async () => {
    const bus = uniqueName('bus');
    const busArn = (await t.events.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn as string;
    const name = archiveName();
    const archiveArn = (
      await t.events.send(
        new CreateArchiveCommand({
          ArchiveName: name,
          EventSourceArn: busArn,
          EventPattern: '{"source":["a"]}',
        }),
      )
    ).ArchiveArn;
    const ruleName = `Events-Archive-${name}`;
    const rules = await t.events.send(new ListRulesCommand({ EventBusName: bus }));
    assert.deepEqual(rules.Rules, [
      {
        Name: ruleName,
        Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus}/${ruleName}`,
        EventPattern: '{"replay-name":[{"exists":false}],"source":["a"]}',
        State: 'ENABLED',
        ManagedBy: 'prod.vhs.events.aws.internal',
        EventBusName: bus,
      },
    ]);
    const described = await t.events.send(new DescribeRuleCommand({ EventBusName: bus, Name: ruleName }));
    assert.equal(described.CreatedBy, ACCOUNT);
    const targets = await t.events.send(new ListTargetsByRuleCommand({ EventBusName: bus, Rule: ruleName }));
    assert.equal(targets.Targets?.length, 1);
    assert.equal(targets.Targets?.[0].Id, ruleName);
    assert.equal(targets.Targets?.[0].Arn, `arn:aws:events:${REGION}:::`);
    assert.match(
      targets.Targets?.[0].InputTransformer?.InputTemplate ?? '',
      new RegExp(
        `^\\{"archive-arn": "${archiveArn}:[0-9a-f-]{36}","event": <aws\\.events\\.event\\.json>,"ingestion-time": <aws\\.events\\.event\\.ingestion-time>\\}$`,
      ),
    );
    await t.events.send(new UpdateArchiveCommand({ ArchiveName: name, EventPattern: '' }));
    const afterUpdate = await t.events.send(new DescribeRuleCommand({ EventBusName: bus, Name: ruleName }));
    assert.equal(afterUpdate.EventPattern, '{"replay-name":[{"exists":false}]}');
    await t.events.send(new DeleteArchiveCommand({ ArchiveName: name }));
    assert.deepEqual((await t.events.send(new ListRulesCommand({ EventBusName: bus }))).Rules, []);
  });
});
