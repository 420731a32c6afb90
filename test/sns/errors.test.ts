// SNS error answers, code and text, as AWS gives them: each expectation below is a response
// recorded against real SNS in LocalStack's AWS-validated snapshot
// tests/aws/services/sns/test_sns.snapshot.json (test names in the comments), requests made
// with the same inputs as those tests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  ConfirmSubscriptionCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  GetPlatformApplicationAttributesCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  OptInPhoneNumberCommand,
  PublishBatchCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetSMSAttributesCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { xmlText } from '../support/server.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import { errorOf, type RunningTideway, sqsClient, startServer, uniqueName } from '../support/tideway.js';

/** What an SDK call answered: the exception's code (its name), text and status. */
async function failure(
  call: () => Promise<unknown>,
): Promise<{ code: string; message: string; status: number }> {
  const err = await errorOf(call);
  return { code: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

const HEX_TOKEN =
  '51b2ff3edb475b7d91550e0ab6edf0c1de2a34e6ebaf6c2262a001bcb7e051c43aa00022ceecce70bd2a67b2042da8d8eb47fef7a4e4e942d23e7fa56146b9ee35da040b4b8af564cc4184a7391c834cb75d75c22981f776ad1ce8805e9bab29da2329985337bb8095627907b46c8577c8440556b6f86582a954758026f41fc62041c4b3f67b0f5921232b5dae5aaca1';

describe('SNS errors as AWS words them', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('errors') }))).TopicArn!;
  });
  after(() => server.stop());

  const invalid = (message: string) => ({ code: 'InvalidParameterException', message, status: 400 });

  // test_create_topic_name_constraints
  it('answers "Invalid parameter: Topic Name" for every bad topic name', async () => {
    const names: Array<[string, Record<string, string>?]> = [
      [''],
      ['a'.repeat(257)],
      ['test.fifo'],
      ['test', { FifoTopic: 'true' }],
      ...[':', ';', '!', '@', '|', '^', '%', ' '].map((c): [string] => [`bad${c}name`]),
    ];
    for (const [Name, Attributes] of names) {
      assert.deepEqual(
        await failure(() => sns.send(new CreateTopicCommand({ Name, Attributes }))),
        invalid('Invalid parameter: Topic Name'),
        Name,
      );
    }
  });

  // test_create_topic_with_attributes, test_publish_wrong_arn_format, test_subscribe_with_invalid_topic,
  // test_topic_publish_another_region
  it('tells a malformed, foreign or missing topic ARN apart', async () => {
    assert.deepEqual(
      await failure(() => sns.send(new GetTopicAttributesCommand({ TopicArn: 'randomstring' }))),
      invalid('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1'),
    );
    assert.deepEqual(
      await failure(() => sns.send(new GetTopicAttributesCommand({ TopicArn: `${topicArn}-missing` }))),
      { code: 'NotFoundException', message: 'Topic does not exist', status: 404 },
    );
    for (const [TopicArn, elements] of [
      ['randomstring', 1],
      ['randomstring:1', 2],
      ['', 1],
    ] as const) {
      assert.deepEqual(
        await failure(() => sns.send(new PublishCommand({ TopicArn, Message: 'hello' }))),
        invalid(`Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not ${elements}`),
        TopicArn,
      );
    }
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new SubscribeCommand({
            TopicArn: 'arn:aws:sns:us-east-1:random',
            Protocol: 'email',
            Endpoint: 'someone@example.com',
          }),
        ),
      ),
      invalid('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5'),
    );
    const elsewhere = snsClient(server.endpoint, 'test', 'eu-west-1');
    assert.deepEqual(
      await failure(() => elsewhere.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello' }))),
      invalid('Invalid parameter: TopicArn'),
    );
    assert.deepEqual(
      await failure(() =>
        elsewhere.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: [{ Id: '1', Message: 'hello' }],
          }),
        ),
      ),
      invalid('Invalid parameter: TopicArn'),
    );
  });

  // test_tags, test_add_permission_errors
  it('rejects duplicate tag keys and bad permissions', async () => {
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new TagResourceCommand({
            ResourceArn: topicArn,
            Tags: [
              { Key: 'k1', Value: 'v1' },
              { Key: 'k2', Value: 'v2' },
              { Key: 'k2', Value: 'v2' },
            ],
          }),
        ),
      ),
      invalid('Invalid parameter: Duplicated keys are not allowed.'),
    );
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('perm') }))).TopicArn!;
    const permission = { TopicArn, Label: 'test', AWSAccountId: ['000000000000'], ActionName: ['Publish'] };
    await sns.send(new AddPermissionCommand(permission));
    assert.deepEqual(
      await failure(() =>
        sns.send(new AddPermissionCommand({ ...permission, ActionName: ['AddPermission'] })),
      ),
      invalid('Invalid parameter: Statement already exists'),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new AddPermissionCommand({ ...permission, TopicArn: `${TopicArn}-not-existing`, Label: 'test-2' }),
        ),
      ),
      { code: 'NotFoundException', message: 'Topic does not exist', status: 404 },
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(new AddPermissionCommand({ ...permission, Label: 'test-2', ActionName: ['InvalidAction'] })),
      ),
      invalid('Invalid parameter: Policy statement action out of service scope!'),
    );
  });

  // test_subscribe_with_invalid_protocol, test_subscribe_to_sqs_with_queue_url, test_subscribe_invalid_sms,
  // test_publish_wrong_phone_format, test_create_subscriptions_with_attributes
  it('rejects bad protocols, endpoints and subscription attributes on Subscribe', async () => {
    const subscribe = (Protocol: string, Endpoint: string, Attributes?: Record<string, string>) =>
      failure(() => sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol, Endpoint, Attributes })));
    assert.deepEqual(
      await subscribe('test-protocol', 'someone@example.com'),
      invalid('Invalid parameter: Amazon SNS does not support this protocol string: test-protocol'),
    );
    const { url } = await subscribableQueue(sqs, uniqueName('q'));
    assert.deepEqual(await subscribe('sqs', url), invalid('Invalid parameter: SQS endpoint ARN'));
    for (const number of [
      '+15--551234567',
      'NAA+15551234567',
      '+15551234567.',
      '/+15551234567',
      'invalid-number',
    ]) {
      assert.deepEqual(await subscribe('sms', number), invalid(`Invalid SMS endpoint: ${number}`), number);
    }
    const queue = await subscribableQueue(sqs, uniqueName('q'));
    assert.deepEqual(
      await subscribe('sqs', queue.arn, { RawMessageDelivery: 'wrongvalue' }),
      invalid(
        'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.',
      ),
    );
    // test_subscribe_invalid_filter_policy
    assert.deepEqual(
      await subscribe('sqs', queue.arn, { FilterPolicy: 'invalid-json' }),
      invalid(
        "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON. Unrecognized token 'invalid': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 8]",
      ),
    );
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    assert.deepEqual(
      await subscribe('sqs', queue.arn, { RawMessageDelivery: 'true' }),
      invalid('Invalid parameter: Attributes Reason: Subscription already exists with different attributes'),
    );
  });

  // test_validate_set_sub_attributes, test_create_subscriptions_with_attributes
  it('rejects bad SetSubscriptionAttributes names and values', async () => {
    const queue = await subscribableQueue(sqs, uniqueName('q'));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    const set = (AttributeName: string, AttributeValue: string) =>
      failure(() =>
        sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue })),
      );
    assert.deepEqual(await set('FakeAttribute', 'test-value'), invalid('Invalid parameter: AttributeName'));
    assert.deepEqual(
      await set('RawMessageDelivery', 'test-ValUe'),
      invalid('Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.'),
    );
    assert.deepEqual(
      await set('RawMessageDelivery', ''),
      invalid('Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.'),
    );
    assert.deepEqual(
      await set('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: 'fake-arn' })),
      invalid('Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn'),
    );
    const jsonError =
      "failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]";
    assert.deepEqual(
      await set('RedrivePolicy', '{invalidjson}'),
      invalid(`Invalid parameter: RedrivePolicy: ${jsonError}`),
    );
    assert.deepEqual(
      await set('FilterPolicy', '{invalidjson}'),
      invalid(`Invalid parameter: FilterPolicy: ${jsonError}`),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new GetSubscriptionAttributesCommand({
            SubscriptionArn: `${topicArn}:00000000-0000-0000-0000-000000000000`,
          }),
        ),
      ),
      { code: 'NotFoundException', message: 'Subscription does not exist', status: 404 },
    );
  });

  // test_unsubscribe_wrong_arn_format
  it('words each kind of bad subscription ARN on Unsubscribe', async () => {
    const unsubscribe = (SubscriptionArn?: string) =>
      failure(() => sns.send(new UnsubscribeCommand({ SubscriptionArn })));
    assert.deepEqual(
      await unsubscribe('randomstring'),
      invalid('Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1'),
    );
    assert.deepEqual(
      await unsubscribe('arn:aws:sns:us-east-1:random'),
      invalid('Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5'),
    );
    assert.deepEqual(
      await unsubscribe('arn:aws:sns:us-east-1:111111111111:random'),
      invalid('Invalid parameter: SubscriptionId'),
    );
    assert.deepEqual(
      await unsubscribe(undefined),
      invalid('Invalid parameter: SubscriptionArn Reason: no value for required parameter'),
    );
  });

  // test_sns_confirm_subscription_wrong_token, test_subscribe_external_http_endpoint
  it('checks the token of ConfirmSubscription, signed or followed as a link', async () => {
    const confirm = (TopicArn: string, Token: string) =>
      failure(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token })));
    assert.deepEqual(
      await confirm(`${topicArn.slice(0, -1)}i`, HEX_TOKEN),
      invalid('Invalid parameter: Token'),
    );
    assert.deepEqual(await confirm(topicArn, 'randomtoken'), invalid('Invalid token'));
    assert.deepEqual(await confirm(topicArn, HEX_TOKEN), invalid('Invalid parameter: Token'));
    const link = async (arn: string, token: string) => {
      const res = await fetch(
        `${server.endpoint}/?Action=ConfirmSubscription&TopicArn=${arn}&Token=${token}`,
      );
      const body = await res.text();
      return { status: res.status, code: xmlText(body, 'Code'), message: xmlText(body, 'Message') };
    };
    const topicLink = { status: 400, code: 'InvalidParameter', message: 'Invalid parameter: Topic' };
    assert.deepEqual(await link('not-an-arn', HEX_TOKEN), topicLink);
    assert.deepEqual(await link(topicArn.replace('us-east-1', 'eu-west-1'), HEX_TOKEN), topicLink);
    assert.deepEqual(await link(topicArn, HEX_TOKEN), { ...topicLink, message: 'Invalid parameter: Token' });
  });

  // test_empty_sns_message, test_publish_with_empty_subject, test_message_structure_json_exc,
  // test_publish_too_long_message, test_validations_for_fifo, test_publish_non_existent_target,
  // test_publish_wrong_phone_format
  it('checks what Publish carries', async () => {
    const publish = (
      input: Omit<ConstructorParameters<typeof PublishCommand>[0], 'Message'> & { Message?: string },
    ) =>
      failure(() =>
        sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello', ...input } as never)),
      );
    assert.deepEqual(await publish({ Message: '' }), invalid('Invalid parameter: Empty message'));
    assert.deepEqual(await publish({ Subject: '' }), invalid('Invalid parameter: Subject'));
    assert.deepEqual(
      await publish({ Message: '{"default": "x"', MessageStructure: 'json' }),
      invalid('Invalid parameter: Message Structure - JSON message body failed to parse'),
    );
    assert.deepEqual(
      await publish({ Message: '{"sqs": "x"}', MessageStructure: 'json' }),
      invalid('Invalid parameter: Message Structure - No default entry in JSON message body'),
    );
    assert.deepEqual(
      await publish({ Message: 'x'.repeat(262_145) }),
      invalid('Invalid parameter: Message too long'),
    );
    assert.deepEqual(
      await publish({ MessageDeduplicationId: 'abc' }),
      invalid(
        'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      ),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new PublishCommand({
            TargetArn:
              'arn:aws:sns:us-east-1:000000000000:endpoint/APNS/abcdef/0f7d5971-aa8b-4bd5-b585-0826e9f93a66',
            Message: 'This is a push notification',
          }),
        ),
      ),
      invalid('Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified'),
    );
    for (const PhoneNumber of ['+1a234', 'NAA+15551234567']) {
      assert.deepEqual(
        await failure(() => sns.send(new PublishCommand({ PhoneNumber, Message: 'Good news everyone!' }))),
        invalid(`Invalid parameter: PhoneNumber Reason: ${PhoneNumber} is not valid to publish to`),
      );
    }
  });

  // test_publish_batch_invalid_entry_id, test_publish_batch_exceptions
  it('checks the entries of PublishBatch', async () => {
    const batch = (ids: string[]) =>
      failure(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: ids.map((Id) => ({ Id, Message: 'hello' })),
          }),
        ),
      );
    const badId = (message: string) => ({ code: 'InvalidBatchEntryIdException', message, status: 400 });
    assert.deepEqual(
      await batch(['message.id']),
      badId('The Id of a batch entry in the batch request contains an impermissible character: message.id'),
    );
    assert.deepEqual(
      await batch(['msg@123#test']),
      badId('The Id of a batch entry in the batch request contains an impermissible character: msg@123#test'),
    );
    assert.deepEqual(
      await batch(['a'.repeat(81)]),
      badId(`The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`),
    );
    const { Successful, Failed } = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: ['a'.repeat(80), 'valid-message_123'].map((Id) => ({
          Id,
          Message: 'hello',
        })),
      }),
    );
    assert.deepEqual(Failed, []);
    assert.deepEqual(
      Successful?.map((s) => s.Id),
      ['a'.repeat(80), 'valid-message_123'],
    );
  });

  // test_publish_batch_exceptions: each of these fails the whole batch
  it('fails a FIFO batch as a whole for a missing group, deduplication id or default text', async () => {
    const TopicArn = (
      await sns.send(
        new CreateTopicCommand({ Name: `${uniqueName('batch')}.fifo`, Attributes: { FifoTopic: 'true' } }),
      )
    ).TopicArn!;
    const batch = (
      PublishBatchRequestEntries: NonNullable<
        ConstructorParameters<typeof PublishBatchCommand>[0]['PublishBatchRequestEntries']
      >,
    ) => failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries })));
    assert.deepEqual(
      await batch([{ Id: '1', Message: 'no group' }]),
      invalid('Invalid parameter: The MessageGroupId parameter is required for FIFO topics'),
    );
    assert.deepEqual(
      await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `Id_${i}`, Message: 'Too many messages' }))),
      {
        code: 'TooManyEntriesInBatchRequestException',
        message: 'The batch request contains more entries than permissible.',
        status: 400,
      },
    );
    assert.deepEqual(await batch([1, 2].map(() => ({ Id: '1', Message: 'Messages with the same ID' }))), {
      code: 'BatchEntryIdsNotDistinctException',
      message: 'Two or more batch entries in the request have the same Id.',
      status: 400,
    });
    assert.deepEqual(
      await batch([{ Id: '1', Message: 'no deduplication id', MessageGroupId: 'msg1' }]),
      invalid(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
    assert.deepEqual(
      await batch([{ Id: '1', Message: JSON.stringify({ sqs: 'test sqs' }), MessageStructure: 'json' }]),
      invalid('Invalid parameter: Message Structure - No default entry in JSON message body'),
    );
  });

  // test_empty_or_wrong_message_attributes, test_message_attributes_prefixes: the same answer for
  // Publish and for a batch entry
  it('words every bad message attribute as AWS does', async () => {
    const value = (message: string) => ({ code: 'InvalidParameterValueException', message, status: 400 });
    const cases: Array<
      [Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }>, unknown]
    > = [
      [
        { attr1: { DataType: 'String', StringValue: '' } },
        value(
          "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
        ),
      ],
      [
        { attr1: { DataType: 'String' } },
        value(
          "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
        ),
      ],
      [
        { attr1: { DataType: 'Binary', BinaryValue: new Uint8Array() } },
        value(
          "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'Binary'.",
        ),
      ],
      [
        { attr1: { DataType: 'String', BinaryValue: Buffer.from('123') } },
        value("The message attribute 'attr1' with type 'String' must use field 'String'."),
      ],
      [
        { attr1: { DataType: 'Number', BinaryValue: Buffer.from('123') } },
        value("The message attribute 'attr1' with type 'Number' must use field 'String'."),
      ],
      [
        { attr1: { DataType: 'Binary', StringValue: '123' } },
        value("The message attribute 'attr1' with type 'Binary' must use field 'Binary'."),
      ],
      ...['InvalidType', 'String.', 'Stringprefixed'].map(
        (DataType): [Record<string, { DataType: string; StringValue: string }>, unknown] => [
          { attr1: { DataType, StringValue: '123' } },
          value(
            "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
          ),
        ],
      ),
      [
        { ['a'.repeat(257)]: { DataType: 'String', StringValue: '123' } },
        value('Length of message attribute name must be less than 256 bytes.'),
      ],
      [
        { 'a^*?': { DataType: 'String', StringValue: '123' } },
        value(
          "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
        ),
      ],
      [
        { '.abc': { DataType: 'String', StringValue: '123' } },
        value("Invalid message attribute name starting with character '.' was found."),
      ],
      [
        { 'abc.': { DataType: 'String', StringValue: '123' } },
        value("Invalid message attribute name ending with character '.' was found."),
      ],
      [
        { 'a..bc': { DataType: 'String', StringValue: '123' } },
        value("Message attribute name can not have successive '.' character."),
      ],
    ];
    for (const [MessageAttributes, expected] of cases) {
      const single = await failure(() =>
        sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: 'test message',
            MessageAttributes: MessageAttributes as never,
          }),
        ),
      );
      assert.deepEqual(single, expected, JSON.stringify(MessageAttributes));
      const batch = await failure(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: [
              { Id: '1', Message: 'test-batch', MessageAttributes: MessageAttributes as never },
              { Id: '3', Message: 'valid-batch' },
            ],
          }),
        ),
      );
      assert.deepEqual(batch, expected, `batch ${JSON.stringify(MessageAttributes)}`);
    }
  });

  // test_create_duplicate_topic_with_more_tags, test_validations_for_fifo, test_publish_batch_too_long_message
  it('checks FIFO pairings, repeated topics and the size of a batch', async () => {
    const name = uniqueName('dup');
    await sns.send(new CreateTopicCommand({ Name: name }));
    assert.deepEqual(
      await failure(() =>
        sns.send(new CreateTopicCommand({ Name: name, Tags: [{ Key: 'key1', Value: 'value1' }] })),
      ),
      invalid('Invalid parameter: Tags Reason: Topic already exists with different tags'),
    );
    const fifoQueue = await subscribableQueue(sqs, `${uniqueName('q')}.fifo`, undefined, {
      FifoQueue: 'true',
    });
    assert.deepEqual(
      await failure(() =>
        sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: fifoQueue.arn })),
      ),
      invalid(
        'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      ),
    );
    const fifoTopic = (
      await sns.send(
        new CreateTopicCommand({ Name: `${uniqueName('t')}.fifo`, Attributes: { FifoTopic: 'true' } }),
      )
    ).TopicArn!;
    const standardQueue = await subscribableQueue(sqs, uniqueName('q'));
    const standardDlq = await subscribableQueue(sqs, uniqueName('dlq'));
    const redrive = {
      AttributeName: 'RedrivePolicy',
      AttributeValue: JSON.stringify({ deadLetterTargetArn: standardDlq.arn }),
    };
    // A standard queue on a FIFO topic may have a standard dead-letter queue; a FIFO queue may not.
    const toStandard = await sns.send(
      new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: standardQueue.arn }),
    );
    await sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: toStandard.SubscriptionArn, ...redrive }),
    );
    const toFifo = await sns.send(
      new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: fifoQueue.arn }),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new SetSubscriptionAttributesCommand({ SubscriptionArn: toFifo.SubscriptionArn, ...redrive }),
        ),
      ),
      invalid(
        'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
      ),
    );
    const tooLong = {
      code: 'BatchRequestTooLongException',
      message: 'The length of all the messages put together is more than the limit.',
      status: 400,
    };
    const max = 262_144;
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: [
              { Id: '1', Message: 'a'.repeat(max / 2) },
              { Id: '2', Message: 'b'.repeat(1 + max / 2) },
            ],
          }),
        ),
      ),
      tooLong,
    );
    // Attribute names, types and values count too.
    const attrs = { attr1: { DataType: 'Number', StringValue: '1' } };
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: [
              { Id: '1', Message: 'a'.repeat(max - 'attr1Number1'.length), MessageAttributes: attrs },
              { Id: '2', Message: 'b' },
            ],
          }),
        ),
      ),
      tooLong,
    );
  });

  // test_opt_in_invalid_number, test_create_platform_application_invalid_platform,
  // test_get_platform_application_attributes_*, test_set_platform_endpoint_attributes_*
  it('checks phone numbers and platform ARNs', async () => {
    assert.deepEqual(
      await failure(() => sns.send(new OptInPhoneNumberCommand({ phoneNumber: 'invalid' }))),
      invalid('Invalid parameter: PhoneNumber Reason: input incorrectly formatted'),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new CreatePlatformApplicationCommand({
            Name: 'app',
            Platform: 'AAA',
            Attributes: { PlatformPrincipal: 'dummy', PlatformCredential: 'dummy' },
          }),
        ),
      ),
      invalid('Invalid parameter: Platform Reason: AAA is not supported'),
    );
    // test_create_platform_application_invalid_name, test_create_platform_application_invalid_attributes
    const both = { PlatformPrincipal: 'dummy', PlatformCredential: 'dummy' };
    const createApp = (Name: string, Attributes: Record<string, string>) =>
      failure(() => sns.send(new CreatePlatformApplicationCommand({ Name, Platform: 'ADM', Attributes })));
    assert.deepEqual(await createApp('', both), invalid('Invalid parameter:  Reason: cannot be empty'));
    assert.deepEqual(
      await createApp('a'.repeat(257), both),
      invalid(`Invalid parameter: ${'a'.repeat(257)} Reason: must be at most 256 characters long`),
    );
    assert.deepEqual(
      await createApp('@name', both),
      invalid(
        "Invalid parameter: @name Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'",
      ),
    );
    assert.deepEqual(
      await createApp('app', { PlatformPrincipal: 'dummy' }),
      invalid(
        'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential',
      ),
    );
    assert.deepEqual(
      await createApp('app', { PlatformCredential: 'dummy' }),
      invalid(
        'Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal',
      ),
    );
    // test_set_invalid_sms_attributes: no "Invalid parameter: " lead here
    for (const [name, value, message] of [
      ['InvalidAttribute', 'invalid', 'InvalidAttribute is not a valid attribute'],
      ['DefaultSendID', 'a'.repeat(12), 'DefaultSendID is not a valid attribute'],
      ['DefaultSMSType', 'invalid', 'DefaultSMSType is invalid'],
    ]) {
      assert.deepEqual(
        await failure(() => sns.send(new SetSMSAttributesCommand({ attributes: { [name]: value } }))),
        invalid(message),
      );
    }
    // test_create_platform_endpoint_with_invalid_attributes, test_set_platform_endpoint_attributes_invalid_attributes
    const { PlatformApplicationArn } = await sns.send(
      new CreatePlatformApplicationCommand({ Name: uniqueName('app'), Platform: 'ADM', Attributes: both }),
    );
    const { EndpointArn } = await sns.send(
      new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'token_1' }),
    );
    for (const [name, value, reason] of [
      ['PlatformPrincipal', 'Principal', 'Invalid attribute name: PlatformPrincipal'],
      ['InvalidKey', 'Value', 'Invalid attribute name: InvalidKey'],
      [
        'CustomUserData',
        'A'.repeat(2050),
        'Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding',
      ],
    ]) {
      const expected = invalid(`Invalid parameter: Attributes Reason: ${reason}`);
      assert.deepEqual(
        await failure(() =>
          sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { [name]: value } })),
        ),
        expected,
      );
      assert.deepEqual(
        await failure(() =>
          sns.send(
            new CreatePlatformEndpointCommand({
              PlatformApplicationArn,
              Token: 'token_2',
              Attributes: { [name]: value },
            }),
          ),
        ),
        expected,
      );
    }
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new SetEndpointAttributesCommand({
            EndpointArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/ADM',
            Attributes: { Enabled: 'true' },
          }),
        ),
      ),
      invalid(
        'Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.',
      ),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: 'randomstring' })),
      ),
      invalid(
        'Invalid parameter: PlatformApplicationArn Reason: An ARN must have at least 6 elements, not 1',
      ),
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new GetPlatformApplicationAttributesCommand({
            PlatformApplicationArn: 'arn:aws:sns:us-east-1:000000000000:app/GCM/missing',
          }),
        ),
      ),
      { code: 'NotFoundException', message: 'PlatformApplication does not exist', status: 404 },
    );
    assert.deepEqual(
      await failure(() =>
        sns.send(
          new SetEndpointAttributesCommand({
            EndpointArn:
              'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/missing/0f7d5971-aa8b-4bd5-b585-0826e9f93a66',
            Attributes: { Enabled: 'true' },
          }),
        ),
      ),
      { code: 'NotFoundException', message: 'Endpoint does not exist', status: 404 },
    );
  });
});
