import {
  type AttachedPolicy,
  type Bus,
  type Entity,
  emptyModel,
  isObject,
  isRef,
  isUnknown,
  type Model,
  type Origin,
  type Queue,
  type Role,
  type SourceAccess,
  type Sym,
  type SymObject,
  type Topic,
} from '../model.js';
import { mentionedResources, resolve, type TemplateScope } from './intrinsics.js';

/** One resource of a template after the SAM transform, its properties still raw. */
export interface TemplateResource {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  metadata?: unknown;
  origin: Origin;
  /** The SAM resource (or other generator) it comes from. */
  generatedBy?: string;
}

/** A resource with its properties resolved, as the mappers below read it. */
interface Resolved {
  resource: TemplateResource;
  props: SymObject;
}

type Mapper = (item: Resolved, context: MappingContext) => void;

interface MappingContext {
  model: Model;
  scope: TemplateScope;
  /** Attachments (policies…) run once every resource exists. */
  later: (() => void)[];
}

/** Maps the CloudFormation resources of one template into the model the rules read. */
export function buildModel(resources: TemplateResource[], scope: TemplateScope): Model {
  const model = emptyModel('template');
  const context: MappingContext = { model, scope, later: [] };
  for (const resource of resources) {
    const mapper = MAPPERS[resource.type];
    if (!mapper) continue;
    const props = resolve(resource.properties ?? {}, scope);
    mapper({ resource, props: isObject(props) ? props : {} }, context);
  }
  for (const attach of context.later) attach();
  linkFunctionRoles(model);
  return model;
}

// ---- value helpers ----------------------------------------------------------------------------

/** Numbers and booleans that templates often write as strings (`"20"`, `"true"`). */
function scalar(value: Sym | undefined): Sym | undefined {
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (value === 'true' || value === 'false') return value === 'true';
  }
  return value;
}

function isTrue(value: Sym | undefined): boolean {
  return scalar(value) === true;
}

function field(value: Sym | undefined, key: string): Sym | undefined {
  return isObject(value) ? value[key] : undefined;
}

function list(value: Sym | undefined): Sym[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A JSON document written as a string (policies, redrive policies) read as the object. */
function jsonish(value: Sym | undefined): Sym | undefined {
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      return JSON.parse(value) as Sym;
    } catch {
      return value;
    }
  }
  return value;
}

function ignoreList(metadata: unknown): string[] {
  const tideway = (metadata as { tideway?: { ignore?: unknown } } | undefined)?.tideway;
  const ignore = tideway?.ignore;
  if (typeof ignore === 'string') return [ignore];
  return Array.isArray(ignore) ? ignore.filter((rule): rule is string => typeof rule === 'string') : [];
}

function entity(item: Resolved, nameKey?: string): Entity {
  const { resource, props } = item;
  const base: Entity = {
    id: resource.id,
    type: resource.type,
    origin: resource.origin,
    ignore: ignoreList(resource.metadata),
  };
  if (nameKey && props[nameKey] !== undefined) base.name = props[nameKey];
  if (resource.generatedBy) base.generatedBy = resource.generatedBy;
  return base;
}

function policy(document: Sym | undefined, item: Resolved): AttachedPolicy {
  const attached: AttachedPolicy = {
    document: jsonish(document) ?? null,
    from: item.resource.id,
    origin: item.resource.origin,
  };
  // A QueuePolicy or TopicPolicy is no entity of the model: its own Metadata travels with it.
  const ignore = ignoreList(item.resource.metadata);
  if (ignore.length > 0) attached.ignore = ignore;
  return attached;
}

function dlqOf(redrivePolicy: Sym | undefined): Sym | undefined {
  const parsed = jsonish(redrivePolicy);
  if (isUnknown(parsed)) return parsed;
  return field(parsed, 'deadLetterTargetArn');
}

function note(context: MappingContext, item: Resolved, message: string): void {
  context.model.notes.push({ resource: item.resource.id, origin: item.resource.origin, message });
}

