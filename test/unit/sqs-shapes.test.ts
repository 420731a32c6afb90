import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as sqsSdk from '@aws-sdk/client-sqs';

import {
  SQS_ERRORS,
  SQS_METADATA,
  SQS_OPERATIONS,
  type SqsOperationName,
} from '../../src/protocols/models/sqs.js';
import { decodeQuery, encodeXmlMembers, parseForm } from '../../src/protocols/query.js';
import { operationTable } from '../../src/protocols/service.js';
import type { Shape, StructureShape } from '../../src/protocols/shapes.js';
import { plainErrors, SIMPLE, sdkCommandNames } from '../support/sdk-schemas.js';

// ---------------------------------------------------------------------------
// The generated SQS model against the SDK's own schemas: botocore models SQS as JSON only, so
// its awsQuery names and flattening and its query error codes come from there (docs/models.md).

type Desc =
  | string
  | { list: Desc; memberName: string }
  | { map: Desc; keyName: string; valueName: string }
  | { members: Record<string, { wire: string; flattened: boolean; shape: Desc }>; required: string[] };

function describeMine(shape: Shape): Desc {
  switch (shape.type) {
    case 'structure': {
      const members: Record<string, { wire: string; flattened: boolean; shape: Desc }> = {};
      for (const [name, m] of shape.memberList) {
        members[name] = {
          wire: m.xmlName ?? name,
          flattened: m.flattened === true,
          shape: describeMine(m.shape),
        };
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

interface XmlTraits {
  xmlName?: string;
  xmlFlattened?: number;
}

function unwrap(ref: unknown): { schema: unknown; traits: XmlTraits } {
  if (Array.isArray(ref) && ref.length === 2) {
    const traits = typeof ref[1] === 'object' && ref[1] !== null ? (ref[1] as XmlTraits) : {};
    return { schema: ref[0], traits };
  }
  return { schema: ref, traits: {} };
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
    case 1: {
      const { schema: member, traits } = unwrap(schema[4]);
      return { list: describeSdk(member), memberName: traits.xmlName ?? 'member' };
    }
    case 2: {
      const key = unwrap(schema[4]);
      const value = unwrap(schema[5]);
      return {
        map: describeSdk(value.schema),
        keyName: key.traits.xmlName ?? 'key',
        valueName: value.traits.xmlName ?? 'value',
      };
    }
    case 3: {
      const names = schema[4] as string[];
      const refs = schema[5] as unknown[];
      const requiredCount = (schema[6] as number | undefined) ?? 0;
      const members: Record<string, { wire: string; flattened: boolean; shape: Desc }> = {};
      names.forEach((memberName, i) => {
        const { schema: s, traits } = unwrap(refs[i]);
        members[memberName] = {
          wire: traits.xmlName ?? memberName,
          flattened: traits.xmlFlattened === 1,
          shape: describeSdk(s),
        };
      });
      return { members, required: names.slice(0, requiredCount).sort() };
    }
    default:
      assert.fail(`${name}: unexpected schema kind ${kind}`);
  }
}

const sdk = sqsSdk as unknown as Record<string, unknown>;

describe('SQS model', () => {
  it('has exactly the operations of the SDK (one per command)', () => {
    const names = sdkCommandNames('@aws-sdk/client-sqs');
    assert.equal(names.length, 23);
    assert.deepEqual(Object.keys(SQS_OPERATIONS).sort(), names);
  });

  it("matches the SDK's schemas for every input and output, awsQuery names and flattening included", () => {
    for (const name of Object.keys(SQS_OPERATIONS) as SqsOperationName[]) {
      const op = sdk[`${name}$`] as unknown[] | undefined;
      assert.ok(Array.isArray(op) && op[0] === 9, `${name}: no operation schema in the SDK`);
      const { input, output } = SQS_OPERATIONS[name];
      assert.deepEqual(describeMine(input), describeSdk(op[4]), `${name} input`);
      const theirs = (op[5] as () => unknown)();
      if (theirs === 'unit') assert.equal(output, undefined, `${name} has no output in the model`);
      else assert.deepEqual(describeMine(output as StructureShape), describeSdk(theirs), `${name} output`);
    }
  });

  it('gives every error its awsQuery code and status from the SDK, or its own name', () => {
    const sdkErrors = Object.entries(sdk).filter(
      ([k, v]) => k.endsWith('$') && Array.isArray(v) && v[0] === -3,
    );
    const named = sdkErrors.map(([k]) => k.slice(0, -1)).filter((n) => n !== 'SQSServiceException');
    assert.deepEqual(Object.keys(SQS_ERRORS).sort(), named.sort());
    for (const [exported, schema] of sdkErrors) {
      const name = exported.slice(0, -1);
      if (name === 'SQSServiceException') continue;
      const traits = (schema as unknown[])[3] as { awsQueryError?: [string, number]; error: string };
      const [code, status] = traits.awsQueryError ?? [name, 400];
      assert.deepEqual(
        SQS_ERRORS[name].error,
        { code, status, senderFault: traits.error === 'client' },
        name,
      );
      assert.equal(SQS_ERRORS[name].name, name);
    }
    assert.deepEqual(SQS_ERRORS.QueueDoesNotExist.error, {
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
      senderFault: true,
    });
    assert.ok(SQS_OPERATIONS.SendMessage.errors?.includes(SQS_ERRORS.QueueDoesNotExist));
  });

  it("carries botocore's metadata, bindings and enums", () => {
    assert.deepEqual(SQS_METADATA, {
      apiVersion: '2012-11-05',
      protocol: 'json',
      signingName: 'sqs',
      endpointPrefix: 'sqs',
      serviceId: 'SQS',
      jsonVersion: '1.0',
      targetPrefix: 'AmazonSQS',
      awsQueryCompatible: true,
    });
    assert.deepEqual(SQS_OPERATIONS.SendMessage.http, { method: 'POST', requestUri: '/' });
    const names = SQS_OPERATIONS.GetQueueAttributes.input.members.AttributeNames.shape;
    assert.equal(names.type, 'list');
    assert.ok(names.member.type === 'string' && names.member.enum?.includes('RedriveAllowPolicy'));
  });

  it('shares one object per named shape, so codecs memoise once per shape', () => {
    const send = SQS_OPERATIONS.SendMessage.input.members.MessageAttributes.shape;
    const batchEntry = SQS_OPERATIONS.SendMessageBatch.input.members.Entries.shape;
    assert.equal(batchEntry.type, 'list');
    assert.ok(batchEntry.member.type === 'structure');
    assert.equal(batchEntry.member.members.MessageAttributes.shape, send);
  });

  it('decodes the awsQuery form and writes the XML under the query names', () => {
    const form = parseForm(
      'Action=ReceiveMessage&QueueUrl=q&AttributeName.1=All' +
        '&MessageAttributeName.1=colour&MaxNumberOfMessages=5',
    );
    assert.deepEqual(decodeQuery(SQS_OPERATIONS.ReceiveMessage.input, form, plainErrors), {
      QueueUrl: 'q',
      // The model gives MessageSystemAttributeNames the query name of AttributeNames.
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['colour'],
      MaxNumberOfMessages: 5,
    });
    const xml = encodeXmlMembers(SQS_OPERATIONS.ReceiveMessage.output as StructureShape, {
      Messages: [{ MessageId: 'm', Attributes: { SenderId: 'a' }, MessageAttributes: {} }],
    });
    assert.equal(
      xml,
      '<Message><MessageId>m</MessageId><Attribute><Name>SenderId</Name><Value>a</Value></Attribute></Message>',
    );
  });

  it('joins handlers by the operation names of the model', () => {
    assert.throws(
      // @ts-expect-error SendMesage is not an SQS operation: tsc refuses the misspelling.
      () => operationTable(SQS_OPERATIONS, { SendMesage: () => ({}) }),
      /no handler for AddPermission/,
    );
  });
});
