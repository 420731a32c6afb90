import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreatePlatformApplicationCommand,
  CreateTopicCommand,
  SetPlatformApplicationAttributesCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Decoder, Encoder } from 'cbor-x';
import { queryRequest, rawRequest, sigv4, xmlText } from '../support/server.js';
import { credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';
import { assertWireError, RecordingHandler, recordingSqsClient } from '../support/wire.js';

// The cells of the matrix service × protocol × error class that no other suite covered (the
// rest live in test/sqs/error-fidelity.test.ts, test/kinesis/validation.test.ts, cbor.test.ts,
// test/sns/errors.test.ts, test/server/http.test.ts and cors.test.ts). Every expected answer is
// AWS's as LocalStack recorded it against AWS (tests/aws/services/sns/test_sns.snapshot.json).

const ORIGIN = 'http://localhost:3000';
const CBOR = 'application/x-amz-cbor-1.1';

interface SnsErrorCase {
  name: string;
  send: (sns: SNSClient) => Promise<unknown>;
  status: number;
  code: string;
  message: string;
}

const missingApp = 'arn:aws:sns:us-east-1:000000000000:app/ADM/NonExistingApp';

// SNS's awsQuery front end validates the input against the model before any lookup: an empty
// Attributes map is absent on the wire, so the required member is null, and that wins over the
// application that does not exist (test_set_platform_application_attributes_non_existing_app).
const snsCases: SnsErrorCase[] = [
  {
    name: 'a required map left out: ValidationError with the member path, Value null',
    send: (sns) =>
      sns.send(
        new CreatePlatformApplicationCommand({ Name: uniqueName('app'), Platform: 'ADM', Attributes: {} }),
      ),
    status: 400,
    code: 'ValidationError',
    message:
      "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'the model check runs before the application is looked up',
    send: (sns) =>
      sns.send(
        new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: missingApp, Attributes: {} }),
      ),
    status: 400,
    code: 'ValidationError',
    message:
      "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'a valid input names the missing application with NotFound, 404',
    send: (sns) =>
      sns.send(
        new SetPlatformApplicationAttributesCommand({
          PlatformApplicationArn: missingApp,
          Attributes: { PlatformPrincipal: 'dummy' },
        }),
      ),
    status: 404,
    code: 'NotFound',
    message: 'PlatformApplication does not exist',
  },
  {
    name: "the service's own rule on a pair of attributes: InvalidParameter in SNS's words",
    send: (sns) =>
      sns.send(
        new CreatePlatformApplicationCommand({
          Name: uniqueName('app'),
          Platform: 'ADM',
          Attributes: { PlatformPrincipal: 'dummy' },
        }),
      ),
    status: 400,
    code: 'InvalidParameter',
    message:
      'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential',
  },
  {
    name: 'and its mirror image',
    send: (sns) =>
      sns.send(
        new CreatePlatformApplicationCommand({
          Name: uniqueName('app'),
          Platform: 'ADM',
          Attributes: { PlatformCredential: 'dummy' },
        }),
      ),
    status: 400,
    code: 'InvalidParameter',
    message:
      'Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal',
  },
];

describe('error classes: SNS over awsQuery, required members and order of checks', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  const wire = new RecordingHandler();
  before(async () => {
    server = await startServer();
    sns = new SNSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: wire,
    });
  });
  after(async () => {
    sns.destroy();
    await server.stop();
  });

  for (const c of snsCases) {
    it(c.name, async () => {
      await assert.rejects(c.send(sns), (err: any) => {
        // err.name is the SDK's class (NotFoundException); the wire Code is checked below.
        assert.equal(err.message, c.message);
        return true;
      });
      const answer = wire.last!;
      assert.equal(answer.status, c.status, answer.body);
      assert.equal(xmlText(answer.body, 'Type'), 'Sender');
      assert.equal(xmlText(answer.body, 'Code'), c.code);
    });
  }
});