/**
 * Attaches a policy to each resource a list names (`Queues`, `Topics`, `Roles`). An entry the
 * reader cannot resolve may still name some of the template's resources (through `Fn::If`…):
 * those are marked `policyUnknown`, so that no rule claims their policy is missing.
 */
function attachEach<T extends Entity & { policies: AttachedPolicy[]; policyUnknown?: string }>(
  context: MappingContext,
  item: Resolved,
  targets: T[],
  rawEntries: unknown,
  entries: Sym[],
  document: Sym | undefined,
  what: string,
): void {
  const attached = policy(document, item);
  entries.forEach((entry, index) => {
    const target = targets.find((candidate) => designates(candidate, entry));
    if (target) {
      target.policies.push(attached);
      // A document decided at deploy time may allow anything: no rule should call it missing.
      if (isUnknown(attached.document))
        target.policyUnknown = `${item.resource.id}: ${attached.document.$unknown}`;
      return;
    }
    const raw = Array.isArray(rawEntries) ? rawEntries[index] : rawEntries;
    const reason = isUnknown(entry) ? entry.$unknown : `${what} not declared in this template`;
    const maybe = [...mentionedResources(raw, context.scope)];
    for (const candidate of targets.filter((t) => maybe.includes(t.id))) {
      candidate.policyUnknown = `${item.resource.id} may attach a policy (${reason})`;
    }
    note(context, item, `${item.resource.id}: cannot tell which ${what} gets this policy (${reason})`);
  });
  if (isUnknown(jsonish(document))) {
    note(
      context,
      item,
      `${item.resource.id}: its policy document is unknown (${(document as { $unknown: string }).$unknown})`,
    );
  }
}

/** A reference to the resource itself (Ref or GetAtt Arn/QueueUrl/TopicArn…), or its literal name. */
function designates(target: Entity, entry: Sym): boolean {
  if (isRef(entry)) return entry.$ref === target.id;
  return typeof entry === 'string' && (entry === target.name || entry === target.arn);
}

// ---- mappers ----------------------------------------------------------------------------------

/**
 * A queue or topic policy resource: once every resource is mapped, its document is attached to
 * each queue or topic that `property` (a list or a single value) names.
 */
function policyOn(targets: 'queues' | 'topics', property: string, what: string): Mapper {
  return (item, context) => {
    context.later.push(() =>
      attachEach(
        context,
        item,
        context.model[targets],
        item.resource.properties[property],
        list(item.props[property]),
        item.props.PolicyDocument,
        what,
      ),
    );
  };
}

