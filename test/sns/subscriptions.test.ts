import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { snsClient, snsOutbox, subscribableQueue } from '../support/sns.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

describe('SNS subscriptions', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
  });
  after(() => server.stop());

  const outbox = (query: string) => snsOutbox(server.endpoint, query);

  // SNS guide, "Sending Amazon SNS messages to an Amazon SQS queue in a different account": the queue
  // owner confirms by visiting SubscribeURL from the SubscriptionConfirmation message in the queue.
  it('asks a queue in another account to confirm, through an unsigned SubscribeURL', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const otherSqs = sqsClient(server.endpoint, 'json', {
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' },
    });
    const queue = await subscribableQueue(otherSqs, uniqueName('q'), topicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    assert.equal(SubscriptionArn, 'pending confirmation');
    const [request] = await receive(otherSqs, queue.url);
    const confirmation = JSON.parse(request.Body!);
    assert.equal(confirmation.Type, 'SubscriptionConfirmation');
    assert.equal(confirmation.TopicArn, topicArn);
    assert.ok(confirmation.Token);
    assert.ok(confirmation.Signature);
    const pending = await sns.send(new ListSubscriptionsCommand({}));
    assert.ok(
      pending.Subscriptions?.some(
        (s) => s.Endpoint === queue.arn && s.SubscriptionArn === 'PendingConfirmation',
      ),
    );

    const visit = await fetch(confirmation.SubscribeURL);
    assert.equal(visit.status, 200);
    const xml = await visit.text();
    const confirmedArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    assert.match(confirmedArn ?? '', new RegExp(`^${topicArn}:`));

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'across accounts' }));
    const [note] = await receive(otherSqs, queue.url);
    const notification = JSON.parse(note.Body!);
    assert.equal(notification.Message, 'across accounts');

    // SNS API Reference, Unsubscribe: "Amazon SQS queue subscriptions require authentication for
    // deletion", so the unsigned UnsubscribeURL is refused here; the owners' signed call works.
    const leave = await fetch(notification.UnsubscribeURL);
    assert.equal(leave.status, 403);
    await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmedArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: confirmedArn }));
    const gone = await errorOf(() =>
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmedArn })),
    );
    assert.equal(gone.name, 'NotFoundException');
    // Unsubscribing what is already gone is no error.
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: confirmedArn }));
  });

  // The same guide: when the queue's owner subscribes it (the topic policy letting that account
  // subscribe), no confirmation is needed.
  it('needs no confirmation when the queue owner subscribes across accounts', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    await sns.send(
      new AddPermissionCommand({
        TopicArn: topicArn,
        Label: 'subscribers',
        AWSAccountId: ['111122223333'],
        ActionName: ['Subscribe'],
      }),
    );
    const otherSqs = sqsClient(server.endpoint, 'json', {
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' },
    });
    const queue = await subscribableQueue(otherSqs, uniqueName('q'), topicArn);
    const otherSns = snsClient(server.endpoint, '111122223333');
    const { SubscriptionArn } = await otherSns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    assert.match(SubscriptionArn!, new RegExp(`^${topicArn}:`));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'straight in' }));
    const [m] = await receive(otherSqs, queue.url);
    assert.equal(JSON.parse(m.Body!).Message, 'straight in');
  });

  // SNS API Reference, ConfirmSubscription: tokens are valid for two days.
  it('lets confirmation tokens expire after two days', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const endpoint = `${uniqueName('late')}@example.com`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: endpoint }));
    const [request] = await outbox(`endpoint=${encodeURIComponent(endpoint)}`);
    assert.equal(request.type, 'SubscriptionConfirmation');
    await advance(server, 2 * 24 * 3600 + 1);
    const err = await errorOf(() =>
      sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: request.token })),
    );
    assert.equal(err.name, 'InvalidParameterException');
  });

  // Email, SMS and the other off-machine protocols land in the outbox (docs/sns.md, "Outbox").
  it('records email confirmations and notifications in the outbox', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const endpoint = `${uniqueName('user')}@example.com`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: endpoint }));
    const [request] = await outbox(`protocol=email&endpoint=${encodeURIComponent(endpoint)}`);
    assert.equal(request.type, 'SubscriptionConfirmation');
    assert.ok(request.subscribeUrl?.includes(`Token=${request.token}`));
    // Nothing reaches a subscription that is not confirmed.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'too early' }));
    assert.equal((await outbox(`endpoint=${encodeURIComponent(endpoint)}`)).length, 1);
    const { SubscriptionArn } = await sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: request.token }),
    );
    assert.match(SubscriptionArn!, new RegExp(`^${topicArn}:`));
    // Confirmed by a signed call: authenticated.
    const confirmed = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.equal(confirmed.Attributes?.ConfirmationWasAuthenticated, 'true');
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'welcome', Subject: 'Hi' }));
    const entries = await outbox(`topicArn=${encodeURIComponent(topicArn)}&protocol=email`);
    const note = entries.at(-1)!;
    assert.equal(note.type, 'Notification');
    assert.equal(note.message, 'welcome');
    assert.equal(note.subject, 'Hi');
  });

  // Lambda guide, "Using Lambda with Amazon SNS": the function gets the notification under
  // Records[0].Sns. There is no function runtime here, so the event waits in the outbox.
  it('records the event a Lambda function would get', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const fn = `arn:aws:lambda:us-east-1:000000000000:function:${uniqueName('fn')}`;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: fn }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'to the function',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const [entry] = await outbox(`protocol=lambda&endpoint=${encodeURIComponent(fn)}`);
    const event = JSON.parse(entry.message);
    const [record] = event.Records;
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.EventVersion, '1.0');
    assert.equal(record.EventSubscriptionArn, SubscriptionArn);
    assert.equal(record.Sns.Message, 'to the function');
    assert.equal(record.Sns.Subject, null);
    assert.deepEqual(record.Sns.MessageAttributes, { k: { Type: 'String', Value: 'v' } });
    assert.ok(record.Sns.SigningCertUrl && record.Sns.UnsubscribeUrl && record.Sns.Signature);
  });

  it('records SMS publishing to a phone number in the outbox', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({ PhoneNumber: '+15555550100', Message: 'code 1234' }),
    );
    assert.ok(MessageId);
    const [sms] = await outbox('protocol=sms&endpoint=%2B15555550100');
    assert.equal(sms.message, 'code 1234');
  });

  it('refuses unknown protocols and endpoints that do not fit the protocol', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
    const protocol = await errorOf(() =>
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'pigeon', Endpoint: 'x' })),
    );
    assert.equal(protocol.name, 'InvalidParameterException');
    const endpoint = await errorOf(() =>
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'not-an-arn' })),
    );
    assert.equal(endpoint.name, 'InvalidParameterException');
  });
});
