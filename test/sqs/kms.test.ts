import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  advance,
  assertAwsError,
  credentials,
  errorOf,
  type RunningTideway,
  receive,
  type SqsProtocol,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

// SSE-KMS as SQS runs it: the key is met when a message goes in or comes out, never when the
// queue names it, and each data key serves KmsDataKeyReusePeriodSeconds before KMS is asked again.
describe('SQS queues encrypted with a KMS key', () => {
  let server: RunningTideway;
  let kms: KMSClient;
  before(async () => {
    server = await startServer();
    kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(() => server.stop());

  async function newKey(): Promise<{ id: string; arn: string }> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
  }

  async function encryptedQueue(sqs: SQSClient, keyId: string, reuse = 60): Promise<string> {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName('sse'),
        Attributes: { KmsMasterKeyId: keyId, KmsDataKeyReusePeriodSeconds: String(reuse) },
      }),
    );
    return QueueUrl!;
  }

  for (const protocol of ['json', 'query'] as SqsProtocol[]) {
    describe(`over ${protocol}`, () => {
      let sqs: SQSClient;
      before(() => {
        sqs = sqsClient(server.endpoint, protocol);
      });

      it('takes a key that does not exist, then fails SendMessage with KMS.NotFoundException', async () => {
        // AWS accepts KmsMasterKeyId "testKeyId" on a queue (recorded); the send is what fails.
        const url = await encryptedQueue(sqs, 'testKeyId');
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['KmsMasterKeyId'] }),
        );
        assert.equal(Attributes?.KmsMasterKeyId, 'testKeyId');
        const err = await errorOf(() =>
          sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
        );
        assertAwsError(err, {
          name: 'KmsNotFound',
          code: 'KMS.NotFoundException',
          message:
            /^.+ \(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
        });
        if (protocol === 'json') assert.equal(err.__type, 'com.amazonaws.sqs#KmsNotFound');
      });

      it('sends and receives through a customer key, in clear to the consumer', async () => {
        const key = await newKey();
        const url = await encryptedQueue(sqs, key.arn);
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello, sealed world' }));
        const [got] = await receive(sqs, url);
        assert.equal(got.Body, 'hello, sealed world');
      });

      it('keeps using the data key through its reuse period after the key is disabled, then refuses', async () => {
        const key = await newKey();
        const url = await encryptedQueue(sqs, key.id, 60);
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'before' }));
        await receive(sqs, url, { VisibilityTimeout: 0 });
        await kms.send(new DisableKeyCommand({ KeyId: key.id }));
        // Within the 60 seconds the cached data key still serves sends and receives.
        await advance(server, 30);
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'within the period' }));
        assert.ok((await receive(sqs, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).length > 0);
        await advance(server, 31);
        const disabled = {
          name: 'KmsDisabled',
          code: 'KMS.DisabledException',
          message: new RegExp(
            `^${key.arn} is disabled\\. \\(Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
          ),
        };
        const sent = await errorOf(() =>
          sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after' })),
        );
        assertAwsError(sent, disabled);
        if (protocol === 'json') assert.equal(sent.__type, 'com.amazonaws.sqs#KmsDisabled');
        // The batch fails whole: the key is the queue's, not an entry's.
        assertAwsError(
          await errorOf(() =>
            sqs.send(
              new SendMessageBatchCommand({
                QueueUrl: url,
                Entries: [
                  { Id: 'a', MessageBody: 'one' },
                  { Id: 'b', MessageBody: 'two' },
                ],
              }),
            ),
          ),
          disabled,
        );
        // ReceiveMessage needs kms:Decrypt once its own period is over.
        assertAwsError(await errorOf(() => sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))), disabled);
        // Enabled again, the next send asks KMS afresh and goes through.
        await kms.send(new EnableKeyCommand({ KeyId: key.id }));
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'enabled again' }));
      });

      it('refuses a key pending deletion with KMS.InvalidStateException once the period is over', async () => {
        const key = await newKey();
        const url = await encryptedQueue(sqs, key.arn, 60);
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first' }));
        await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
        await advance(server, 61);
        assertAwsError(
          await errorOf(() => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second' }))),
          {
            name: 'KmsInvalidState',
            code: 'KMS.InvalidStateException',
            message: new RegExp(`^${key.arn} is pending deletion\\. \\(Service: AWSKMS; .*\\)$`),
          },
        );
      });

      it("meets a key policy held to the queue's encryption context on send and receive", async () => {
        const name = uniqueName('ctx');
        const { QueueUrl: other } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('ctx') }));
        const root = { AWS: 'arn:aws:iam::000000000000:root' };
        const { KeyMetadata } = await kms.send(
          new CreateKeyCommand({
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: root,
                  Action: ['kms:Describe*', 'kms:Put*', 'kms:Get*'],
                  Resource: '*',
                },
                {
                  Effect: 'Allow',
                  Principal: root,
                  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                  Resource: '*',
                  Condition: {
                    StringEquals: {
                      'kms:EncryptionContext:aws:sqs:arn': `arn:aws:sqs:us-east-1:000000000000:${name}`,
                    },
                  },
                },
              ],
            }),
          }),
        );
        const { QueueUrl } = await sqs.send(
          new CreateQueueCommand({ QueueName: name, Attributes: { KmsMasterKeyId: KeyMetadata!.Arn! } }),
        );
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'its own queue' }));
        const [got] = await receive(sqs, QueueUrl!);
        assert.equal(got.Body, 'its own queue');
        // The same key on another queue: the context names that queue, which the policy leaves out.
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: other,
            Attributes: { KmsMasterKeyId: KeyMetadata!.Arn! },
          }),
        );
        assertAwsError(
          await errorOf(() =>
            sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'elsewhere' })),
          ),
          {
            name: 'KmsAccessDenied',
            code: 'KMS.AccessDeniedException',
            message:
              /kms:GenerateDataKey.* \(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; /,
          },
        );
      });

      it('a changed KmsMasterKeyId takes a new data key at once', async () => {
        const good = await newKey();
        const url = await encryptedQueue(sqs, good.id, 86_400);
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first' }));
        await sqs.send(
          new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'alias/none' } }),
        );
        assertAwsError(
          await errorOf(() => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second' }))),
          { name: 'KmsNotFound', code: 'KMS.NotFoundException' },
        );
      });
    });
  }

  it('alias/aws/sqs uses the AWS managed key, made on first use', async () => {
    const sqs = sqsClient(server.endpoint);
    const url = await encryptedQueue(sqs, 'alias/aws/sqs');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'managed' }));
    const [got] = await receive(sqs, url);
    assert.equal(got.Body, 'managed');
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/sqs' }));
    assert.equal(KeyMetadata?.KeyManager, 'AWS');
  });
});
