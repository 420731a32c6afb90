import type {
  DeliveryStream,
  EventSourceMapping,
  LambdaFunction,
  MqBroker,
  Pipe,
  Secret,
  SourceAccess,
  Stream,
  Sym,
} from '../model.js';
import type { PlanResource } from './terraform-plan.js';
import type { PlanModel } from './terraform-resources.js';

/** Functions and what feeds them, Pipes, secrets, streams, Firehose, Amazon MQ and MSK. */
export function mapIntegrations(reader: PlanModel): void {
  const { plan, model } = reader;
  for (const resource of plan.ofType('aws_lambda_function')) model.functions.push(lambda(reader, resource));
  for (const resource of plan.ofType('aws_lambda_event_source_mapping'))
    model.mappings.push(mapping(reader, resource));
  for (const resource of plan.ofType('aws_pipes_pipe')) model.pipes.push(pipe(reader, resource));
  for (const resource of plan.ofType('aws_secretsmanager_secret')) {
    const secret: Secret = reader.entity(resource, 'name');
    const kmsKey = reader.kmsKey(resource, 'kms_key_id');
    if (kmsKey !== undefined) secret.kmsKey = kmsKey;
    model.secrets.push(secret);
  }
  for (const resource of plan.ofType('aws_kinesis_stream')) {
    const stream: Stream = reader.entity(resource, 'name');
    const shards = reader.value(resource, 'shard_count');
    if (shards !== undefined) stream.shardCount = shards;
    const retention = reader.value(resource, 'retention_period');
    if (retention !== undefined) stream.retentionHours = retention;
    model.streams.push(stream);
  }
  for (const resource of plan.ofType('aws_kinesis_firehose_delivery_stream')) {
    model.deliveryStreams.push(deliveryStream(reader, resource));
  }
  for (const resource of plan.ofType('aws_mq_broker')) model.brokers.push(broker(reader, resource));
  for (const resource of plan.ofType('aws_msk_cluster')) {
    const scram = reader.value(resource, 'client_authentication', 0, 'sasl', 0, 'scram') === true;
    model.clusters.push({ ...reader.entity(resource, 'cluster_name'), scram, serverless: false });
  }
  for (const resource of plan.ofType('aws_msk_serverless_cluster')) {
    model.clusters.push({ ...reader.entity(resource, 'cluster_name'), scram: false, serverless: true });
  }
  for (const resource of plan.ofType('aws_msk_scram_secret_association')) {
    model.scramAssociations.push({
      ...reader.entity(resource),
      cluster: reader.value(resource, 'cluster_arn') ?? null,
      secrets: plan.listAt(resource, ['secret_arn_list']) ?? [],
    });
  }
  for (const resource of plan.ofType('aws_msk_single_scram_secret_association')) {
    model.scramAssociations.push({
      ...reader.entity(resource),
      cluster: reader.value(resource, 'cluster_arn') ?? null,
      secrets: [reader.value(resource, 'secret_arn') ?? null],
    });
  }
  // A mapping may name its function by name, which the model's lookup (ARN, id, URL) does not
  // match: the function's reference says the same and resolves.
  for (const mapping of model.mappings) {
    const fn =
      typeof mapping.function === 'string' ? reader.find(model.functions, mapping.function) : undefined;
    if (fn && fn.arn !== mapping.function) mapping.function = { $ref: fn.id, $attr: 'function_name' };
  }
  // Functions see their role's policies once every role has all of them.
  for (const fn of model.functions) {
    const owner = reader.find(model.roles, fn.roleArn);
    if (owner) fn.rolePolicies.push(...owner.policies);
  }
}

function lambda(reader: PlanModel, resource: PlanResource): LambdaFunction {
  const fn: LambdaFunction = {
    ...reader.entity(resource, 'function_name'),
    environment: {},
    rolePolicies: [],
  };
  const timeout = reader.value(resource, 'timeout');
  if (timeout !== undefined) fn.timeoutSeconds = timeout;
  const role = reader.value(resource, 'role');
  if (role !== undefined) fn.roleArn = role;
  const path = ['environment', 0, 'variables'];
  for (const name of reader.plan.keysAt(resource, path)) {
    fn.environment[name] = reader.value(resource, ...path, name) ?? null;
  }
  if (reader.plan.isUnknown(resource, path) && reader.plan.keysAt(resource, path).length === 0) {
    reader.note(resource, `the environment variables of ${resource.address} are known only after apply`);
  }
  return fn;
}

