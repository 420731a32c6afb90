import { ServiceError } from '../../src/protocols/errors.js';
import type { RestOperation, RestService } from '../../src/protocols/rest-dispatch.js';
import {
  integer,
  list,
  type Member,
  map,
  type Shape,
  type StructureShape,
  string,
  structure,
  type ValidationErrors,
} from '../../src/protocols/shapes.js';

/**
 * A few MSK (kafka 2018-11-14, restJson1) operations declared by hand with the binding facts of
 * botocore 1.43's kafka/2018-11-14/service-2.json: body members under their camelCase
 * `locationName`, query members, URI labels holding ARNs, a 204 response code, ISO 8601 body
 * timestamps. Only the members the tests exercise are declared.
 */

const json = (shape: Shape, key: string): Member => ({ shape, jsonName: key });
const timestampIso: Shape = { type: 'timestamp', timestampFormat: 'iso8601' };
const tags = map(string);

const vpcConfig = structure(
  { SubnetIds: json(list(string), 'subnetIds'), SecurityGroupIds: json(list(string), 'securityGroupIds') },
  ['SubnetIds'],
);
const serverless = structure({ VpcConfigs: json(list(vpcConfig), 'vpcConfigs') }, ['VpcConfigs']);
const brokerNodeGroupInfo = structure(
  { ClientSubnets: json(list(string), 'clientSubnets'), InstanceType: json(string, 'instanceType') },
  ['ClientSubnets', 'InstanceType'],
);
const provisionedRequest = structure(
  {
    BrokerNodeGroupInfo: json(brokerNodeGroupInfo, 'brokerNodeGroupInfo'),
    KafkaVersion: json(string, 'kafkaVersion'),
    NumberOfBrokerNodes: json(integer, 'numberOfBrokerNodes'),
  },
  ['BrokerNodeGroupInfo', 'KafkaVersion', 'NumberOfBrokerNodes'],
);

const cluster: StructureShape = structure({
  ClusterType: json(string, 'clusterType'),
  ClusterArn: json(string, 'clusterArn'),
  ClusterName: json(string, 'clusterName'),
  CreationTime: json(timestampIso, 'creationTime'),
  State: json(string, 'state'),
  Tags: json(tags, 'tags'),
  Serverless: json(serverless, 'serverless'),
});

export const kafkaShapes: Record<string, Omit<RestOperation, 'handle'>> = {
  CreateClusterV2: {
    http: { method: 'POST', requestUri: '/api/v2/clusters', responseCode: 200 },
    input: structure(
      {
        ClusterName: json(string, 'clusterName'),
        Tags: json(tags, 'tags'),
        Provisioned: json(provisionedRequest, 'provisioned'),
        Serverless: json(serverless, 'serverless'),
      },
      ['ClusterName'],
    ),
    output: structure({
      ClusterArn: json(string, 'clusterArn'),
      ClusterName: json(string, 'clusterName'),
      State: json(string, 'state'),
      ClusterType: json(string, 'clusterType'),
    }),
  },
  ListClustersV2: {
    http: { method: 'GET', requestUri: '/api/v2/clusters', responseCode: 200 },
    input: structure({
      ClusterNameFilter: { shape: string, location: 'querystring', locationName: 'clusterNameFilter' },
      ClusterTypeFilter: { shape: string, location: 'querystring', locationName: 'clusterTypeFilter' },
      MaxResults: { shape: integer, location: 'querystring', locationName: 'maxResults' },
      NextToken: { shape: string, location: 'querystring', locationName: 'nextToken' },
    }),
    output: structure({
      ClusterInfoList: json(list(cluster), 'clusterInfoList'),
      NextToken: json(string, 'nextToken'),
    }),
  },
  DescribeClusterV2: {
    http: { method: 'GET', requestUri: '/api/v2/clusters/{clusterArn}', responseCode: 200 },
    input: structure({ ClusterArn: { shape: string, location: 'uri', locationName: 'clusterArn' } }, [
      'ClusterArn',
    ]),
    output: structure({ ClusterInfo: json(cluster, 'clusterInfo') }),
  },
  UntagResource: {
    http: { method: 'DELETE', requestUri: '/v1/tags/{resourceArn}', responseCode: 204 },
    input: structure(
      {
        ResourceArn: { shape: string, location: 'uri', locationName: 'resourceArn' },
        TagKeys: { shape: list(string), location: 'querystring', locationName: 'tagKeys' },
      },
      ['TagKeys', 'ResourceArn'],
    ),
  },
  TagResource: {
    http: { method: 'POST', requestUri: '/v1/tags/{resourceArn}', responseCode: 204 },
    input: structure(
      {
        ResourceArn: { shape: string, location: 'uri', locationName: 'resourceArn' },
        Tags: json(tags, 'tags'),
      },
      ['ResourceArn', 'Tags'],
    ),
  },
  ListTagsForResource: {
    http: { method: 'GET', requestUri: '/v1/tags/{resourceArn}', responseCode: 200 },
    input: structure({ ResourceArn: { shape: string, location: 'uri', locationName: 'resourceArn' } }, [
      'ResourceArn',
    ]),
    output: structure({ Tags: json(tags, 'tags') }),
  },
};

/** MSK answers bad input with BadRequestException, naming the parameter (its error shape's members). */
export const kafkaValidation: ValidationErrors = {
  missing: (path) => badRequest(`${path} is a required parameter.`),
  invalidType: (path) => badRequest(`${path} has an invalid type.`),
  malformed: () => badRequest('The request body is not valid JSON.'),
};

function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message);
}

export function kafkaService(handlers: Partial<Record<string, RestOperation['handle']>>): RestService {
  const operations: Record<string, RestOperation> = {};
  for (const [name, shape] of Object.entries(kafkaShapes)) {
    const handle = handlers[name];
    if (handle) operations[name] = { ...shape, handle };
  }
  return {
    name: 'kafka',
    protocol: 'rest-json',
    operations,
    validation: kafkaValidation,
    unknownOperation: (method, path) =>
      new ServiceError('UnknownOperationException', `No operation matches ${method} ${path}.`, {
        status: 404,
      }),
  };
}
