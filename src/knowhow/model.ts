/**
 * The resources that the know-how rules read, whatever they come from: a CloudFormation or SAM
 * template, a cdk.out folder, a Terraform plan, or a running Tideway (doctor). Readers turn their
 * input into this model once; rules never look at the input format.
 *
 * Values that the reader cannot know are kept as symbols rather than guessed: a rule that meets
 * one makes no finding on it and says why through `RuleContext.explain`.
 */

/**
 * A value as the reader knows it.
 * - plain JSON for literals;
 * - `{ $ref, $attr? }` for a reference to another resource of the same model (CloudFormation
 *   `Ref`/`Fn::GetAtt`, a Terraform reference): `$ref` is that resource's `id`, `$attr` the
 *   attribute (`Arn`, `QueueUrl`, `Name`…; absent for a plain `Ref`);
 * - `{ $unknown, param?, noEcho? }` for what is only known at deploy time: a parameter, an
 *   import, a condition, a value "known after apply". `$unknown` is the reason, for --explain.
 * Strings keep pseudo parameters as `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}`
 * (from `Ref` or `Fn::Sub`), so an ARN built from them still shows its account part.
 */
export type Sym = null | boolean | number | string | Sym[] | SymRef | SymUnknown | SymObject;
export interface SymRef {
  $ref: string;
  $attr?: string;
}
export interface SymUnknown {
  $unknown: string;
  /** The template parameter the value comes from, when it does. */
  param?: string;
  /** That parameter is NoEcho. */
  noEcho?: boolean;
}
export interface SymObject {
  [key: string]: Sym;
}

/** Whether a value is an object (not a list) whose `key` holds a string: how `$ref` and `$unknown` are told apart. */
function hasString(value: Sym | undefined, key: '$ref' | '$unknown'): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)[key] === 'string'
  );
}

export function isRef(value: Sym | undefined): value is SymRef {
  return hasString(value, '$ref');
}

export function isUnknown(value: Sym | undefined): value is SymUnknown {
  return hasString(value, '$unknown');
}

export function isObject(value: Sym | undefined): value is SymObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isRef(value) && !isUnknown(value)
  );
}

/** Where a resource is declared. Plans and live resources have no line. */
export interface Origin {
  /** Path as given on the command line (template) or `tideway://<account>/<region>` (live). */
  file: string;
  /** 1-based line of the resource's declaration (its logical id), when known. */
  line?: number;
}

export interface Entity {
  /** Logical id (template), resource address (Terraform) or ARN (live). Unique in a model. */
  id: string;
  /** The declaring type: `AWS::SQS::Queue`, `aws_sqs_queue`, `AWS::Serverless::Function`… */
  type: string;
  /** The resource's ARN when the reader knows it (always for live resources). */
  arn?: string;
  /** Its physical name when set (QueueName, TopicName, Name…). */
  name?: Sym;
  origin: Origin;
  /** Rule ids suppressed on this resource (`Metadata: { tideway: { ignore: [...] } }`). */
  ignore: string[];
  /** Live resources only: their attributes as the service reports them, for read-only views. */
  attributes?: Record<string, string>;
  /**
   * For resources a SAM transform (or another generator) created: the id of the resource written
   * in the template, so findings point at what the author can edit.
   */
  generatedBy?: string;
}

/** A resource policy or identity policy document attached to a resource, and who attached it. */
export interface AttachedPolicy {
  /** The IAM policy document (Version/Statement…), as symbols. */
  document: Sym;
  /** The resource that carries it (QueuePolicy, TopicPolicy, the queue itself…). */
  from: string;
  origin: Origin;
  /** Rule ids suppressed in the Metadata of the resource that carries it, when that is not an entity. */
  ignore?: string[];
}

export interface Queue extends Entity {
  /** The queue URL when known (live, or a literal in a plan). */
  url?: string;
  fifo: boolean;
  /** `ReceiveMessageWaitTimeSeconds`; undefined when not set (AWS's default is 0). */
  receiveWaitTimeSeconds?: Sym;
  /** `VisibilityTimeout`; undefined when not set (AWS's default is 30). */
  visibilityTimeoutSeconds?: Sym;
  /** `MessageRetentionPeriod`; undefined when not set (default 345600). */
  retentionSeconds?: Sym;
  /** `KmsMasterKeyId`; undefined when not set. */
  kmsKey?: Sym;
  /** `SqsManagedSseEnabled` when set. */
  sqsManagedSse?: Sym;
  /** The dead-letter queue of its redrive policy (`deadLetterTargetArn`), when it has one. */
  redriveDlq?: Sym;
  policies: AttachedPolicy[];
  /** Set when a policy may be attached that the reader could not see (unknown queue list…). */
  policyUnknown?: string;
}

export interface Topic extends Entity {
  fifo: boolean;
  kmsKey?: Sym;
  policies: AttachedPolicy[];
  policyUnknown?: string;
}

export interface Bus extends Entity {
  kmsKey?: Sym;
  policies: AttachedPolicy[];
  policyUnknown?: string;
}

export interface RuleTarget {
  /** The target's Id within its rule. */
  targetId: Sym;
  arn: Sym;
  dlq?: Sym;
  roleArn?: Sym;
}

export interface EventRule extends Entity {
  /** The bus: `default` when not set; a name, an ARN or a reference. */
  bus: Sym;
  hasPattern: boolean;
  hasSchedule: boolean;
  targets: RuleTarget[];
}

