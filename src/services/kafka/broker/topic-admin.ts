// CreateTopics, DeleteTopics and CreatePartitions, with the controller's checks and texts
// (Kafka's ReplicationControlManager), and Metadata's auto-creation.
import type { KafkaTopicRecord } from '../../../storage/types.js';
import { type ApiError, apiError, ErrorCode } from './admin-errors.js';
import { describeTopicConfigs } from './config-apis.js';
import { validateTopicConfig } from './configs.js';
import { collisionKey, invalidTopicReason, newKafkaUuid, ZERO_UUID } from './topic-names.js';
import type { ApiRegistration, ClusterRuntime, KafkaRequestContext } from './types.js';

/** More partitions than this in one topic would only exhaust memory: refused, as docs/kafka/configs.md says. */
export const MAX_PARTITIONS = 100_000;

/** Creations under way, so that two requests for one name do not both create it. */
const creating = new Set<string>();

interface TopicRequest {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: Array<{ partitionIndex: number; brokerIds: number[] }>;
  configs: Array<{ name: string; value: string | null }>;
}

function intConfig(cluster: ClusterRuntime, name: string, fallback: number): number {
  const value = Number(cluster.config(name));
  return Number.isInteger(value) ? value : fallback;
}

/** The broker ids of a manual assignment, checked as Kafka checks them; answers the error if any. */
function checkReplicas(cluster: ClusterRuntime, brokerIds: number[]): ApiError | undefined {
  if (brokerIds.length === 0) {
    return apiError(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      'The manual partition assignment includes an empty replica list.',
    );
  }
  const seen = new Set<number>();
  for (const id of brokerIds) {
    if (seen.has(id)) {
      return apiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `The manual partition assignment includes the broker ${id} more than once.`,
      );
    }
    seen.add(id);
    if (id < 1 || id > cluster.brokerNodes) {
      return apiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `The manual partition assignment includes broker ${id}, but no such broker is registered.`,
      );
    }
  }
  return undefined;
}

function placement(
  cluster: ClusterRuntime,
  topic: TopicRequest,
): { partitions: number; replicationFactor: number } | ApiError {
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return apiError(
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      );
    }
    const sorted = [...topic.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    let replicationFactor = -1;
    for (let i = 0; i < sorted.length; i++) {
      if (sorted[i].partitionIndex !== i) {
        return apiError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          'partitions should be a consecutive 0-based integer sequence',
        );
      }
      const error = checkReplicas(cluster, sorted[i].brokerIds);
      if (error) return error;
      const count = sorted[i].brokerIds.length;
      if (replicationFactor !== -1 && count !== replicationFactor) {
        return apiError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `The manual partition assignment includes a partition with ${count} replica(s), but this is not consistent with previous partitions, which have ${replicationFactor} replica(s).`,
        );
      }
      replicationFactor = count;
    }
    if (sorted.length > MAX_PARTITIONS) return tooManyPartitions();
    return { partitions: sorted.length, replicationFactor };
  }
  if (topic.replicationFactor < -1 || topic.replicationFactor === 0) {
    return apiError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0, or -1 to use the default value.',
    );
  }
  if (topic.numPartitions < -1 || topic.numPartitions === 0) {
    return apiError(
      ErrorCode.INVALID_PARTITIONS,
      'Number of partitions was set to an invalid non-positive value.',
    );
  }
  const partitions =
    topic.numPartitions === -1 ? intConfig(cluster, 'num.partitions', 1) : topic.numPartitions;
  const replicationFactor =
    topic.replicationFactor === -1
      ? intConfig(cluster, 'default.replication.factor', 1)
      : topic.replicationFactor;
  if (replicationFactor > cluster.brokerNodes) {
    return apiError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${cluster.brokerNodes} broker(s) are registered.`,
    );
  }
  if (partitions > MAX_PARTITIONS) return tooManyPartitions();
  return { partitions, replicationFactor };
}

function tooManyPartitions(): ApiError {
  return apiError(
    ErrorCode.INVALID_PARTITIONS,
    `Tideway serves at most ${MAX_PARTITIONS} partitions per topic.`,
  );
}

function checkName(cluster: ClusterRuntime, name: string): ApiError | undefined {
  const reason = invalidTopicReason(name);
  if (reason) return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, reason);
  if (cluster.topics.getTopic(cluster.id, name) || creating.has(`${cluster.id}\n${name}`)) {
    return apiError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
  }
  if (name.includes('.') || name.includes('_')) {
    const key = collisionKey(name);
    const other = cluster.topics.listTopics(cluster.id).find((t) => collisionKey(t.name) === key);
    if (other) {
      return apiError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${name}' collides with existing topic: ${other.name}`,
      );
    }
  }
  return undefined;
}