const MAPPERS: Record<string, Mapper> = {
  'AWS::SQS::Queue': (item, { model }) => {
    const { props } = item;
    const name = props.QueueName;
    const queue: Queue = {
      ...entity(item, 'QueueName'),
      fifo: isTrue(props.FifoQueue) || (typeof name === 'string' && name.endsWith('.fifo')),
      policies: [],
    };
    const optional: [keyof Queue, Sym | undefined][] = [
      ['receiveWaitTimeSeconds', scalar(props.ReceiveMessageWaitTimeSeconds)],
      ['visibilityTimeoutSeconds', scalar(props.VisibilityTimeout)],
      ['retentionSeconds', scalar(props.MessageRetentionPeriod)],
      ['kmsKey', props.KmsMasterKeyId],
      ['sqsManagedSse', scalar(props.SqsManagedSseEnabled)],
      ['redriveDlq', dlqOf(props.RedrivePolicy)],
    ];
    for (const [key, value] of optional)
      if (value !== undefined) (queue as unknown as SymObject)[key] = value;
    model.queues.push(queue);
  },
  'AWS::SQS::QueuePolicy': policyOn('queues', 'Queues', 'queue'),
  'AWS::SQS::QueueInlinePolicy': policyOn('queues', 'Queue', 'queue'),
  'AWS::SNS::Topic': (item, { model }) => {
    const { props } = item;
    const name = props.TopicName;
    const topic: Topic = {
      ...entity(item, 'TopicName'),
      fifo: isTrue(props.FifoTopic) || (typeof name === 'string' && name.endsWith('.fifo')),
      policies: [],
    };
    if (props.KmsMasterKeyId !== undefined) topic.kmsKey = props.KmsMasterKeyId;
    model.topics.push(topic);
    // Inline subscriptions: the topic is what the author edits, so findings point at it.
    list(props.Subscription).forEach((subscription, index) => {
      model.subscriptions.push({
        id: `${item.resource.id}.Subscription[${index}]`,
        type: 'AWS::SNS::Topic.Subscription',
        origin: item.resource.origin,
        ignore: topic.ignore,
        generatedBy: item.resource.generatedBy ?? item.resource.id,
        topic: { $ref: item.resource.id },
        protocol: field(subscription, 'Protocol') ?? null,
        endpoint: field(subscription, 'Endpoint') ?? null,
      });
    });
  },
  'AWS::SNS::TopicPolicy': policyOn('topics', 'Topics', 'topic'),
  'AWS::SNS::TopicInlinePolicy': policyOn('topics', 'TopicArn', 'topic'),
  'AWS::SNS::Subscription': (item, { model }) => {
    const { props } = item;
    const subscription: Model['subscriptions'][number] = {
      ...entity(item),
      topic: props.TopicArn ?? null,
      protocol: props.Protocol ?? null,
      endpoint: props.Endpoint ?? null,
    };
    const dlq = dlqOf(props.RedrivePolicy);
    if (dlq !== undefined) subscription.dlq = dlq;
    if (props.SubscriptionRoleArn !== undefined) subscription.roleArn = props.SubscriptionRoleArn;
    model.subscriptions.push(subscription);
  },
  'AWS::Events::EventBus': (item, { model }) => {
    const bus: Bus = { ...entity(item, 'Name'), policies: [] };
    if (item.props.KmsKeyIdentifier !== undefined) bus.kmsKey = item.props.KmsKeyIdentifier;
    if (item.props.Policy !== undefined) bus.policies.push(policy(item.props.Policy, item));
    model.buses.push(bus);
  },
  'AWS::Events::EventBusPolicy': (item, context) => {
    const { props } = item;
    const statement = props.Statement ?? legacyStatement(props);
    const document: Sym = { Version: '2012-10-17', Statement: [statement] };
    context.later.push(() => {
      const name = props.EventBusName ?? 'default';
      let buses = context.model.buses;
      if (name === 'default' && !buses.some((bus) => bus.name === 'default')) {
        // The default bus is never declared; the policy is what the author wrote about it.
        buses = [...buses, defaultBus(item, context.model)];
      }
      attachEach(context, item, buses, item.resource.properties.EventBusName, [name], document, 'event bus');
    });
  },
  'AWS::Events::Rule': (item, { model }) => {
    const { props } = item;
    model.rules.push({
      ...entity(item, 'Name'),
      bus: props.EventBusName ?? 'default',
      hasPattern: props.EventPattern !== undefined,
      hasSchedule: props.ScheduleExpression !== undefined,
      targets: list(props.Targets).map((target) => {
        const result: Model['rules'][number]['targets'][number] = {
          targetId: field(target, 'Id') ?? null,
          arn: field(target, 'Arn') ?? null,
        };
        const dlq = field(field(target, 'DeadLetterConfig'), 'Arn');
        if (dlq !== undefined) result.dlq = dlq;
        const role = field(target, 'RoleArn');
        if (role !== undefined) result.roleArn = role;
        return result;
      }),
    });
  },
  // EventBridge Scheduler delivers with its execution role (its DLQ too, no queue policy
  // involved), which is how a Pipe works: it is modelled as one so that the rules check the role.
  'AWS::Scheduler::Schedule': (item, { model }) => {
    const target = item.props.Target;
    const pipe: Model['pipes'][number] = {
      ...entity(item, 'Name'),
      source: item.props.ScheduleExpression ?? { $unknown: 'a schedule' },
      target: field(target, 'Arn') ?? null,
      roleArn: field(target, 'RoleArn') ?? null,
    };
    const dlq = field(field(target, 'DeadLetterConfig'), 'Arn');
    if (dlq !== undefined) pipe.dlq = dlq;
    model.pipes.push(pipe);
  },
  'AWS::S3::Bucket': (item, { model }) => {
    model.buckets.push({
      ...entity(item, 'BucketName'),
      notifications: notifications(item.props.NotificationConfiguration),
    });
  },
  // CDK writes bucket notifications through this custom resource rather than on the bucket.
  'Custom::S3BucketNotifications': (item, context) => {
    context.later.push(() => {
      const bucketName = item.props.BucketName;
      const bucket = context.model.buckets.find((candidate) => designates(candidate, bucketName ?? null));
      if (!bucket) {
        note(context, item, `${item.resource.id}: the bucket it configures is not in this template`);
        return;
      }
      bucket.notifications.push(...notifications(item.props.NotificationConfiguration, true));
    });
  },
  'AWS::Lambda::Function': (item, { model }) => {
    const { props } = item;
    const variables = field(props.Environment, 'Variables');
    const fn: Model['functions'][number] = {
      ...entity(item, 'FunctionName'),
      environment: isObject(variables) ? { ...variables } : {},
      rolePolicies: [],
    };
    if (props.Timeout !== undefined) fn.timeoutSeconds = scalar(props.Timeout);
    if (props.Role !== undefined) fn.roleArn = props.Role;
    const deadLetter = field(props.DeadLetterConfig, 'TargetArn');
    if (deadLetter !== undefined) fn.dlq = deadLetter;
    model.functions.push(fn);
  },
  'AWS::Lambda::EventSourceMapping': (item, { model }) => {
    const { props } = item;
    const selfManaged = props.SelfManagedEventSource;
    const mapping: Model['mappings'][number] = {
      ...entity(item),
      function: props.FunctionName ?? null,
      selfManagedKafka: selfManaged !== undefined,
      sourceAccess: list(props.SourceAccessConfigurations).map(
        (access): SourceAccess => ({
          type: field(access, 'Type') ?? null,
          uri: field(access, 'URI') ?? null,
        }),
      ),
    };
    if (props.EventSourceArn !== undefined) mapping.source = props.EventSourceArn;
    const servers = field(field(selfManaged, 'Endpoints'), 'KafkaBootstrapServers');
    if (servers !== undefined) mapping.bootstrapServers = servers;
    const onFailure = field(field(props.DestinationConfig, 'OnFailure'), 'Destination');
    if (onFailure !== undefined) mapping.onFailure = onFailure;
    model.mappings.push(mapping);
  },
  'AWS::Pipes::Pipe': (item, { model }) => {
    const { props } = item;
    const pipe: Model['pipes'][number] = {
      ...entity(item, 'Name'),
      source: props.Source ?? null,
      target: props.Target ?? null,
      roleArn: props.RoleArn ?? null,
    };
    const sourceParameters = props.SourceParameters;
    if (isObject(sourceParameters)) {
      for (const parameters of Object.values(sourceParameters)) {
        const dlq = field(field(parameters, 'DeadLetterConfig'), 'Arn');
        if (dlq !== undefined) pipe.dlq = dlq;
      }
    }
    model.pipes.push(pipe);
  },
  'AWS::IAM::Role': (item, context) => {
    const { props } = item;
    const role: Role = {
      ...entity(item, 'RoleName'),
      trust: props.AssumeRolePolicyDocument ?? null,
      policies: [],
    };
    for (const inline of list(props.Policies)) {
      const attached = policy(field(inline, 'PolicyDocument'), item);
      if (isUnknown(attached.document)) role.policyUnknown = attached.document.$unknown;
      role.policies.push(attached);
    }
    context.model.roles.push(role);
    context.later.push(() => {
      for (const arn of list(props.ManagedPolicyArns)) {
        if (isRef(arn) && context.scope.resources.has(arn.$ref)) continue; // attached by the ManagedPolicy itself
        if (typeof arn === 'string' && managedPolicyGrantsNoDelivery(arn)) continue;
        const what = typeof arn === 'string' ? arn : isUnknown(arn) ? arn.$unknown : 'a computed ARN';
        role.policyUnknown = `managed policy ${what}, whose statements the template does not show`;
      }
    });
  },
  'AWS::IAM::Policy': (item, context) => attachIdentityPolicy(item, context),
  'AWS::IAM::ManagedPolicy': (item, context) => attachIdentityPolicy(item, context),
  'AWS::KMS::Key': (item, { model }) => {
    model.keys.push({ ...entity(item), policy: item.props.KeyPolicy ?? null, aliases: [] });
  },
  'AWS::KMS::Alias': (item, context) => {
    context.later.push(() => {
      const target = item.props.TargetKeyId;
      const key = context.model.keys.find((candidate) => designates(candidate, target ?? null));
      if (key && typeof item.props.AliasName === 'string') key.aliases.push(item.props.AliasName);
    });
  },
  'AWS::SecretsManager::Secret': (item, { model }) => {
    const secret: Model['secrets'][number] = entity(item, 'Name');
    if (item.props.KmsKeyId !== undefined) secret.kmsKey = item.props.KmsKeyId;
    model.secrets.push(secret);
  },
  'AWS::Kinesis::Stream': (item, { model }) => {
    const stream: Model['streams'][number] = entity(item, 'Name');
    if (item.props.ShardCount !== undefined) stream.shardCount = scalar(item.props.ShardCount);
    if (item.props.RetentionPeriodHours !== undefined)
      stream.retentionHours = scalar(item.props.RetentionPeriodHours);
    model.streams.push(stream);
  },
  'AWS::KinesisFirehose::DeliveryStream': (item, { model }) => {
    const { props } = item;
    const processors: string[] = [];
    let enabled = false;
    for (const [key, destination] of Object.entries(props)) {
      if (!key.endsWith('DestinationConfiguration')) continue;
      const processing = field(destination, 'ProcessingConfiguration');
      if (processing === undefined) continue;
      if (isTrue(field(processing, 'Enabled'))) enabled = true;
      for (const processor of list(field(processing, 'Processors'))) {
        const type = field(processor, 'Type');
        if (typeof type === 'string') processors.push(type);
      }
    }
    const delivery: Model['deliveryStreams'][number] = {
      ...entity(item, 'DeliveryStreamName'),
      processors,
      processingEnabled: enabled,
    };
    const source = field(props.KinesisStreamSourceConfiguration, 'KinesisStreamARN');
    if (source !== undefined) delivery.source = source;
    model.deliveryStreams.push(delivery);
  },
  'AWS::AmazonMQ::Broker': (item, { model }) => {
    model.brokers.push({
      ...entity(item, 'BrokerName'),
      engine: item.props.EngineType ?? null,
      users: list(item.props.Users).map((user) => ({
        username: field(user, 'Username') ?? null,
        password: field(user, 'Password') ?? null,
      })),
    });
  },
  'AWS::MSK::Cluster': (item, { model }) => {
    const sasl = field(item.props.ClientAuthentication, 'Sasl');
    const scram = field(field(sasl, 'Scram'), 'Enabled');
    const iam = field(field(sasl, 'Iam'), 'Enabled');
    model.clusters.push({
      ...entity(item, 'ClusterName'),
      scram: isTrue(scram),
      iam: isTrue(iam),
      serverless: false,
    });
  },
  'AWS::MSK::ServerlessCluster': (item, { model }) => {
    // Serverless clusters authenticate with IAM only.
    model.clusters.push({ ...entity(item, 'ClusterName'), scram: false, iam: true, serverless: true });
  },
  'AWS::MSK::BatchScramSecret': (item, { model }) => {
    model.scramAssociations.push({
      ...entity(item),
      cluster: item.props.ClusterArn ?? null,
      secrets: list(item.props.SecretArnList),
    });
  },
};

