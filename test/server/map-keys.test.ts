import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postKinesis } from '../support/kinesis.js';
import { jsonRequest, queryRequest, xmlText } from '../support/server.js';
import { type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// A map key is any string the service allows, `__proto__` too: the codecs keep it as an entry of
// the map (a plain assignment would set the object's prototype and drop it), so the MD5 a sender
// computed over its attributes still matches, and a tag set is what was sent.

/** The MD5 of SQS message attributes, as the SQS guide defines it, for one String attribute. */
function attributesMd5(name: string, value: string): string {
  const part = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return createHash('md5')
    .update(Buffer.concat([part(name), part('String'), Buffer.from([1]), part(value)]))
    .digest('hex');
}

describe('map keys named __proto__', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('keeps an SQS message attribute named __proto__ over awsJson and awsQuery', async () => {
    const created = await jsonRequest(
      server.endpoint,
      'CreateQueue',
      JSON.stringify({ QueueName: uniqueName() }),
    );
    const { QueueUrl } = JSON.parse(created.body);
    const expected = attributesMd5('__proto__', 'v');
    const sent = await jsonRequest(
      server.endpoint,
      'SendMessage',
      `{"QueueUrl":${JSON.stringify(QueueUrl)},"MessageBody":"b","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"v"}}}`,
    );
    assert.equal(sent.status, 200, sent.body);
    assert.equal(JSON.parse(sent.body).MD5OfMessageAttributes, expected);
    const query = await queryRequest(server.endpoint, {
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl,
      MessageBody: 'b',
      'MessageAttribute.1.Name': '__proto__',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'v',
    });
    assert.equal(query.status, 200, query.body);
    assert.equal(xmlText(query.body, 'MD5OfMessageAttributes'), expected);
    const received = await jsonRequest(
      server.endpoint,
      'ReceiveMessage',
      JSON.stringify({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    const messages = JSON.parse(received.body).Messages as { MessageAttributes?: object }[];
    assert.equal(messages.length, 2);
    for (const m of messages) {
      assert.deepEqual(Object.keys(m.MessageAttributes ?? {}), ['__proto__']);
    }
  });

  it('keeps a Kinesis tag named __proto__', async () => {
    const name = uniqueName('s');
    const json = 'application/x-amz-json-1.1';
    const send = (op: string, body: string) => postKinesis(server.endpoint, op, json, Buffer.from(body));
    assert.equal(
      (await send('CreateStream', JSON.stringify({ StreamName: name, ShardCount: 1 }))).status,
      200,
    );
    const tagged = await send('AddTagsToStream', `{"StreamName":"${name}","Tags":{"__proto__":"x"}}`);
    assert.equal(tagged.status, 200, tagged.raw.toString());
    const listed = await send('ListTagsForStream', JSON.stringify({ StreamName: name }));
    assert.deepEqual(JSON.parse(listed.raw.toString()).Tags, [{ Key: '__proto__', Value: 'x' }]);
  });
});