function checkConfigs(configs: TopicRequest['configs']): { configs: Record<string, string> } | ApiError {
  const nulls = configs.filter((c) => c.value === null).map((c) => c.name);
  if (nulls.length > 0) {
    return apiError(
      ErrorCode.INVALID_CONFIG,
      `Null value not supported for topic configs: ${nulls.join(',')}`,
    );
  }
  const result: Record<string, string> = {};
  for (const { name, value } of configs) {
    const checked = validateTopicConfig(name, value as string);
    if ('error' in checked) return apiError(ErrorCode.INVALID_CONFIG, checked.error);
    result[name] = checked.value;
  }
  return { configs: result };
}

function isError(value: object): value is ApiError {
  return 'code' in value;
}

/** Checks and (unless validateOnly) creates one topic. */
async function createOne(
  cluster: ClusterRuntime,
  request: TopicRequest,
  validateOnly: boolean,
): Promise<ApiError | KafkaTopicRecord> {
  const nameError = checkName(cluster, request.name);
  if (nameError) return nameError;
  const configs = checkConfigs(request.configs);
  if (isError(configs)) return configs;
  const placed = placement(cluster, request);
  if (isError(placed)) return placed;
  const topic: KafkaTopicRecord = {
    cluster: cluster.id,
    name: request.name,
    topicId: newKafkaUuid(),
    partitions: placed.partitions,
    replicationFactor: placed.replicationFactor,
    configs: configs.configs,
    createdAt: cluster.clock.now(),
  };
  if (validateOnly) return topic;
  const key = `${cluster.id}\n${request.name}`;
  creating.add(key);
  try {
    await cluster.topics.createTopic(topic);
  } finally {
    creating.delete(key);
  }
  cluster.log.debug(
    { cluster: cluster.id, topic: topic.name, partitions: topic.partitions },
    'Kafka topic created',
  );
  return topic;
}

/** Metadata's auto-creation: the error code its answer carries for the topic. */
export async function autoCreateTopic(cluster: ClusterRuntime, name: string): Promise<number> {
  const result = await createOne(
    cluster,
    { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] },
    false,
  );
  if (!isError(result)) return ErrorCode.LEADER_NOT_AVAILABLE;
  // Another request is creating it, or it collides: Kafka's answers for those.
  if (result.code === ErrorCode.TOPIC_ALREADY_EXISTS) return ErrorCode.LEADER_NOT_AVAILABLE;
  if (result.code === ErrorCode.INVALID_TOPIC_EXCEPTION) return ErrorCode.INVALID_TOPIC_EXCEPTION;
  return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
}

