import type { Origin } from '../model.js';
import type { TemplateResource } from './cfn-to-model.js';
import { UNKNOWN_KEY } from './intrinsics.js';
import { expandConnector } from './sam-connectors.js';
import { expandPolicyTemplate } from './sam-policy-templates.js';

/**
 * The part of the AWS SAM transform (AWS::Serverless-2016-10-31) that concerns messaging: it
 * produces the CloudFormation resources SAM creates for a function and its event sources, under
 * the logical ids SAM gives them (samtranslator/model/eventsources/*.py, eventbridge_utils.py,
 * sqs.py), so that findings name what a deployed stack holds. Each generated resource carries the
 * SAM function as `generatedBy` and the line of the event (or function) that made it.
 */

type Raw = Record<string, unknown>;

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** SAM resource types that create nothing the messaging rules read. */
const IGNORED_SAM_TYPES = new Set([
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
  'AWS::Serverless::SimpleTable',
  'AWS::Serverless::StateMachine',
  'AWS::Serverless::LayerVersion',
  'AWS::Serverless::Application',
  'AWS::Serverless::GraphQLApi',
  'AWS::Serverless::WebSocketApi',
  'AWS::Serverless::CapacityProvider',
]);

export function hasSamTransform(root: Raw): boolean {
  const transform = root.Transform;
  const names = Array.isArray(transform) ? transform : [transform];
  return names.some((name) => name === SAM_TRANSFORM || (isRecord(name) && name.Name === SAM_TRANSFORM));
}

export interface SamExpansion {
  resources: TemplateResource[];
  notes: string[];
}

/**
 * Expands a template's resources. `resources` are the template's own, in order; SAM functions
 * are replaced by what SAM makes of them, everything else passes through unchanged.
 */
export function expandSam(
  resources: TemplateResource[],
  globals: unknown,
  lineOf: (path: string[]) => number | undefined,
): SamExpansion {
  const functionGlobals = isRecord(globals) && isRecord(globals.Function) ? globals.Function : {};
  const out: TemplateResource[] = [];
  const notes: string[] = [];
  const byId = new Map(resources.map((resource) => [resource.id, resource]));
  for (const resource of resources) {
    if (resource.type === 'AWS::Serverless::Function') {
      const properties = mergeGlobals(functionGlobals, resource.properties) as Raw;
      out.push(...expandFunction({ ...resource, properties }, byId, lineOf, notes));
    } else if (resource.type === 'AWS::Serverless::Connector') {
      out.push(...expandConnector(resource, byId));
    } else if (IGNORED_SAM_TYPES.has(resource.type)) {
      // Nothing these create is read by the rules.
    } else out.push(resource);
  }
  return { resources: out, notes };
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/**
 * SAM's Globals rules: maps merge key by key, lists are concatenated (globals first), anything
 * else — intrinsics included — is taken from the resource when it sets it.
 */
export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (global === undefined) return local;
  if (isRecord(global) && isRecord(local) && !isIntrinsic(global) && !isIntrinsic(local)) {
    const merged: Raw = { ...global };
    for (const [key, value] of Object.entries(local)) merged[key] = mergeGlobals(global[key], value);
    return merged;
  }
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  return local;
}