function legacyStatement(props: SymObject): Sym {
  const principal = props.Principal;
  const statement: SymObject = {
    Effect: 'Allow',
    Action: props.Action ?? 'events:PutEvents',
    Principal: principal === '*' ? '*' : { AWS: principal ?? null },
  };
  if (props.StatementId !== undefined) statement.Sid = props.StatementId;
  if (props.Condition !== undefined) statement.Condition = legacyCondition(props.Condition);
  return statement;
}

/** The legacy `Condition: { Type, Key, Value }` of EventBusPolicy, as an IAM condition block. */
function legacyCondition(condition: Sym): Sym {
  const type = field(condition, 'Type');
  const key = field(condition, 'Key');
  if (typeof type === 'string' && typeof key === 'string')
    return { [type]: { [key]: field(condition, 'Value') ?? null } };
  return condition;
}

function defaultBus(item: Resolved, model: Model): Bus {
  const bus: Bus = {
    id: 'default',
    type: 'AWS::Events::EventBus',
    name: 'default',
    origin: item.resource.origin,
    ignore: ignoreList(item.resource.metadata),
    generatedBy: item.resource.id,
    policies: [],
  };
  model.buses.push(bus);
  return bus;
}

/**
 * Bucket notifications in CloudFormation's shape (`Queue`, `Topic`, `Function`) or, as CDK's
 * custom resource passes them, in the S3 API's (`QueueArn`, `TopicArn`,
 * `LambdaFunctionConfigurations`/`LambdaFunctionArn`, an empty `EventBridgeConfiguration`).
 */