async function createTopics(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown>> {
  const { cluster } = ctx;
  const wanted: TopicRequest[] = request.topics;
  const counts = new Map<string, number>();
  for (const t of wanted) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const topics: Array<Record<string, unknown>> = [];
  const failed = (name: string, error: ApiError) => ({
    name,
    topicId: ZERO_UUID,
    errorCode: error.code,
    errorMessage: error.message,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  });
  const answered = new Set<string>();
  for (const topic of wanted) {
    if ((counts.get(topic.name) ?? 0) > 1) {
      if (!answered.has(topic.name)) {
        answered.add(topic.name);
        topics.push(
          failed(topic.name, apiError(ErrorCode.INVALID_REQUEST, 'Found multiple entries for this topic.')),
        );
      }
      continue;
    }
    const result = await createOne(cluster, topic, request.validateOnly === true);
    if (isError(result)) {
      topics.push(failed(topic.name, result));
      continue;
    }
    topics.push({
      name: result.name,
      topicId: result.topicId,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: result.partitions,
      replicationFactor: result.replicationFactor,
      configs: describeTopicConfigs(cluster, result, { synonyms: false, documentation: false }).map((c) => ({
        name: c.name,
        value: c.value,
        readOnly: false,
        configSource: c.configSource,
        isSensitive: false,
      })),
    });
  }
  return { throttleTimeMs: 0, topics };
}

async function deleteTopics(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown>> {
  const { cluster } = ctx;
  const wanted: Array<{ name: string | null; topicId: string }> =
    ctx.apiVersion >= 6
      ? request.topics
      : (request.topicNames as string[]).map((name) => ({ name, topicId: ZERO_UUID }));
  const deletionDisabled = cluster.config('delete.topic.enable') === 'false';
  const responses: Array<Record<string, unknown>> = [];
  for (const { name, topicId } of wanted) {
    const byId = topicId !== undefined && topicId !== ZERO_UUID;
    const answer = (error: ApiError, topicName = name, id = topicId ?? ZERO_UUID) =>
      responses.push({ name: topicName, topicId: id, errorCode: error.code, errorMessage: error.message });
    if (byId && name !== null) {
      answer(apiError(ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.'));
      continue;
    }
    const topic = byId
      ? cluster.topics.topicById(cluster.id, topicId)
      : cluster.topics.getTopic(cluster.id, name ?? '');
    if (!topic) {
      answer(apiError(byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
      continue;
    }
    if (deletionDisabled) {
      answer(apiError(ErrorCode.TOPIC_DELETION_DISABLED), topic.name, topic.topicId);
      continue;
    }
    await cluster.topics.deleteTopic(cluster.id, topic.name);
    await cluster.groups.topicDeleted(topic.name);
    cluster.log.debug({ cluster: cluster.id, topic: topic.name }, 'Kafka topic deleted');
    responses.push({
      name: topic.name,
      topicId: topic.topicId,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
    });
  }
  return { throttleTimeMs: 0, responses };
}

async function createPartitions(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown>> {
  const { cluster } = ctx;
  const wanted: Array<{ name: string; count: number; assignments: Array<{ brokerIds: number[] }> | null }> =
    request.topics;
  const counts = new Map<string, number>();
  for (const t of wanted) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const results: Array<Record<string, unknown>> = [];
  const answer = (name: string, error: ApiError) =>
    results.push({ name, errorCode: error.code, errorMessage: error.message });
  for (const want of wanted) {
    if ((counts.get(want.name) ?? 0) > 1) {
      answer(want.name, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.'));
      continue;
    }
    const topic = cluster.topics.getTopic(cluster.id, want.name);
    if (!topic) {
      answer(want.name, apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
      continue;
    }
    if (want.count === topic.partitions) {
      answer(
        want.name,
        apiError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${topic.partitions} partition(s).`),
      );
      continue;
    }
    if (want.count < topic.partitions) {
      answer(
        want.name,
        apiError(
          ErrorCode.INVALID_PARTITIONS,
          `The topic ${want.name} currently has ${topic.partitions} partition(s); ${want.count} would not be an increase.`,
        ),
      );
      continue;
    }
    if (want.count > MAX_PARTITIONS) {
      answer(want.name, tooManyPartitions());
      continue;
    }
    const additional = want.count - topic.partitions;
    if (want.assignments !== null) {
      if (want.assignments.length !== additional) {
        answer(
          want.name,
          apiError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Attempted to add ${additional} additional partition(s), but only ${want.assignments.length} assignment(s) were specified.`,
          ),
        );
        continue;
      }
      const bad = want.assignments
        .map((a) => checkReplicas(cluster, a.brokerIds))
        .find((e) => e !== undefined);
      const wrongSize = want.assignments.find((a) => a.brokerIds.length !== topic.replicationFactor);
      if (bad || wrongSize) {
        answer(
          want.name,
          bad ??
            apiError(
              ErrorCode.INVALID_REPLICA_ASSIGNMENT,
              `The manual partition assignment includes a partition with ${wrongSize?.brokerIds.length} replica(s), but this is not consistent with previous partitions, which have ${topic.replicationFactor} replica(s).`,
            ),
        );
        continue;
      }
    }
    if (request.validateOnly !== true) await cluster.topics.updateTopic({ ...topic, partitions: want.count });
    answer(want.name, { code: ErrorCode.NONE, message: null });
  }
  return { throttleTimeMs: 0, results };
}

export const topicAdminApis: ApiRegistration[] = [
  { apiKey: 19, minVersion: 2, maxVersion: 7, handle: createTopics },
  { apiKey: 20, minVersion: 1, maxVersion: 6, handle: deleteTopics },
  { apiKey: 37, minVersion: 0, maxVersion: 3, handle: createPartitions },
];
