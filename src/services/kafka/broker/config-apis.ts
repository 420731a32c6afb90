// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics and brokers.
import type { KafkaTopicRecord } from '../../../storage/types.js';
import { type ApiError, apiError, ErrorCode } from './admin-errors.js';
import {
  BROKER_DEFAULTS,
  ConfigSource,
  ConfigType,
  TOPIC_CONFIG_BY_NAME,
  TOPIC_CONFIGS,
  topicDefault,
  validateTopicConfig,
} from './configs.js';
import { invalidTopicReason } from './topic-names.js';
import type { ApiRegistration, ClusterRuntime, KafkaRequestContext } from './types.js';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
const RESOURCE_NAMES: Record<number, string> = {
  2: 'TOPIC',
  3: 'GROUP',
  4: 'BROKER',
  8: 'BROKER_LOGGER',
  16: 'CLIENT_METRICS',
  32: 'GROUP',
};

interface Synonym {
  name: string;
  value: string | null;
  source: number;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: Synonym[];
  configType: number;
  documentation: null;
}

/** What the cluster's server.properties set, apart from Kafka's defaults. */
function staticOf(cluster: ClusterRuntime): (name: string) => string | undefined {
  const withStatic = cluster as ClusterRuntime & { staticConfig?: (name: string) => string | undefined };
  return withStatic.staticConfig ? (name) => withStatic.staticConfig?.(name) : (name) => cluster.config(name);
}

function staticNames(cluster: ClusterRuntime): string[] {
  const withNames = cluster as ClusterRuntime & { staticConfigNames?: () => string[] };
  return withNames.staticConfigNames?.() ?? [];
}

/** Every topic config of a topic, with its value and where it comes from. */
export function describeTopicConfigs(
  cluster: ClusterRuntime,
  topic: KafkaTopicRecord,
  options: { synonyms: boolean; documentation: boolean },
): ConfigEntry[] {
  const fromStatic = staticOf(cluster);
  return TOPIC_CONFIGS.map((def) => {
    const own = topic.configs[def.name];
    const inherited = topicDefault(def, fromStatic);
    const synonyms: Synonym[] = [];
    if (options.synonyms) {
      if (own !== undefined) synonyms.push({ name: def.name, value: own, source: ConfigSource.TOPIC_CONFIG });
      for (const s of def.synonyms) {
        const value = fromStatic(s.name);
        if (value !== undefined)
          synonyms.push({ name: s.name, value, source: ConfigSource.STATIC_BROKER_CONFIG });
      }
      const builtIn = def.synonyms.find((s) => BROKER_DEFAULTS[s.name]?.value != null);
      synonyms.push(
        builtIn
          ? {
              name: builtIn.name,
              value: BROKER_DEFAULTS[builtIn.name].value,
              source: ConfigSource.DEFAULT_CONFIG,
            }
          : { name: def.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG },
      );
    }
    const configSource = own !== undefined ? ConfigSource.TOPIC_CONFIG : inherited.source;
    return {
      name: def.name,
      value: own ?? inherited.value,
      readOnly: false,
      isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
      configSource,
      isSensitive: false,
      synonyms,
      configType: ConfigType[def.type],
      documentation: null,
    };
  });
}

function describeBrokerConfigs(cluster: ClusterRuntime, synonymsWanted: boolean): ConfigEntry[] {
  const fromStatic = staticOf(cluster);
  const names = [...new Set([...Object.keys(BROKER_DEFAULTS), ...staticNames(cluster)])].sort();
  return names.map((name) => {
    const known = BROKER_DEFAULTS[name];
    const set = fromStatic(name);
    const builtIn = known?.value ?? null;
    const configSource = set !== undefined ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    const synonyms: Synonym[] = [];
    if (synonymsWanted) {
      if (set !== undefined) synonyms.push({ name, value: set, source: ConfigSource.STATIC_BROKER_CONFIG });
      if (builtIn !== null) synonyms.push({ name, value: builtIn, source: ConfigSource.DEFAULT_CONFIG });
    }
    return {
      name,
      value: set ?? builtIn,
      readOnly: !known?.dynamic,
      isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
      configSource,
      isSensitive: false,
      synonyms,
      configType: ConfigType[known?.type ?? 'STRING'],
      documentation: null,
    };
  });
}

function unsupportedResource(type: number): ApiError {
  const name = RESOURCE_NAMES[type];
  return name
    ? apiError(ErrorCode.INVALID_REQUEST, `Tideway does not serve ${name} configs`)
    : apiError(ErrorCode.INVALID_REQUEST, 'Unsupported resource type: UNKNOWN');
}

function brokerIdError(
  cluster: ClusterRuntime,
  resourceName: string,
  allowEmpty: boolean,
): ApiError | undefined {
  const id = Number(resourceName);
  if (/^\d+$/.test(resourceName) && id >= 1 && id <= cluster.brokerNodes) return undefined;
  if (!/^-?\d+$/.test(resourceName)) {
    if (allowEmpty && resourceName === '') return undefined;
    return apiError(ErrorCode.INVALID_REQUEST, `Failed to parse broker name as an integer: ${resourceName}`);
  }
  return apiError(
    ErrorCode.INVALID_REQUEST,
    `Unexpected broker id, expected ${cluster.brokerNodes === 1 ? '1' : `1 to ${cluster.brokerNodes}`}${allowEmpty ? ' or empty string' : ''}, but received ${resourceName}`,
  );
}

/** The topic a config request names, or the error Kafka answers for it. */
function topicOf(cluster: ClusterRuntime, name: string): KafkaTopicRecord | ApiError {
  const reason = invalidTopicReason(name);
  if (reason) return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, reason);
  return (
    cluster.topics.getTopic(cluster.id, name) ?? { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: null }
  );
}