// SNS over awsQuery has no JSON types to get wrong, only text that does not parse as the member's
// type. AWS's text for it is not on record; what holds is the class: a Sender ValidationError
// naming the member by its lowerCamel path, before any lookup (the topic below does not exist).
describe('error classes: SNS over awsQuery, a value that is not of the member type', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const cases: Array<[Record<string, string>, string, string]> = [
    [
      {
        Action: 'Subscribe',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic',
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
        ReturnSubscriptionArn: 'maybe',
      },
      'returnSubscriptionArn',
      'boolean',
    ],
    [{ Action: 'ListOriginationNumbers', MaxResults: 'x' }, 'maxResults', 'integer'],
  ];
  for (const [params, path, type] of cases) {
    it(`answers a non-${type} ${path} with ValidationError`, async () => {
      const res = await queryRequest(
        server.endpoint,
        { ...params, Version: '2010-03-31' },
        { authorization: sigv4('sns') },
      );
      assert.equal(res.status, 400, res.body);
      assert.equal(xmlText(res.body, 'Type'), 'Sender');
      assert.equal(xmlText(res.body, 'Code'), 'ValidationError');
      assert.match(
        xmlText(res.body, 'Message') ?? '',
        new RegExp(`^1 validation error detected: Value &apos;\\w+&apos; at &apos;${path}&apos; `),
      );
    });
  }
});

