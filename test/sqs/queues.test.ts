// Queue lifecycle through the official SDK over both wire protocols.
//
// Sources for the expected behaviour (AWS docs are https://docs.aws.amazon.com/AWSSimpleQueueService/latest/):
// - APIReference/API_CreateQueue.html, API_GetQueueUrl.html, API_ListQueues.html, API_DeleteQueue.html,
//   API_TagQueue.html, API_UntagQueue.html, API_ListQueueTags.html
// - SQSDeveloperGuide/sqs-queue-message-identifiers.html ("Queue URLs": https://sqs.<region>.amazonaws.com/<account>/<name>)
// - SQSDeveloperGuide/quotas-queues.html (names: 80 characters of alphanumerics, '-' and '_'; FIFO names end in
//   .fifo, the suffix counting towards the 80; at most 50 tags per queue)
// - Recorded AWS responses, cited next to each group below.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import {
  assertAwsError,
  assertQueueDoesNotExist,
  client,
  DEFAULT_ACCOUNT,
  OTHER_ACCOUNT,
  queueArn,
} from '../support/queues.js';
import { advance, errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// Texts AWS answers for invalid names. Standard: boto/botocore#3058 (a `.fifo` name sent without FifoQueue).
// FIFO: aws-samples/aws-marketplace-serverless-saas-integration#29 (SQS's text relayed by CloudFormation).
const STANDARD_NAME_INVALID =
  'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
const FIFO_NAME_INVALID =
  'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.';

function invalidName(message: string) {
  return { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message };
}

async function urlOf(sqs: SQSClient, name: string): Promise<string> {
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}

for (const protocol of ['json', 'query'] as const) {
  describe(`queues over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: SQSClient;
    let port: number;
    before(async () => {
      server = await startServer();
      sqs = client(server, protocol);
      port = server.port;
    });
    after(() => server.stop());

    describe('CreateQueue', () => {
      // Queue URL: <scheme>://<host the request came in on>/<account>/<name> (API_CreateQueue "QueueUrl";
      // docs/sqs.md for how Tideway stands in for sqs.<region>.amazonaws.com).
      it('answers <endpoint>/<account>/<name>', async () => {
        const name = uniqueName('create');
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(QueueUrl, `${server.endpoint}/${DEFAULT_ACCOUNT}/${name}`);
        assert.equal(QueueUrl, `http://127.0.0.1:${port}/${DEFAULT_ACCOUNT}/${name}`);
      });

      it('builds URLs from the Host the request came in on (localhost vs 127.0.0.1)', async () => {
        const viaLocalhost = client(server, protocol, { endpoint: `http://localhost:${port}` });
        const name = uniqueName('host');
        const created = await viaLocalhost.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(created.QueueUrl, `http://localhost:${port}/${DEFAULT_ACCOUNT}/${name}`);
        // The same queue, seen through the other host name, carries that host in its URL.
        assert.equal(await urlOf(sqs, name), `http://127.0.0.1:${port}/${DEFAULT_ACCOUNT}/${name}`);
        assert.equal(await urlOf(viaLocalhost, name), `http://localhost:${port}/${DEFAULT_ACCOUNT}/${name}`);
        const listed = await viaLocalhost.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        assert.deepEqual(listed.QueueUrls, [`http://localhost:${port}/${DEFAULT_ACCOUNT}/${name}`]);
        // A URL with either host reaches the same queue.
        await sqs.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'via 127.0.0.1' }));
        const got = await viaLocalhost.send(
          new ReceiveMessageCommand({ QueueUrl: `http://127.0.0.1:${port}/${DEFAULT_ACCOUNT}/${name}` }),
        );
        assert.equal(got.Messages?.[0]?.Body, 'via 127.0.0.1');
      });

      // API_CreateQueue: "If you provide the name of an existing queue along with the exact names and values
      // of all the queue's attributes, CreateQueue returns the queue URL for the existing queue."
      it('is idempotent for the same name and attributes', async () => {
        const name = uniqueName('idem');
        const first = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        const again = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(again.QueueUrl, first.QueueUrl);

        const withAttrs = uniqueName('idem-attrs');
        const Attributes = { VisibilityTimeout: '45', DelaySeconds: '5' };
        const a = await sqs.send(new CreateQueueCommand({ QueueName: withAttrs, Attributes }));
        const b = await sqs.send(new CreateQueueCommand({ QueueName: withAttrs, Attributes }));
        assert.equal(b.QueueUrl, a.QueueUrl);
      });

      // Recorded AWS response (localstack/localstack tests/aws/services/sqs/test_sqs.snapshot.json,
      // test_create_queue_with_different_attributes_raises_exception, JSON protocol): __type QueueNameExists,
      // query code QueueAlreadyExists, 400.
      it('answers QueueNameExists (query code QueueAlreadyExists) for a different attribute value', async () => {
        const name = uniqueName('exists');
        await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '0' } }));
        const err = await errorOf(() =>
          sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '1' } })),
        );
        assertAwsError(err, {
          name: 'QueueNameExists',
          code: 'QueueAlreadyExists',
          message:
            'A queue already exists with the same name and a different value for attribute DelaySeconds',
        });
        const other = await errorOf(() =>
          sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '31' } })),
        );
        assertAwsError(other, {
          name: 'QueueNameExists',
          code: 'QueueAlreadyExists',
          message:
            'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
        });
      });

      it('accepts names of 1 to 80 alphanumerics, hyphens and underscores', async () => {
        const longest = `a${uniqueName('n').replace(/-/g, '_')}`.padEnd(80, 'x');
        assert.equal(longest.length, 80);
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: longest }));
        assert.equal(QueueUrl, `${server.endpoint}/${DEFAULT_ACCOUNT}/${longest}`);
        const fifo = `${uniqueName('f').replace(/-/g, '_')}`.padEnd(75, 'y') + '.fifo';
        assert.equal(fifo.length, 80);
        const created = await sqs.send(
          new CreateQueueCommand({ QueueName: fifo, Attributes: { FifoQueue: 'true' } }),
        );
        assert.equal(created.QueueUrl, `${server.endpoint}/${DEFAULT_ACCOUNT}/${fifo}`);
      });

      it('rejects invalid standard queue names', async () => {
        for (const bad of ['has space', 'dot.ted', 'slash/name', 'x'.repeat(81), 'ümlaut']) {
          const err = await errorOf(() => sqs.send(new CreateQueueCommand({ QueueName: bad })));
          assertAwsError(err, invalidName(STANDARD_NAME_INVALID));
        }
      });

      it('rejects invalid FIFO queue names', async () => {
        for (const bad of ['has space.fifo', `${'x'.repeat(76)}.fifo`, 'a.b.fifo']) {
          const err = await errorOf(() =>
            sqs.send(new CreateQueueCommand({ QueueName: bad, Attributes: { FifoQueue: 'true' } })),
          );
          assertAwsError(err, invalidName(FIFO_NAME_INVALID));
        }
      });

      // boto/botocore#3058: create_queue(QueueName='messages.fifo') without FifoQueue answers
      // "InvalidParameterValue ... Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
      it('rejects a .fifo name without FifoQueue=true with the standard-name text', async () => {
        const err = await errorOf(() =>
          sqs.send(new CreateQueueCommand({ QueueName: `${uniqueName('nf')}.fifo` })),
        );
        assertAwsError(err, invalidName(STANDARD_NAME_INVALID));
      });

      it('rejects FifoQueue=true on a name without .fifo', async () => {
        const err = await errorOf(() =>
          sqs.send(
            new CreateQueueCommand({ QueueName: uniqueName('nofifo'), Attributes: { FifoQueue: 'true' } }),
          ),
        );
        assertAwsError(err, invalidName(FIFO_NAME_INVALID));
      });

      // API_CreateQueue: "After you delete a queue, you must wait at least 60 seconds before creating a queue
      // with the same name." Code/text: AWS.SimpleQueueService.QueueDeletedRecently, "You must wait 60 seconds
      // after deleting a queue before you can create another with the same name." (the text
      // hashicorp/terraform-provider-aws matched on when retrying CreateQueue).
      it('answers QueueDeletedRecently within 60 s of DeleteQueue, and creates after', async () => {
        const name = uniqueName('recent');
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        await sqs.send(new DeleteQueueCommand({ QueueUrl }));
        const expected = {
          name: 'QueueDeletedRecently',
          code: 'AWS.SimpleQueueService.QueueDeletedRecently',
          message:
            'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
        };
        assertAwsError(await errorOf(() => sqs.send(new CreateQueueCommand({ QueueName: name }))), expected);
        await advance(server, 30);
        assertAwsError(await errorOf(() => sqs.send(new CreateQueueCommand({ QueueName: name }))), expected);
        await advance(server, 31);
        const again = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(again.QueueUrl, QueueUrl);
        // The new queue starts empty and with default attributes.
        const attrs = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, '0');
      });

      // API_CreateQueue "tags"; API_ListQueueTags.
      it('applies tags given at creation', async () => {
        const name = uniqueName('tagged');
        const { QueueUrl } = await sqs.send(
          new CreateQueueCommand({ QueueName: name, tags: { team: 'payments', env: 'test' } }),
        );
        const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
        assert.deepEqual(Tags, { team: 'payments', env: 'test' });
      });
    });

    describe('GetQueueUrl, ListQueues, DeleteQueue', () => {
      it('GetQueueUrl resolves a name, also with the owner account id', async () => {
        const name = uniqueName('geturl');
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(await urlOf(sqs, name), QueueUrl);
        const owned = await sqs.send(
          new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: DEFAULT_ACCOUNT }),
        );
        assert.equal(owned.QueueUrl, QueueUrl);
      });

      it('GetQueueUrl of an unknown name answers QueueDoesNotExist', async () => {
        const err = await errorOf(() =>
          sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName('missing') })),
        );
        assertQueueDoesNotExist(err, protocol);
      });

      it('ListQueues filters by prefix', async () => {
        const prefix = uniqueName('lp');
        const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}x-c`];
        for (const n of names) await sqs.send(new CreateQueueCommand({ QueueName: n }));
        await sqs.send(new CreateQueueCommand({ QueueName: `other-${prefix}` }));
        const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
        assert.deepEqual(
          [...(all.QueueUrls ?? [])].sort(),
          names.map((n) => `${server.endpoint}/${DEFAULT_ACCOUNT}/${n}`).sort(),
        );
        // Without MaxResults no NextToken is returned (API_ListQueues).
        assert.equal(all.NextToken, undefined);
        const narrow = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}x` }));
        assert.deepEqual(narrow.QueueUrls, [`${server.endpoint}/${DEFAULT_ACCOUNT}/${prefix}x-c`]);
        const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-zzz` }));
        assert.deepEqual(none.QueueUrls ?? [], []);
      });

      // API_ListQueues: MaxResults 1..1000; "NextToken: Pagination token to request the next set of results."
      it('ListQueues pages with MaxResults and NextToken', async () => {
        const prefix = uniqueName('page');
        const expected: string[] = [];
        for (let i = 0; i < 5; i++) {
          const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }));
          expected.push(QueueUrl!);
        }
        const seen: string[] = [];
        const sizes: number[] = [];
        let NextToken: string | undefined;
        do {
          const page = await sqs.send(
            new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }),
          );
          sizes.push(page.QueueUrls?.length ?? 0);
          seen.push(...(page.QueueUrls ?? []));
          NextToken = page.NextToken;
        } while (NextToken && sizes.length < 10);
        assert.deepEqual(sizes, [2, 2, 1]);
        assert.deepEqual([...seen].sort(), [...expected].sort());
        assert.equal(new Set(seen).size, seen.length, 'no queue is listed twice');
      });

      // Text as Inqnuam/local-aws-sqs (an emulator checked against AWS) and AWS answer it.
      it('ListQueues rejects MaxResults outside 1..1000', async () => {
        for (const MaxResults of [0, 1001]) {
          const err = await errorOf(() => sqs.send(new ListQueuesCommand({ MaxResults })));
          assertAwsError(err, {
            name: 'InvalidParameterValue',
            code: 'InvalidParameterValue',
            message:
              'Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.',
          });
        }
      });

      it('DeleteQueue removes the queue: QueueDoesNotExist afterwards', async () => {
        const name = uniqueName('del');
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        await sqs.send(new DeleteQueueCommand({ QueueUrl }));
        assertQueueDoesNotExist(
          await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: name }))),
          protocol,
        );
        assertQueueDoesNotExist(
          await errorOf(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))),
          protocol,
        );
        assertQueueDoesNotExist(
          await errorOf(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }))),
          protocol,
        );
        assertQueueDoesNotExist(
          await errorOf(() => sqs.send(new DeleteQueueCommand({ QueueUrl }))),
          protocol,
        );
        const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        assert.deepEqual(listed.QueueUrls ?? [], []);
      });

      // SQSDeveloperGuide "Queue and message identifiers": https://sqs.us-east-1.amazonaws.com/<account>/<name>.
      it('resolves a QueueUrl written AWS-style to the same queue', async () => {
        const name = uniqueName('awsurl');
        await sqs.send(new CreateQueueCommand({ QueueName: name }));
        const awsUrl = `https://sqs.us-east-1.amazonaws.com/${DEFAULT_ACCOUNT}/${name}`;
        const sent = await sqs.send(new SendMessageCommand({ QueueUrl: awsUrl, MessageBody: 'aws-style' }));
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(sqs, name) }));
        assert.equal(got.Messages?.[0]?.MessageId, sent.MessageId);
        const attrs = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: awsUrl, AttributeNames: ['QueueArn'] }),
        );
        assert.equal(attrs.Attributes?.QueueArn, queueArn(name));
      });
    });

    // README "Accounts and regions": a 12-digit access key id is that account's id, any other key maps to
    // 000000000000; resources are isolated per account and region (as AWS isolates them).
    describe('accounts and regions', () => {
      it('a 12-digit access key id selects that account in URLs and ARNs', async () => {
        const other = client(server, protocol, { accessKeyId: OTHER_ACCOUNT });
        const name = uniqueName('acct');
        const { QueueUrl } = await other.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(QueueUrl, `${server.endpoint}/${OTHER_ACCOUNT}/${name}`);
        const attrs = await other.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
        );
        assert.equal(attrs.Attributes?.QueueArn, queueArn(name, OTHER_ACCOUNT));
      });

      it('any other access key maps to 000000000000', async () => {
        const aws = client(server, protocol, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
        const name = uniqueName('defacct');
        const { QueueUrl } = await aws.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(QueueUrl, `${server.endpoint}/${DEFAULT_ACCOUNT}/${name}`);
        const attrs = await aws.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
        );
        assert.equal(attrs.Attributes?.QueueArn, queueArn(name));
        // 'test' (the default client's key) lands in the same account.
        assert.equal(await urlOf(sqs, name), QueueUrl);
      });

      it('a queue made in us-east-1 is not visible from eu-west-1', async () => {
        const eu = client(server, protocol, { region: 'eu-west-1' });
        const name = uniqueName('region');
        await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '40' } }));
        assertQueueDoesNotExist(
          await errorOf(() => eu.send(new GetQueueUrlCommand({ QueueName: name }))),
          protocol,
        );
        const listed = await eu.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        assert.deepEqual(listed.QueueUrls ?? [], []);
        // The same name in eu-west-1 is another queue, with its own ARN and attributes.
        const { QueueUrl } = await eu.send(new CreateQueueCommand({ QueueName: name }));
        const attrs = await eu.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }),
        );
        assert.deepEqual(attrs.Attributes, {
          QueueArn: queueArn(name, DEFAULT_ACCOUNT, 'eu-west-1'),
          VisibilityTimeout: '30',
        });
      });

      it('accounts are isolated', async () => {
        const other = client(server, protocol, { accessKeyId: OTHER_ACCOUNT });
        const name = uniqueName('iso');
        await other.send(
          new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }),
        );
        assertQueueDoesNotExist(
          await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: name }))),
          protocol,
        );
        const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        assert.deepEqual(listed.QueueUrls ?? [], []);
        // The default account may use the same name with other attributes: no QueueNameExists.
        const mine = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        assert.equal(mine.QueueUrl, `${server.endpoint}/${DEFAULT_ACCOUNT}/${name}`);
        const theirs = await other.send(new ListQueuesCommand({ QueueNamePrefix: name }));
        assert.deepEqual(theirs.QueueUrls, [`${server.endpoint}/${OTHER_ACCOUNT}/${name}`]);
      });
    });

    // API_TagQueue, API_UntagQueue, API_ListQueueTags; a new tag with an existing key overwrites it.
    describe('tags', () => {
      it('TagQueue adds and overwrites, UntagQueue removes, ListQueueTags lists', async () => {
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('tags') }));
        const empty = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
        assert.deepEqual(empty.Tags ?? {}, {});
        await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: '1', b: '2' } }));
        await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { b: 'two', c: '3' } }));
        assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, {
          a: '1',
          b: 'two',
          c: '3',
        });
        await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['a', 'not-there'] }));
        assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { b: 'two', c: '3' });
      });

      // Quota: 50 tags per queue. Text as getmoto/moto and ydb-platform/ydb's SQS answer it:
      // InvalidParameterValue "Too many tags added for queue <name>."
      it('refuses more than 50 tags', async () => {
        const name = uniqueName('manytags');
        const { QueueUrl } = await sqs.send(
          new CreateQueueCommand({ QueueName: name, tags: { keep: 'me' } }),
        );
        const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, `v${i}`]));
        const err = await errorOf(() => sqs.send(new TagQueueCommand({ QueueUrl, Tags: tooMany })));
        assertAwsError(err, {
          name: 'InvalidParameterValue',
          code: 'InvalidParameterValue',
          message: `Too many tags added for queue ${name}.`,
        });
        // The failed request changed nothing.
        assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { keep: 'me' });
        // Exactly 50 is allowed.
        const fifty = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, `v${i}`]));
        await sqs.send(new TagQueueCommand({ QueueUrl, Tags: fifty }));
        const tags = (await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags ?? {};
        assert.equal(Object.keys(tags).length, 50);
      });
    });
  });
}
