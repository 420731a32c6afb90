import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import type { RequestContext } from '../../../src/protocols/service.js';
import type { FrontDoors } from '../../../src/services/registry.js';
import type { ObjectRecord } from '../../../src/services/s3/model.js';
import { notificationOperations } from '../../../src/services/s3/notifications.js';
import { S3State } from '../../../src/services/s3/state.js';
import type { DeliveryOrigin, DeliveryOutcome } from '../../../src/services/sqs/deliveries.js';
import { MemoryBodies } from '../../../src/storage/embedded/bodies.js';
import { captureLogger } from '../../support/log-capture.js';

// The notification part over a real S3State, with recording stand-ins for the targets' front
// doors: what each target is handed, and what S3 makes of each target's answer.

const OWNER = '111111111111';
const QUEUE = `arn:aws:sqs:us-east-1:${OWNER}:q`;
const OTHER_QUEUE = `arn:aws:sqs:us-east-1:${OWNER}:other`;
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:t`;

interface Sent {
  target: string;
  body: string;
  subject?: string;
  origin: DeliveryOrigin;
}

function world() {
  const clock = new Clock();
  clock.freeze();
  const log = captureLogger();
  const state = new S3State(clock, log, new MemoryBodies());
  const sent: Sent[] = [];
  const events: Array<{ account: string; region: string; event: unknown }> = [];
  const answers = new Map<string, DeliveryOutcome>();
  const policies = new Map<string, string>();
  const answer = (target: string): DeliveryOutcome =>
    answers.get(target) ?? { kind: 'delivered', messageId: String(sent.length) };
  const frontDoors: FrontDoors = {
    sqs: {
      deliver: (target, message, origin) => {
        sent.push({ target, body: message.body, origin });
        return answer(target);
      },
      policy: async (target) => policies.get(target),
    },
    sns: {
      publish: async (target, message, origin) => {
        sent.push({ target, body: message.message, subject: message.subject, origin });
        return answer(target);
      },
      policy: async (target) => policies.get(target),
    },
    events: {
      putServiceEvent: (account, region, event) => events.push({ account, region, event }),
      observe: () => () => {},
      describeBus: () => undefined,
    },
  };
  const ops = notificationOperations({ state, clock, log, frontDoors });
  const ctx = { requestId: 'REQ-PUT', caller: { account: OWNER, region: 'us-east-1' } } as RequestContext;
  const put = (config: object, skip?: boolean) =>
    ops.PutBucketNotificationConfiguration!(
      { Bucket: 'photos', NotificationConfiguration: config, SkipDestinationValidation: skip },
      ctx,
    ) as Promise<object>;
  const get = () => ops.GetBucketNotificationConfiguration!({ Bucket: 'photos' }, ctx) as object;
  const write = async (
    key: string,
    event: 'ObjectCreated:Put' | 'ObjectCreated:Copy' = 'ObjectCreated:Put',
  ) => {
    const record: ObjectRecord = {
      bucket: 'photos',
      key,
      size: 5,
      etag: '"5d41402abc4b2a76b9719d911017c592"',
      lastModified: clock.now(),
      body: [],
      metadata: {},
      owner: OWNER,
    };
    await state.commitObject(record, {}, event, {
      account: OWNER,
      requestId: 'REQ-OBJ',
      sourceIp: '127.0.0.1',
    });
  };
  return { clock, log, state, sent, events, answers, policies, put, get, write };
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('S3 notification configuration over the state', () => {
  let w: ReturnType<typeof world>;
  beforeEach(async () => {
    w = world();
    await w.state.createBucket({ name: 'photos', account: OWNER, region: 'us-east-1', created: 0 });
  });

  it('sends s3:TestEvent to each queue and topic as S3, for the bucket, before keeping the configuration', async () => {
    await w.put({
      QueueConfigurations: [{ Id: 'q', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
      TopicConfigurations: [{ Id: 't', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }],
    });
    assert.deepEqual(
      w.sent.map((s) => s.target),
      [TOPIC, QUEUE],
    );
    for (const sent of w.sent) {
      assert.deepEqual(sent.origin, {
        principal: 's3.amazonaws.com',
        sourceArn: 'arn:aws:s3:::photos',
        sourceAccount: OWNER,
      });
      const test = JSON.parse(sent.body);
      assert.deepEqual(Object.keys(test), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
      assert.equal(test.Service, 'Amazon S3');
      assert.equal(test.Event, 's3:TestEvent');
      assert.equal(test.Time, new Date(w.clock.now()).toISOString());
      assert.equal(test.Bucket, 'photos');
      assert.equal(test.RequestId, 'REQ-PUT');
    }
    assert.equal(w.sent[0].subject, 'Amazon S3 Notification');
    assert.deepEqual(w.get(), {
      TopicConfigurations: [{ Id: 't', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }],
      QueueConfigurations: [{ Id: 'q', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
    });
  });

  it('refuses the whole configuration, naming every target that did not take the test event', async () => {
    w.answers.set(QUEUE, { kind: 'missing' });
    w.answers.set(OTHER_QUEUE, { kind: 'denied', reason: 'no statement' });
    await assert.rejects(
      w.put({
        QueueConfigurations: [
          { Id: 'a', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] },
          { Id: 'b', QueueArn: OTHER_QUEUE, Events: ['s3:ObjectRemoved:*'] },
        ],
      }),
      (err: { code: string; message: string; fields: object }) => {
        assert.equal(err.code, 'InvalidArgument');
        assert.equal(err.message, 'Unable to validate the following destination configurations');
        assert.deepEqual(err.fields, {
          ArgumentName1: QUEUE,
          ArgumentValue1: 'The destination queue does not exist',
          ArgumentName2: OTHER_QUEUE,
          ArgumentValue2:
            'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
        });
        return true;
      },
    );
    assert.deepEqual(w.get(), {});
  });

  it('refuses a function destination: Tideway runs none for S3 to invoke', async () => {
    const fn = `arn:aws:lambda:us-east-1:${OWNER}:function:my-lambda`;
    await assert.rejects(
      w.put({
        LambdaFunctionConfigurations: [{ Id: 'f', LambdaFunctionArn: fn, Events: ['s3:ObjectCreated:*'] }],
      }),
      (err: { fields: object }) => {
        assert.deepEqual(err.fields, {
          ArgumentName1: `${fn}, null`,
          ArgumentValue1: `Not authorized to invoke function [${fn}]`,
        });
        return true;
      },
    );
    await w.put(
      { LambdaFunctionConfigurations: [{ Id: 'f', LambdaFunctionArn: fn, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    await w.write('k');
    await settle();
    assert.equal(w.sent.length, 0);
    assert.equal(w.log.warnings.filter((x) => x.text.includes('runs no Lambda functions')).length, 1);
  });

  it('with SkipDestinationValidation keeps the configuration and sends no test event', async () => {
    w.answers.set(QUEUE, { kind: 'missing' });
    await w.put(
      { QueueConfigurations: [{ Id: 'a', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    assert.equal(w.sent.length, 0);
    assert.deepEqual(w.get(), {
      QueueConfigurations: [{ Id: 'a', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
    });
  });

  it('sends one record per matching configuration, with its configuration id, and drops what a target refuses', async () => {
    await w.put(
      {
        QueueConfigurations: [
          {
            Id: 'jpg',
            QueueArn: QUEUE,
            Events: ['s3:ObjectCreated:Put'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
          },
          {
            Id: 'copies',
            QueueArn: OTHER_QUEUE,
            Events: ['s3:ObjectCreated:Copy'],
          },
        ],
        EventBridgeConfiguration: {},
      },
      true,
    );
    await w.write('cat.jpg');
    await w.write('cat.png');
    await w.write('dog.jpg', 'ObjectCreated:Copy');
    await settle();
    assert.deepEqual(
      w.sent.map((s) => [
        s.target,
        JSON.parse(s.body).Records[0].s3.configurationId,
        JSON.parse(s.body).Records[0].s3.object.key,
      ]),
      [
        [QUEUE, 'jpg', 'cat.jpg'],
        [OTHER_QUEUE, 'copies', 'dog.jpg'],
      ],
    );
    const record = JSON.parse(w.sent[0].body).Records[0];
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.s3.object.eTag, '5d41402abc4b2a76b9719d911017c592');
    assert.equal(record.s3.object.size, 5);
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/);
    assert.equal(record.responseElements['x-amz-request-id'], 'REQ-OBJ');
    assert.deepEqual(
      w.events.map((e) => [(e.event as { 'detail-type': string })['detail-type'], e.account, e.region]),
      [
        ['Object Created', OWNER, 'us-east-1'],
        ['Object Created', OWNER, 'us-east-1'],
        ['Object Created', OWNER, 'us-east-1'],
      ],
    );

    w.answers.set(QUEUE, { kind: 'denied', reason: 'the queue has no policy' });
    await w.write('a.jpg');
    await w.write('b.jpg');
    await settle();
    const drops = w.log.warnings.filter((x) => x.text.includes('dropped the S3 notification'));
    assert.equal(drops.length, 1, 'one warning per destination and reason');
    assert.match(drops[0].text, /the queue has no policy/);
  });

  it('warns once per destination whose policy lets S3 in without both source conditions', async () => {
    w.policies.set(
      QUEUE,
      JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: QUEUE,
            Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos' } },
          },
        ],
      }),
    );
    const config = { QueueConfigurations: [{ Id: 'a', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] };
    await w.put(config);
    await w.put(config, true);
    const warnings = w.log.warnings.filter((x) => x.text.includes('confused deputy'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].text, new RegExp(`The policy of ${QUEUE} grants s3.amazonaws.com`));
    assert.match(warnings[0].text, /aws:SourceAccount/);
  });

  it('an empty configuration turns notifications off', async () => {
    await w.put(
      { QueueConfigurations: [{ Id: 'a', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    await w.put({});
    assert.deepEqual(w.get(), {});
    await w.write('k');
    await settle();
    assert.equal(w.sent.length, 0);
  });

  it('answers NoSuchBucket, and AccessDenied to a wrong ExpectedBucketOwner', async () => {
    const ops = notificationOperations({
      state: w.state,
      clock: w.clock,
      log: w.log,
      frontDoors: {},
    });
    assert.throws(
      () => ops.GetBucketNotificationConfiguration!({ Bucket: 'nope' }, {}),
      (err: { code: string; status: number }) => err.code === 'NoSuchBucket' && err.status === 404,
    );
    assert.throws(
      () =>
        ops.GetBucketNotificationConfiguration!(
          { Bucket: 'photos', ExpectedBucketOwner: '999999999999' },
          {},
        ),
      (err: { code: string; status: number }) => err.code === 'AccessDenied' && err.status === 403,
    );
  });
});