function notifications(
  configuration: Sym | undefined,
  apiShape = false,
): Model['buckets'][number]['notifications'] {
  const result: Model['buckets'][number]['notifications'] = [];
  const kinds: [string, string, 'queue' | 'topic' | 'lambda'][] = apiShape
    ? [
        ['QueueConfigurations', 'QueueArn', 'queue'],
        ['TopicConfigurations', 'TopicArn', 'topic'],
        ['LambdaFunctionConfigurations', 'LambdaFunctionArn', 'lambda'],
      ]
    : [
        ['QueueConfigurations', 'Queue', 'queue'],
        ['TopicConfigurations', 'Topic', 'topic'],
        ['LambdaConfigurations', 'Function', 'lambda'],
      ];
  for (const [listKey, targetKey, kind] of kinds) {
    for (const entry of list(field(configuration, listKey))) {
      const target = field(entry, targetKey);
      result.push(target === undefined ? { kind } : { kind, target });
    }
  }
  const eventBridge = field(configuration, 'EventBridgeConfiguration');
  if (apiShape ? eventBridge !== undefined : isTrue(field(eventBridge, 'EventBridgeEnabled'))) {
    result.push({ kind: 'eventbridge' });
  }
  return result;
}

/**
 * AWS managed policies that SAM and CDK attach to Lambda roles and that grant neither
 * `sqs:SendMessage` nor `sns:Publish`: they leave what a role may deliver to fully known.
 */
