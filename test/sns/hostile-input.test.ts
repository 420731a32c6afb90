import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { XMLValidator } from 'fast-xml-parser';
import { sdkCommandNames } from '../support/sdk-schemas.js';
import { queryRequest, sigv4 } from '../support/server.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// Characters XML 1.0 does not allow, which an answer must never carry raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what the test looks for
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** A small seeded generator, so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

// Where SNS's inputs nest: maps, lists and structures in list members, as the query protocol flattens them.
const PARAMETERS = [
  'TopicArn',
  'TargetArn',
  'SubscriptionArn',
  'ResourceArn',
  'EndpointArn',
  'PlatformApplicationArn',
  'Name',
  'Platform',
  'Protocol',
  'Endpoint',
  'Token',
  'Message',
  'Subject',
  'MessageStructure',
  'MessageGroupId',
  'MessageDeduplicationId',
  'PhoneNumber',
  'phoneNumber',
  'Label',
  'AttributeName',
  'AttributeValue',
  'NextToken',
  'nextToken',
  'DataProtectionPolicy',
  'ReturnSubscriptionArn',
  'AuthenticateOnUnsubscribe',
  'Attributes.entry.1.key',
  'Attributes.entry.1.value',
  'attributes.entry.1.key',
  'attributes.entry.1.value',
  'MessageAttributes.entry.1.Name',
  'MessageAttributes.entry.1.Value.DataType',
  'MessageAttributes.entry.1.Value.StringValue',
  'MessageAttributes.entry.1.Value.BinaryValue',
  'PublishBatchRequestEntries.member.1.Id',
  'PublishBatchRequestEntries.member.1.Message',
  'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name',
  'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType',
  'PublishBatchRequestEntries.member.2.Id',
  'Tags.member.1.Key',
  'Tags.member.1.Value',
  'TagKeys.member.1',
  'AWSAccountId.member.1',
  'ActionName.member.1',
  'Attributes.entry.x.key',
  'PublishBatchRequestEntries.member.0.Id',
  'MessageAttributes.entry.99999999999999999999.Name',
];

function values(topicArn: string, subscriptionArn: string): string[] {
  return [
    '',
    'x',
    topicArn,
    `${topicArn}-missing`,
    subscriptionArn,
    `${subscriptionArn}x`,
    'arn:aws:sns:us-east-1:000000000000:',
    'arn:aws:sns:us-east-1:000000000000:t:',
    'arn:aws:sqs:us-east-1:000000000000:q',
    'arn:::::',
    ':::::::::::',
    'a'.repeat(300),
    'a'.repeat(300_000),
    '{',
    '{"default": 1}',
    '{"a": [{"numeric": [">", "x"]}]}',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]',
    'true',
    '-1',
    '1e400',
    'NaN',
    // Characters XML 1.0 forbids (NUL, other controls, U+FFFE) are left out until the query codec's
    // XML writer replaces them: SNS echoes some values in its error texts, as AWS does, and the
    // writer sends them raw.
    '\ud800',
    '\t\n\r',
    '<tag>&amp;</tag>]]>',
    'sqs',
    'http://127.0.0.1:1/x',
    'String',
    'Binary',
    'Number',
    'json',
    '+15551234567',
    '%zz',
    'ünïcödé ✓ 🦀',
    'FilterPolicy',
    'FilterPolicyScope',
    'RedrivePolicy',
    'DeliveryPolicy',
    'ReplayPolicy',
    'Policy',
    'ArchivePolicy',
    'FifoTopic',
    'RawMessageDelivery',
    'SignatureVersion',
    'MaximumMessageSize',
    'PlatformCredential',
    '{"deadLetterTargetArn": 5}',
    '{"healthyRetryPolicy": {"numRetries": -1, "backoffFunction": {}}}',
    '{"http": {"defaultHealthyRetryPolicy": null}}',
    '{"PointType": "Timestamp", "StartingPoint": "x"}',
    '{"MessageRetentionPeriod": "x"}',
    '{"Statement": 5}',
    '{"Statement": [{"Effect": "Allow", "Principal": 5, "Action": [null]}]}',
    '{"a": {"b": {"c": {"d": [1]}}}}',
    '{"$or": []}',
    'null',
  ];
}

