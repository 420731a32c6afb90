import type { Origin } from '../model.js';
import type { TemplateResource } from './cfn-to-model.js';

/**
 * SAM connectors (AWS::Serverless::Connector, or a resource's embedded `Connectors`) that write
 * resource policies: EventBridge rule → queue or topic, and topic → queue. SAM writes the policy
 * named in samtranslator/model/connector_profiles/profiles.json under `<Connector>QueuePolicy` or
 * `<Connector>TopicPolicy` (with `Destination<i>` when Destination is a list). Connectors that
 * write identity policies (a function's role) change nothing the rules read about delivery.
 */

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Endpoint {
  type?: string;
  arn?: unknown;
  queueUrl?: unknown;
}

/** What a connector's Source or Destination designates: a resource by Id, or an ARN with its Type. */
function endpoint(reference: unknown, byId: Map<string, TemplateResource>): Endpoint {
  if (!isRecord(reference)) return {};
  if (typeof reference.Id === 'string') {
    const id = reference.Id;
    const type = byId.get(id)?.type;
    if (type === 'AWS::SQS::Queue')
      return { type, arn: { 'Fn::GetAtt': [id, 'Arn'] }, queueUrl: { Ref: id } };
    if (type === 'AWS::SNS::Topic') return { type, arn: { Ref: id } };
    return { type, arn: { 'Fn::GetAtt': [id, 'Arn'] } };
  }
  return {
    type: typeof reference.Type === 'string' ? reference.Type : undefined,
    arn: reference.Arn,
    queueUrl: reference.QueueUrl,
  };
}

const PRINCIPALS: Record<string, string> = {
  'AWS::Events::Rule': 'events.amazonaws.com',
  'AWS::SNS::Topic': 'sns.amazonaws.com',
};

/** The resources one connector creates. */
export function expandConnector(
  connector: TemplateResource,
  byId: Map<string, TemplateResource>,
): TemplateResource[] {
  const props = connector.properties;
  const permissions = Array.isArray(props.Permissions) ? props.Permissions : [];
  if (!permissions.includes('Write')) return [];
  const source = endpoint(props.Source, byId);
  const principal = source.type ? PRINCIPALS[source.type] : undefined;
  if (!principal) return [];
  const destinations = Array.isArray(props.Destination) ? props.Destination : [props.Destination];
  const multiple = Array.isArray(props.Destination);
  const out: TemplateResource[] = [];
  destinations.forEach((reference, index) => {
    const destination = endpoint(reference, byId);
    const suffix = multiple ? `Destination${index}` : '';
    const statement = (action: string) => ({
      Effect: 'Allow',
      Principal: { Service: principal },
      Resource: destination.arn,
      Action: action,
      Condition: { ArnEquals: { 'aws:SourceArn': source.arn } },
    });
    if (destination.type === 'AWS::SQS::Queue' && destination.queueUrl !== undefined) {
      out.push(
        policy(connector, `${connector.id}QueuePolicy${suffix}`, 'AWS::SQS::QueuePolicy', {
          Queues: [destination.queueUrl],
          PolicyDocument: { Version: '2012-10-17', Statement: [statement('sqs:SendMessage')] },
        }),
      );
    } else if (destination.type === 'AWS::SNS::Topic' && source.type === 'AWS::Events::Rule') {
      out.push(
        policy(connector, `${connector.id}TopicPolicy${suffix}`, 'AWS::SNS::TopicPolicy', {
          Topics: [destination.arn],
          PolicyDocument: { Version: '2012-10-17', Statement: [statement('sns:Publish')] },
        }),
      );
    }
  });
  return out;
}

function policy(connector: TemplateResource, id: string, type: string, properties: Raw): TemplateResource {
  const origin: Origin = connector.origin;
  const resource: TemplateResource = {
    id,
    type,
    properties,
    origin,
    generatedBy: connector.generatedBy ?? connector.id,
  };
  if (connector.metadata !== undefined) resource.metadata = connector.metadata;
  return resource;
}

/**
 * A resource's embedded `Connectors: { Name: { Properties: { Destination, Permissions } } }`
 * as the AWS::Serverless::Connector resources SAM reads them as: `<Resource><Name>`, with the
 * resource as Source. `lineOf` places each at its own line.
 */
export function embeddedConnectors(
  id: string,
  connectors: unknown,
  origin: Origin,
  lineOf: (path: string[]) => number | undefined,
): TemplateResource[] {
  if (!isRecord(connectors)) return [];
  return Object.entries(connectors).flatMap(([name, body]) => {
    if (!isRecord(body) || !isRecord(body.Properties)) return [];
    const line = lineOf(['Resources', id, 'Connectors', name]) ?? origin.line;
    return [
      {
        id: `${id}${name}`,
        type: 'AWS::Serverless::Connector',
        properties: { ...body.Properties, Source: { Id: id } },
        origin: line === undefined ? { file: origin.file } : { file: origin.file, line },
        generatedBy: id,
      },
    ];
  });
}
