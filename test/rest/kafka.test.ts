import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestException,
  CreateClusterV2Command,
  DescribeClusterV2Command,
  KafkaClient,
  ListClustersV2Command,
  ListTagsForResourceCommand,
  NotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kafka';
import { RestServiceError } from '../../src/protocols/rest-dispatch.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { kafkaService } from './kafka-shapes.js';
import { type RestTestServer, startRestServer } from './server.js';

/**
 * restJson1 through @aws-sdk/client-kafka's own serialiser and deserialiser: camelCase body
 * keys, nested structures, lists and maps, ISO 8601 body timestamps, query values and lists,
 * URI labels holding ARNs, a 204 answer, and errors by `x-amzn-ErrorType` with modeled members.
 */

const arn = 'arn:aws:kafka:us-east-1:000000000000:cluster/my cluster/1a2b3c4d-5e6f';
const created = new Date('2026-12-07T08:09:10.123Z');
const seen: Record<string, unknown> = {};
const tags = new Map<string, Record<string, string>>();

const service = kafkaService({
  CreateClusterV2(input: Record<string, unknown>) {
    seen.CreateClusterV2 = input;
    return { ClusterArn: arn, ClusterName: input.ClusterName, State: 'CREATING', ClusterType: 'SERVERLESS' };
  },
  ListClustersV2(input: Record<string, unknown>) {
    seen.ListClustersV2 = input;
    return {
      ClusterInfoList: [
        {
          ClusterArn: arn,
          ClusterName: 'my cluster',
          ClusterType: 'SERVERLESS',
          CreationTime: created,
          State: 'ACTIVE',
          Tags: { team: 'data' },
          Serverless: { VpcConfigs: [{ SubnetIds: ['subnet-1', 'subnet-2'] }] },
        },
      ],
      NextToken: 'next',
    };
  },
  DescribeClusterV2(input: Record<string, unknown>) {
    seen.DescribeClusterV2 = input;
    if (input.ClusterArn !== arn) {
      throw new RestServiceError(
        'NotFoundException',
        `The requested resource doesn't exist.`,
        { invalidParameter: 'clusterArn' },
        { status: 404 },
      );
    }
    return {
      ClusterInfo: { ClusterArn: arn, ClusterName: 'my cluster', CreationTime: created, State: 'ACTIVE' },
    };
  },
  TagResource(input: { ResourceArn: string; Tags: Record<string, string> }) {
    tags.set(input.ResourceArn, { ...tags.get(input.ResourceArn), ...input.Tags });
    return {};
  },
  UntagResource(input: { ResourceArn: string; TagKeys: string[] }) {
    seen.UntagResource = input;
    const current = { ...tags.get(input.ResourceArn) };
    for (const key of input.TagKeys) delete current[key];
    tags.set(input.ResourceArn, current);
    return {};
  },
  ListTagsForResource(input: { ResourceArn: string }) {
    return { Tags: tags.get(input.ResourceArn) ?? {} };
  },
});

let server: RestTestServer;
let kafka: KafkaClient;