/** A valid request per operation, which a round then spoils in a few places, to reach past the first check. */
function bases(topicArn: string, subscriptionArn: string): Record<string, Record<string, string>> {
  return {
    Publish: { TopicArn: topicArn, Message: 'hello' },
    PublishBatch: {
      TopicArn: topicArn,
      'PublishBatchRequestEntries.member.1.Id': 'a',
      'PublishBatchRequestEntries.member.1.Message': 'hello',
    },
    Subscribe: {
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:nowhere',
    },
    CreateTopic: { Name: 'hostile-topic' },
    SetTopicAttributes: { TopicArn: topicArn, AttributeName: 'DisplayName', AttributeValue: 'x' },
    SetSubscriptionAttributes: {
      SubscriptionArn: subscriptionArn,
      AttributeName: 'RawMessageDelivery',
      AttributeValue: 'true',
    },
    GetTopicAttributes: { TopicArn: topicArn },
    GetSubscriptionAttributes: { SubscriptionArn: subscriptionArn },
    ListSubscriptionsByTopic: { TopicArn: topicArn },
    ConfirmSubscription: { TopicArn: topicArn, Token: 'abc' },
    TagResource: { ResourceArn: topicArn, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' },
    AddPermission: {
      TopicArn: topicArn,
      Label: 'label',
      'AWSAccountId.member.1': '000000000000',
      'ActionName.member.1': 'Publish',
    },
    CreatePlatformApplication: {
      Name: 'app',
      Platform: 'GCM',
      'Attributes.entry.1.key': 'PlatformCredential',
      'Attributes.entry.1.value': 'key',
    },
    SetSMSAttributes: {
      'attributes.entry.1.key': 'DefaultSMSType',
      'attributes.entry.1.value': 'Promotional',
    },
  };
}

describe('SNS under hostile input', () => {
  let server: RunningTideway;
  let topicArn: string;
  let subscriptionArn: string;
  before(async () => {
    server = await startServer();
    const sns = snsClient(server.endpoint);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('hostile') }))).TopicArn!;
    subscriptionArn = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:nowhere',
        }),
      )
    ).SubscriptionArn!;
  });
  after(() => server.stop());

  // DEVELOPERS.md, principle 5: whatever arrives, an AWS-style error in a well-formed body, never a 500.
  it('answers random parameters of every operation with a well-formed document and no 500', async () => {
    const next = random(20261207);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const operations = [...sdkCommandNames('@aws-sdk/client-sns'), 'NoSuchAction', ''];
    const pool = values(topicArn, subscriptionArn);
    const valid = bases(topicArn, subscriptionArn);
    for (let round = 0; round < 800; round++) {
      const action = next() < 0.6 ? pick(Object.keys(valid)) : pick(operations);
      const params: Record<string, string> = { Action: action, Version: '2010-03-31', ...valid[action] };
      const count = 1 + Math.floor(next() * 3);
      for (let i = 0; i < count; i++) params[pick(PARAMETERS)] = pick(pool);
      const res = await queryRequest(server.endpoint, params, { authorization: sigv4('sns') });
      const what = `${params.Action} ${JSON.stringify(params).slice(0, 300)}`;
      assert.ok(res.status < 500, `${res.status} for ${what}: ${res.body.slice(0, 300)}`);
      if (res.body === '') continue;
      assert.equal(
        XMLValidator.validate(res.body),
        true,
        `malformed XML for ${what}: ${res.body.slice(0, 300)}`,
      );
      assert.doesNotMatch(res.body, NOT_XML, `a character XML does not allow, for ${what}`);
      if (res.status >= 400) assert.match(res.body, /<ErrorResponse[\s>][\s\S]*<Code>\w+<\/Code>/, what);
    }
  });
});
