import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteMessageCommand,
  type MessageAttributeValue,
  PurgeQueueCommand,
  type QueueAttributeName,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import {
  assertAwsError,
  counts,
  createQueue,
  guideDigest,
  md5Hex,
  receive,
  sleep,
  track,
  utf8,
  within,
} from '../support/messages.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  serverNow,
  sqsClient,
  startServer,
} from '../support/tideway.js';

const str = (StringValue: string, DataType = 'String'): MessageAttributeValue => ({ DataType, StringValue });
const bin = (BinaryValue: Uint8Array, DataType = 'Binary'): MessageAttributeValue => ({
  DataType,
  BinaryValue,
});

// Published attribute vectors (the same inputs test/unit/md5.test.ts checks offline), here sent
// end to end through the SDK. The JS SDK only verifies MD5OfMessageBody itself, so each test
// compares the attribute digests explicitly.

// aws/aws-sdk-ruby gems/aws-sdk-sqs/spec/client/verify_checksums_spec.rb
const rubyAttributes = (label = ''): Record<string, MessageAttributeValue> => ({
  ccc: str('test', `String${label}`),
  aaa: bin(Uint8Array.of(2, 3, 4), `Binary${label}`),
  zzz: str('0230.01', `Number${label}`),
  öther_encodings: str('Tüst', `String${label}`),
});
// aws/aws-sdk-php tests/Sqs/SqsClientTest.php (testValidatesMd5OfMessageAttributes)
const phpAttributes = (): Record<string, MessageAttributeValue> => ({
  Reference: bin(utf8('ID-1234')),
  Name: str('Bob'),
  LastName: str('Smith', 'String.LN'),
  Id: str('3.14', 'Number'),
  Test: str('短发'),
  Test2: str('true', 'String.短发'),
  name: str('bob'),
  Named: str('true'),
});
// Inqnuam/aws-md5-of-message-attributes test/index.test.js (one digest per attribute and all three)
const inqnuamAttributes = (): Record<string, MessageAttributeValue> => ({
  attribName1: str('attribValue 1'),
  customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float'),
  binaryAttribute: bin(utf8('Hello binary world!')),
});

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
// No published vector carries an AWSTraceHeader digest; AWS digests system attributes with the
// same algorithm as user attributes (API_SendMessage: MD5OfMessageSystemAttributes), spelled out
// independently in guideDigest.
const TRACE_DIGEST = guideDigest([['AWSTraceHeader', 'String', 1, utf8(TRACE)]]);

