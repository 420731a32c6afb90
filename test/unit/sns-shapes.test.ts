import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import * as snsSdk from '@aws-sdk/client-sns';
import {
  AddPermissionCommand,
  CheckIfPhoneNumberIsOptedOutCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  GetSMSAttributesCommand,
  GetTopicAttributesCommand,
  ListOriginationNumbersCommand,
  ListPhoneNumbersOptedOutCommand,
  ListSMSSandboxPhoneNumbersCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSMSAttributesCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import {
  SNS_ERRORS,
  SNS_METADATA,
  SNS_OPERATIONS,
  type SnsOperationName,
} from '../../src/protocols/models/sns.js';
import { decodeQuery, encodeXmlMembers, parseForm, type QueryParams } from '../../src/protocols/query.js';
import type { Shape, StructureShape } from '../../src/protocols/shapes.js';
import { plainErrors, SIMPLE, sdkCommandNames } from '../support/sdk-schemas.js';

const errors = plainErrors;

// ---------------------------------------------------------------------------
// Structural comparison with the SDK's own schemas (generated from the Smithy
// model): member names, required members, scalar kinds and awsQuery names.

type Desc =
  | string
  | { list: Desc; memberName: string }
  | { map: Desc; keyName: string; valueName: string }
  | { members: Record<string, { wire: string; shape: Desc }>; required: string[] };

function describeMine(shape: Shape): Desc {
  switch (shape.type) {
    case 'structure': {
      const members: Record<string, { wire: string; shape: Desc }> = {};
      for (const [name, m] of shape.memberList) {
        assert.notEqual(m.flattened, true, `${name}: SNS flattens nothing`);
        members[name] = { wire: m.xmlName ?? name, shape: describeMine(m.shape) };
      }
      return { members, required: [...shape.required].sort() };
    }
    case 'list':
      return { list: describeMine(shape.member), memberName: shape.memberName ?? 'member' };
    case 'map':
      return {
        map: describeMine(shape.value),
        keyName: shape.keyName ?? 'key',
        valueName: shape.valueName ?? 'value',
      };
    case 'integer':
    case 'long':
    case 'double':
      return 'number';
    default:
      return shape.type;
  }
}

/** A member reference in the SDK schema: the schema itself, or `[schema, traits]`. */
function unwrap(ref: unknown): { schema: unknown; traits: unknown } {
  if (Array.isArray(ref) && ref.length === 2) return { schema: ref[0], traits: ref[1] };
  return { schema: ref, traits: 0 };
}

function xmlNameOf(traits: unknown): string | undefined {
  if (traits === null || typeof traits !== 'object') return undefined;
  const keys = Object.keys(traits);
  assert.ok(
    keys.every((k) => k === 'xmlName'),
    `unexpected traits ${keys.join(', ')}`,
  );
  return (traits as { xmlName?: string }).xmlName;
}

function describeSdk(schema: unknown): Desc {
  if (typeof schema === 'function') return describeSdk(schema());
  if (typeof schema === 'number') {
    if (schema & 64) return { list: describeSdk(schema & ~64), memberName: 'member' };
    if (schema & 128) return { map: describeSdk(schema & ~128), keyName: 'key', valueName: 'value' };
    const simple = SIMPLE[schema];
    assert.ok(simple, `unknown simple schema ${schema}`);
    return simple;
  }
  assert.ok(Array.isArray(schema), `unexpected schema ${String(schema)}`);
  const [kind, , name] = schema as [number, string, string];
  switch (kind) {
    case 0:
      return describeSdk(schema[4]);
    case 1: {
      const { schema: member, traits } = unwrap(schema[4]);
      return { list: describeSdk(member), memberName: xmlNameOf(traits) ?? 'member' };
    }
    case 2: {
      const key = unwrap(schema[4]);
      const value = unwrap(schema[5]);
      assert.equal(describeSdk(key.schema), 'string', `${name}: map keys are strings`);
      return {
        map: describeSdk(value.schema),
        keyName: xmlNameOf(key.traits) ?? 'key',
        valueName: xmlNameOf(value.traits) ?? 'value',
      };
    }
    case 3: {
      const names = schema[4] as string[];
      const refs = schema[5] as unknown[];
      const requiredCount = (schema[6] as number | undefined) ?? 0;
      const members: Record<string, { wire: string; shape: Desc }> = {};
      names.forEach((memberName, i) => {
        const { schema: s, traits } = unwrap(refs[i]);
        members[memberName] = { wire: xmlNameOf(traits) ?? memberName, shape: describeSdk(s) };
      });
      return { members, required: names.slice(0, requiredCount).sort() };
    }
    default:
      assert.fail(`${name}: unexpected schema kind ${kind}`);
  }
}

/** Member names in the order given, so member order can be compared too. */
function memberOrder(schema: unknown): string[] {
  const resolved = typeof schema === 'function' ? schema() : schema;
  return [...((resolved as unknown[])[4] as string[])];
}

describe('SNS_OPERATIONS', () => {
  it('has exactly the operations of the SDK (one per command)', () => {
    const names = sdkCommandNames('@aws-sdk/client-sns');
    assert.equal(names.length, 42);
    assert.deepEqual(Object.keys(SNS_OPERATIONS).sort(), names);
  });

  it("matches the SDK's schemas for every input and output", () => {
    const sdk = snsSdk as unknown as Record<string, unknown>;
    for (const name of Object.keys(SNS_OPERATIONS) as SnsOperationName[]) {
      const op = sdk[`${name}$`] as unknown[] | undefined;
      assert.ok(Array.isArray(op) && op[0] === 9, `${name}: no operation schema in the SDK`);
      const shapes: { input: StructureShape; output?: StructureShape } = SNS_OPERATIONS[name];
      assert.deepEqual(describeMine(shapes.input), describeSdk(op[4]), `${name} input`);
      const output = (op[5] as () => unknown)();
      if (output === 'unit') {
        assert.equal(shapes.output, undefined, `${name} has no output in the model`);
      } else {
        assert.ok(shapes.output, `${name} has an output in the model`);
        assert.deepEqual(describeMine(shapes.output), describeSdk(output), `${name} output`);
      }
      // The SDK lists required members first; each group keeps the model's order.
      for (const [label, mine, theirs] of [
        ['input', shapes.input, op[4]],
        ['output', shapes.output, output],
      ] as const) {
        if (!mine || theirs === 'unit') continue;
        const required = new Set(mine.required);
        const ours = mine.memberList.map(([n]) => n);
        const expected = [...ours.filter((n) => required.has(n)), ...ours.filter((n) => !required.has(n))];
        assert.deepEqual(expected, memberOrder(theirs), `${name} ${label} member order`);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Round trips through the real SDK: what it sends decodes to what was given,
// and what we encode it reads back as the same value.

/** The awsQuery form of a value, written from the shape: the inverse of decodeQuery. */
function encodeQuery(shape: StructureShape, value: Record<string, unknown>, prefix = '', out = new Map()) {
  for (const [name, member] of shape.memberList) {
    const v = value[name];
    if (v !== undefined) encodeQueryValue(member.shape, v, `${prefix}${member.xmlName ?? name}`, out);
  }
  return out as QueryParams;
}

function encodeQueryValue(shape: Shape, v: unknown, key: string, out: QueryParams): void {
  switch (shape.type) {
    case 'structure':
      encodeQuery(shape, v as Record<string, unknown>, `${key}.`, out);
      return;
    case 'list':
      (v as unknown[]).forEach((item, i) => {
        encodeQueryValue(shape.member, item, `${key}.${shape.memberName ?? 'member'}.${i + 1}`, out);
      });
      return;
    case 'map':
      Object.entries(v as Record<string, unknown>).forEach(([k, item], i) => {
        out.set(`${key}.entry.${i + 1}.${shape.keyName ?? 'key'}`, k);
        encodeQueryValue(shape.value, item, `${key}.entry.${i + 1}.${shape.valueName ?? 'value'}`, out);
      });
      return;
    case 'blob':
      out.set(key, Buffer.from(v as Uint8Array).toString('base64'));
      return;
    default:
      out.set(key, String(v));
  }
}

let server: Server;
let client: SNSClient;
let captured: QueryParams | undefined;
let reply: Record<string, unknown> | undefined;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      captured = parseForm(body);
      const action = captured.get('Action') as SnsOperationName;
      const shapes: { input: StructureShape; output?: StructureShape } = SNS_OPERATIONS[action];
      const result = shapes.output
        ? `<${action}Result>${encodeXmlMembers(shapes.output, reply ?? {})}</${action}Result>`
        : '';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0"?><${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/">${result}` +
          `<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new SNSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

after(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends `input` as operation `name`; returns the decoded form and what the SDK made of `output`. */
async function roundTrip(
  name: SnsOperationName,
  command: { input: object },
  output?: Record<string, unknown>,
): Promise<{ decoded: Record<string, unknown>; result: Record<string, unknown> }> {
  captured = undefined;
  reply = output;
  // Each command has its own input and output types; here they are all the same.
  const sent = await client.send(command as PublishCommand);
  const { $metadata, ...result } = sent as unknown as Record<string, unknown>;
  assert.equal($metadata !== undefined, true);
  const form = captured as QueryParams | undefined;
  assert.ok(form, 'the SDK sent a request');
  assert.equal(form.get('Action'), name);
  assert.equal(form.get('Version'), '2010-03-31');
  const shape = SNS_OPERATIONS[name].input;
  const decoded = decodeQuery(shape, form, errors);
  // Every parameter the SDK sent is one the shape knows, under the same name.
  const params = new Map(form);
  params.delete('Action');
  params.delete('Version');
  assert.deepEqual(
    [...params].sort(),
    [...encodeQuery(shape, command.input as Record<string, unknown>)].sort(),
    `${name}: wire parameters`,
  );
  return { decoded, result };
}

describe('SNS shapes against the SDK serializer', () => {
  it('Publish with String, Number and Binary message attributes', async () => {
    const input = {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo',
      Message: 'hello & <world>\r\n',
      Subject: 'Greetings',
      MessageStructure: 'json',
      MessageAttributes: {
        colour: { DataType: 'String', StringValue: 'blue' },
        'price.usd': { DataType: 'Number', StringValue: '12.50' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 250, 255]) },
        list: { DataType: 'String.Array', StringValue: '["a","b"]' },
      },
      MessageDeduplicationId: 'dedup-1',
      MessageGroupId: 'group-1',
    };
    const { decoded, result } = await roundTrip('Publish', new PublishCommand(input), {
      MessageId: 'm-1',
      SequenceNumber: '10000000000000000001',
    });
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, { MessageId: 'm-1', SequenceNumber: '10000000000000000001' });
  });

  it('Publish to a phone number, and the missing Message is reported', async () => {
    const input = { PhoneNumber: '+15555550100', Message: 'sms' };
    const { decoded } = await roundTrip('Publish', new PublishCommand(input), {});
    assert.deepEqual(decoded, input);
    assert.throws(
      () => decodeQuery(SNS_OPERATIONS.Publish.input, parseForm('Action=Publish&TopicArn=x'), errors),
      /missing Message/,
    );
  });

  it('PublishBatch entries with message attributes, and its Successful/Failed lists', async () => {
    const input = {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      PublishBatchRequestEntries: [
        {
          Id: 'a',
          Message: 'one',
          Subject: 's',
          MessageAttributes: {
            n: { DataType: 'Number', StringValue: '1' },
            b: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') },
          },
        },
        {
          Id: 'b',
          Message: 'two',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd',
          MessageStructure: 'json',
        },
      ],
    };
    const output = {
      Successful: [{ Id: 'a', MessageId: 'm-a', SequenceNumber: '1' }],
      Failed: [{ Id: 'b', Code: 'InvalidParameter', Message: 'nope', SenderFault: true }],
    };
    const { decoded, result } = await roundTrip('PublishBatch', new PublishBatchCommand(input), output);
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, output);
  });

  it('CreateTopic with Attributes, Tags and a data protection policy', async () => {
    const input = {
      Name: 'orders.fifo',
      Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'false', DisplayName: 'Orders' },
      Tags: [
        { Key: 'team', Value: 'payments' },
        { Key: 'env', Value: '' },
      ],
      DataProtectionPolicy: '{"Name":"p"}',
    };
    const { decoded, result } = await roundTrip('CreateTopic', new CreateTopicCommand(input), {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo',
    });
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, { TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo' });
  });

  it('Subscribe with Attributes and ReturnSubscriptionArn', async () => {
    const input = {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: '{"colour":["blue"]}' },
      ReturnSubscriptionArn: true,
    };
    const { decoded, result } = await roundTrip('Subscribe', new SubscribeCommand(input), {
      SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:1',
    });
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, { SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:1' });
  });

  it('SetSubscriptionAttributes (a Unit output)', async () => {
    const input = {
      SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:1',
      AttributeName: 'FilterPolicyScope',
      AttributeValue: 'MessageBody',
    };
    const { decoded, result } = await roundTrip(
      'SetSubscriptionAttributes',
      new SetSubscriptionAttributesCommand(input),
    );
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, {});
  });

  it('AddPermission, TagResource and UntagResource lists', async () => {
    const permission = {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      Label: 'l',
      AWSAccountId: ['111111111111', '222222222222'],
      ActionName: ['Publish', 'Subscribe'],
    };
    assert.deepEqual(
      (await roundTrip('AddPermission', new AddPermissionCommand(permission))).decoded,
      permission,
    );
    const tag = { ResourceArn: 'arn:aws:sns:us-east-1:000000000000:t', Tags: [{ Key: 'k', Value: 'v' }] };
    assert.deepEqual((await roundTrip('TagResource', new TagResourceCommand(tag), {})).decoded, tag);
    const untag = { ResourceArn: 'arn:aws:sns:us-east-1:000000000000:t', TagKeys: ['k', 'j'] };
    assert.deepEqual((await roundTrip('UntagResource', new UntagResourceCommand(untag), {})).decoded, untag);
  });

  it('CreatePlatformEndpoint and the lower-case SMS members', async () => {
    const endpoint = {
      PlatformApplicationArn: 'arn:aws:sns:us-east-1:000000000000:app/GCM/a',
      Token: 'tok',
      CustomUserData: 'data',
      Attributes: { Enabled: 'true' },
    };
    const created = await roundTrip('CreatePlatformEndpoint', new CreatePlatformEndpointCommand(endpoint), {
      EndpointArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/a/1',
    });
    assert.deepEqual(created.decoded, endpoint);
    assert.deepEqual(created.result, { EndpointArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/a/1' });

    const sms = { attributes: { DefaultSMSType: 'Transactional', MonthlySpendLimit: '1' } };
    assert.deepEqual(
      (await roundTrip('SetSMSAttributes', new SetSMSAttributesCommand(sms), {})).decoded,
      sms,
    );
    const get = await roundTrip(
      'GetSMSAttributes',
      new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }),
      { attributes: { DefaultSMSType: 'Transactional' } },
    );
    assert.deepEqual(get.decoded, { attributes: ['DefaultSMSType'] });
    assert.deepEqual(get.result, { attributes: { DefaultSMSType: 'Transactional' } });
    const optedOut = await roundTrip(
      'CheckIfPhoneNumberIsOptedOut',
      new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' }),
      { isOptedOut: true },
    );
    assert.deepEqual(optedOut.decoded, { phoneNumber: '+15555550100' });
    assert.deepEqual(optedOut.result, { isOptedOut: true });
    const list = await roundTrip(
      'ListPhoneNumbersOptedOut',
      new ListPhoneNumbersOptedOutCommand({ nextToken: 'n' }),
      { phoneNumbers: ['+15555550100', '+15555550101'], nextToken: 'm' },
    );
    assert.deepEqual(list.decoded, { nextToken: 'n' });
    assert.deepEqual(list.result, { phoneNumbers: ['+15555550100', '+15555550101'], nextToken: 'm' });
  });
});

describe('SNS output shapes against the SDK deserializer', () => {
  it('ListTopics, ListSubscriptionsByTopic and ListTagsForResource', async () => {
    const topics = { Topics: [{ TopicArn: 'arn:a' }, { TopicArn: 'arn:b' }], NextToken: 'next' };
    assert.deepEqual((await roundTrip('ListTopics', new ListTopicsCommand({}), topics)).result, topics);
    const subscriptions = {
      Subscriptions: [
        {
          SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:1',
          Owner: '000000000000',
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
        },
      ],
    };
    const listed = await roundTrip(
      'ListSubscriptionsByTopic',
      new ListSubscriptionsByTopicCommand({
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
        NextToken: 'x',
      }),
      subscriptions,
    );
    assert.deepEqual(listed.decoded, { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', NextToken: 'x' });
    assert.deepEqual(listed.result, subscriptions);
    const tags = { Tags: [{ Key: 'a', Value: '1' }] };
    assert.deepEqual(
      (await roundTrip('ListTagsForResource', new ListTagsForResourceCommand({ ResourceArn: 'arn:a' }), tags))
        .result,
      tags,
    );
  });

  it('GetTopicAttributes: the entry/key/value map', async () => {
    const attributes = {
      Attributes: { TopicArn: 'arn:a', Policy: '{"Version":"2012-10-17"}', DisplayName: '<x>' },
    };
    const got = await roundTrip(
      'GetTopicAttributes',
      new GetTopicAttributesCommand({ TopicArn: 'arn:a' }),
      attributes,
    );
    assert.deepEqual(got.result, attributes);
  });

  it('ListOriginationNumbers and ListSMSSandboxPhoneNumbers: timestamps, integers and nested lists', async () => {
    const numbers = {
      NextToken: 'n',
      PhoneNumbers: [
        {
          CreatedAt: new Date('2024-10-01T12:34:56.789Z'),
          PhoneNumber: '+15555550100',
          Status: 'ACTIVE',
          Iso2CountryCode: 'US',
          RouteType: 'Transactional',
          NumberCapabilities: ['SMS', 'VOICE'],
        },
      ],
    };
    const origination = await roundTrip(
      'ListOriginationNumbers',
      new ListOriginationNumbersCommand({ MaxResults: 5, NextToken: 't' }),
      numbers,
    );
    assert.deepEqual(origination.decoded, { NextToken: 't', MaxResults: 5 });
    assert.deepEqual(origination.result, numbers);
    const sandbox = { PhoneNumbers: [{ PhoneNumber: '+15555550100', Status: 'Verified' }] };
    const listed = await roundTrip(
      'ListSMSSandboxPhoneNumbers',
      new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 10 }),
      sandbox,
    );
    assert.deepEqual(listed.decoded, { MaxResults: 10 });
    assert.deepEqual(listed.result, sandbox);
  });
});

describe("SNS model: botocore's error codes, constraints and metadata", () => {
  it('gives each error its query code, status and fault', () => {
    assert.deepEqual(SNS_ERRORS.AuthorizationErrorException.error, {
      code: 'AuthorizationError',
      status: 403,
      senderFault: true,
    });
    assert.deepEqual(SNS_ERRORS.NotFoundException.error, {
      code: 'NotFound',
      status: 404,
      senderFault: true,
    });
    assert.deepEqual(SNS_ERRORS.InternalErrorException.error, {
      code: 'InternalError',
      status: 500,
      senderFault: false,
    });
    const publishErrors = SNS_OPERATIONS.Publish.errors?.map((e) => e.error?.code) ?? [];
    assert.ok(publishErrors.includes('InvalidParameter') && publishErrors.includes('ParameterValueInvalid'));
  });

  it('carries the constraints and the service metadata', () => {
    const tags = SNS_OPERATIONS.TagResource.input.members.Tags.shape;
    assert.ok(tags.type === 'list' && tags.member.type === 'structure');
    const key = tags.member.members.Key.shape;
    assert.ok(key.type === 'string');
    assert.deepEqual([key.min, key.max], [1, 128]);
    assert.deepEqual(
      { protocol: SNS_METADATA.protocol, xmlNamespace: SNS_METADATA.xmlNamespace },
      { protocol: 'query', xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
    );
  });
});
