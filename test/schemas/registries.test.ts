import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  DeleteRegistryCommand,
  DeleteResourcePolicyCommand,
  DeleteSchemaCommand,
  DeleteSchemaVersionCommand,
  DescribeCodeBindingCommand,
  DescribeRegistryCommand,
  DescribeSchemaCommand,
  ExportSchemaCommand,
  GetCodeBindingSourceCommand,
  GetDiscoveredSchemaCommand,
  GetResourcePolicyCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  ListTagsForResourceCommand,
  PutCodeBindingCommand,
  PutResourcePolicyCommand,
  SearchSchemasCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRegistryCommand,
  UpdateSchemaCommand,
} from '@aws-sdk/client-schemas';
import { accountCredentials, eventsRejects, schemasClient, withSchemasServer } from '../support/events.js';
import { rawRequest, sigv4 } from '../support/server.js';

/**
 * The schema registry through @aws-sdk/client-schemas: registries, schemas and their versions,
 * search, export, tags, resource policies, AWS's read-only registry, and the errors of each.
 */

const ACCOUNT = '000000000000';

function openApi(title: string, detail: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: '3.0.0',
    info: { version: '1.0.0', title },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          required: ['detail', 'source'],
          'x-amazon-events-detail-type': title,
          'x-amazon-events-source': 'shop.sales',
          properties: {
            detail: { $ref: `#/components/schemas/${title}` },
            source: { type: 'string' },
          },
        },
        [title]: { type: 'object', properties: detail },
      },
    },
  });
}