const MANAGED_POLICIES_WITHOUT_DELIVERY = [
  'AWSLambdaBasicExecutionRole',
  'AWSLambdaSQSQueueExecutionRole',
  'AWSLambdaKinesisExecutionRole',
  'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaMSKExecutionRole',
  'AWSLambdaVPCAccessExecutionRole',
  'AWSXrayWriteOnlyAccess',
  'AWSXRayDaemonWriteAccess',
  'CloudWatchLambdaInsightsExecutionRolePolicy',
];

function managedPolicyGrantsNoDelivery(arn: string): boolean {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return arn.includes(':iam::aws:policy/') && MANAGED_POLICIES_WITHOUT_DELIVERY.includes(name);
}

function attachIdentityPolicy(item: Resolved, context: MappingContext): void {
  context.later.push(() => {
    const roles = item.props.Roles;
    if (roles === undefined) return; // attached to users or groups only
    attachEach(
      context,
      item,
      context.model.roles,
      item.resource.properties.Roles,
      list(roles),
      item.props.PolicyDocument,
      'role',
    );
  });
}

/** A function's role policies are its role's, when the role is in the template. */
function linkFunctionRoles(model: Model): void {
  for (const fn of model.functions) {
    const role = fn.roleArn;
    if (!isRef(role)) continue;
    const found = model.roles.find((candidate) => candidate.id === role.$ref);
    if (found) fn.rolePolicies = found.policies;
  }
}