const MiB = 1_048_576;

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS messages over ${protocol}`, () => {
    let server: RunningTideway;
    const sqs = () => sqsClient(server.endpoint, protocol);
    before(async () => {
      server = await startServer();
    });
    after(() => server.stop());

    // ---- round trip and ReceiveMessage parameters ----------------------------------------
    // API_SendMessage, API_ReceiveMessage, API_DeleteMessage.

    it('sends, receives and deletes a message', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'test' }));
      // aws/aws-sdk-go-v2 service/sqs/cust_checksum_validation_test.go: MD5("test")
      assert.equal(sent.MD5OfMessageBody, '098f6bcd4621d373cade4e832627b4f6');
      assert.equal(sent.MD5OfMessageAttributes, undefined);
      assert.equal(sent.MD5OfMessageSystemAttributes, undefined);
      assert.match(sent.MessageId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(sent.SequenceNumber, undefined, 'only FIFO queues assign sequence numbers');

      const [message, ...rest] = await receive(client, url);
      assert.equal(rest.length, 0);
      assert.equal(message.MessageId, sent.MessageId);
      assert.equal(message.Body, 'test');
      assert.equal(message.MD5OfBody, '098f6bcd4621d373cade4e832627b4f6');
      assert.ok(message.ReceiptHandle);
      assert.equal(message.Attributes, undefined, 'no system attributes unless asked for');
      assert.equal(message.MessageAttributes, undefined);
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 1, delayed: 0 });

      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
      assert.deepEqual(await receive(client, url), []);
    });

    it('returns at most MaxNumberOfMessages (default 1) per receive', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const bodies = Array.from({ length: 15 }, (_, i) => `m${i}`);
      for (const chunk of [bodies.slice(0, 10), bodies.slice(10)]) {
        const res = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((b) => ({ Id: b, MessageBody: b })),
          }),
        );
        assert.equal(res.Successful?.length, chunk.length);
      }
      // API_ReceiveMessage: "Amazon SQS never returns more messages than this value (however,
      // fewer messages might be returned)". Default: 1.
      const first = await receive(client, url);
      assert.equal(first.length, 1);
      const got = new Set(first.map((m) => m.Body));
      for (let i = 0; i < 15 && got.size < 15; i++) {
        const batch = await receive(client, url, { MaxNumberOfMessages: 10 });
        assert.ok(batch.length <= 10, `received ${batch.length} > 10`);
        for (const m of batch) got.add(m.Body);
      }
      assert.deepEqual([...got].sort(), [...bodies].sort());
    });

    it('rejects MaxNumberOfMessages outside 1..10', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      for (const value of [0, 11]) {
        const err = await errorOf(() => receive(client, url, { MaxNumberOfMessages: value }));
        assertAwsError(err, {
          name: 'InvalidParameterValue',
          code: 'InvalidParameterValue',
          status: 400,
          message: `Value ${value} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        });
      }
    });

    it('rejects WaitTimeSeconds outside 0..20', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      for (const value of [-1, 21]) {
        const err = await errorOf(() => receive(client, url, { WaitTimeSeconds: value }));
        assertAwsError(err, {
          name: 'InvalidParameterValue',
          code: 'InvalidParameterValue',
          status: 400,
          message: `Value ${value} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        });
      }
    });

    // ---- MD5 digests ------------------------------------------------------------------------
    // SQS Developer Guide, "Calculating the MD5 message digest for message attributes"; vectors
    // as named above and in test/unit/md5.test.ts.

    it('answers published body digests in SendMessage and ReceiveMessage', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const vectors: Record<string, string> = {
        foo: 'acbd18db4cc2f85cedef654fccc4a4d8', // aws/aws-sdk-js test/services/sqs.spec.js
        bar: '37b51d194a7513e45b56f6524f2d51f2', // aws/aws-sdk-js test/services/sqs.spec.js
        Body: 'ac101b32dda4448cf13a93fe283dddd8', // aws-sdk-java-v2 MessageMD5ChecksumInterceptorTest
        Bar: 'ddc35f88fa71b6ef142ae61f35364653', // aws-sdk-php SqsClientTest testValidatesMd5OfBody
        'message digest': 'f96b697d7cb7938d525a2f31aaf161d0', // RFC 1321 A.5
      };
      for (const [body, digest] of Object.entries(vectors)) {
        const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
        assert.equal(sent.MD5OfMessageBody, digest, body);
      }
      const received = new Map<string, string | undefined>();
      for (let i = 0; i < 5 && received.size < 5; i++) {
        for (const m of await receive(client, url, { MaxNumberOfMessages: 10 })) {
          received.set(m.Body!, m.MD5OfBody);
        }
      }
      assert.deepEqual(Object.fromEntries(received), vectors);
    });

    it('digests the aws-sdk-ruby attribute vector (String, Binary, Number, non-ASCII name)', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // SQS accepts letters beyond ASCII in attribute names: localstack's AWS-validated
      // test_send_message_with_invalid_string_attributes sends `attr.1øßä` as its valid baseline.
      const plain = await client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'ruby', MessageAttributes: rubyAttributes() }),
      );
      assert.equal(plain.MD5OfMessageAttributes, '756d7f4338696745d063b420a2f7e502');
      // Same spec, "when data types have custom labels".
      const labelled = await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'ruby-labelled',
          MessageAttributes: rubyAttributes('.test'),
        }),
      );
      assert.equal(labelled.MD5OfMessageAttributes, '5b7ef6c8a8d46001c7cdadaeea917aa4');

      const messages = await receive(client, url, {
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      });
      const byBody = new Map(messages.map((m) => [m.Body, m]));
      const got = byBody.get('ruby');
      assert.equal(got?.MD5OfMessageAttributes, '756d7f4338696745d063b420a2f7e502');
      assert.deepEqual(got?.MessageAttributes, {
        ...rubyAttributes(),
        aaa: { DataType: 'Binary', BinaryValue: Uint8Array.of(2, 3, 4) },
      });
      assert.equal(byBody.get('ruby-labelled')?.MD5OfMessageAttributes, '5b7ef6c8a8d46001c7cdadaeea917aa4');
    });

    it('digests the aws-sdk-php attribute vector (case-sensitive names, custom labels, CJK)', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const sent = await client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'php', MessageAttributes: phpAttributes() }),
      );
      assert.equal(sent.MD5OfMessageAttributes, 'ee5a4b60facbcc4723c1b5b8baca2593');
      const [got] = await receive(client, url, { MessageAttributeNames: ['All'] });
      assert.equal(got.MD5OfMessageAttributes, 'ee5a4b60facbcc4723c1b5b8baca2593');
      assert.equal(Object.keys(got.MessageAttributes ?? {}).length, 8);
      assert.deepEqual(got.MessageAttributes?.Test2, { DataType: 'String.短发', StringValue: 'true' });
      assert.deepEqual(got.MessageAttributes?.Reference, {
        DataType: 'Binary',
        BinaryValue: utf8('ID-1234'),
      });
    });

    it('digests other published vectors: single, sorted and Number attributes', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const cases: Array<[Record<string, MessageAttributeValue>, string]> = [
        // aws/aws-sdk-php SqsClientTest testValidatesMd5OfMessageAttributesExists
        [{ Name: str('Bob') }, '0408bb33aa149494a6a4683d58a7133f'],
        // ydb-platform/ydb ydb/core/ymq/actor/ut/attributes_md5_ut.cpp (AmazonSampleWithString)
        [
          {
            test_attribute_name_2: str('test_attribute_value_2'),
            test_attribute_name_1: str('test_attribute_value_1'),
          },
          'd53f3b558fe951154770f25cb63dbba9',
        ],
        // ydb-platform/ydb (AmazonSampleWithBinary)
        [{ test_attribute_name: bin(utf8('test_attribute_value')) }, '23f6bd27ea87aab7dfeadcc9aebee495'],
        // wcharczuk/sqslite internal/sqslite/md5_test.go
        [{ ordinal: str('1', 'Number'), category: str('test') }, 'd21ae90c49061e927f57df5f5d72be1f'],
        // Inqnuam/aws-md5-of-message-attributes ("multiple attributes")
        [inqnuamAttributes(), 'c932db14a896c663f83c260297d594ff'],
      ];
      for (const [attributes, digest] of cases) {
        const sent = await client.send(
          new SendMessageCommand({ QueueUrl: url, MessageBody: digest, MessageAttributes: attributes }),
        );
        assert.equal(sent.MD5OfMessageAttributes, digest, Object.keys(attributes).join(','));
        assert.equal(sent.MD5OfMessageBody, md5Hex(digest));
      }
      const seen = new Set<string>();
      for (let i = 0; i < 5 && seen.size < cases.length; i++) {
        for (const m of await receive(client, url, {
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
        })) {
          // Each message's body is its expected attribute digest.
          assert.equal(m.MD5OfMessageAttributes, m.Body);
          seen.add(m.Body!);
        }
      }
      assert.equal(seen.size, cases.length);
    });

    it('digests only the attributes a receive returns', async () => {
      // API_ReceiveMessage MD5OfMessageAttributes: the digest of the attributes in the response;
      // SDK validators (e.g. aws-sdk-java MessageMD5ChecksumHandler) recompute it from those.
      const client = sqs();
      const { url } = await createQueue(client);
      await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'subset',
          MessageAttributes: inqnuamAttributes(),
        }),
      );
      const expectations: Array<[string, string]> = [
        ['attribName1', '19e27d4e946b072f3f58da80d94fd778'],
        ['customNumberTypeAttrib', '9fe1b90bbd9965bdf77bac517c7d2495'],
        ['binaryAttribute', '31a92b15d92f8db860eda32aceb656c3'],
      ];
      for (const [name, digest] of expectations) {
        const [m] = await receive(client, url, { MessageAttributeNames: [name], VisibilityTimeout: 0 });
        assert.deepEqual(Object.keys(m.MessageAttributes ?? {}), [name]);
        assert.equal(m.MD5OfMessageAttributes, digest, name);
      }
    });

    it('digests AWSTraceHeader as MD5OfMessageSystemAttributes', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const sent = await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'traced',
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
        }),
      );
      assert.equal(sent.MD5OfMessageSystemAttributes, TRACE_DIGEST);
      assert.equal(sent.MD5OfMessageAttributes, undefined);
      // The same name and value as a user attribute digests identically: one algorithm for both.
      const asUser = await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'user-trace',
          MessageAttributes: { AWSTraceHeader: str(TRACE) },
        }),
      );
      assert.equal(asUser.MD5OfMessageAttributes, TRACE_DIGEST);

      const batch = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            {
              Id: 'traced',
              MessageBody: 'batch-traced',
              MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
              MessageAttributes: { Name: str('Bob') },
            },
          ],
        }),
      );
      assert.equal(batch.Successful?.[0].MD5OfMessageSystemAttributes, TRACE_DIGEST);
      assert.equal(batch.Successful?.[0].MD5OfMessageAttributes, '0408bb33aa149494a6a4683d58a7133f');
      assert.equal(batch.Successful?.[0].MD5OfMessageBody, md5Hex('batch-traced'));
    });

    // ---- user and system attributes on receive ------------------------------------------------
    // API_ReceiveMessage: MessageAttributeNames ("All", ".*", names, "bar.*") and
    // MessageSystemAttributeNames (AttributeNames deprecated); SQS Developer Guide, "Message
    // metadata": system attributes are separate from message attributes.

    it('returns user attributes only when asked, by All, .*, exact name or prefix.*', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const attributes = {
        'order.id': str('A-17'),
        'order.total': str('12.50', 'Number'),
        customer: str('Ada', 'String.custom'),
        blob: bin(Uint8Array.of(0, 255, 7)),
      };
      await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'attrs',
          MessageAttributes: attributes,
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
        }),
      );
      const get = (names?: string[]) =>
        receive(client, url, { MessageAttributeNames: names, VisibilityTimeout: 0 }).then(([m]) => m);

      const none = await get();
      assert.equal(none.MessageAttributes, undefined);
      assert.equal(none.Attributes, undefined);

      const digestOf = (names: string[]) =>
        guideDigest(
          [...names].sort().map((n) => {
            const a = attributes[n as keyof typeof attributes];
            return a.BinaryValue
              ? [n, a.DataType!, 2, a.BinaryValue]
              : [n, a.DataType!, 1, utf8(a.StringValue!)];
          }),
        );
      const all = Object.keys(attributes);
      for (const selector of [['All'], ['.*']]) {
        const m = await get(selector);
        assert.deepEqual(m.MessageAttributes, attributes, selector[0]);
        assert.equal(m.MD5OfMessageAttributes, digestOf(all), selector[0]);
        assert.equal(m.Attributes, undefined, 'system attributes need MessageSystemAttributeNames');
      }
      const exact = await get(['customer', 'missing']);
      assert.deepEqual(exact.MessageAttributes, { customer: attributes.customer });
      assert.equal(exact.MD5OfMessageAttributes, digestOf(['customer']));

      const prefixed = await get(['order.*']);
      assert.deepEqual(prefixed.MessageAttributes, {
        'order.id': attributes['order.id'],
        'order.total': attributes['order.total'],
      });
      assert.equal(prefixed.MD5OfMessageAttributes, digestOf(['order.id', 'order.total']));

      const unmatched = await get(['nothing.*']);
      assert.equal(unmatched.MessageAttributes, undefined);
    });

    it('returns system attributes only via MessageSystemAttributeNames or AttributeNames', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const sentAt = await serverNow(server);
      await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'system',
          MessageAttributes: { kind: str('plain') },
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
        }),
      );
      await advance(server, 5);

      const [first] = await receive(client, url, {
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 0,
      });
      const a = first.Attributes ?? {};
      assert.deepEqual(Object.keys(a).sort(), [
        'AWSTraceHeader',
        'ApproximateFirstReceiveTimestamp',
        'ApproximateReceiveCount',
        'SenderId',
        'SentTimestamp',
      ]);
      assert.equal(a.AWSTraceHeader, TRACE);
      assert.equal(a.ApproximateReceiveCount, '1');
      assert.ok(a.SenderId && a.SenderId.length > 0);
      // Epoch milliseconds: sent before the 5-second advance, first received after it.
      const sent = Number(a.SentTimestamp);
      const firstReceive = Number(a.ApproximateFirstReceiveTimestamp);
      assert.ok(sent >= sentAt, `SentTimestamp ${sent} before the send (${sentAt})`);
      assert.ok(firstReceive - sent >= 5000, `first receive ${firstReceive - sent} ms after send`);
      // Never mixed into the user attributes.
      assert.deepEqual(first.MessageAttributes, { kind: str('plain') });

      // The deprecated AttributeNames selects the same way, one name at a time.
      const [second] = await receive(client, url, {
        // The SDK types the deprecated list as queue attribute names; AWS reads message ones.
        AttributeNames: [
          'ApproximateReceiveCount',
          'ApproximateFirstReceiveTimestamp',
        ] as unknown as QueueAttributeName[],
        VisibilityTimeout: 0,
      });
      assert.deepEqual(second.Attributes, {
        ApproximateReceiveCount: '2',
        ApproximateFirstReceiveTimestamp: String(firstReceive),
      });
      assert.equal(second.MessageAttributes, undefined);

      const [third] = await receive(client, url, {
        MessageSystemAttributeNames: ['SentTimestamp', 'AWSTraceHeader'],
        VisibilityTimeout: 0,
      });
      assert.deepEqual(third.Attributes, { SentTimestamp: String(sent), AWSTraceHeader: TRACE });

      // A message sent without a trace header has no AWSTraceHeader even under All.
      const { url: other } = await createQueue(client);
      await client.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'untraced' }));
      const [untraced] = await receive(client, other, {
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      });
      assert.equal(untraced.Attributes?.AWSTraceHeader, undefined);
      assert.equal(untraced.Attributes?.ApproximateReceiveCount, '1');
      assert.equal(untraced.MessageAttributes, undefined);
    });

    // ---- attribute validation -------------------------------------------------------------
    // SQS Developer Guide, "Message attribute components"; texts from recorded AWS responses
    // (localstack AWS-validated tests, ballerina-platform/module-ballerinax-aws.sqs tests).

    it('rejects more than 10 message attributes', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, str('v')]));
      const err = await errorOf(() =>
        client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: eleven })),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
      });
      const ten = Object.fromEntries(Object.entries(eleven).slice(0, 10));
      const ok = await client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: ten }),
      );
      assert.ok(ok.MD5OfMessageAttributes);
    });

    it('rejects an attribute with an empty value', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // localstack test_send_message_with_empty_string_attribute (AWS-validated).
      const err = await errorOf(() =>
        client.send(
          new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { x: str('') } }),
        ),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: "Message (user) attribute 'x' must contain a non-empty value of type 'String'.",
      });
    });

    it('rejects an unsupported data type', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // ballerina-platform/module-ballerinax-aws.sqs ballerina/tests/test.bal
      // (testSendMessageWithInvalidAttributes), run against AWS.
      const err = await errorOf(() =>
        client.send(
          new SendMessageCommand({
            QueueUrl: url,
            MessageBody: 'x',
            MessageAttributes: { invalidAttribute: str('value', 'InvalidType') },
          }),
        ),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message:
          "The type of message (user) attribute 'invalidAttribute' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
      });
    });

    it('rejects a Number attribute that is not a number', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // Developer Guide, "Message attribute data types": Number holds a numeric value (up to 38
      // digits, -10^128..10^126). AWS's exact wording is not on record; the attribute is named.
      const err = await errorOf(() =>
        client.send(
          new SendMessageCommand({
            QueueUrl: url,
            MessageBody: 'x',
            MessageAttributes: { count: str('twelve', 'Number') },
          }),
        ),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: /'count'/,
      });
      const ok = await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageAttributes: { count: str('-12.5e3', 'Number.float') },
        }),
      );
      assert.ok(ok.MessageId);
    });

    it('rejects attribute names with the reserved AWS. and Amazon. prefixes in any case', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // Developer Guide, "Message attribute components": names can't start with AWS. or Amazon.
      // (or any casing variants). localstack's AWS-validated test checks `aWs.` and `AMAZON.`.
      for (const name of ['AWS.trace', 'aWs.x', 'AMAZON.y']) {
        const err = await errorOf(() =>
          client.send(
            new SendMessageCommand({
              QueueUrl: url,
              MessageBody: 'x',
              MessageAttributes: { [name]: str('v') },
            }),
          ),
        );
        assertAwsError(err, { name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400 });
      }
    });

    // ---- body contents and size -------------------------------------------------------------
    // API_SendMessage: allowed characters; Developer Guide "Amazon SQS message quotas": 1 MiB,
    // counting the body and every attribute name, type and value.

    it('rejects bodies with characters outside the allowed set', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      for (const bad of ['\u0000', '\u0008', '\u001F', '\uFFFE', '\uFFFF']) {
        const err = await errorOf(() =>
          client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `a${bad}b` })),
        );
        assertAwsError(err, { name: 'InvalidMessageContents', code: 'InvalidMessageContents', status: 400 });
      }
      // Tab, LF, CR, the edges of the allowed ranges and astral characters are fine.
      const fine = 'tab\tlf\ncr\r \uD7FF\uE000\uFFFD 😀';
      const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: fine }));
      assert.equal(sent.MD5OfMessageBody, md5Hex(fine));
      const [m] = await receive(client, url);
      assert.equal(m.Body, fine);
    });

    it('names the invalid character in the InvalidMessageContents text', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // The exact rejection recorded from production SQS for U+FFFF, quoted in a public test
      // ("SQS_INVALID_BINARY_CHARACTER"); AWS's 2009 XML error in a PHP client's fixtures lists
      // the ranges in the same bracketed form.
      const err = await errorOf(() =>
        client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'ok\uFFFF' })),
      );
      assertAwsError(err, {
        name: 'InvalidMessageContents',
        code: 'InvalidMessageContents',
        status: 400,
        message:
          "Invalid binary character '#xFFFF' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
      });
    });

    it('rejects an empty body', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // ballerina tests (testSendMessageWithEmptyMessageBody), run against AWS.
      const err = await errorOf(() =>
        client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })),
      );
      assertAwsError(err, {
        name: 'MissingParameter',
        code: 'MissingParameter',
        status: 400,
        message: 'The request must contain the parameter MessageBody.',
      });
    });

    it('accepts exactly 1,048,576 bytes of body and attributes, and rejects one byte more', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const tooLong = {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
      };
      const exact = 'a'.repeat(MiB);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: exact }));
      assertAwsError(
        await errorOf(() => client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `${exact}a` }))),
        tooLong,
      );
      // Attribute name 'k' (1) + type 'String' (6) + value 'v' (1) count too; the body counts
      // UTF-8 bytes ('é' is two).
      const attrs = { k: str('v') };
      const body = `${'é'.repeat(1000)}${'a'.repeat(MiB - 8 - 2000)}`;
      assert.equal(Buffer.byteLength(body) + 8, MiB);
      await client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attrs }),
      );
      assertAwsError(
        await errorOf(() =>
          client.send(
            new SendMessageCommand({ QueueUrl: url, MessageBody: `${body}a`, MessageAttributes: attrs }),
          ),
        ),
        tooLong,
      );
      const got = await receive(client, url, { MaxNumberOfMessages: 10 });
      assert.deepEqual(got.map((m) => Buffer.byteLength(m.Body ?? '')).sort(), [MiB - 8, MiB]);
    });

    it('enforces a queue MaximumMessageSize of 1024', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { MaximumMessageSize: '1024' });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b'.repeat(1024) }));
      const err = await errorOf(() =>
        client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b'.repeat(1025) })),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
      });
      const withAttribute = await errorOf(() =>
        client.send(
          new SendMessageCommand({
            QueueUrl: url,
            MessageBody: 'b'.repeat(1020),
            MessageAttributes: { k: str('v') },
          }),
        ),
      );
      assertAwsError(withAttribute, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
      });
    });

    // ---- delays -------------------------------------------------------------------------------
    // Developer Guide, "Amazon SQS delay queues" and "Amazon SQS message timers"; API_SendMessage
    // DelaySeconds (0..900; per-message value overrides the queue's).

    it('holds messages for the queue DelaySeconds', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { DelaySeconds: '30' });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 1 });
      assert.deepEqual(await receive(client, url), []);
      await advance(server, 15);
      assert.deepEqual(await receive(client, url), []);
      await advance(server, 15);
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 0 });
      const [m] = await receive(client, url);
      assert.equal(m.Body, 'later');
    });

    it('lets a message DelaySeconds override the queue delay', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { DelaySeconds: '60' });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now', DelaySeconds: 0 }));
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'in10', DelaySeconds: 10 }));
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 1 });
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
        ['now'],
      );
      await advance(server, 10);
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
        ['in10'],
      );
    });

    it('rejects DelaySeconds outside 0..900', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // ballerina tests (testSendMessageWithInvalidDelay / ExcessiveDelay), run against AWS.
      for (const value of [-1, 901]) {
        const err = await errorOf(() =>
          client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: value })),
        );
        assertAwsError(err, {
          name: 'InvalidParameterValue',
          code: 'InvalidParameterValue',
          status: 400,
          message: `Value ${value} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
        });
      }
      const ok = await client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 900 }),
      );
      assert.ok(ok.MessageId);
      assert.equal((await counts(client, url)).delayed, 1);
      await advance(server, 900);
      assert.equal((await receive(client, url)).length, 1);
    });

    it('does not apply a changed queue DelaySeconds to messages already queued', async () => {
      // Developer Guide, "Amazon SQS delay queues": for standard queues the per-queue delay
      // setting is not retroactive (SetQueueAttributes DelaySeconds).
      const client = sqs();
      const { url } = await createQueue(client, { DelaySeconds: '60' });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'delayed' }));
      await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '0' } }));
      assert.deepEqual(await receive(client, url), [], 'the 60-second delay still holds');
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'immediate' }));
      const [immediate, ...others] = await receive(client, url, { MaxNumberOfMessages: 10 });
      assert.equal(others.length, 0);
      assert.equal(immediate.Body, 'immediate', 'new messages follow the new setting');
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: immediate.ReceiptHandle }));
      await advance(server, 60);
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
        ['delayed'],
      );

      const { url: second } = await createQueue(client);
      await client.send(new SendMessageCommand({ QueueUrl: second, MessageBody: 'queued' }));
      await client.send(
        new SetQueueAttributesCommand({ QueueUrl: second, Attributes: { DelaySeconds: '300' } }),
      );
      assert.deepEqual(await counts(client, second), { visible: 1, notVisible: 0, delayed: 0 });
      assert.deepEqual(
        (await receive(client, second)).map((m) => m.Body),
        ['queued'],
      );
    });

    // ---- retention ------------------------------------------------------------------------------
    // API_SetQueueAttributes MessageRetentionPeriod (60..1,209,600); API_DeleteMessage: messages
    // left longer than the retention period are deleted automatically.

    it('deletes messages older than MessageRetentionPeriod', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { MessageRetentionPeriod: '60' });
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old-visible' }));
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old-inflight' }));
      const [inflight] = await receive(client, url, { VisibilityTimeout: 600 });
      assert.ok(inflight);
      await advance(server, 30);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'young' }));
      assert.deepEqual(await counts(client, url), { visible: 2, notVisible: 1, delayed: 0 });
      await advance(server, 31);
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 0 });
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
        ['young'],
      );
      await advance(server, 30);
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
    });

    // ---- long polling ---------------------------------------------------------------------------
    // Developer Guide, "Amazon SQS short and long polling": a long poll returns as soon as a
    // message is available, or empty when the wait time expires; ReceiveMessageWaitTimeSeconds
    // applies when the request gives no WaitTimeSeconds.

    it('answers a waiting long poll as soon as a message is sent', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const poll = track(receive(client, url, { WaitTimeSeconds: 20 }));
      await sleep(150);
      assert.equal(poll.settled, false, 'the receive waits while the queue is empty');
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
      // No clock advance: the send alone must release the receive.
      const messages = await within(poll.promise);
      assert.deepEqual(
        messages.map((m) => m.Body),
        ['wake up'],
      );
    });

    it('returns an empty long poll once WaitTimeSeconds has passed', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const poll = track(receive(client, url, { WaitTimeSeconds: 20 }));
      await sleep(150);
      await advance(server, 15);
      await counts(client, url);
      assert.equal(poll.settled, false, 'still waiting after 15 of 20 seconds');
      await advance(server, 5);
      assert.deepEqual(await within(poll.promise), []);
    });

    it('long-polls for the queue ReceiveMessageWaitTimeSeconds when the request gives none', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { ReceiveMessageWaitTimeSeconds: '20' });
      // An explicit WaitTimeSeconds 0 short-polls even so.
      assert.deepEqual(await within(receive(client, url, { WaitTimeSeconds: 0 })), []);

      const poll = track(receive(client, url));
      await sleep(150);
      assert.equal(poll.settled, false, 'the queue setting makes the receive wait');
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'polled' }));
      assert.deepEqual(
        (await within(poll.promise)).map((m) => m.Body),
        ['polled'],
      );

      const empty = track(receive(client, url));
      await sleep(150);
      assert.equal(empty.settled, false);
      await advance(server, 20);
      assert.deepEqual(await within(empty.promise), []);
    });

    // ---- PurgeQueue -----------------------------------------------------------------------------
    // API_PurgeQueue: deletes all messages; one purge per 60 seconds, else PurgeQueueInProgress.

    it('purges the queue, and allows one purge per 60 seconds', async () => {
      const client = sqs();
      const { url, name } = await createQueue(client);
      for (const body of ['a', 'b', 'c']) {
        await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      }
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'd', DelaySeconds: 30 }));
      assert.equal((await receive(client, url)).length, 1);
      assert.deepEqual(await counts(client, url), { visible: 2, notVisible: 1, delayed: 1 });

      await client.send(new PurgeQueueCommand({ QueueUrl: url }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
      assert.deepEqual(await receive(client, url, { MaxNumberOfMessages: 10 }), []);

      await advance(server, 30);
      const err = await errorOf(() => client.send(new PurgeQueueCommand({ QueueUrl: url })));
      assertAwsError(err, {
        name: 'PurgeQueueInProgress',
        code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
        status: 403,
        message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      });
      await advance(server, 30);
      await client.send(new PurgeQueueCommand({ QueueUrl: url }));
    });

    it('purges in-flight messages too', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'inflight' }));
      assert.equal((await receive(client, url, { VisibilityTimeout: 5 })).length, 1);
      await client.send(new PurgeQueueCommand({ QueueUrl: url }));
      await advance(server, 10);
      assert.deepEqual(await receive(client, url), [], 'the purged in-flight message does not come back');
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
    });
  });
}
