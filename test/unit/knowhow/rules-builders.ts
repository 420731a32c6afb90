import type {
  DeliveryStream,
  EventRule,
  EventSourceMapping,
  LambdaFunction,
  MqBroker,
  MskCluster,
  Pipe,
  RuleTarget,
  ScramAssociation,
  Secret,
  Subscription,
  Sym,
} from '../../../src/knowhow/model.js';
import { base, ref } from '../../support/knowhow-model.js';

/** Builders for the entities the queue, credential and MSK rules read, beyond test/support's. */

export function fn(id: string, fields: Partial<LambdaFunction> = {}): LambdaFunction {
  return { ...base(id, 'AWS::Lambda::Function'), environment: {}, rolePolicies: [], ...fields };
}

export function mapping(id: string, fields: Partial<EventSourceMapping> = {}): EventSourceMapping {
  return {
    ...base(id, 'AWS::Lambda::EventSourceMapping'),
    function: ref('Fn'),
    selfManagedKafka: false,
    sourceAccess: [],
    ...fields,
  };
}

/** An SQS mapping from `queueId` to `fnId`, the shape SAM's SQS event produces. */
export function sqsMapping(
  id: string,
  queueId: string,
  fnId: string,
  fields: Partial<EventSourceMapping> = {},
) {
  return mapping(id, { source: ref(queueId, 'Arn'), function: ref(fnId), ...fields });
}

export function pipe(id: string, fields: Partial<Pipe> = {}): Pipe {
  return {
    ...base(id, 'AWS::Pipes::Pipe'),
    source: null,
    target: null,
    roleArn: ref('PipeRole', 'Arn'),
    ...fields,
  };
}

export function subscription(id: string, fields: Partial<Subscription> = {}): Subscription {
  return {
    ...base(id, 'AWS::SNS::Subscription'),
    topic: ref('Topic'),
    protocol: 'sqs',
    endpoint: ref('Queue', 'Arn'),
    ...fields,
  };
}

export function target(targetId: string, arn: Sym, fields: Partial<RuleTarget> = {}): RuleTarget {
  return { targetId, arn, ...fields };
}

export function rule(id: string, targets: RuleTarget[], fields: Partial<EventRule> = {}): EventRule {
  return {
    ...base(id, 'AWS::Events::Rule'),
    bus: 'default',
    hasPattern: true,
    hasSchedule: false,
    targets,
    ...fields,
  };
}

export function deliveryStream(id: string, fields: Partial<DeliveryStream> = {}): DeliveryStream {
  return {
    ...base(id, 'AWS::KinesisFirehose::DeliveryStream'),
    processors: [],
    processingEnabled: false,
    ...fields,
  };
}

export function broker(id: string, users: MqBroker['users'], fields: Partial<MqBroker> = {}): MqBroker {
  return { ...base(id, 'AWS::AmazonMQ::Broker'), engine: 'ACTIVEMQ', users, ...fields };
}

export function cluster(id: string, fields: Partial<MskCluster> = {}): MskCluster {
  return { ...base(id, 'AWS::MSK::Cluster'), scram: false, serverless: false, ...fields };
}

export function secret(id: string, fields: Partial<Secret> = {}): Secret {
  return { ...base(id, 'AWS::SecretsManager::Secret'), ...fields };
}

export function association(id: string, clusterRef: Sym, secrets: Sym[]): ScramAssociation {
  return { ...base(id, 'AWS::MSK::BatchScramSecret'), cluster: clusterRef, secrets };
}
