import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ServiceError } from '../../src/protocols/errors.js';
import type { FrontDoors, ServiceFactory } from '../../src/services/registry.js';
import { snsValidation } from '../../src/services/sns/errors.js';
import { captureLogger } from '../support/log-capture.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  advance,
  credentials,
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

const ACCOUNT = '000000000000';

/** A key policy with the default root statement, plus `extra` statements. */
function keyPolicy(...extra: object[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...extra,
    ],
  });
}

// What SNS's documentation asks of a customer key for an encrypted queue subscribed to a topic.
const SNS_MAY_USE = {
  Sid: 'Allow SNS to use the key',
  Effect: 'Allow',
  Principal: { Service: 'sns.amazonaws.com' },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
};

describe('SNS and KMS', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  let kms: KMSClient;
  const log = captureLogger();
  before(async () => {
    server = await startServer({ logger: log });
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
    kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(() => server.stop());

  async function newKey(policy?: string): Promise<{ id: string; arn: string }> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: policy }));
    return { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
  }

  async function topic(keyId?: string): Promise<string> {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName('t'),
        Attributes: keyId ? { KmsMasterKeyId: keyId } : undefined,
      }),
    );
    return TopicArn!;
  }

  async function failure(call: () => Promise<unknown>) {
    const err = await errorOf(call);
    return { name: err.name, code: err.Code, status: err.$metadata?.httpStatusCode, message: err.message };
  }

  const kmsText = (text: string, code: string) =>
    new RegExp(
      `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Service: AWSKMS; Status Code: 400; Error Code: ${code}; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
    );

  describe('Publish to an encrypted topic', () => {
    it('takes any key at CreateTopic and meets it at Publish (KMSNotFound)', async () => {
      const topicArn = await topic('alias/no-such-key');
      const err = await failure(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' })));
      assert.equal(err.name, 'KMSNotFoundException');
      assert.equal(err.status, 400);
      assert.match(err.message, /\(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException;/);
    });

    it('refuses Publish and PublishBatch once the key is disabled and the data key is due (KMSDisabled)', async (t) => {
      const key = await newKey();
      const topicArn = await topic(key.arn);
      // Only the test moves time here: on a busy machine a second of real time would end the period early.
      server.clock.freeze();
      t.after(() => server.clock.thaw());
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'while enabled' }));
      await kms.send(new DisableKeyCommand({ KeyId: key.id }));
      // SNS reuses a data key for up to 5 minutes: the publisher's goes on serving until then.
      await advance(server, 299);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'still within the period' }));
      await advance(server, 2);
      const err = await failure(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' })));
      assert.equal(err.name, 'KMSDisabledException');
      assert.match(err.message, kmsText(`${key.arn} is disabled.`, 'DisabledException'));
      const batch = await failure(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: [{ Id: 'a', Message: 'one' }],
          }),
        ),
      );
      assert.equal(batch.name, 'KMSDisabledException');
    });

    it('refuses Publish while the key is pending deletion (KMSInvalidState)', async () => {
      const key = await newKey();
      const topicArn = await topic(key.id);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
      const err = await failure(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' })));
      assert.equal(err.name, 'KMSInvalidStateException');
      assert.match(err.message, kmsText(`${key.arn} is pending deletion.`, 'KMSInvalidStateException'));
    });

    // SNS's encryption context names the topic: AWS's guides hold a principal to one topic with
    // kms:EncryptionContext:aws:sns:topicArn (GameLift FlexMatch guide, "Set up an SNS topic with SSE").
    it('meets a key policy held to one topic by kms:EncryptionContext:aws:sns:topicArn', async () => {
      const allowed = await topic();
      const other = await topic();
      const key = await newKey(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Administer the key',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:Put*', 'kms:Enable*', 'kms:Disable*'],
              Resource: '*',
            },
            {
              Sid: 'Use it for one topic only',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': allowed } },
            },
          ],
        }),
      );
      for (const TopicArn of [allowed, other]) {
        await sns.send(
          new SetTopicAttributesCommand({
            TopicArn,
            AttributeName: 'KmsMasterKeyId',
            AttributeValue: key.arn,
          }),
        );
      }
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: allowed, Message: 'in' }));
      assert.ok(MessageId);
      const err = await failure(() => sns.send(new PublishCommand({ TopicArn: other, Message: 'out' })));
      assert.equal(err.name, 'KMSAccessDeniedException');
      assert.match(
        err.message,
        /kms:GenerateDataKey.*\(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException;/,
      );
    });

    it('publishes through alias/aws/sns, the AWS managed key', async () => {
      const topicArn = await topic('alias/aws/sns');
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'managed' }));
      assert.ok(MessageId);
    });
  });

  describe('delivery to an encrypted queue', () => {
    async function subscribedQueue(topicArn: string, keyId: string) {
      const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn, {
        KmsMasterKeyId: keyId,
        KmsDataKeyReusePeriodSeconds: '60',
      });
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
      return queue;
    }

    function warningsAbout(queueArn: string) {
      return log.warnings.filter((w) => (w.fields as { queue?: string }).queue === queueArn);
    }

    it('is refused and logged when the queue uses alias/aws/sqs: no service may use an AWS managed key', async () => {
      const topicArn = await topic();
      const queue = await subscribedQueue(topicArn, 'alias/aws/sqs');
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost' }));
      assert.deepEqual(await receive(sqs, queue.url), []);
      const warned = warningsAbout(queue.arn);
      const refusal = warned.find((w) => w.text.startsWith('delivery refused'));
      assert.ok(refusal, `a warning names the refusal: ${JSON.stringify(warned)}`);
      assert.deepEqual(
        { key: (refusal.fields as any).key, principal: (refusal.fields as any).principal },
        { key: 'alias/aws/sqs', principal: 'sns.amazonaws.com' },
      );
      assert.match(refusal.text, /AWS managed key/);
      assert.match(refusal.text, /AccessDeniedException/);
    });

    it('is delivered when the customer key policy lets sns.amazonaws.com use it', async () => {
      const key = await newKey(keyPolicy(SNS_MAY_USE));
      const topicArn = await topic();
      const queue = await subscribedQueue(topicArn, key.arn);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'arrives' }));
      const [m] = await receive(sqs, queue.url);
      assert.equal(JSON.parse(m.Body!).Message, 'arrives');
      assert.deepEqual(warningsAbout(queue.arn), []);
    });

    it("is delivered when the key lets SNS in only for the queue's encryption context", async () => {
      // SNS generates and opens the queue's data key under {"aws:sqs:arn": queue ARN}, both calls.
      const name = uniqueName('q');
      const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
      const key = await newKey(
        keyPolicy({
          ...SNS_MAY_USE,
          Condition: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': queueArn } },
        }),
      );
      const topicArn = await topic();
      const queue = await subscribableQueue(sqs, name, topicArn, { KmsMasterKeyId: key.arn });
      assert.equal(queue.arn, queueArn);
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'held to its queue' }));
      const [m] = await receive(sqs, queue.url);
      assert.equal(JSON.parse(m.Body!).Message, 'held to its queue');
      assert.deepEqual(warningsAbout(queue.arn), []);
    });

    it('is refused and logged when the customer key policy leaves SNS out', async () => {
      const key = await newKey(keyPolicy());
      const topicArn = await topic();
      const queue = await subscribedQueue(topicArn, key.id);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost' }));
      assert.deepEqual(await receive(sqs, queue.url), []);
      const refusal = warningsAbout(queue.arn).find((w) => w.text.startsWith('delivery refused'));
      assert.ok(refusal);
      assert.match(
        refusal.text,
        /must allow \{"Service":"sns.amazonaws.com"\} kms:GenerateDataKey\* and kms:Decrypt/,
      );
    });

    it('goes on through a disabled key until the data key is due, then is refused and logged', async () => {
      const key = await newKey(keyPolicy(SNS_MAY_USE));
      const topicArn = await topic();
      const queue = await subscribedQueue(topicArn, key.arn);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'first' }));
      await kms.send(new DisableKeyCommand({ KeyId: key.id }));
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'within the period' }));
      await advance(server, 61);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after it' }));
      // Enabled again, so that the consumer's own receive may decrypt.
      await kms.send(new EnableKeyCommand({ KeyId: key.id }));
      const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
      assert.deepEqual(got.map((m) => JSON.parse(m.Body!).Message).sort(), ['first', 'within the period']);
      const refusal = warningsAbout(queue.arn).find((w) => w.text.startsWith('delivery refused'));
      assert.ok(refusal);
      assert.match(refusal.text, /DisabledException: .* is disabled\./);
    });

    it("goes to the subscription's dead-letter queue when the key refuses SNS", async () => {
      const topicArn = await topic();
      const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn, {
        KmsMasterKeyId: 'alias/aws/sqs',
      });
      const dlq = await subscribableQueue(sqs, uniqueName('dlq'), topicArn);
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
        }),
      );
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'to the DLQ' }));
      const [m] = await receive(sqs, dlq.url);
      assert.equal(JSON.parse(m.Body!).Message, 'to the DLQ');
    });

    // SNS guide, "Amazon SNS dead-letter queues": an encrypted dead-letter queue needs a customer key
    // whose policy lets SNS in, so alias/aws/sqs refuses the dead letter as well.
    it('drops the message, and says so, when the dead-letter queue uses alias/aws/sqs too', async () => {
      const topicArn = await topic();
      const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn, {
        KmsMasterKeyId: 'alias/aws/sqs',
      });
      const dlq = await subscribableQueue(sqs, uniqueName('dlq'), topicArn, {
        KmsMasterKeyId: 'alias/aws/sqs',
      });
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
          ReturnSubscriptionArn: true,
        }),
      );
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'nowhere' }));
      assert.deepEqual(await receive(sqs, dlq.url), []);
      const dropped = log.warnings.find(
        (w) => (w.fields as { subscription?: string }).subscription === SubscriptionArn,
      );
      assert.ok(dropped, 'a warning names the subscription');
      assert.equal((dropped.fields as { deadLetterQueue?: string }).deadLetterQueue, dlq.arn);
      assert.match(
        dropped.text,
        /dropped: .*AWS managed key.*the dead-letter queue refused it: .*AWS managed key/,
      );
    });
  });
});

/** A service built after SNS, as EventBridge will be: it keeps the front doors it is handed. */
function probe(seen: { doors?: FrontDoors }): ServiceFactory {
  return {
    name: 'kmsprobe',
    create: ({ frontDoors }) => {
      seen.doors = frontDoors;
      return {
        definition: {
          name: 'kmsprobe',
          signingName: 'kmsprobe',
          operations: {},
          validation: snsValidation,
          unknownOperation: (_protocol, name) => new ServiceError('InvalidAction', name),
        },
        cors: false,
        reset: async () => {},
        close: () => {},
      };
    },
  };
}

describe("SNS's front door and an encrypted topic", () => {
  const RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders`;
  const origin = { principal: 'events.amazonaws.com', sourceArn: RULE, sourceAccount: ACCOUNT };
  let server: RunningTideway;
  let sns: SNSClient;
  let kms: KMSClient;
  const log = captureLogger();
  const seen: { doors?: FrontDoors } = {};
  before(async () => {
    server = await startServer({ logger: log, extraServices: [probe(seen)] });
    sns = snsClient(server.endpoint);
    kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(() => server.stop());

  /** A topic whose policy lets the rule publish, encrypted with `keyId`. */
  async function topicFor(keyId: string): Promise<string> {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: uniqueName('t'), Attributes: { KmsMasterKeyId: keyId } }),
    );
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: TopicArn,
              Condition: { ArnEquals: { 'aws:SourceArn': RULE } },
            },
          ],
        }),
      }),
    );
    return TopicArn!;
  }

  it('refuses a service principal when the topic uses alias/aws/sns, and logs why', async () => {
    const topicArn = await topicFor('alias/aws/sns');
    const outcome = await seen.doors!.sns!.publish(topicArn, { message: 'lost' }, origin);
    assert.equal(outcome.kind, 'denied');
    assert.match((outcome as { reason: string }).reason, /AWS managed key/);
    const warned = log.warnings.find((w) => (w.fields as { topic?: string }).topic === topicArn);
    assert.ok(warned);
    assert.deepEqual(
      { key: (warned.fields as any).key, principal: (warned.fields as any).principal },
      { key: 'alias/aws/sns', principal: 'events.amazonaws.com' },
    );
  });

  it('publishes for a service principal the customer key lets in', async () => {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        Policy: keyPolicy({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
        }),
      }),
    );
    const topicArn = await topicFor(KeyMetadata!.Arn!);
    const outcome = await seen.doors!.sns!.publish(topicArn, { message: 'arrives' }, origin);
    assert.equal(outcome.kind, 'delivered');
  });
});
