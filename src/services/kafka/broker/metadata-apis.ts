// ApiVersions, Metadata and DescribeCluster, and the registrations of the broker's admin APIs.
import type { KafkaTopicRecord } from '../../../storage/types.js';
import { ErrorCode } from './admin-errors.js';
import { brokerApis } from './apis.js';
import { configApis } from './config-apis.js';
import { autoCreateTopic, topicAdminApis } from './topic-admin.js';
import { invalidTopicReason, ZERO_UUID } from './topic-names.js';
import type { ApiRegistration, KafkaRequestContext } from './types.js';

/** A client software name or version as KIP-511 allows it. */
const CLIENT_SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

function apiKeys(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
  return [...brokerApis().values()]
    .sort((a, b) => a.apiKey - b.apiKey)
    .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }));
}

/** KIP-511: the v0 answer to an ApiVersions request of a version newer than the broker's. */
export function apiVersionsFallback(): Record<string, unknown> {
  return { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: apiKeys() };
}

function apiVersions(ctx: KafkaRequestContext, request: Record<string, any>): Record<string, unknown> {
  if (ctx.apiVersion >= 3) {
    const name = request.clientSoftwareName ?? '';
    const version = request.clientSoftwareVersion ?? '';
    if (!CLIENT_SOFTWARE.test(name) || !CLIENT_SOFTWARE.test(version)) {
      return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 };
    }
  }
  return {
    errorCode: ErrorCode.NONE,
    apiKeys: apiKeys(),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

/** Bits of Kafka's AclOperation codes a client may do with no authorizer: all of them. */
const TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((bits, op) => bits | (1 << op), 0);
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12, 13, 14].reduce((bits, op) => bits | (1 << op), 0);
const UNSET_OPERATIONS = -2147483648;

/**
 * Only node 1, which leads every partition, is listed: the other brokers of an MSK cluster would
 * share its address, and KafkaJS folds brokers that share its seed's address into the seed,
 * renumbering it, after which its Produce requests go out empty. Partitions still name their
 * replicas 1..replication factor, as the replication factor asked for.
 */
function brokers(
  ctx: KafkaRequestContext,
): Array<{ nodeId: number; host: string; port: number; rack: null }> {
  const { host, port } = ctx.connection.listener;
  return [{ nodeId: 1, host, port, rack: null }];
}

/** Node 1 leads; the other replicas are the next brokers, all in sync (one process holds them). */
export function replicaNodes(replicationFactor: number): number[] {
  return Array.from({ length: replicationFactor }, (_, i) => i + 1);
}

function topicMetadata(topic: KafkaTopicRecord, includeOperations: boolean): Record<string, unknown> {
  const replicas = replicaNodes(topic.replicationFactor);
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: false,
    partitions: Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: 1,
      leaderEpoch: 0,
      replicaNodes: replicas,
      isrNodes: replicas,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: includeOperations ? TOPIC_OPERATIONS : UNSET_OPERATIONS,
  };
}

function missingTopic(errorCode: number, name: string | null, topicId = ZERO_UUID): Record<string, unknown> {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: UNSET_OPERATIONS,
  };
}

async function metadata(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown>> {
  const { cluster, apiVersion } = ctx;
  const store = cluster.topics;
  const requested: Array<{ name: string | null; topicId?: string }> | null = request.topics;
  const allTopics = requested === null || (apiVersion === 0 && requested.length === 0);
  const includeOperations = apiVersion >= 8 && request.includeTopicAuthorizedOperations === true;
  const topics: Array<Record<string, unknown>> = [];
  if (allTopics) {
    for (const topic of store.listTopics(cluster.id)) topics.push(topicMetadata(topic, includeOperations));
  } else {
    const allowAutoCreate =
      (apiVersion < 4 || request.allowAutoTopicCreation !== false) &&
      cluster.config('auto.create.topics.enable') === 'true';
    const seen = new Set<string>();
    for (const wanted of requested) {
      const byId = wanted.topicId !== undefined && wanted.topicId !== ZERO_UUID;
      if (byId && apiVersion >= 10 && wanted.name === null) {
        const topic = store.topicById(cluster.id, wanted.topicId as string);
        topics.push(
          topic
            ? topicMetadata(topic, includeOperations)
            : missingTopic(ErrorCode.UNKNOWN_TOPIC_ID, null, wanted.topicId),
        );
        continue;
      }
      const name = wanted.name ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      const topic = store.getTopic(cluster.id, name);
      if (topic) {
        topics.push(topicMetadata(topic, includeOperations));
      } else if (invalidTopicReason(name)) {
        topics.push(missingTopic(ErrorCode.INVALID_TOPIC_EXCEPTION, name));
      } else if (allowAutoCreate) {
        // As Kafka's AutoTopicCreationManager: the topic is made now, and this answer says the
        // leader is not there yet, so the client asks again.
        const error = await autoCreateTopic(cluster, name);
        topics.push(missingTopic(error, name));
      } else {
        topics.push(missingTopic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name));
      }
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: brokers(ctx),
    clusterId: cluster.clusterId,
    controllerId: 1,
    topics,
    clusterAuthorizedOperations:
      apiVersion >= 8 && request.includeClusterAuthorizedOperations === true
        ? CLUSTER_OPERATIONS
        : UNSET_OPERATIONS,
  };
}

function describeCluster(ctx: KafkaRequestContext, request: Record<string, any>): Record<string, unknown> {
  const endpointType = ctx.apiVersion >= 1 ? request.endpointType : 1;
  // EndpointType 1 is brokers, 2 controllers: a broker's listener answers only for brokers.
  if (endpointType !== 1) {
    const known = endpointType === 2;
    return {
      errorCode:
        ctx.apiVersion === 0
          ? ErrorCode.INVALID_REQUEST
          : known
            ? ErrorCode.MISMATCHED_ENDPOINT_TYPE
            : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
      errorMessage: known
        ? 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'
        : `Unsupported endpoint type ${endpointType}`,
      endpointType,
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: 1,
    clusterId: ctx.cluster.clusterId,
    controllerId: 1,
    brokers: brokers(ctx).map(({ nodeId, host, port }) => ({ brokerId: nodeId, host, port, rack: null })),
    clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
      ? CLUSTER_OPERATIONS
      : UNSET_OPERATIONS,
  };
}

export const metadataApis: ApiRegistration[] = [
  { apiKey: 18, minVersion: 0, maxVersion: 4, beforeAuthentication: true, handle: apiVersions },
  { apiKey: 3, minVersion: 0, maxVersion: 12, handle: metadata },
  { apiKey: 60, minVersion: 0, maxVersion: 1, handle: describeCluster },
  ...topicAdminApis,
  ...configApis,
];
