import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetDataProtectionPolicyCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { snsClient } from '../support/sns.js';
import { errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

describe('SNS topics', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
  });
  after(() => server.stop());

  // SNS API Reference, CreateTopic / GetTopicAttributes: the ARN is arn:aws:sns:<region>:<account>:<name>,
  // and a new topic reports its owner, the default policy, subscription counts and the delivery policy.
  it('creates a topic idempotently and reports AWS default attributes', async () => {
    const name = uniqueName('t');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    assert.equal(TopicArn, `arn:aws:sns:us-east-1:000000000000:${name}`);
    assert.equal((await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn, TopicArn);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.TopicArn, TopicArn);
    assert.equal(Attributes?.Owner, '000000000000');
    assert.equal(Attributes?.SubscriptionsConfirmed, '0');
    assert.equal(Attributes?.SubscriptionsPending, '0');
    assert.equal(Attributes?.SubscriptionsDeleted, '0');
    assert.equal(Attributes?.DisplayName, '');
    assert.equal(Attributes?.MaximumMessageSize, '262144');
    const policy = JSON.parse(Attributes!.Policy!);
    assert.equal(policy.Statement[0].Condition.StringEquals['AWS:SourceOwner'], '000000000000');
    assert.ok(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy);
    assert.equal(Attributes?.FifoTopic, undefined);
  });

  it('creates FIFO topics only with a .fifo name and FifoTopic=true', async () => {
    const name = `${uniqueName('f')}.fifo`;
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: name,
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.FifoTopic, 'true');
    assert.equal(Attributes?.ContentBasedDeduplication, 'true');
    assert.equal(Attributes?.FifoThroughputScope, 'Topic');
    const noSuffix = await errorOf(() =>
      sns.send(new CreateTopicCommand({ Name: uniqueName('f'), Attributes: { FifoTopic: 'true' } })),
    );
    assert.equal(noSuffix.name, 'InvalidParameterException');
    assert.equal(noSuffix.message, 'Invalid parameter: Topic Name');
    const badName = await errorOf(() => sns.send(new CreateTopicCommand({ Name: 'has space' })));
    assert.equal(badName.name, 'InvalidParameterException');
    assert.equal(badName.message, 'Invalid parameter: Topic Name');
  });

  it('rejects a second CreateTopic with different attributes', async () => {
    const name = uniqueName('t');
    await sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'one' } }));
    const err = await errorOf(() =>
      sns.send(new CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'two' } })),
    );
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(
      err.message,
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
  });

  it('sets attributes, validating names and values', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }),
    );
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'MaximumMessageSize',
        AttributeValue: '1048576',
      }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, 'Shown');
    assert.equal(Attributes?.MaximumMessageSize, '1048576');
    const unknown = await errorOf(() =>
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Colour', AttributeValue: 'x' })),
    );
    assert.equal(unknown.message, 'Invalid parameter: AttributeName');
    const tooBig = await errorOf(() =>
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'MaximumMessageSize',
          AttributeValue: '2000000',
        }),
      ),
    );
    assert.equal(tooBig.name, 'InvalidParameterException');
    const cbd = await errorOf(() =>
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'ContentBasedDeduplication',
          AttributeValue: 'true',
        }),
      ),
    );
    assert.match(cbd.message, /can only be set for FIFO topics/);
  });

  it('lists topics per account and region, in pages of 100', async () => {
    const other = snsClient(server.endpoint, '111122223333', 'eu-west-1');
    const names = Array.from({ length: 105 }, (_, i) => `page-${process.pid}-${String(i).padStart(3, '0')}`);
    for (const Name of names) await other.send(new CreateTopicCommand({ Name }));
    const first = await other.send(new ListTopicsCommand({}));
    assert.equal(first.Topics?.length, 100);
    assert.ok(first.NextToken);
    const second = await other.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics?.length, 5);
    assert.equal(second.NextToken, undefined);
    const all = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn);
    assert.ok(all.every((arn) => arn?.startsWith('arn:aws:sns:eu-west-1:111122223333:')));
    const mine = await sns.send(new ListTopicsCommand({}));
    assert.ok(!mine.Topics?.some((t) => t.TopicArn?.includes('111122223333')));
  });

  it('deletes topics; later calls answer NotFound, a second delete succeeds', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const err = await errorOf(() => sns.send(new GetTopicAttributesCommand({ TopicArn })));
    assert.equal(err.name, 'NotFoundException');
    assert.equal(err.message, 'Topic does not exist');
    assert.equal(err.$metadata.httpStatusCode, 404);
  });

  it('answers bad ARNs with InvalidParameter as AWS words it', async () => {
    const err = await errorOf(() => sns.send(new PublishCommand({ TopicArn: 'nope', Message: 'x' })));
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(
      err.message,
      'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1',
    );
    const none = await errorOf(() => sns.send(new PublishCommand({ Message: 'x' })));
    assert.equal(
      none.message,
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  });

  // SNS API Reference, TagResource: at most 50 tags; unknown resources answer ResourceNotFound.
  it('tags topics', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: uniqueName('t'), Tags: [{ Key: 'team', Value: 'a' }] }),
    );
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(Tags, [{ Key: 'env', Value: 'dev' }]);
    const tooMany = await errorOf(() =>
      sns.send(
        new TagResourceCommand({
          ResourceArn: TopicArn,
          Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
        }),
      ),
    );
    assert.equal(tooMany.name, 'TagLimitExceededException');
    const missing = await errorOf(() =>
      sns.send(new ListTagsForResourceCommand({ ResourceArn: `${TopicArn}-gone` })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  // SNS API Reference, AddPermission: another account may publish only once the topic policy says so.
  it('enforces the topic policy on other accounts, and AddPermission opens it', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    const stranger = snsClient(server.endpoint, '111122223333');
    const denied = await errorOf(() => stranger.send(new PublishCommand({ TopicArn, Message: 'hi' })));
    assert.equal(denied.name, 'AuthorizationErrorException');
    assert.equal(
      denied.message,
      `User: arn:aws:iam::111122223333:root is not authorized to perform: SNS:Publish on resource: ${TopicArn}`,
    );
    await sns.send(
      new AddPermissionCommand({
        TopicArn,
        Label: 'friends',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    const { MessageId } = await stranger.send(new PublishCommand({ TopicArn, Message: 'hi' }));
    assert.ok(MessageId);
    await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'friends' }));
    const again = await errorOf(() => stranger.send(new PublishCommand({ TopicArn, Message: 'hi' })));
    assert.equal(again.name, 'AuthorizationErrorException');
  });

  it('stores and validates data protection policies', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    const policy = JSON.stringify({
      Name: 'basic',
      Description: 'mask emails',
      Version: '2021-06-01',
      Statement: [
        {
          Sid: 'deny',
          DataDirection: 'Inbound',
          Principal: ['*'],
          DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'],
          Operation: { Deny: {} },
        },
      ],
    });
    await sns.send(
      new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: policy }),
    );
    const got = await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }));
    assert.equal(got.DataProtectionPolicy, policy);
    const bad = await errorOf(() =>
      sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: '{' })),
    );
    assert.equal(bad.name, 'InvalidParameterException');
  });
});
