import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { sqsClient, startServer } from '../support/tideway.js';
import {
  ACCOUNT,
  assertEmpty,
  drain,
  entry,
  eventQueue,
  putOne,
  REGION,
  ruleWithTargets,
} from './delivery-fixtures.js';

describe('PutEvents', () => {
  const suite = withEventsServer();

  it('delivers the envelope in AWS field order, with Time written to the second', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.envelope'] }, [{ Id: 'q', Arn: queue.arn }]);
    const id = await putOne(
      suite.events,
      entry(
        'test.envelope',
        { message: 'hi', nested: { n: 1 } },
        {
          Time: new Date('2022-01-01T00:00:00.750Z'),
          Resources: ['arn:aws:s3:::bucket'],
        },
      ),
    );
    const [message] = await drain(sqs, queue.url);
    assert.equal(
      message.Body,
      JSON.stringify({
        version: '0',
        id,
        'detail-type': 'Happened',
        source: 'test.envelope',
        account: ACCOUNT,
        time: '2022-01-01T00:00:00Z',
        region: REGION,
        resources: ['arn:aws:s3:::bucket'],
        detail: { message: 'hi', nested: { n: 1 } },
      }),
    );
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('answers each bad entry with its own error, in order, and delivers the good ones', async () => {
    const out = await suite.events.send(
      new PutEventsCommand({
        Entries: [
          { DetailType: 'x', Detail: '{}' },
          { Source: 'test.bad', DetailType: '', Detail: '{}' },
          { Source: 'test.bad', DetailType: 'x' },
          { Source: 'test.bad', DetailType: 'x', Detail: '"a string"' },
          { Source: 'test.bad', DetailType: 'x', Detail: '[1,2]' },
          { Source: 'test.bad', DetailType: 'x', Detail: '{"unclosed": ' },
          { Source: 'test.bad', DetailType: 'x', Detail: '{"fine": true}' },
          { Source: 'aws.s3', DetailType: 'x', Detail: '{}' },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 7);
    const malformed = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const required = (name: string) => ({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
    });
    assert.deepEqual(out.Entries!.slice(0, 6), [
      required('Source'),
      required('DetailType'),
      required('Detail'),
      malformed,
      malformed,
      malformed,
    ]);
    assert.ok(out.Entries![6].EventId);
    assert.deepEqual(out.Entries![7], {
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
  });

  it('refuses the whole call when the entries total more than 1 MB, counted as AWS counts them', async () => {
    const detailFor = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - 8) });
    const source = 'test.size';
    const fixed = source.length + 'Happened'.length + 14;
    // Exactly at the limit: accepted.
    const atLimit = await suite.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: source, DetailType: 'Happened', Time: new Date(), Detail: detailFor(1_048_576 - fixed) },
        ],
      }),
    );
    assert.equal(atLimit.FailedEntryCount, 0);
    const over = await eventsRejects(
      suite.events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: source,
              DetailType: 'Happened',
              Time: new Date(),
              Detail: detailFor(1_048_576 - fixed - 10),
            },
            { Source: 'a', DetailType: 'b', Detail: '{"c":1234}' },
          ],
        }),
      ),
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
    assert.equal(over.$metadata?.httpStatusCode, 400);
  });

  it('accepts an event for a bus that does not exist and drops it, as AWS does', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.nobus'] }, [{ Id: 'q', Arn: queue.arn }]);
    const out = await suite.events.send(
      new PutEventsCommand({
        Entries: [
          entry('test.nobus', { for: 'default' }),
          entry('test.nobus', { for: 'missing' }, { EventBusName: 'no-such-bus' }),
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 0);
    assert.equal(out.Entries!.length, 2);
    const messages = await drain(sqs, queue.url);
    assert.deepEqual(
      messages.map((m) => JSON.parse(m.Body!).detail),
      [{ for: 'default' }],
    );
    await assertEmpty(sqs, queue.url);
  });

  it('takes the bus by ARN', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.byarn'] }, [{ Id: 'q', Arn: queue.arn }]);
    await putOne(
      suite.events,
      entry('test.byarn', {}, { EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` }),
    );
    assert.equal((await drain(sqs, queue.url)).length, 1);
  });

  it("refuses an entry for another account's bus whose policy does not let the caller in", async () => {
    const out = await suite.events.send(
      new PutEventsCommand({
        Entries: [
          entry(
            'test.cross',
            {},
            { EventBusName: `arn:aws:events:${REGION}:111122223333:event-bus/default` },
          ),
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 1);
    assert.deepEqual(out.Entries![0], {
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: events:PutEvents on resource: arn:aws:events:${REGION}:111122223333:event-bus/default because no resource-based policy allows the events:PutEvents action`,
    });
  });

  it('refuses an EndpointId that names no endpoint', async () => {
    // The SDK signs EndpointId calls with SigV4a, which needs a package Tideway's tests do not have:
    // the call goes over plain HTTP, signed as the SDK would sign SigV4.
    const res = await fetch(suite.server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSEvents.PutEvents',
        authorization: `AWS4-HMAC-SHA256 Credential=test/20261207/${REGION}/events/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({ EndpointId: 'abcde.veo', Entries: [entry('test.endpoint')] }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      __type: 'ResourceNotFoundException',
      message: 'Endpoint abcde.veo does not exist.',
    });
  });

  it('refuses more than 10 entries through the model, before any entry is looked at', async () => {
    const entries = Array.from({ length: 11 }, () => entry('test.many'));
    await eventsRejects(
      suite.events.send(new PutEventsCommand({ Entries: entries })),
      'ValidationException',
      /failed to satisfy constraint: Member must have length less than or equal to 10/,
    );
  });
});

describe('PutEvents with more than 10 entries', () => {
  const suite = withEventsServer();

  // AWS prints each entry as its Java object, with two members the public model lacks (recorded).
  it('answers the model constraint with every entry printed as AWS prints it', async () => {
    const entry = {
      Source: 'core.update-account-command',
      DetailType: 'core.update-account-command',
      Detail: '{"command": "update-account"}',
      EventBusName: 'orders',
    };
    const printed =
      'PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, ' +
      'detailType=core.update-account-command, detail={"command": "update-account"}, eventBusName=orders, ' +
      'traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)';
    await eventsRejects(
      suite.events.send(new PutEventsCommand({ Entries: Array(11).fill(entry) })),
      'ValidationException',
      `1 validation error detected: Value '[${Array(11).fill(printed).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  });
});

describe('PutEvents under --events-quotas', () => {
  it('holds a lowered put-events-entries quota', async () => {
    const server = await startServer({ eventsQuotas: { 'put-events-entries': 2 } });
    const events = eventsClient(server.endpoint);
    try {
      const ok = await events.send(new PutEventsCommand({ Entries: [entry('test.q'), entry('test.q')] }));
      assert.equal(ok.FailedEntryCount, 0);
      await eventsRejects(
        events.send(new PutEventsCommand({ Entries: [entry('test.q'), entry('test.q'), entry('test.q')] })),
        'ValidationException',
        /Member must have length less than or equal to 2/,
      );
    } finally {
      events.destroy();
      await server.stop();
    }
  });
});
