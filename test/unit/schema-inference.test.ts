import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toJsonSchemaDraft4 } from '../../src/services/schemas/export.js';
import {
  discoveredSchemaName,
  inferSchema,
  javaHashSetOrder,
  pascalCase,
} from '../../src/services/schemas/inference.js';

/**
 * Schema inference as AWS's discovered schemas show it: the recorded `users@UserCreated` schema
 * (an event with empty resources and a nested object) and its JSONSchemaDraft4 export are
 * reproduced byte for byte.
 */

const RECORDED_USER_CREATED =
  '{"openapi":"3.0.0","info":{"version":"1.0.0","title":"UserCreated"},"paths":{},"components":{"schemas":{"AWSEvent":{"type":"object","required":["detail-type","resources","detail","id","source","time","region","version","account"],"x-amazon-events-detail-type":"userCreated","x-amazon-events-source":"users","properties":{"detail":{"$ref":"#/components/schemas/UserCreated"},"account":{"type":"string"},"detail-type":{"type":"string"},"id":{"type":"string"},"region":{"type":"string"},"resources":{"type":"array","items":{"type":"object"}},"source":{"type":"string"},"time":{"type":"string","format":"date-time"},"version":{"type":"string"}}},"UserCreated":{"type":"object","required":["data"],"properties":{"data":{"$ref":"#/components/schemas/Data"}}},"Data":{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}}}}';

const RECORDED_EXPORT =
  '{"$schema":"http://json-schema.org/draft-04/schema#","title":"UserCreated","definitions":{"Data":{"properties":{"id":{"type":"string"}},"required":["id"],"type":"object"},"UserCreated":{"properties":{"data":{"$ref":"#/definitions/Data"}},"required":["data"],"type":"object"}},"properties":{"account":{"type":"string"},"detail":{"$ref":"#/definitions/UserCreated"},"detail-type":{"type":"string"},"id":{"type":"string"},"region":{"type":"string"},"resources":{"items":{"type":"object"},"type":"array"},"source":{"type":"string"},"time":{"format":"date-time","type":"string"},"version":{"type":"string"}},"required":["detail-type","resources","detail","id","source","time","region","version","account"],"type":"object","x-amazon-events-detail-type":"userCreated","x-amazon-events-source":"users"}';

function event(source: string, detailType: string, detail: unknown, resources: unknown[] = []) {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: '2026-12-07T10:00:00Z',
    region: 'us-east-1',
    resources,
    detail,
  } as Parameters<typeof inferSchema>[0][number];
}

describe('schema inference', () => {
  it('reproduces AWS’s recorded discovered schema', () => {
    assert.equal(
      inferSchema([event('users', 'userCreated', { data: { id: 'u-1' } })]),
      RECORDED_USER_CREATED,
    );
  });

  it('exports it as AWS’s recorded JSONSchemaDraft4', () => {
    assert.equal(toJsonSchemaDraft4(RECORDED_USER_CREATED), RECORDED_EXPORT);
  });

  it('names schemas <source>@<DetailType in PascalCase>', () => {
    assert.equal(pascalCase('EC2 Instance State-change Notification'), 'EC2InstanceStateChangeNotification');
    assert.equal(pascalCase('AWS API Call via CloudTrail'), 'AWSAPICallViaCloudTrail');
    assert.equal(pascalCase('order.created'), 'OrderCreated');
    assert.equal(discoveredSchemaName('users', 'userCreated'), 'users@UserCreated');
  });

  it('orders required keys as AWS’s hash set prints them', () => {
    // From a recorded discovered schema: the detail's four keys, as AWS listed them.
    assert.deepEqual(
      javaHashSetOrder(['contract_id', 'contract_last_modified_on', 'contract_status', 'property_id']),
      ['contract_last_modified_on', 'contract_id', 'contract_status', 'property_id'],
    );
  });

  it('types scalars, arrays, nested objects and resources', () => {
    const doc = JSON.parse(
      inferSchema([
        event(
          'shop',
          'Order Placed',
          {
            total: 12.5,
            count: 3,
            paid: true,
            at: '2026-12-07T10:00:00.123Z',
            note: null,
            tags: ['a'],
            lines: [{ sku: 'x' }],
            empty: [],
            customer: { name: 'n' },
          },
          ['arn:aws:ec2:us-east-1:000000000000:instance/i-1'],
        ),
      ]),
    );
    const schemas = doc.components.schemas;
    assert.deepEqual(Object.keys(schemas), ['AWSEvent', 'OrderPlaced', 'Customer', 'LinesItem']);
    const props = schemas.OrderPlaced.properties;
    assert.deepEqual(props.total, { type: 'number', format: 'double' });
    assert.deepEqual(props.count, { type: 'number' });
    assert.deepEqual(props.paid, { type: 'boolean' });
    assert.deepEqual(props.at, { type: 'string', format: 'date-time' });
    assert.deepEqual(props.tags, { type: 'array', items: { type: 'string' } });
    assert.deepEqual(props.lines, { type: 'array', items: { $ref: '#/components/schemas/LinesItem' } });
    assert.deepEqual(props.empty, { type: 'array', items: { type: 'object' } });
    assert.deepEqual(props.customer, { $ref: '#/components/schemas/Customer' });
    assert.deepEqual(Object.keys(props), [...Object.keys(props)].sort());
    assert.ok(!schemas.OrderPlaced.required.includes('note'), 'a null value is not required');
    assert.deepEqual(schemas.AWSEvent.properties.resources, { type: 'array', items: { type: 'string' } });
    assert.equal(schemas.AWSEvent['x-amazon-events-source'], 'shop');
    assert.equal(schemas.AWSEvent['x-amazon-events-detail-type'], 'Order Placed');
  });

  it('gives the same content for events of the same shape, and other content when it changes', () => {
    const a = inferSchema([event('shop', 'Order Placed', { id: 'a' })]);
    const b = inferSchema([event('shop', 'Order Placed', { id: 'b' })]);
    const c = inferSchema([event('shop', 'Order Placed', { id: 'c', total: 1 })]);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('requires only the keys every sample carries', () => {
    const doc = JSON.parse(inferSchema([event('s', 'T', { a: 1, b: 2 }), event('s', 'T', { a: 1 })]));
    assert.deepEqual(doc.components.schemas.T.required, ['a']);
    assert.deepEqual(Object.keys(doc.components.schemas.T.properties), ['a', 'b']);
  });
});