describe('schema registry', () => {
  const suite = withSchemasServer();

  it('creates, describes, updates, lists and deletes a registry', async () => {
    const created = await suite.schemas.send(
      new CreateRegistryCommand({
        RegistryName: 'orders',
        Description: 'order events',
        Tags: { team: 'shop' },
      }),
    );
    assert.equal(created.RegistryArn, `arn:aws:schemas:us-east-1:${ACCOUNT}:registry/orders`);
    assert.equal(created.RegistryName, 'orders');
    assert.equal(created.Description, 'order events');
    assert.deepEqual(created.Tags, { team: 'shop' });

    await eventsRejects(
      suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'orders' })),
      'ConflictException',
      'Registry with name orders already exists.',
    );
    const updated = await suite.schemas.send(
      new UpdateRegistryCommand({ RegistryName: 'orders', Description: 'v2' }),
    );
    assert.equal(updated.Description, 'v2');
    const described = await suite.schemas.send(new DescribeRegistryCommand({ RegistryName: 'orders' }));
    assert.equal(described.Description, 'v2');

    const local = await suite.schemas.send(new ListRegistriesCommand({ Scope: 'LOCAL' }));
    assert.deepEqual(
      local.Registries?.map((r) => r.RegistryName),
      ['orders'],
    );
    const aws = await suite.schemas.send(new ListRegistriesCommand({ Scope: 'AWS' }));
    assert.deepEqual(
      aws.Registries?.map((r) => r.RegistryName),
      ['aws.events'],
    );

    await suite.schemas.send(new DeleteRegistryCommand({ RegistryName: 'orders' }));
    const err = await eventsRejects(
      suite.schemas.send(new DescribeRegistryCommand({ RegistryName: 'orders' })),
      'NotFoundException',
      'Registry with name orders does not exist.',
    );
    assert.equal(err.$metadata?.httpStatusCode, 404);
  });

  it('versions a schema only when its content changes', async () => {
    await suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'shop' }));
    const first = openApi('OrderPlaced', { id: { type: 'string' } });
    const created = await suite.schemas.send(
      new CreateSchemaCommand({
        RegistryName: 'shop',
        SchemaName: 'shop.orders@OrderPlaced',
        Type: 'OpenApi3',
        Content: first,
        Description: 'placed',
      }),
    );
    assert.equal(
      created.SchemaArn,
      `arn:aws:schemas:us-east-1:${ACCOUNT}:schema/shop/shop.orders@OrderPlaced`,
    );
    assert.equal(created.SchemaVersion, '1');
    assert.equal(created.Type, 'OpenApi3');
    assert.ok(created.VersionCreatedDate instanceof Date);

    const same = await suite.schemas.send(
      new UpdateSchemaCommand({
        RegistryName: 'shop',
        SchemaName: 'shop.orders@OrderPlaced',
        Content: first,
      }),
    );
    assert.equal(same.SchemaVersion, '1');
    const second = openApi('OrderPlaced', { id: { type: 'string' }, total: { type: 'number' } });
    const changed = await suite.schemas.send(
      new UpdateSchemaCommand({
        RegistryName: 'shop',
        SchemaName: 'shop.orders@OrderPlaced',
        Content: second,
        Type: 'OpenApi3',
      }),
    );
    assert.equal(changed.SchemaVersion, '2');
    assert.equal(changed.Description, 'placed');

    const latest = await suite.schemas.send(
      new DescribeSchemaCommand({ RegistryName: 'shop', SchemaName: 'shop.orders@OrderPlaced' }),
    );
    assert.equal(latest.SchemaVersion, '2');
    assert.equal(latest.Content, second);
    const v1 = await suite.schemas.send(
      new DescribeSchemaCommand({
        RegistryName: 'shop',
        SchemaName: 'shop.orders@OrderPlaced',
        SchemaVersion: '1',
      }),
    );
    assert.equal(v1.Content, first);

    const versions = await suite.schemas.send(
      new ListSchemaVersionsCommand({ RegistryName: 'shop', SchemaName: 'shop.orders@OrderPlaced' }),
    );
    assert.deepEqual(
      versions.SchemaVersions?.map((v) => [v.SchemaVersion, v.Type]),
      [
        ['1', 'OpenApi3'],
        ['2', 'OpenApi3'],
      ],
    );
    const listed = await suite.schemas.send(new ListSchemasCommand({ RegistryName: 'shop' }));
    assert.equal(listed.Schemas?.[0].VersionCount, 2);

    await suite.schemas.send(
      new DeleteSchemaVersionCommand({
        RegistryName: 'shop',
        SchemaName: 'shop.orders@OrderPlaced',
        SchemaVersion: '1',
      }),
    );
    await eventsRejects(
      suite.schemas.send(
        new DescribeSchemaCommand({
          RegistryName: 'shop',
          SchemaName: 'shop.orders@OrderPlaced',
          SchemaVersion: '1',
        }),
      ),
      'NotFoundException',
      'Schema with name shop.orders@OrderPlaced and version 1 does not exist.',
    );
    await suite.schemas.send(
      new DeleteSchemaCommand({ RegistryName: 'shop', SchemaName: 'shop.orders@OrderPlaced' }),
    );
    await eventsRejects(
      suite.schemas.send(
        new DescribeSchemaCommand({ RegistryName: 'shop', SchemaName: 'shop.orders@OrderPlaced' }),
      ),
      'NotFoundException',
      'Schema with name shop.orders@OrderPlaced does not exist.',
    );
  });

  it('refuses content that is not a schema of its type', async () => {
    await suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'strict' }));
    const create = (Type: 'OpenApi3' | 'JSONSchemaDraft4', Content: string) =>
      suite.schemas.send(new CreateSchemaCommand({ RegistryName: 'strict', SchemaName: 's', Type, Content }));
    await eventsRejects(create('OpenApi3', '{not json'), 'BadRequestException', /not valid JSON/);
    await eventsRejects(create('OpenApi3', '{"openapi":"2.0"}'), 'BadRequestException', /OpenAPI 3/);
    await eventsRejects(
      create(
        'OpenApi3',
        JSON.stringify({
          openapi: '3.0.0',
          info: { title: 't', version: '1' },
          paths: {},
          components: { schemas: { A: { $ref: '#/components/schemas/Missing' } } },
        }),
      ),
      'BadRequestException',
      /does not resolve/,
    );
    await eventsRejects(
      create('JSONSchemaDraft4', '{"type":"thing"}'),
      'BadRequestException',
      /not a valid type/,
    );
    const draft4 = await create(
      'JSONSchemaDraft4',
      JSON.stringify({
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' } },
      }),
    );
    assert.equal(draft4.Type, 'JSONSchemaDraft4');
    await eventsRejects(
      suite.schemas.send(
        new CreateSchemaCommand({
          RegistryName: 'nowhere',
          SchemaName: 's',
          Type: 'OpenApi3',
          Content: '{}',
        }),
      ),
      'NotFoundException',
      'Registry with name nowhere does not exist.',
    );
    await eventsRejects(
      suite.schemas.send(
        new CreateSchemaCommand({
          RegistryName: 'strict',
          SchemaName: 's',
          Type: 'Avro' as 'OpenApi3',
          Content: '{}',
        }),
      ),
      'BadRequestException',
      /type/,
    );
  });

  it('searches by keywords and exports OpenApi3 as JSONSchemaDraft4', async () => {
    await suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'search' }));
    for (const name of ['OrderPlaced', 'OrderShipped', 'UserCreated']) {
      await suite.schemas.send(
        new CreateSchemaCommand({
          RegistryName: 'search',
          SchemaName: `shop@${name}`,
          Type: 'OpenApi3',
          Content: openApi(name, { id: { type: 'string' } }),
        }),
      );
    }
    const found = await suite.schemas.send(
      new SearchSchemasCommand({ RegistryName: 'search', Keywords: 'order' }),
    );
    assert.deepEqual(
      found.Schemas?.map((s) => s.SchemaName),
      ['shop@OrderPlaced', 'shop@OrderShipped'],
    );
    assert.equal(found.Schemas?.[0].SchemaVersions?.[0].SchemaVersion, '1');

    const exported = await suite.schemas.send(
      new ExportSchemaCommand({
        RegistryName: 'search',
        SchemaName: 'shop@UserCreated',
        Type: 'JSONSchemaDraft4',
      }),
    );
    assert.equal(exported.Type, 'JSONSchemaDraft4');
    assert.equal(exported.SchemaVersion, '1');
    assert.deepEqual(JSON.parse(exported.Content ?? ''), {
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'UserCreated',
      definitions: { UserCreated: { properties: { id: { type: 'string' } }, type: 'object' } },
      properties: { detail: { $ref: '#/definitions/UserCreated' }, source: { type: 'string' } },
      required: ['detail', 'source'],
      type: 'object',
      'x-amazon-events-detail-type': 'UserCreated',
      'x-amazon-events-source': 'shop.sales',
    });
    await eventsRejects(
      suite.schemas.send(
        new ExportSchemaCommand({ RegistryName: 'search', SchemaName: 'shop@UserCreated', Type: 'OpenApi3' }),
      ),
      'BadRequestException',
    );
  });

  it('serves AWS’s aws.events registry read-only', async () => {
    const listed = await suite.schemas.send(new ListSchemasCommand({ RegistryName: 'aws.events' }));
    const names = listed.Schemas?.map((s) => s.SchemaName) ?? [];
    assert.ok(names.includes('aws.ec2@EC2InstanceStateChangeNotification'));
    const ec2 = await suite.schemas.send(
      new DescribeSchemaCommand({
        RegistryName: 'aws.events',
        SchemaName: 'aws.ec2@EC2InstanceStateChangeNotification',
      }),
    );
    const content = JSON.parse(ec2.Content ?? '');
    assert.equal(
      content.components.schemas.AWSEvent['x-amazon-events-detail-type'],
      'EC2 Instance State-change Notification',
    );
    await eventsRejects(
      suite.schemas.send(
        new CreateSchemaCommand({
          RegistryName: 'aws.events',
          SchemaName: 'mine',
          Type: 'OpenApi3',
          Content: openApi('Mine', {}),
        }),
      ),
      'ForbiddenException',
    );
    await eventsRejects(
      suite.schemas.send(new DeleteRegistryCommand({ RegistryName: 'aws.events' })),
      'ForbiddenException',
    );
  });

  it('tags registries and schemas by ARN', async () => {
    const registry = await suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'tagged' }));
    const arn = registry.RegistryArn as string;
    await suite.schemas.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2' } }));
    await suite.schemas.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    const tags = await suite.schemas.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(tags.Tags, { b: '2' });
    await eventsRejects(
      suite.schemas.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}-gone` })),
      'NotFoundException',
    );
    // Another account sees none of it.
    const other = schemasClient(suite.server.endpoint, { credentials: accountCredentials('111111111111') });
    await eventsRejects(
      other.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
      'NotFoundException',
    );
    await eventsRejects(
      other.send(new DescribeRegistryCommand({ RegistryName: 'tagged' })),
      'NotFoundException',
    );
    other.destroy();
  });

  it('keeps a resource policy with a revision id', async () => {
    await suite.schemas.send(new CreateRegistryCommand({ RegistryName: 'shared' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: ['schemas:DescribeSchema'],
          Resource: `arn:aws:schemas:us-east-1:${ACCOUNT}:registry/shared`,
        },
      ],
    });
    await eventsRejects(
      suite.schemas.send(new GetResourcePolicyCommand({ RegistryName: 'shared' })),
      'NotFoundException',
    );
    const put = await suite.schemas.send(
      new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: policy }),
    );
    assert.ok(put.RevisionId);
    const got = await suite.schemas.send(new GetResourcePolicyCommand({ RegistryName: 'shared' }));
    assert.equal(got.RevisionId, put.RevisionId);
    // The SDK hands the policy back as a JSON string it can also parse.
    assert.deepEqual(JSON.parse(String(got.Policy)), JSON.parse(policy));
    await eventsRejects(
      suite.schemas.send(
        new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: policy, RevisionId: 'stale' }),
      ),
      'PreconditionFailedException',
    );
    await eventsRejects(
      suite.schemas.send(
        new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: '{"Statement": 5}' }),
      ),
      'BadRequestException',
      /Invalid policy/,
    );
    await suite.schemas.send(new DeleteResourcePolicyCommand({ RegistryName: 'shared' }));
    await eventsRejects(
      suite.schemas.send(new GetResourcePolicyCommand({ RegistryName: 'shared' })),
      'NotFoundException',
    );
  });

  it('infers a schema from sample events (GetDiscoveredSchema)', async () => {
    const event = JSON.stringify({
      version: '0',
      id: '1',
      'detail-type': 'userCreated',
      source: 'users',
      account: ACCOUNT,
      time: '2026-12-07T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { data: { id: 'u-1' } },
    });
    const open = await suite.schemas.send(
      new GetDiscoveredSchemaCommand({ Events: [event], Type: 'OpenApi3' }),
    );
    const doc = JSON.parse(open.Content ?? '');
    assert.equal(doc.info.title, 'UserCreated');
    assert.deepEqual(Object.keys(doc.components.schemas), ['AWSEvent', 'UserCreated', 'Data']);
    const draft4 = await suite.schemas.send(
      new GetDiscoveredSchemaCommand({ Events: [event], Type: 'JSONSchemaDraft4' }),
    );
    assert.equal(JSON.parse(draft4.Content ?? '').definitions.Data.required[0], 'id');
  });

  it("answers errors in the model's shape: x-amzn-ErrorType and a Code and Message body", async () => {
    const res = await rawRequest(suite.server.endpoint, {
      method: 'GET',
      path: '/v1/registries/name/absent',
      headers: { authorization: sigv4('schemas') },
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'NotFoundException');
    assert.deepEqual(JSON.parse(res.body), {
      Code: 'NotFoundException',
      Message: 'Registry with name absent does not exist.',
    });
    const unknown = await rawRequest(suite.server.endpoint, {
      method: 'GET',
      path: '/v1/nothing-here',
      headers: { authorization: sigv4('schemas') },
    });
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).Code, 'NotFoundException');
  });

  it('answers code-binding calls with an error saying Tideway does not generate code', async () => {
    const input = {
      RegistryName: 'aws.events',
      SchemaName: 'aws.ec2@EC2InstanceStateChangeNotification',
      Language: 'Java8',
    };
    for (const call of [
      suite.schemas.send(new DescribeCodeBindingCommand(input)),
      suite.schemas.send(new PutCodeBindingCommand(input)),
      suite.schemas.send(new GetCodeBindingSourceCommand(input)),
    ]) {
      await eventsRejects(call, 'BadRequestException', /Tideway does not support/);
    }
  });
});
