import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { rawRequest, rawSocket, sigv4 } from '../support/server.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';
import { Failures } from './answers.js';
import { Fuzz, formBody, jsonBody, mangle, SEED_OFFSET } from './fuzz.js';
import {
  ACCOUNT,
  queryFields,
  queueUrl,
  SQS_OPERATIONS,
  sqsJsonMembers,
  type Targets,
} from './sqs-requests.js';

// A bounded, seeded storm of malformed requests: the same seed gives the same requests, so a
// failure names a request that can be replayed. Whatever comes in, the answer must be an AWS
// error (or a success) in a well-formed body, never a 5xx.

describe('a storm of malformed requests', () => {
  let server: RunningTideway;
  let agent: http.Agent;
  const targets: Targets = { queueUrls: [], receiptHandles: [], queueArns: [] };

  before(async () => {
    server = await startServer({ logLevel: 'error' });
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sqs = sqsClient(server.endpoint);
    for (const name of ['fuzz', 'fuzz.fifo']) {
      const fifo = name.endsWith('.fifo');
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
        }),
      );
      targets.queueUrls.push(QueueUrl!);
      targets.queueArns.push(`arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`);
      for (let i = 0; i < 3; i++) {
        await sqs.send(
          new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageGroupId: fifo ? 'g' : undefined }),
        );
      }
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      for (const m of Messages ?? []) targets.receiptHandles.push(m.ReceiptHandle!);
    }
    sqs.destroy();
  });
  after(async () => {
    agent.destroy();
    await server.stop();
  });

  const send = (path: string, headers: Record<string, string>, body: Buffer) =>
    rawRequest(server.endpoint, { path, headers, body, agent });

  it('SQS awsJson: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed1 + SEED_OFFSET);
    for (let i = 0; i < 1000; i++) {
      const operation = f.pick(SQS_OPERATIONS);
      const body = jsonBody(f, () => sqsJsonMembers(f, operation, server.endpoint, targets));
      const headers: Record<string, string> = {
        'content-type': f.chance(0.9)
          ? 'application/x-amz-json-1.0'
          : f.pick(['application/json', 'text/plain', '']),
        'x-amz-target': f.chance(0.95) ? `AmazonSQS.${operation}` : f.text(20).replace(/[^\t\x20-\x7e]/g, ''),
        authorization: sigv4(),
      };
      const res = await send(f.chance(0.9) ? '/' : `/${ACCOUNT}/fuzz`, headers, body);
      failures.note(`json #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('SQS awsQuery: every answer is a well-formed XML error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed2 + SEED_OFFSET);
    for (let i = 0; i < 1000; i++) {
      const action = f.pick(SQS_OPERATIONS);
      const fields = queryFields(f, action, {
        QueueUrl: () => queueUrl(f, server.endpoint, targets),
        QueueName: () => f.text(30),
        MessageBody: () => f.text(60),
        ReceiptHandle: () => mangle(f, f.pick(targets.receiptHandles)),
        DelaySeconds: () => f.pick(['0', '-1', '900', '901', 'x', '1.5', f.text(4)]),
        VisibilityTimeout: () => f.pick(['0', '-1', '43200', '43201', 'x', f.text(4)]),
        MaxNumberOfMessages: () => f.pick(['1', '10', '11', '0', 'x', f.text(4)]),
        WaitTimeSeconds: () => f.pick(['0', '21', '-1', f.text(4)]),
        MessageGroupId: () => f.text(10),
        MessageDeduplicationId: () => f.text(10),
        Label: () => f.text(10),
        SourceArn: () => mangle(f, f.pick(targets.queueArns)),
        TaskHandle: () => f.text(30),
        QueueNamePrefix: () => f.text(10),
        MaxResults: () => f.pick(['0', '1', '1001', 'x']),
        NextToken: () => f.text(20),
      });
      const path = f.chance(0.8)
        ? '/'
        : f.pick([
            `/${ACCOUNT}/fuzz`,
            `/${ACCOUNT}/${encodeURIComponent(f.text(10).replace(/[\ud800-\udfff]/g, '')) || 'x'}`,
            '/123/x',
            '/x/y/z',
          ]);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (f.chance(0.7)) headers.authorization = sigv4();
      const res = await send(path, headers, formBody(f, fields));
      failures.note(`query #${i} ${action} ${JSON.stringify(fields).slice(0, 300)}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('SNS awsQuery: every answer is a well-formed XML error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed3 + SEED_OFFSET);
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:fuzz`;
    await send(
      '/',
      { 'content-type': 'application/x-www-form-urlencoded', authorization: sigv4('sns') },
      Buffer.from(
        new URLSearchParams({ Action: 'CreateTopic', Version: '2010-03-31', Name: 'fuzz' }).toString(),
      ),
    );
    const actions = [
      'CreateTopic',
      'DeleteTopic',
      'Publish',
      'PublishBatch',
      'Subscribe',
      'Unsubscribe',
      'ConfirmSubscription',
      'SetTopicAttributes',
      'GetTopicAttributes',
      'SetSubscriptionAttributes',
      'ListSubscriptionsByTopic',
      'TagResource',
      'CreatePlatformApplication',
      'CreatePlatformEndpoint',
      'NoSuchAction',
    ];
    for (let i = 0; i < 400; i++) {
      const action = f.pick(actions);
      const fields = queryFields(f, action, {
        Name: () => f.text(20),
        TopicArn: () => (f.chance(0.5) ? topicArn : mangle(f, topicArn)),
        Message: () => f.text(60),
        Subject: () => f.text(20),
        MessageStructure: () => f.pick(['json', f.text(5)]),
        Protocol: () => f.pick(['sqs', 'http', 'https', 'email', 'lambda', f.text(5)]),
        Endpoint: () => f.pick([`arn:aws:sqs:us-east-1:${ACCOUNT}:fuzz`, 'http://127.0.0.1:1/', f.text(20)]),
        SubscriptionArn: () => mangle(f, `${topicArn}:0d2b7e1a-1111-2222-3333-444444444444`),
        Token: () => f.text(30),
        AttributeName: () => f.text(15),
        AttributeValue: () => f.text(30),
        ResourceArn: () => mangle(f, topicArn),
        MessageGroupId: () => f.text(8),
        'PublishBatchRequestEntries.member.1.Id': () => f.text(8),
        'PublishBatchRequestEntries.member.1.Message': () => f.text(8),
      }).map(([k, v]): [string, string] =>
        k === 'Version' && v === '2012-11-05' ? [k, '2010-03-31'] : [k, v],
      );
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (f.chance(0.8)) headers.authorization = sigv4('sns');
      const res = await send('/', headers, formBody(f, fields));
      failures.note(`sns #${i} ${action} ${JSON.stringify(fields).slice(0, 300)}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('Kinesis awsJson: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed4 + SEED_OFFSET);
    const operations = [
      'CreateStream',
      'DescribeStream',
      'DescribeStreamSummary',
      'PutRecord',
      'PutRecords',
      'GetShardIterator',
      'GetRecords',
      'ListShards',
      'SplitShard',
      'MergeShards',
      'AddTagsToStream',
      'RegisterStreamConsumer',
      'PutResourcePolicy',
      'NoSuchOperation',
    ];
    const streamArn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/fuzz`;
    await send(
      '/',
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.CreateStream',
        authorization: sigv4('kinesis'),
      },
      Buffer.from(JSON.stringify({ StreamName: 'fuzz', ShardCount: 2 })),
    );
    for (let i = 0; i < 400; i++) {
      const operation = f.pick(operations);
      const members = () => {
        const m: Record<string, unknown> = {};
        if (f.chance(0.7)) m.StreamName = f.chance(0.5) ? 'fuzz' : f.chance(0.7) ? f.text(30) : f.value();
        if (f.chance(0.3)) m.StreamARN = f.chance(0.7) ? mangle(f, streamArn) : f.value();
        if (f.chance(0.4)) m.Data = f.pick(['AAEC', '', '!!!', f.text(10), 1, null]);
        if (f.chance(0.4)) m.PartitionKey = f.chance(0.8) ? f.text(30) : f.value();
        if (f.chance(0.3)) m.ShardId = f.pick(['shardId-000000000000', f.text(20), 0]);
        if (f.chance(0.3)) m.ShardIterator = f.text(40);
        if (f.chance(0.2)) m.ShardIteratorType = f.pick(['TRIM_HORIZON', 'AT_SEQUENCE_NUMBER', f.text(5)]);
        if (f.chance(0.2)) m.StartingSequenceNumber = f.pick(['0', '49' + '1'.repeat(54), f.text(20)]);
        if (f.chance(0.2))
          m.Records = f.chance(0.7) ? [{ Data: 'AA==', PartitionKey: f.text(5) }, f.value()] : f.value();
        if (f.chance(0.2)) m.ShardCount = f.value();
        if (f.chance(0.2)) m.Tags = f.value();
        for (let j = f.int(3); j > 0; j--)
          m[f.pick(['Limit', 'NextToken', 'ExplicitHashKey', 'NewStartingHashKey', 'Policy'])] = f.value();
        return m;
      };
      const body = jsonBody(f, members);
      const res = await send(
        '/',
        {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${operation}`,
          authorization: sigv4('kinesis'),
        },
        body,
      );
      failures.note(`kinesis #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('the front door: any method, path, headers and body get an AWS error in a well-formed body', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed5 + SEED_OFFSET);
    const contentTypes = [
      'application/x-amz-json-1.0',
      'application/x-amz-json-1.1',
      'application/x-amz-cbor-1.1',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/json',
      'application/xml',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ];
    const targets = [
      'AmazonSQS.ListQueues',
      'AmazonSQS.',
      'AmazonSQS',
      'Kinesis_20131202.ListStreams',
      'Kinesis_20131202.PutRecord',
      'DynamoDB_20120810.ListTables',
      '.',
      '..ListQueues',
      'AmazonSQS.ListQueues.Extra',
    ];
    const paths = [
      '/',
      '/000000000000/fuzz',
      '/000000000000/',
      '/x/y',
      '//',
      '/?Action=ListQueues',
      '/%ZZ',
      '/a?b=%ZZ',
    ];
    for (let i = 0; i < 400; i++) {
      const method = f.pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS']);
      const headers: Record<string, string> = {};
      const contentType = f.pick(contentTypes);
      if (contentType) headers['content-type'] = contentType;
      if (f.chance(0.5)) headers['x-amz-target'] = f.pick(targets);
      if (f.chance(0.6))
        headers.authorization = f.chance(0.8)
          ? sigv4(f.pick(['sqs', 'sns', 'kinesis', 'dynamodb', '']))
          : 'AWS4-HMAC-SHA256 Credential=///';
      if (f.chance(0.2)) headers.origin = 'http://localhost:3000';
      if (f.chance(0.1)) headers['access-control-request-method'] = 'POST';
      if (f.chance(0.2)) headers.accept = f.pick(['application/xml', 'application/json', '*/*']);
      let path = f.pick(paths);
      if (f.chance(0.3)) {
        const fields = queryFields(
          f,
          f.pick(['ListQueues', 'SendMessage', 'ListTopics', 'Publish', 'Nope']),
          {},
        );
        path += `${path.includes('?') ? '&' : '?'}${new URLSearchParams(fields.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, '')])).toString()}`;
      }
      const body =
        method === 'GET' || method === 'HEAD'
          ? Buffer.alloc(0)
          : f.pick([
              Buffer.alloc(0),
              Buffer.from('{}'),
              Buffer.from([0xa0]),
              Buffer.from([0xbf, 0x61, 0x61, 0xff]),
              Buffer.from([0xff, 0xfe, 0x00, 0x01]),
              Buffer.from('Action=ListQueues&Version=2012-11-05'),
              Buffer.from(f.text(30)),
            ]);
      const res = await send(path, headers, body);
      if (method === 'HEAD') {
        failures.note(`front #${i} HEAD ${path}`, {
          ...res,
          body: res.status < 500 ? '{"__type":"x"}' : res.body,
          headers: { ...res.headers, 'content-type': 'application/json' },
        });
        continue;
      }
      if (res.status === 200 && method === 'OPTIONS' && res.body === '') continue;
      failures.note(
        `front #${i} ${method} ${path} ${JSON.stringify(headers)} ${body.toString('latin1').slice(0, 60)}`,
        res,
      );
    }
    t.diagnostic(failures.summary());
    failures.check();
  });

  it('garbage on the socket (broken request lines, headers, HTTP/2 prefaces) leaves the server answering', async () => {
    const f = new Fuzz(0x5eed6 + SEED_OFFSET);
    const starts = [
      'POST / HTTP/1.1\r\n',
      'GET /_tideway/health HTTP/1.1\r\nHost: x\r\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      'PRI * HTTP/2.0\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      '',
    ];
    for (let i = 0; i < 40; i++) {
      const noise = Buffer.from(Array.from({ length: f.int(200) }, () => f.int(256)));
      const answer = await rawSocket(server.endpoint, Buffer.concat([Buffer.from(f.pick(starts)), noise]));
      // Whatever comes back on HTTP/1.1 is a status line, never a 5xx; an HTTP/2 peer gets frames.
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      if (status) assert.ok(Number(status) < 500, `socket #${i}: ${answer.slice(0, 200)}`);
    }
    const health = await rawRequest(server.endpoint, { method: 'GET', path: '/_tideway/health' });
    assert.equal(health.status, 200);
  });
});
