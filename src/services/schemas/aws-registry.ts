import type { RegistryRecord, SchemaRecord } from './records.js';

/**
 * AWS's own registry, `aws.events`: the schemas of AWS services' events, in every account and
 * region, read-only. Tideway carries the one whose content is on record (the EC2 state-change
 * notification, as AWS's toolkits ship it); docs/schemas.md says so.
 */
export const AWS_EVENTS_REGISTRY = 'aws.events';

// AWS's registry belongs to no account: its ARNs leave the account out.
const arnOf = (region: string, resource: string) => `arn:aws:schemas:${region}::${resource}`;

// When the registry opened (re:Invent 2019); the schemas' dates are fixed, not the server's clock.
const PUBLISHED = Date.UTC(2019, 11, 1);

export function awsEventsRegistry(region: string): RegistryRecord {
  return {
    arn: arnOf(region, `registry/${AWS_EVENTS_REGISTRY}`),
    name: AWS_EVENTS_REGISTRY,
    account: '',
    region,
    description: 'Schemas for Amazon Web Services events',
    tags: {},
  };
}

const REGIONS = [
  'ap-south-1',
  'eu-west-3',
  'eu-north-1',
  'eu-west-2',
  'eu-west-1',
  'ap-northeast-2',
  'ap-northeast-1',
  'me-south-1',
  'sa-east-1',
  'ca-central-1',
  'ap-east-1',
  'cn-north-1',
  'us-gov-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-central-1',
  'us-east-1',
  'us-west-1',
  'cn-northwest-1',
  'us-west-2',
];

function awsEvent(source: string, detailType: string, title: string): object {
  return {
    type: 'object',
    required: ['detail-type', 'resources', 'id', 'source', 'time', 'detail', 'region', 'version', 'account'],
    'x-amazon-events-detail-type': detailType,
    'x-amazon-events-source': source,
    properties: {
      detail: { $ref: `#/components/schemas/${title}` },
      'detail-type': { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      id: { type: 'string' },
      source: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string', enum: REGIONS },
      version: { type: 'string' },
      account: { type: 'string' },
    },
  };
}

const EC2_STATE_CHANGE = JSON.stringify({
  openapi: '3.0.0',
  info: { version: '1.0.0', title: 'EC2InstanceStateChangeNotification' },
  paths: {},
  components: {
    schemas: {
      AWSEvent: awsEvent(
        'aws.ec2',
        'EC2 Instance State-change Notification',
        'EC2InstanceStateChangeNotification',
      ),
      EC2InstanceStateChangeNotification: {
        type: 'object',
        required: ['instance-id', 'state'],
        properties: { 'instance-id': { type: 'string' }, state: { type: 'string' } },
      },
    },
  },
});

const SCHEMAS: Array<{ name: string; description: string; content: string }> = [
  {
    name: 'aws.ec2@EC2InstanceStateChangeNotification',
    description: 'Schema for event type EC2InstanceStateChangeNotification, published by AWS service aws.ec2',
    content: EC2_STATE_CHANGE,
  },
];

export function awsEventsSchemas(region: string): SchemaRecord[] {
  return SCHEMAS.map((s) => ({
    arn: arnOf(region, `schema/${AWS_EVENTS_REGISTRY}/${s.name}`),
    name: s.name,
    registryName: AWS_EVENTS_REGISTRY,
    account: '',
    region,
    description: s.description,
    tags: {},
    versions: [{ version: '1', type: 'OpenApi3', content: s.content, createdAt: PUBLISHED }],
    lastVersion: 1,
    lastModified: PUBLISHED,
  }));
}

export function awsEventsSchema(region: string, name: string): SchemaRecord | undefined {
  return awsEventsSchemas(region).find((s) => s.name === name);
}