// SNS's own dialect for a value outside its allowed set, and for a policy its scope cannot hold
// (test_sns_filter_policy.snapshot.json: test_set_subscription_filter_policy_scope,
// test_sub_filter_policy_nested_property).
describe('error classes: SNS subscription attribute values outside their allowed set', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let SubscriptionArn: string;
  const wire = new RecordingHandler();
  before(async () => {
    server = await startServer();
    sns = new SNSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: wire,
    });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    ({ SubscriptionArn } = (await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:us-east-1:000000000000:${uniqueName('q')}`,
        ReturnSubscriptionArn: true,
      }),
    )) as { SubscriptionArn: string });
  });
  after(async () => {
    sns.destroy();
    await server.stop();
  });

  const setAttribute = (AttributeName: string, AttributeValue: string) =>
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
  const assertInvalidParameter = (message: string) => {
    const answer = wire.last!;
    assert.equal(answer.status, 400, answer.body);
    assert.equal(xmlText(answer.body, 'Code'), 'InvalidParameter');
    assert.equal(xmlText(answer.body, 'Message'), message);
  };

  it('refuses a FilterPolicyScope that is neither MessageBody nor MessageAttributes', async () => {
    await assert.rejects(setAttribute('FilterPolicyScope', 'RandomValue'));
    assertInvalidParameter(
      'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes',
    );
  });

  it('refuses a nested policy under the MessageAttributes scope, and takes it under MessageBody', async () => {
    const nested = JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } });
    await assert.rejects(setAttribute('FilterPolicy', nested));
    assertInvalidParameter(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    await setAttribute('FilterPolicyScope', 'MessageBody');
    await setAttribute('FilterPolicy', nested);
    assert.equal(wire.last!.status, 200);
  });
});

// AWS serves Kinesis to browser SDKs; a page that speaks CBOR (a Java-style client compiled for
// the web, or a hand-made one) must get the same preflight and readable answers as JSON gets.
describe('error classes: CORS on the error answers of SNS and Kinesis (JSON and CBOR)', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers a preflight that asks for the CBOR content type', async () => {
    const requested = 'authorization,content-type,x-amz-date,x-amz-target';
    const res = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': requested,
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-allow-headers'], requested);
  });

  it('lets the page read SNS and Kinesis JSON errors too', async () => {
    const answers = [
      await rawRequest(server.endpoint, {
        headers: {
          origin: ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          authorization: sigv4('sns'),
        },
        body: 'Action=GetTopicAttributes&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Anone',
      }),
      await rawRequest(server.endpoint, {
        headers: {
          origin: ORIGIN,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.DescribeStreamSummary',
          authorization: sigv4('kinesis'),
        },
        body: JSON.stringify({ StreamName: 'none' }),
      }),
    ];
    for (const res of answers) {
      assert.equal(res.status >= 400 && res.status < 500, true, res.body);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const exposed = String(res.headers['access-control-expose-headers']).toLowerCase().split(',');
      assert.ok(exposed.includes('x-amzn-requestid'), String(exposed));
      assert.ok(res.headers['x-amzn-requestid']);
    }
    assert.equal(xmlText(answers[0].body, 'Code'), 'NotFound');
    assert.equal(JSON.parse(answers[1].body).__type, 'ResourceNotFoundException');
  });

  it('lets the page read a CBOR error and its request id', async () => {
    const name = uniqueName('missing');
    // fetch, not rawRequest: the CBOR answer is bytes, not UTF-8 text.
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        'content-type': CBOR,
        accept: CBOR,
        'x-amz-target': 'Kinesis_20131202.DescribeStreamSummary',
        authorization: sigv4('kinesis'),
      },
      body: new Uint8Array(new Encoder({ useRecords: false }).encode({ StreamName: name })),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), CBOR);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const exposed = String(res.headers.get('access-control-expose-headers')).toLowerCase().split(',');
    assert.ok(exposed.includes('x-amzn-requestid'), String(exposed));
    assert.ok(res.headers.get('x-amzn-requestid'));
    const body = new Decoder({ mapsAsObjects: true, useRecords: false }).decode(
      Buffer.from(await res.arrayBuffer()),
    ) as { __type: string; message: string };
    assert.equal(body.__type, 'ResourceNotFoundException');
    assert.equal(body.message, `Stream ${name} under account 000000000000 not found.`);
  });
});

// SQS's pattern constraint on group and deduplication ids, on both protocols: an undeclared
// error, so JSON carries coral's __type with its query code (test_send_message_to_standard_queue_
// with_invalid_message_group_id, test_message_deduplication_id_invalid).
const badIds: Array<[string, string]> = [
  ['empty', ''],
  ['too long', 'a'.repeat(129)],
  ['spaces', 'group 123'],
];
const idPatternError = (parameter: string, value: string) => ({
  type: 'com.amazon.coral.service#InvalidParameterValueException',
  queryCode: 'InvalidParameterValue',
  message: `Value ${value} for parameter ${parameter} is invalid. Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
});

for (const protocol of ['json', 'query'] as const) {
  describe(`error classes: SQS id patterns over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: SQSClient;
    let wire: RecordingHandler;
    let standardUrl: string;
    let fifoUrl: string;
    before(async () => {
      server = await startServer();
      ({ sqs, wire } = recordingSqsClient(server.endpoint, protocol));
      standardUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('std') }))).QueueUrl!;
      fifoUrl = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: `${uniqueName('fifo')}.fifo`,
            Attributes: { FifoQueue: 'true' },
          }),
        )
      ).QueueUrl!;
    });
    after(async () => {
      sqs.destroy();
      await server.stop();
    });

    // test_sqs_move_task.snapshot.json, test_destination_needs_to_exist: the source is a real
    // dead-letter queue, so only the destination is left to be missing.
    it('answers ResourceNotFoundException, 404, for a move task destination that does not exist', async () => {
      const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('dlq') }))).QueueUrl!;
      const arnOf = async (QueueUrl: string) =>
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] })))
          .Attributes!.QueueArn!;
      const SourceArn = await arnOf(dlqUrl);
      await sqs.send(
        new CreateQueueCommand({
          QueueName: uniqueName('src'),
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: SourceArn, maxReceiveCount: 1 }),
          },
        }),
      );
      const DestinationArn = `${await arnOf(standardUrl)}doesntexist`;
      await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn, DestinationArn })));
      assertWireError(wire, protocol, {
        type: 'com.amazonaws.sqs#ResourceNotFoundException',
        queryCode: 'ResourceNotFoundException',
        status: 404,
        message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
      });
    });

    for (const [label, id] of badIds) {
      it(`refuses a MessageGroupId that is ${label}, on a standard queue`, async () => {
        await assert.rejects(
          sqs.send(
            new SendMessageCommand({ QueueUrl: standardUrl, MessageBody: 'message', MessageGroupId: id }),
          ),
        );
        assertWireError(wire, protocol, idPatternError('MessageGroupId', id));
      });

      it(`refuses a MessageDeduplicationId that is ${label}, on a FIFO queue`, async () => {
        await assert.rejects(
          sqs.send(
            new SendMessageCommand({
              QueueUrl: fifoUrl,
              MessageBody: 'Hello World!',
              MessageGroupId: 'test',
              MessageDeduplicationId: id,
            }),
          ),
        );
        assertWireError(wire, protocol, idPatternError('MessageDeduplicationId', id));
      });
    }
  });
}