before(async () => {
  server = await startRestServer(service);
  kafka = new KafkaClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

after(async () => {
  kafka.destroy();
  await server.close();
});

describe('restJson1 with @aws-sdk/client-kafka', () => {
  it('CreateClusterV2 maps camelCase body keys, nested structures, lists and maps onto the members', async () => {
    const out = await kafka.send(
      new CreateClusterV2Command({
        ClusterName: 'my cluster',
        Tags: { team: 'data', 'with space': 'v' },
        Serverless: { VpcConfigs: [{ SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] }] },
      }),
    );
    assert.deepEqual(seen.CreateClusterV2, {
      ClusterName: 'my cluster',
      Tags: { team: 'data', 'with space': 'v' },
      Serverless: { VpcConfigs: [{ SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] }] },
    });
    assert.equal(out.ClusterArn, arn);
    assert.equal(out.ClusterName, 'my cluster');
    assert.equal(out.State, 'CREATING');
    assert.equal(out.ClusterType, 'SERVERLESS');
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(out.$metadata.requestId?.startsWith('req-'));
  });

  it('ListClustersV2 reads query values (an integer among them) and answers ISO 8601 timestamps', async () => {
    const out = await kafka.send(
      new ListClustersV2Command({
        ClusterNameFilter: 'my & cluster',
        ClusterTypeFilter: 'SERVERLESS',
        MaxResults: 5,
        NextToken: 'a+b/=',
      }),
    );
    assert.deepEqual(seen.ListClustersV2, {
      ClusterNameFilter: 'my & cluster',
      ClusterTypeFilter: 'SERVERLESS',
      MaxResults: 5,
      NextToken: 'a+b/=',
    });
    const [cluster] = out.ClusterInfoList ?? [];
    assert.equal(cluster.ClusterArn, arn);
    assert.deepEqual(cluster.CreationTime, created);
    assert.deepEqual(cluster.Tags, { team: 'data' });
    assert.deepEqual(cluster.Serverless?.VpcConfigs?.[0].SubnetIds, ['subnet-1', 'subnet-2']);
    assert.equal(out.NextToken, 'next');
    const wire = server.requests.at(-1);
    assert.equal(wire?.method, 'GET');
    assert.match(wire?.url ?? '', /^\/api\/v2\/clusters\?/);
  });

  it('DescribeClusterV2 takes an ARN with colons, slashes and a space from its URI label', async () => {
    const out = await kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }));
    assert.deepEqual(seen.DescribeClusterV2, { ClusterArn: arn });
    assert.equal(out.ClusterInfo?.ClusterName, 'my cluster');
    assert.deepEqual(out.ClusterInfo?.CreationTime, created);
  });

  it('an error surfaces as the modeled exception with its message and members', async () => {
    const err = await kafka.send(new DescribeClusterV2Command({ ClusterArn: `${arn}-gone` })).then(
      () => assert.fail('found'),
      (e: NotFoundException) => e,
    );
    assert.ok(err instanceof NotFoundException);
    assert.equal(err.name, 'NotFoundException');
    assert.equal(err.message, `The requested resource doesn't exist.`);
    assert.equal(err.InvalidParameter, 'clusterArn');
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.ok(err.$metadata.requestId?.startsWith('req-'));
  });

  it('TagResource and UntagResource answer 204; a query list arrives whole', async () => {
    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2', c: '3' } }));
    await kafka.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'c & d'] }));
    assert.deepEqual(seen.UntagResource, { ResourceArn: arn, TagKeys: ['a', 'c & d'] });
    const wire = server.requests.at(-1);
    assert.equal(wire?.method, 'DELETE');
    const out = await kafka.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(out.Tags, { b: '2', c: '3' });
  });

  it('a required member left out is the service’s validation error, before the handler runs', async () => {
    const err = await kafka
      .send(
        new CreateClusterV2Command({
          ClusterName: 'x',
          Serverless: { VpcConfigs: [{} as { SubnetIds: string[] }] },
        }),
      )
      .then(
        () => assert.fail('accepted'),
        (e: BadRequestException) => e,
      );
    assert.ok(err instanceof BadRequestException);
    assert.equal(err.message, 'Serverless.VpcConfigs.1.SubnetIds is a required parameter.');
    assert.equal(err.$metadata.httpStatusCode, 400);
  });
});

describe('restJson1 on the wire', () => {
  const post = (path: string, body: string, method = 'POST') =>
    rawRequest(server.endpoint, {
      method,
      path,
      headers: { 'content-type': 'application/json', authorization: sigv4('kafka') },
      body,
    });

  it('a body member of the wrong JSON type is a validation error, not a crash', async () => {
    const res = await post('/api/v2/clusters', JSON.stringify({ clusterName: 7 }));
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'BadRequestException');
    assert.deepEqual(JSON.parse(res.body), { message: 'ClusterName has an invalid type.' });
  });

  it('a body that is not JSON is the service’s malformed-body error', async () => {
    const res = await post('/api/v2/clusters', '{"clusterName":');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'BadRequestException');
    assert.equal(JSON.parse(res.body).message, 'The request body is not valid JSON.');
  });

  it('a query integer that is not one is a validation error', async () => {
    const res = await post('/api/v2/clusters?maxResults=ten', '', 'GET');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).message, 'MaxResults has an invalid type.');
  });

  it('a path no template fits gets the service’s unknown-operation answer', async () => {
    const res = await post('/api/v3/nothing', '{}');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.ok(res.headers['x-amzn-requestid']);
  });

  it('a malformed percent-escape in a label is no route, not a crash', async () => {
    const res = await post('/api/v2/clusters/%E0%A4%A', '', 'GET');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
  });
});