export interface Subscription extends Entity {
  topic: Sym;
  protocol: Sym;
  endpoint: Sym;
  dlq?: Sym;
  roleArn?: Sym;
}

export type BucketDestinationKind = 'queue' | 'topic' | 'lambda' | 'eventbridge';

export interface Bucket extends Entity {
  notifications: { kind: BucketDestinationKind; target?: Sym }[];
}

export interface LambdaFunction extends Entity {
  /** `Timeout` in seconds; undefined when not set (AWS's default is 3). */
  timeoutSeconds?: Sym;
  environment: Record<string, Sym>;
  roleArn?: Sym;
  /** Identity policies of its role (and SAM `Policies`), when known. */
  rolePolicies: AttachedPolicy[];
  /**
   * `DeadLetterConfig.TargetArn` (SAM `DeadLetterQueue.TargetArn`): where Lambda sends failed
   * asynchronous invocations, so that queue is a dead-letter queue, not one that code polls.
   */
  dlq?: Sym;
}

export interface SourceAccess {
  /** `BASIC_AUTH`, `SASL_SCRAM_512_AUTH`, `VPC_SUBNET`, `CLIENT_CERTIFICATE_TLS_AUTH`… */
  type: Sym;
  uri: Sym;
}

export interface EventSourceMapping extends Entity {
  function: Sym;
  /** `EventSourceArn`; undefined for self-managed Kafka, which has `bootstrapServers`. */
  source?: Sym;
  /** Self-managed Apache Kafka (SelfManagedEventSource). */
  selfManagedKafka: boolean;
  bootstrapServers?: Sym;
  sourceAccess: SourceAccess[];
  /**
   * `DestinationConfig.OnFailure.Destination`: where a stream or Kafka mapping sends the records
   * of batches it gives up on, so that queue holds failures like a dead-letter queue.
   */
  onFailure?: Sym;
}

export interface Pipe extends Entity {
  source: Sym;
  target: Sym;
  dlq?: Sym;
  roleArn: Sym;
}

export interface Role extends Entity {
  trust: Sym;
  policies: AttachedPolicy[];
  policyUnknown?: string;
}

export interface KmsKey extends Entity {
  policy: Sym;
  /** Aliases that name it (`alias/…`). */
  aliases: string[];
}

export interface Secret extends Entity {
  kmsKey?: Sym;
}

export interface Stream extends Entity {
  shardCount?: Sym;
  retentionHours?: Sym;
}

export interface DeliveryStream extends Entity {
  /** Its source Kinesis stream, when it reads one. */
  source?: Sym;
  /** The processor types of its processing configuration, in order (`AppendDelimiterToRecord`…). */
  processors: string[];
  processingEnabled: boolean;
}

export interface MqBroker extends Entity {
  engine: Sym;
  users: { username: Sym; password: Sym }[];
}

export interface MskCluster extends Entity {
  /** SASL/SCRAM client authentication enabled. */
  scram: boolean;
  /** IAM client authentication enabled, when the reader knows (a mapping without a secret uses it). */
  iam?: boolean;
  serverless: boolean;
}

export interface ScramAssociation extends Entity {
  cluster: Sym;
  secrets: Sym[];
}

export interface Model {
  source: 'template' | 'live';
  queues: Queue[];
  topics: Topic[];
  buses: Bus[];
  rules: EventRule[];
  subscriptions: Subscription[];
  buckets: Bucket[];
  functions: LambdaFunction[];
  mappings: EventSourceMapping[];
  pipes: Pipe[];
  roles: Role[];
  keys: KmsKey[];
  secrets: Secret[];
  streams: Stream[];
  deliveryStreams: DeliveryStream[];
  brokers: MqBroker[];
  clusters: MskCluster[];
  scramAssociations: ScramAssociation[];
  /** What the reader could not resolve at all (a whole file, a resource), for --explain. */
  notes: ExplainNote[];
}

export interface ExplainNote {
  resource?: string;
  origin?: Origin;
  message: string;
}

export function emptyModel(source: Model['source']): Model {
  return {
    source,
    queues: [],
    topics: [],
    buses: [],
    rules: [],
    subscriptions: [],
    buckets: [],
    functions: [],
    mappings: [],
    pipes: [],
    roles: [],
    keys: [],
    secrets: [],
    streams: [],
    deliveryStreams: [],
    brokers: [],
    clusters: [],
    scramAssociations: [],
    notes: [],
  };
}

/** Every entity of a model, for lookups by id or ARN. */
export function entities(model: Model): Entity[] {
  return [
    ...model.queues,
    ...model.topics,
    ...model.buses,
    ...model.rules,
    ...model.subscriptions,
    ...model.buckets,
    ...model.functions,
    ...model.mappings,
    ...model.pipes,
    ...model.roles,
    ...model.keys,
    ...model.secrets,
    ...model.streams,
    ...model.deliveryStreams,
    ...model.brokers,
    ...model.clusters,
    ...model.scramAssociations,
  ];
}

/**
 * The entity a value designates: a reference by id, or a literal ARN (or queue URL, or name) that
 * matches an entity of the model. Undefined for unknowns and for anything outside the model.
 */
export function lookup(model: Model, value: Sym | undefined): Entity | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRef(value)) return entities(model).find((entity) => entity.id === value.$ref);
  if (typeof value !== 'string') return undefined;
  return entities(model).find(
    (entity) => entity.arn === value || entity.id === value || (entity as Queue).url === value,
  );
}
