import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  type MessageAttributeValue,
  PublishBatchCommand,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { snsClient } from '../support/sns.js';
import { errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// SNS checks required members before the operation runs and answers, over awsQuery,
// `ValidationError` with coral's text and member paths: list items as `.N.member`, map entries
// as `.key.member` (LocalStack's AWS-validated snapshots, test_sns.py
// test_publish_wrong_message_attributes "fully_missing_data_type" and its batch form).
describe('SNS input validation', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let topicArn: string;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
  });
  after(async () => {
    sns.destroy();
    await server.stop();
  });

  const noDataType = { attr1: { StringValue: 'value' } as MessageAttributeValue };

  it('names a message attribute without DataType by its map key', async () => {
    const err = await errorOf(() =>
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm', MessageAttributes: noDataType })),
    );
    assert.equal(err.name, 'ValidationError');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(
      err.message,
      "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    );
  });

  it('names it by entry index and map key in a batch', async () => {
    const err = await errorOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [{ Id: '1', Message: 'm', MessageAttributes: noDataType }],
        }),
      ),
    );
    assert.equal(err.name, 'ValidationError');
    assert.equal(
      err.message,
      "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    );
  });
});