function mapping(reader: PlanModel, resource: PlanResource): EventSourceMapping {
  const selfManaged = reader.blocks(resource, 'self_managed_event_source') > 0;
  const mapping: EventSourceMapping = {
    ...reader.entity(resource),
    function: reader.value(resource, 'function_name') ?? null,
    selfManagedKafka: selfManaged,
    sourceAccess: [],
  };
  const source = reader.value(resource, 'event_source_arn');
  if (source !== undefined) mapping.source = source;
  if (selfManaged) {
    const servers = reader.value(
      resource,
      'self_managed_event_source',
      0,
      'endpoints',
      'KAFKA_BOOTSTRAP_SERVERS',
    );
    if (servers !== undefined) mapping.bootstrapServers = servers;
  }
  for (let i = 0; i < reader.blocks(resource, 'source_access_configuration'); i++) {
    const access: SourceAccess = {
      type: reader.value(resource, 'source_access_configuration', i, 'type') ?? null,
      uri: reader.value(resource, 'source_access_configuration', i, 'uri') ?? null,
    };
    mapping.sourceAccess.push(access);
  }
  const onFailure = reader.value(resource, 'destination_config', 0, 'on_failure', 0, 'destination_arn');
  if (onFailure !== undefined) mapping.onFailure = onFailure;
  return mapping;
}

function pipe(reader: PlanModel, resource: PlanResource): Pipe {
  const pipe: Pipe = {
    ...reader.entity(resource, 'name'),
    source: reader.value(resource, 'source') ?? null,
    target: reader.value(resource, 'target') ?? null,
    roleArn: reader.value(resource, 'role_arn') ?? null,
  };
  // Only stream sources (Kinesis, DynamoDB) have a dead-letter target in a pipe.
  for (const kind of ['kinesis_stream_parameters', 'dynamodb_stream_parameters']) {
    const dlq = reader.value(resource, 'source_parameters', 0, kind, 0, 'dead_letter_config', 0, 'arn');
    if (dlq !== undefined) pipe.dlq = dlq;
  }
  return pipe;
}

/** Every destination of a delivery stream can carry a processing configuration. */
const DESTINATIONS = [
  'extended_s3_configuration',
  'redshift_configuration',
  'elasticsearch_configuration',
  'opensearch_configuration',
  'opensearchserverless_configuration',
  'splunk_configuration',
  'http_endpoint_configuration',
  'snowflake_configuration',
  'iceberg_configuration',
];

function deliveryStream(reader: PlanModel, resource: PlanResource): DeliveryStream {
  const stream: DeliveryStream = {
    ...reader.entity(resource, 'name'),
    processors: [],
    processingEnabled: false,
  };
  const source = reader.value(resource, 'kinesis_source_configuration', 0, 'kinesis_stream_arn');
  if (source !== undefined) stream.source = source;
  for (const destination of DESTINATIONS) {
    if (reader.blocks(resource, destination) === 0) continue;
    const processing = [destination, 0, 'processing_configuration', 0];
    if (reader.blocks(resource, destination, 0, 'processing_configuration') === 0) continue;
    if (reader.value(resource, ...processing, 'enabled') === true) stream.processingEnabled = true;
    for (let i = 0; i < reader.blocks(resource, ...processing, 'processors'); i++) {
      const type = reader.value(resource, ...processing, 'processors', i, 'type');
      if (typeof type === 'string') stream.processors.push(type);
    }
  }
  return stream;
}

/**
 * Broker users. `user` is a set: the plan orders it by hash, the configuration by source, so each
 * planned user meets its configuration block by username. The password is judged from the
 * configuration: a constant is written in the code, a variable is the plan's parameter.
 */
function broker(reader: PlanModel, resource: PlanResource): MqBroker {
  const { plan } = reader;
  const broker: MqBroker = {
    ...reader.entity(resource, 'broker_name'),
    engine: reader.value(resource, 'engine_type') ?? null,
    users: [],
  };
  const configured = Array.isArray(resource.expressions?.user)
    ? (resource.expressions.user as unknown[])
    : [];
  const count = reader.blocks(resource, 'user');
  for (let i = 0; i < count; i++) {
    const username = reader.value(resource, 'user', i, 'username') ?? null;
    let block = configured.findIndex(
      (entry) => JSON.stringify(constantOf(entry, 'username')) === JSON.stringify(username),
    );
    if (block === -1 && configured.length === count) block = i;
    const expression = block === -1 ? undefined : plan.expression(resource, ['user', block, 'password']);
    let password: Sym;
    if (expression && 'constant_value' in expression) password = expression.constant_value as Sym;
    else if (expression?.references) {
      password = plan.resolve(expression, resource.scope, resource.key, true) ?? {
        $unknown: 'known only after apply',
      };
    } else password = reader.value(resource, 'user', i, 'password') ?? { $unknown: 'not shown in the plan' };
    broker.users.push({ username, password });
  }
  if (count === 0 && plan.isUnknown(resource, ['user'])) {
    reader.note(resource, `the users of ${resource.address} are known only after apply`);
  }
  return broker;
}

function constantOf(block: unknown, attribute: string): unknown {
  const expression =
    block && typeof block === 'object' ? (block as Record<string, unknown>)[attribute] : undefined;
  return expression && typeof expression === 'object'
    ? (expression as { constant_value?: unknown }).constant_value
    : undefined;
}
