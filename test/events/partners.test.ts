import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  ActivateEventSourceCommand,
  CreateEventBusCommand,
  CreatePartnerEventSourceCommand,
  DeactivateEventSourceCommand,
  DeleteEventBusCommand,
  DeletePartnerEventSourceCommand,
  DescribeEventBusCommand,
  DescribeEventSourceCommand,
  DescribePartnerEventSourceCommand,
  type EventBridgeClient,
  ListEventSourcesCommand,
  ListPartnerEventSourceAccountsCommand,
  ListPartnerEventSourcesCommand,
} from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { advance } from '../support/tideway.js';

const PARTNER = '999988887777';
const CUSTOMER = '000000000000';
const OTHER_CUSTOMER = '111122223333';
const DAY = 24 * 60 * 60;

// Partner event sources as the API reference describes them: the partner creates a source for a
// customer account, which sees it PENDING until it makes the matching partner bus (ACTIVE), and a
// source left PENDING expires after two weeks.
describe('EventBridge partner event sources', () => {
  const t = withEventsServer();
  let partner: EventBridgeClient;
  const partnerClient = () => {
    partner ??= eventsClient(t.server.endpoint, { credentials: accountCredentials(PARTNER) });
    return partner;
  };
  after(() => partner?.destroy());

  it('goes from the partner to the customer, and the customer makes its partner bus', async () => {
    const name = 'aws.partner/example.com/1234/orders';
    const created = await partnerClient().send(
      new CreatePartnerEventSourceCommand({ Name: name, Account: CUSTOMER }),
    );
    assert.equal(created.EventSourceArn, `arn:aws:events:us-east-1::event-source/${name}`);
    await partnerClient().send(new CreatePartnerEventSourceCommand({ Name: name, Account: OTHER_CUSTOMER }));
    await eventsRejects(
      partnerClient().send(new CreatePartnerEventSourceCommand({ Name: name, Account: CUSTOMER })),
      'ResourceAlreadyExistsException',
      `Event source ${name} already exists.`,
    );

    const pending = await t.events.send(new DescribeEventSourceCommand({ Name: name }));
    assert.equal(pending.Arn, created.EventSourceArn);
    assert.equal(pending.Name, name);
    assert.equal(pending.CreatedBy, 'example.com');
    assert.equal(pending.State, 'PENDING');
    assert.ok(pending.CreationTime instanceof Date);
    assert.equal(
      (pending.ExpirationTime as Date).getTime() - (pending.CreationTime as Date).getTime(),
      14 * DAY * 1000,
    );

    const bus = await t.events.send(new CreateEventBusCommand({ Name: name, EventSourceName: name }));
    assert.equal(bus.EventBusArn, `arn:aws:events:us-east-1:${CUSTOMER}:event-bus/${name}`);
    const active = await t.events.send(new DescribeEventSourceCommand({ Name: name }));
    assert.equal(active.State, 'ACTIVE');
    assert.equal(active.ExpirationTime, undefined);
    assert.equal((await t.events.send(new DescribeEventBusCommand({ Name: name }))).Name, name);

    const listed = await t.events.send(
      new ListEventSourcesCommand({ NamePrefix: 'aws.partner/example.com' }),
    );
    assert.deepEqual(
      listed.EventSources?.map((s) => [s.Name, s.State]),
      [[name, 'ACTIVE']],
    );

    // The partner's side: its sources and the accounts each was offered to.
    const described = await partnerClient().send(new DescribePartnerEventSourceCommand({ Name: name }));
    assert.deepEqual(
      { Arn: described.Arn, Name: described.Name },
      { Arn: created.EventSourceArn, Name: name },
    );
    const sources = await partnerClient().send(
      new ListPartnerEventSourcesCommand({ NamePrefix: 'aws.partner/example.com/' }),
    );
    assert.deepEqual(sources.PartnerEventSources, [{ Arn: created.EventSourceArn, Name: name }]);
    const accounts = await partnerClient().send(
      new ListPartnerEventSourceAccountsCommand({ EventSourceName: name }),
    );
    assert.deepEqual(
      accounts.PartnerEventSourceAccounts?.map((a) => [a.Account, a.State]),
      [
        [CUSTOMER, 'ACTIVE'],
        [OTHER_CUSTOMER, 'PENDING'],
      ],
    );

    // Deactivating stops the source (PENDING again); activating brings it back.
    await t.events.send(new DeactivateEventSourceCommand({ Name: name }));
    assert.equal((await t.events.send(new DescribeEventSourceCommand({ Name: name }))).State, 'PENDING');
    await t.events.send(new ActivateEventSourceCommand({ Name: name }));
    assert.equal((await t.events.send(new DescribeEventSourceCommand({ Name: name }))).State, 'ACTIVE');

    // The partner deletes the source: the customer sees it DELETED and cannot change it.
    await partnerClient().send(new DeletePartnerEventSourceCommand({ Name: name, Account: CUSTOMER }));
    assert.equal((await t.events.send(new DescribeEventSourceCommand({ Name: name }))).State, 'DELETED');
    await eventsRejects(
      t.events.send(new ActivateEventSourceCommand({ Name: name })),
      'InvalidStateException',
      `Event source ${name} is in state DELETED and cannot be changed.`,
    );
    await t.events.send(new DeleteEventBusCommand({ Name: name }));
  });

  it('expires a source left PENDING for two weeks, and a partner bus needs a live source', async () => {
    const name = 'aws.partner/example.com/1234/late';
    await partnerClient().send(new CreatePartnerEventSourceCommand({ Name: name, Account: CUSTOMER }));
    await advance(t.server, 14 * DAY);
    assert.equal((await t.events.send(new DescribeEventSourceCommand({ Name: name }))).State, 'DELETED');
    await eventsRejects(
      t.events.send(new CreateEventBusCommand({ Name: name, EventSourceName: name })),
      'ResourceNotFoundException',
      `Event source ${name} does not exist.`,
    );
    // The partner may offer it again once it is gone.
    await partnerClient().send(new CreatePartnerEventSourceCommand({ Name: name, Account: CUSTOMER }));
    assert.equal((await t.events.send(new DescribeEventSourceCommand({ Name: name }))).State, 'PENDING');
  });

  it('answers for unknown sources, and checks names against the model', async () => {
    const missing = 'aws.partner/example.com/1234/none';
    await eventsRejects(
      t.events.send(new DescribeEventSourceCommand({ Name: missing })),
      'ResourceNotFoundException',
      `Event source ${missing} does not exist.`,
    );
    await eventsRejects(
      partnerClient().send(new DescribePartnerEventSourceCommand({ Name: missing })),
      'ResourceNotFoundException',
      `Event source ${missing} does not exist.`,
    );
    await eventsRejects(
      partnerClient().send(new ListPartnerEventSourceAccountsCommand({ EventSourceName: missing })),
      'ResourceNotFoundException',
      `Event source ${missing} does not exist.`,
    );
    await eventsRejects(
      t.events.send(new DeactivateEventSourceCommand({ Name: missing })),
      'ResourceNotFoundException',
      `Event source ${missing} does not exist.`,
    );
    // Deleting what is not there succeeds (the API lists no not-found error for it).
    await partnerClient().send(new DeletePartnerEventSourceCommand({ Name: missing, Account: CUSTOMER }));
    await eventsRejects(
      partnerClient().send(
        new CreatePartnerEventSourceCommand({ Name: 'example.com/orders', Account: CUSTOMER }),
      ),
      'ValidationException',
      /Member must satisfy regular expression pattern/,
    );
  });
});