function isError(value: object): value is ApiError {
  return 'code' in value && 'message' in value && !('topicId' in value);
}

function describeConfigs(ctx: KafkaRequestContext, request: Record<string, any>): Record<string, unknown> {
  const { cluster } = ctx;
  const results = (request.resources as Array<Record<string, any>>).map((resource) => {
    const { resourceType, resourceName } = resource;
    const keys: string[] | null = resource.configurationKeys;
    const base = { resourceType, resourceName };
    const failed = (error: ApiError) => ({
      ...base,
      errorCode: error.code,
      errorMessage: error.message,
      configs: [],
    });
    let entries: ConfigEntry[];
    if (resourceType === RESOURCE_TOPIC) {
      const topic = topicOf(cluster, resourceName);
      if (isError(topic)) return failed(topic);
      entries = describeTopicConfigs(cluster, topic, {
        synonyms: request.includeSynonyms === true,
        documentation: request.includeDocumentation === true,
      });
    } else if (resourceType === RESOURCE_BROKER) {
      const error = brokerIdError(cluster, resourceName, true);
      if (error) return failed(error);
      // The empty name asks for cluster-wide dynamic defaults: Tideway keeps none.
      entries = resourceName === '' ? [] : describeBrokerConfigs(cluster, request.includeSynonyms === true);
    } else {
      return failed(unsupportedResource(resourceType));
    }
    if (keys && keys.length > 0) entries = entries.filter((e) => keys.includes(e.name));
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: entries };
  });
  return { throttleTimeMs: 0, results };
}

function brokerAlterRefused(): ApiError {
  return apiError(
    ErrorCode.INVALID_REQUEST,
    "Tideway takes broker configs from the cluster's configuration (server.properties), not from AlterConfigs",
  );
}

type Change = { name: string; op: number; value: string | null };

const OP_SET = 0;
const OP_DELETE = 1;
const OP_APPEND = 2;
const OP_SUBTRACT = 3;

/** Applies config changes to a topic's own configs; answers the new set or the error. */
function applyChanges(
  current: Record<string, string>,
  changes: Change[],
  replaceAll: boolean,
): Record<string, string> | ApiError {
  const next: Record<string, string> = replaceAll ? {} : { ...current };
  const names = new Set<string>();
  for (const change of changes) {
    if (names.has(change.name))
      return apiError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
    names.add(change.name);
  }
  for (const { name, op, value } of changes) {
    const def = TOPIC_CONFIG_BY_NAME.get(name);
    if (!def) return apiError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
    if (op === OP_DELETE) {
      delete next[name];
      continue;
    }
    if (op !== OP_SET && op !== OP_APPEND && op !== OP_SUBTRACT) {
      return apiError(ErrorCode.INVALID_REQUEST, `Unknown operation type ${op}`);
    }
    if (value === null)
      return apiError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${name}`);
    let raw = value;
    if (op === OP_APPEND || op === OP_SUBTRACT) {
      if (def.type !== 'LIST') {
        const verb = op === OP_APPEND ? 'append' : 'subtract';
        return apiError(
          ErrorCode.INVALID_CONFIG,
          `Config value ${verb} is not allowed for config key: ${name}`,
        );
      }
      const existing = (next[name] ?? def.default).split(',').filter((s) => s !== '');
      const items = value.split(',').map((s) => s.trim());
      const merged =
        op === OP_APPEND
          ? [...existing, ...items.filter((i) => !existing.includes(i))]
          : existing.filter((i) => !items.includes(i));
      raw = merged.join(',');
    }
    const checked = validateTopicConfig(name, raw);
    if ('error' in checked) return apiError(ErrorCode.INVALID_CONFIG, checked.error);
    next[name] = checked.value;
  }
  return next;
}

async function alter(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
  incremental: boolean,
): Promise<Record<string, unknown>> {
  const { cluster } = ctx;
  const responses: Array<Record<string, unknown>> = [];
  for (const resource of request.resources as Array<Record<string, any>>) {
    const { resourceType, resourceName } = resource;
    const answer = (error: ApiError) =>
      responses.push({ errorCode: error.code, errorMessage: error.message, resourceType, resourceName });
    if (resourceType === RESOURCE_BROKER) {
      answer(brokerIdError(cluster, resourceName, true) ?? brokerAlterRefused());
      continue;
    }
    if (resourceType !== RESOURCE_TOPIC) {
      answer(unsupportedResource(resourceType));
      continue;
    }
    const topic = topicOf(cluster, resourceName);
    if (isError(topic)) {
      answer(topic);
      continue;
    }
    const changes: Change[] = (resource.configs as Array<Record<string, any>>).map((c) => ({
      name: c.name,
      op: incremental ? c.configOperation : OP_SET,
      value: c.value,
    }));
    const next = applyChanges(topic.configs, changes, !incremental);
    if (isError(next)) {
      answer(next);
      continue;
    }
    if (request.validateOnly !== true) await cluster.topics.updateTopic({ ...topic, configs: next });
    answer({ code: ErrorCode.NONE, message: null });
  }
  return { throttleTimeMs: 0, responses };
}

export const configApis: ApiRegistration[] = [
  { apiKey: 32, minVersion: 0, maxVersion: 4, handle: describeConfigs },
  { apiKey: 33, minVersion: 0, maxVersion: 2, handle: (ctx, request) => alter(ctx, request, false) },
  { apiKey: 44, minVersion: 0, maxVersion: 1, handle: (ctx, request) => alter(ctx, request, true) },
];