const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
const ref = (id: string) => ({ Ref: id });
const managedPolicy = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${name}` });

/** The managed policy SAM adds to a function's role for each pull event source. */
const EVENT_MANAGED_POLICIES: Record<string, string> = {
  SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
  Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
  DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
  MSK: 'service-role/AWSLambdaMSKExecutionRole',
};

interface FunctionContext {
  fn: TemplateResource;
  props: Raw;
  out: TemplateResource[];
  roleId?: string;
  roleManaged: unknown[];
  roleInline: Raw[];
  byId: Map<string, TemplateResource>;
  notes: string[];
}

function expandFunction(
  fn: TemplateResource,
  byId: Map<string, TemplateResource>,
  lineOf: (path: string[]) => number | undefined,
  notes: string[],
): TemplateResource[] {
  const props = fn.properties;
  const ctx: FunctionContext = {
    fn,
    props,
    out: [],
    roleManaged: [managedPolicy('service-role/AWSLambdaBasicExecutionRole')],
    roleInline: [],
    byId,
    notes,
  };
  if (props.Role === undefined) ctx.roleId = `${fn.id}Role`;

  const lambda: Raw = { Role: props.Role ?? getAtt(`${fn.id}Role`, 'Arn') };
  for (const key of ['FunctionName', 'Timeout', 'Environment', 'MemorySize', 'Runtime', 'Handler']) {
    if (props[key] !== undefined) lambda[key] = props[key];
  }
  const dlq = props.DeadLetterQueue;
  if (isRecord(dlq) && dlq.TargetArn !== undefined) {
    // An asynchronous invocation's DLQ: Lambda writes to it with the function's role.
    lambda.DeadLetterConfig = { TargetArn: dlq.TargetArn };
    const action = dlq.Type === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage';
    ctx.roleInline.push(
      inlinePolicy(`${fn.id}RoleDeadLetterQueuePolicy`, [statement(action, dlq.TargetArn)]),
    );
  }
  ctx.out.push({ ...fn, type: 'AWS::Lambda::Function', properties: lambda });

  rolePolicies(ctx);

  const events = isRecord(props.Events) ? props.Events : {};
  for (const [eventId, event] of Object.entries(events)) {
    if (!isRecord(event)) continue;
    const line = lineOf(['Resources', fn.id, 'Properties', 'Events', eventId]) ?? fn.origin.line;
    const origin: Origin = line === undefined ? { file: fn.origin.file } : { file: fn.origin.file, line };
    const eventProps = isRecord(event.Properties) ? event.Properties : {};
    const type = String(event.Type);
    const expand = EVENTS[type];
    if (expand) expand({ ctx, id: `${fn.id}${eventId}`, props: eventProps, origin, type });
    if (EVENT_MANAGED_POLICIES[type]) ctx.roleManaged.push(managedPolicy(EVENT_MANAGED_POLICIES[type]));
  }

  if (ctx.roleId) {
    const role: Raw = {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
        ],
      },
      ManagedPolicyArns: ctx.roleManaged,
    };
    if (ctx.roleInline.length > 0) role.Policies = ctx.roleInline;
    ctx.out.push(generated(ctx, ctx.roleId, 'AWS::IAM::Role', role, fn.origin));
  }
  return ctx.out;
}

function generated(
  ctx: FunctionContext,
  id: string,
  type: string,
  properties: Raw,
  origin: Origin,
): TemplateResource {
  const resource: TemplateResource = { id, type, properties, origin, generatedBy: ctx.fn.id };
  if (ctx.fn.metadata !== undefined) resource.metadata = ctx.fn.metadata;
  return resource;
}

/**
 * The queue policy SAM writes for the queue of an event: `principal` may send to the
 * queue when the message comes from `sourceArn`.
 */
function sendPolicy(
  ctx: FunctionContext,
  id: string,
  origin: Origin,
  principal: unknown,
  queue: { arn: unknown; url: unknown },
  sourceArn: unknown,
): TemplateResource {
  const document = {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Principal: principal,
        Resource: queue.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
      },
    ],
  };
  return generated(
    ctx,
    id,
    'AWS::SQS::QueuePolicy',
    { PolicyDocument: document, Queues: [queue.url] },
    origin,
  );
}

function statement(action: string | string[], resource: unknown): Raw {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

function inlinePolicy(name: string, statements: Raw[]): Raw {
  return { PolicyName: name, PolicyDocument: { Version: '2012-10-17', Statement: statements } };
}

/** SAM `Policies`: managed policy names or ARNs, policy templates, or inline documents. */
function rolePolicies(ctx: FunctionContext): void {
  const policies = ctx.props.Policies;
  const items = Array.isArray(policies) ? policies : policies === undefined ? [] : [policies];
  items.forEach((item, index) => {
    const name = `${ctx.fn.id}RolePolicy${index}`;
    if (typeof item === 'string') {
      ctx.roleManaged.push(item.startsWith('arn:') ? item : managedPolicy(item));
    } else if (isIntrinsic(item)) {
      ctx.roleManaged.push(item);
    } else if (isRecord(item) && item.Statement !== undefined) {
      ctx.roleInline.push({ PolicyName: name, PolicyDocument: item });
    } else if (isRecord(item)) {
      const [templateName, parameters] = Object.entries(item)[0] ?? ['(empty)', {}];
      const document = expandPolicyTemplate(templateName, parameters) ?? {
        [UNKNOWN_KEY]: `SAM policy template ${templateName}, which the reader does not expand`,
      };
      ctx.roleInline.push({ PolicyName: name, PolicyDocument: document });
    }
  });
}

interface EventInput {
  ctx: FunctionContext;
  /** The event's logical id: function id + event name, as SAM forms it. */
  id: string;
  props: Raw;
  origin: Origin;
  type: string;
}

const EVENTS: Record<string, (input: EventInput) => void> = {
  SQS: (input) => pullMapping(input, input.props.Queue),
  Kinesis: (input) => pullMapping(input, input.props.Stream),
  DynamoDB: (input) => pullMapping(input, input.props.Stream),
  MSK: (input) => pullMapping(input, input.props.Stream),
  MQ: (input) => pullMapping(input, input.props.Broker),
  SelfManagedKafka: (input) => pullMapping(input, undefined),
  SNS: snsEvent,
  EventBridgeRule: ruleEvent,
  CloudWatchEvent: ruleEvent,
  Schedule: ruleEvent,
  ScheduleV2: scheduleV2Event,
  S3: s3Event,
};

function pullMapping({ ctx, id, props, origin }: EventInput, source: unknown): void {
  const mapping: Raw = { FunctionName: ref(ctx.fn.id) };
  if (source !== undefined) mapping.EventSourceArn = source;
  for (const key of [
    'BatchSize',
    'Enabled',
    'StartingPosition',
    'SourceAccessConfigurations',
    'Topics',
    'Queues',
    // SAM's OnFailure adds a Type beside Destination; the mapping keeps the Destination.
    'DestinationConfig',
  ]) {
    if (props[key] !== undefined) mapping[key] = props[key];
  }
  if (props.KafkaBootstrapServers !== undefined) {
    mapping.SelfManagedEventSource = { Endpoints: { KafkaBootstrapServers: props.KafkaBootstrapServers } };
  }
  ctx.out.push(generated(ctx, id, 'AWS::Lambda::EventSourceMapping', mapping, origin));
}

function snsEvent({ ctx, id, props, origin }: EventInput): void {
  const subscription = (protocol: string, endpoint: unknown): Raw => {
    const result: Raw = { Protocol: protocol, Endpoint: endpoint, TopicArn: props.Topic };
    if (props.RedrivePolicy !== undefined) result.RedrivePolicy = props.RedrivePolicy;
    if (props.Region !== undefined) result.Region = props.Region;
    return result;
  };
  const sqs = props.SqsSubscription;
  if (!sqs) {
    ctx.out.push(
      generated(ctx, id, 'AWS::SNS::Subscription', subscription('lambda', getAtt(ctx.fn.id, 'Arn')), origin),
    );
    return;
  }
  let queueArn: unknown;
  let queueUrl: unknown;
  let policyId = `${id}QueuePolicy`;
  let batchSize: unknown;
  let enabled: unknown = true;
  if (isRecord(sqs)) {
    queueArn = sqs.QueueArn;
    queueUrl = sqs.QueueUrl;
    if (typeof sqs.QueuePolicyLogicalId === 'string') policyId = sqs.QueuePolicyLogicalId;
    batchSize = sqs.BatchSize;
    if (sqs.Enabled !== undefined) enabled = sqs.Enabled;
  } else {
    const queueId = `${id}Queue`;
    queueArn = getAtt(queueId, 'Arn');
    queueUrl = ref(queueId);
    const queue: Raw = {};
    if (snsTopicIsFifo(ctx, props.Topic)) queue.FifoQueue = true;
    ctx.out.push(generated(ctx, queueId, 'AWS::SQS::Queue', queue, origin));
  }
  // SAM's policy for this queue names no service principal: any principal, scoped to the topic.
  ctx.out.push(sendPolicy(ctx, policyId, origin, '*', { arn: queueArn, url: queueUrl }, props.Topic));
  ctx.out.push(generated(ctx, id, 'AWS::SNS::Subscription', subscription('sqs', queueArn), origin));
  ctx.out.push(
    generated(
      ctx,
      `${id}EventSourceMapping`,
      'AWS::Lambda::EventSourceMapping',
      {
        FunctionName: ref(ctx.fn.id),
        EventSourceArn: queueArn,
        BatchSize: batchSize ?? 10,
        Enabled: enabled,
      },
      origin,
    ),
  );
  ctx.roleManaged.push(managedPolicy(EVENT_MANAGED_POLICIES.SQS));
}

function snsTopicIsFifo(ctx: FunctionContext, topic: unknown): boolean {
  const id = isRecord(topic) && typeof topic.Ref === 'string' ? topic.Ref : undefined;
  const declared = id ? ctx.byId.get(id) : undefined;
  const fifo = declared?.properties.FifoTopic;
  return fifo === true || fifo === 'true';
}

/**
 * EventBridgeRule, CloudWatchEvent and Schedule: a rule with the function as its target. A
 * DeadLetterConfig `Arn` is used as given (SAM adds no queue policy then); `Type: SQS` makes SAM
 * create the queue and a policy letting events.amazonaws.com send to it from this rule.
 */
function ruleEvent({ ctx, id, props, origin, type }: EventInput): void {
  const rule: Raw = {};
  if (type === 'Schedule') rule.ScheduleExpression = props.Schedule;
  else {
    if (props.Pattern !== undefined) rule.EventPattern = props.Pattern;
    if (props.EventBusName !== undefined) rule.EventBusName = props.EventBusName;
  }
  const name = type === 'Schedule' ? props.Name : props.RuleName;
  if (name !== undefined) rule.Name = name;
  const explicitTarget = isRecord(props.Target) ? props.Target : {};
  const target: Raw = {
    Arn: getAtt(ctx.fn.id, 'Arn'),
    Id: explicitTarget.Id ?? validTargetId(`${id}LambdaTarget`),
  };
  const dlq = deadLetterQueue(ctx, id, props.DeadLetterConfig, origin, getAtt(id, 'Arn'), true);
  if (dlq !== undefined) target.DeadLetterConfig = { Arn: dlq };
  if (props.RetryPolicy !== undefined) target.RetryPolicy = props.RetryPolicy;
  rule.Targets = [target];
  ctx.out.push(generated(ctx, id, 'AWS::Events::Rule', rule, origin));
}

/** SAM keeps target ids within EventBridge's 64 characters of `[\w.-]`. */
function validTargetId(id: string): string {
  return id.replace(/[^\w.-]/g, '').slice(0, 64);
}

function deadLetterQueue(
  ctx: FunctionContext,
  eventId: string,
  config: unknown,
  origin: Origin,
  sourceArn: unknown,
  withPolicy: boolean,
): unknown {
  if (!isRecord(config)) return undefined;
  if (config.Arn !== undefined) return config.Arn;
  if (config.Type === undefined) return undefined;
  const queueId = typeof config.QueueLogicalId === 'string' ? config.QueueLogicalId : `${eventId}Queue`;
  ctx.out.push(generated(ctx, queueId, 'AWS::SQS::Queue', {}, origin));
  if (withPolicy) {
    const queue = { arn: getAtt(queueId, 'Arn'), url: ref(queueId) };
    const principal = { Service: 'events.amazonaws.com' };
    ctx.out.push(sendPolicy(ctx, `${eventId}QueuePolicy`, origin, principal, queue, sourceArn));
  }
  return getAtt(queueId, 'Arn');
}

/**
 * ScheduleV2: an EventBridge Scheduler schedule. The scheduler invokes the function and writes to
 * its DLQ with an execution role (SAM makes `<Function><Event>Role` unless RoleArn is given, with
 * sqs:SendMessage on the DLQ), and SAM adds no queue policy.
 */
function scheduleV2Event({ ctx, id, props, origin }: EventInput): void {
  const dlq = deadLetterQueue(ctx, id, props.DeadLetterConfig, origin, undefined, false);
  const roleId = `${id}Role`;
  const target: Raw = {
    Arn: getAtt(ctx.fn.id, 'Arn'),
    RoleArn: props.RoleArn ?? getAtt(roleId, 'Arn'),
  };
  if (dlq !== undefined) target.DeadLetterConfig = { Arn: dlq };
  const schedule: Raw = { ScheduleExpression: props.ScheduleExpression, Target: target };
  if (props.OmitName !== true) schedule.Name = props.Name ?? id;
  ctx.out.push(generated(ctx, id, 'AWS::Scheduler::Schedule', schedule, origin));
  if (props.RoleArn !== undefined) return;
  const statements = [statement('lambda:InvokeFunction', getAtt(ctx.fn.id, 'Arn'))];
  if (dlq !== undefined) statements.push(statement('sqs:SendMessage', dlq));
  ctx.out.push(
    generated(
      ctx,
      roleId,
      'AWS::IAM::Role',
      {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: ['scheduler.amazonaws.com'] },
              Action: ['sts:AssumeRole'],
            },
          ],
        },
        Policies: [inlinePolicy(`${id}Policy`, statements)],
      },
      origin,
    ),
  );
}

/** An S3 event adds a Lambda notification to the bucket, which SAM requires in the template. */
function s3Event({ ctx, props }: EventInput): void {
  const bucketId =
    isRecord(props.Bucket) && typeof props.Bucket.Ref === 'string' ? props.Bucket.Ref : undefined;
  const bucket = bucketId ? ctx.byId.get(bucketId) : undefined;
  if (!bucket) {
    ctx.notes.push(`${ctx.fn.id}: its S3 event names a bucket that is not in the template`);
    return;
  }
  const configuration = isRecord(bucket.properties.NotificationConfiguration)
    ? bucket.properties.NotificationConfiguration
    : {};
  const lambdaConfigurations = Array.isArray(configuration.LambdaConfigurations)
    ? configuration.LambdaConfigurations
    : [];
  const events = Array.isArray(props.Events) ? props.Events : [props.Events];
  for (const event of events) lambdaConfigurations.push({ Event: event, Function: getAtt(ctx.fn.id, 'Arn') });
  bucket.properties = {
    ...bucket.properties,
    NotificationConfiguration: { ...configuration, LambdaConfigurations: lambdaConfigurations },
  };
}
