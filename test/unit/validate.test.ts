import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { list, map, type ScalarShape, string, structure } from '../../src/protocols/shapes.js';
import { findViolations, serializationMessage, validationMessage } from '../../src/protocols/validate.js';

function message(shape: ReturnType<typeof structure>, input: Record<string, unknown>): string | undefined {
  const found = findViolations(shape, input);
  return found.length > 0 ? validationMessage(found) : undefined;
}

const streamName: ScalarShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' };
const partitionKey: ScalarShape = { type: 'string', min: 1, max: 256 };
const hashKey: ScalarShape = { type: 'string', pattern: '0|([1-9]\\d{0,38})' };
const data: ScalarShape = { type: 'blob', min: 0, max: 1048576 };

// Kinesis PutRecords, with the constraints of botocore's model.
const putRecords = structure(
  {
    Records: {
      shape: {
        type: 'list',
        min: 1,
        max: 500,
        member: structure({ Data: data, ExplicitHashKey: hashKey, PartitionKey: partitionKey }, [
          'Data',
          'PartitionKey',
        ]),
      },
    },
    StreamName: streamName,
  },
  ['Records'],
);

describe('findViolations and validationMessage', () => {
  it('passes an input that meets every constraint', () => {
    assert.equal(
      message(putRecords, { StreamName: 's', Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }] }),
      undefined,
    );
  });

  it('says `Value null` for a missing required member, at every depth', () => {
    assert.equal(
      message(putRecords, {}),
      "1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null",
    );
    assert.equal(
      message(putRecords, {
        Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }, { Data: Buffer.from('y') }],
      }),
      "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports every broken constraint of a member: pattern first, then the length', () => {
    // kinesalite's recording of PutRecords with an empty name and no records.
    assert.equal(
      message(putRecords, { StreamName: '', Records: [] }),
      "3 validation errors detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('leaves out the value of anything holding binary data, as Kinesis answers for `data`', () => {
    const putRecord = structure({ Data: { shape: { type: 'blob', max: 4 } as ScalarShape } }, ['Data']);
    assert.equal(
      message(putRecord, { Data: Buffer.alloc(5) }),
      "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 4",
    );
    const records = Array.from({ length: 501 }, () => ({ Data: Buffer.from('a'), PartitionKey: 'k' }));
    assert.equal(
      message(putRecords, { StreamName: 's', Records: records }),
      "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
  });

  it('matches a pattern against the whole value, as Java does', () => {
    const shape = structure({ ExplicitHashKey: hashKey });
    assert.equal(message(shape, { ExplicitHashKey: '12345' }), undefined);
    assert.equal(
      message(shape, { ExplicitHashKey: '0123' }),
      "1 validation error detected: Value '0123' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
  });

  it('words numeric bounds as `value`, one bound at a time', () => {
    const shape = structure({ Limit: { type: 'integer', min: 1, max: 10000 } as ScalarShape });
    assert.equal(
      message(shape, { Limit: 10001 }),
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
    assert.equal(
      message(shape, { Limit: 0 }),
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('lists the enum values in the model order', () => {
    const shape = structure({
      KeyUsage: {
        type: 'string',
        enum: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
      } as ScalarShape,
    });
    assert.equal(
      message(shape, { KeyUsage: 'RANDOM' }),
      "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]",
    );
  });

  it('reports a list of constrained scalars once, at the list, with all its member constraints', () => {
    const tagKey: ScalarShape = { type: 'string', min: 1, max: 128 };
    const shape = structure({ TagKeys: { shape: { ...list(tagKey), min: 1, max: 50 } } });
    assert.equal(
      message(shape, { TagKeys: ['a', ''] }),
      "1 validation error detected: Value '[a, ]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
    );
  });

  it('reports map keys and values with the `Map keys` and `Map value` forms', () => {
    const tags = {
      ...map({ type: 'string', min: 0, max: 2 } as ScalarShape),
      key: { type: 'string', min: 1, max: 3 } as ScalarShape,
    };
    const shape = structure({ Tags: { shape: tags } });
    assert.equal(
      message(shape, { Tags: { long: 'v' } }),
      "1 validation error detected: Value '{long=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 3, Member must have length greater than or equal to 1]",
    );
    assert.equal(
      message(shape, { Tags: { k: 'vvv' } }),
      "1 validation error detected: Value '{k=vvv}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 2, Member must have length greater than or equal to 0]",
    );
  });

  it('names map entries of structures `key.member`', () => {
    const attributes = map(structure({ DataType: string }, ['DataType']));
    const shape = structure({ MessageAttributes: { shape: attributes } });
    assert.equal(
      message(shape, { MessageAttributes: { attr1: {} } }),
      "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    );
  });

  it('orders the failures of several members as AWS does (EventBridge CreateConnection, recorded)', () => {
    const createConnection = structure(
      {
        Name: { type: 'string', min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+' } as ScalarShape,
        Description: string,
        AuthorizationType: {
          type: 'string',
          enum: ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'],
        } as ScalarShape,
        AuthParameters: structure({ BasicAuthParameters: structure({ Username: string, Password: string }) }),
        InvocationConnectivityParameters: structure({}),
        KmsKeyIdentifier: string,
      },
      ['Name', 'AuthorizationType', 'AuthParameters'],
    );
    const name = 'This should fail with two errors 123467890123412341234123412341234';
    assert.equal(
      message(createConnection, {
        Name: name,
        AuthorizationType: 'INVALID',
        AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'pass' } },
      }),
      `3 validation errors detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; ` +
        `Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        "Value 'INVALID' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
    );
  });

  it('reports at most ten failures', () => {
    const members: Record<string, ScalarShape> = {};
    for (let i = 0; i < 12; i++) members[`M${i}`] = { type: 'string', min: 2 };
    const input = Object.fromEntries(Object.keys(members).map((k) => [k, 'x']));
    const found = findViolations(structure(members), input);
    assert.equal(found.length, 10);
    assert.match(validationMessage(found), /^10 validation errors detected: /);
  });

  it('does not enforce a pattern JavaScript cannot read rather than refuse good input', () => {
    const shape = structure({ Name: { type: 'string', pattern: '\\p{javaLowerCase}++' } as ScalarShape });
    assert.equal(message(shape, { Name: 'anything' }), undefined);
  });
});

describe('serializationMessage', () => {
  it("gives AWS's texts for values of the wrong JSON type", () => {
    assert.equal(serializationMessage('10', 'integer'), 'STRING_VALUE can not be converted to an Integer');
    assert.equal(serializationMessage(1, 'string'), 'NUMBER_VALUE can not be converted to a String');
    assert.equal(serializationMessage(true, 'string'), 'TRUE_VALUE can not be converted to a String');
    assert.equal(serializationMessage(false, 'long'), 'FALSE_VALUE can not be converted to a Long');
    assert.equal(serializationMessage(1, 'boolean'), 'NUMBER_VALUE can not be converted to a Boolean');
    assert.equal(serializationMessage(1, 'blob'), 'NUMBER_VALUE can not be converted to a Blob');
    assert.equal(
      serializationMessage('x', 'timestamp'),
      'STRING_VALUE can not be converted to milliseconds since epoch',
    );
    assert.equal(serializationMessage(['x'], 'string'), 'Start of list found where not expected');
    assert.equal(serializationMessage({}, 'list'), 'Start of structure or map found where not expected.');
    assert.equal(serializationMessage('x', 'structure'), 'Expected null');
    assert.equal(serializationMessage('x', 'list'), 'Expected list or null');
    assert.equal(serializationMessage(1, 'map'), 'Expected map or null');
  });
});
