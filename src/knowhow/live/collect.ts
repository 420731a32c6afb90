import type { DropCount } from '../../services/events/drops.js';
import type { BusRecord, RuleRecord } from '../../services/events/records.js';
import type { AliasRecord, KeyRecord } from '../../services/kms/keys.js';
import type { SecretRecord } from '../../services/secretsmanager/records.js';
import type { QueueStorage, StreamStorage, TopicStorage } from '../../storage/types.js';
import type { AttachedPolicy, Origin, Sym } from '../model.js';
import { arnScope, RETENTION_NEARING_SHARE, type RuntimeHint } from './hints.js';
import { type LiveSource, liveFile, numberAttribute, parsePolicy, type Scope } from './sources.js';

/*
 * Each service's resources as the know-how rules read them. Only types are imported from the
 * services: a service hands its own state in, so nothing here loads a service's code.
 */

function origin(scope: Scope): Origin {
  return { file: liveFile(scope) };
}

/**
 * The fields every live resource shares, in the order the inventory shows them: known by its ARN,
 * declared at its scope, never suppressed; `name` only for the resources that have one.
 */
function liveEntity(
  scope: Scope,
  type: string,
  arn: string,
  name: string | undefined,
  attributes: Record<string, string>,
) {
  return {
    id: arn,
    type,
    arn,
    ...(name === undefined ? {} : { name }),
    origin: origin(scope),
    ignore: [] as string[],
    attributes,
  };
}

function policies(text: string | undefined, from: string, scope: Scope): AttachedPolicy[] {
  const document = parsePolicy(text);
  return document === undefined ? [] : [{ document: document as Sym, from, origin: origin(scope) }];
}

function inScope(record: { account: string; region: string }, scope: Scope): boolean {
  return record.account === scope.account && record.region === scope.region;
}

function redriveTarget(text: string | undefined): string | undefined {
  const redrive = parsePolicy(text) as { deadLetterTargetArn?: unknown } | undefined;
  return typeof redrive?.deadLetterTargetArn === 'string' ? redrive.deadLetterTargetArn : undefined;
}

/** SQS: queues with their attributes, policy, redrive policy and key; retention-nearing at doctor time. */
export function sqsSource(queues: QueueStorage): LiveSource {
  return {
    scopes: () => (queues.allQueues?.() ?? []).map((q) => ({ account: q.account, region: q.region })),
    async collect(model, scope) {
      for (const q of await queues.listQueues(scope.account, scope.region)) {
        const a = q.attributes;
        const counts = await queues.counts(q);
        model.queues.push({
          ...liveEntity(scope, 'AWS::SQS::Queue', q.arn, q.name, {
            ...a,
            QueueArn: q.arn,
            ApproximateNumberOfMessages: String(counts.visible),
            ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
            ApproximateNumberOfMessagesDelayed: String(counts.delayed),
            CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
            LastModifiedTimestamp: String(Math.floor(q.modifiedAt / 1000)),
          }),
          url: `/${q.account}/${q.name}`,
          fifo: q.fifo,
          receiveWaitTimeSeconds: numberAttribute(a.ReceiveMessageWaitTimeSeconds),
          visibilityTimeoutSeconds: numberAttribute(a.VisibilityTimeout),
          retentionSeconds: numberAttribute(a.MessageRetentionPeriod),
          kmsKey: a.KmsMasterKeyId,
          sqsManagedSse: a.SqsManagedSseEnabled === undefined ? undefined : a.SqsManagedSseEnabled === 'true',
          redriveDlq: redriveTarget(a.RedrivePolicy),
          policies: policies(a.Policy, q.arn, scope),
        });
      }
    },
    hints(now) {
      const out: RuntimeHint[] = [];
      for (const q of queues.allQueues?.() ?? []) {
        const oldest = queues.oldestEnqueuedAt?.(q);
        const retention = numberAttribute(q.attributes.MessageRetentionPeriod) ?? 345_600;
        if (oldest === undefined) continue;
        const age = now - oldest;
        if (age < retention * 1000 * RETENTION_NEARING_SHARE) continue;
        const share = Math.min(100, Math.floor((age / (retention * 1000)) * 100));
        out.push({
          kind: 'retention-nearing',
          account: q.account,
          region: q.region,
          resource: q.arn,
          count: 1,
          firstSeen: now,
          lastSeen: now,
          message: `The oldest message of ${q.arn} is ${Math.floor(age / 1000)} seconds old, ${share}% of its MessageRetentionPeriod (${retention} seconds): SQS deletes it unread at the end of that period.`,
          fix: 'Consume faster or scale the consumers out; give the queue a redrive policy so poison messages leave it; raise MessageRetentionPeriod (up to 1209600 seconds) if consumers are only late.',
        });
      }
      return out;
    },
  };
}

/**
 * SNS: topics with their policy and key, subscriptions with protocol, endpoint, DLQ and role. A
 * topic never given a Policy has SNS's default one, which lets only its own account in: no
 * attached policy says the same to the rules (no service principal is allowed).
 */
export function snsSource(topics: TopicStorage): LiveSource {
  return {
    scopes: () => (topics.allTopics?.() ?? []).map((t) => ({ account: t.account, region: t.region })),
    collect(model, scope) {
      for (const t of topics.listTopics(scope.account, scope.region)) {
        model.topics.push({
          ...liveEntity(scope, 'AWS::SNS::Topic', t.arn, t.name, { ...t.attributes }),
          fifo: t.fifo,
          kmsKey: t.attributes.KmsMasterKeyId || undefined,
          policies: policies(t.attributes.Policy, t.arn, scope),
        });
      }
      for (const s of topics.listSubscriptions(scope.account, scope.region)) {
        model.subscriptions.push({
          ...liveEntity(scope, 'AWS::SNS::Subscription', s.arn, undefined, {
            ...s.attributes,
            TopicArn: s.topicArn,
            Protocol: s.protocol,
            Endpoint: s.endpoint,
            Owner: s.owner,
            PendingConfirmation: String(!s.confirmed),
          }),
          topic: s.topicArn,
          protocol: s.protocol,
          endpoint: s.endpoint,
          dlq: redriveTarget(s.attributes.RedrivePolicy),
          roleArn: s.attributes.SubscriptionRoleArn || undefined,
        });
      }
    },
  };
}

/** Kinesis Data Streams: streams with their open shard count and retention. */
export function kinesisSource(streams: StreamStorage): LiveSource {
  return {
    scopes: () => (streams.allStreams?.() ?? []).map((s) => ({ account: s.account, region: s.region })),
    collect(model, scope) {
      for (const s of streams.listStreams(scope.account, scope.region)) {
        const open = streams.shards(s.arn).filter((shard) => shard.closedAt === undefined).length;
        model.streams.push({
          ...liveEntity(scope, 'AWS::Kinesis::Stream', s.arn, s.name, {
            StreamModeDetails: s.mode,
            RetentionPeriodHours: String(s.retentionHours),
            OpenShardCount: String(open),
          }),
          shardCount: open,
          retentionHours: s.retentionHours,
        });
      }
    },
  };
}

/** The parts of EventBridge's records the inventory reads. */
export type LiveBus = Pick<
  BusRecord,
  'arn' | 'name' | 'account' | 'region' | 'kmsKeyIdentifier' | 'deadLetterArn' | 'policy'
>;

export type LiveRule = Pick<
  RuleRecord,
  | 'arn'
  | 'name'
  | 'busArn'
  | 'account'
  | 'region'
  | 'eventPattern'
  | 'scheduleExpression'
  | 'state'
  | 'roleArn'
  | 'targets'
>;

/** A target's drop count as EventBridge keeps it (drops.ts). */
export type LiveDrop = DropCount;

/** EventBridge: buses with their policy and key, rules with targets (DLQ, role); its drop counts as hints. */
export function eventsSource(
  buses: () => LiveBus[],
  rules: () => LiveRule[],
  drops: () => Promise<LiveDrop[]>,
): LiveSource {
  return {
    scopes: () => [...buses(), ...rules()].map((r) => ({ account: r.account, region: r.region })),
    collect(model, scope) {
      for (const b of buses().filter((b) => inScope(b, scope))) {
        const attributes: Record<string, string> = { Name: b.name };
        if (b.kmsKeyIdentifier) attributes.KmsKeyIdentifier = b.kmsKeyIdentifier;
        if (b.deadLetterArn) attributes.DeadLetterArn = b.deadLetterArn;
        if (b.policy) attributes.Policy = b.policy;
        model.buses.push({
          ...liveEntity(scope, 'AWS::Events::EventBus', b.arn, b.name, attributes),
          kmsKey: b.kmsKeyIdentifier,
          policies: policies(b.policy, b.arn, scope),
        });
      }
      for (const r of rules().filter((r) => inScope(r, scope))) {
        const attributes: Record<string, string> = { Name: r.name, EventBusArn: r.busArn, State: r.state };
        if (r.eventPattern) attributes.EventPattern = r.eventPattern;
        if (r.scheduleExpression) attributes.ScheduleExpression = r.scheduleExpression;
        model.rules.push({
          ...liveEntity(scope, 'AWS::Events::Rule', r.arn, r.name, attributes),
          bus: r.busArn,
          hasPattern: r.eventPattern !== undefined,
          hasSchedule: r.scheduleExpression !== undefined,
          targets: r.targets.map((t) => ({
            targetId: t.Id ?? null,
            arn: t.Arn ?? null,
            dlq: t.DeadLetterConfig?.Arn,
            roleArn: t.RoleArn ?? r.roleArn,
          })),
        });
      }
    },
    // drops.ts warns about the first drop of each target already.
    hintsLogged: true,
    async hints() {
      return (await drops()).map((d) => {
        const rule = rules().find((r) => r.arn === d.ruleArn);
        const scope = rule ?? arnScope(d.ruleArn);
        const at = Date.parse(d.lastDroppedAt);
        const what =
          d.targetId === '(bus)'
            ? `the bus ${d.ruleArn}`
            : `target ${d.targetId} (${d.targetArn}) of ${d.ruleArn}`;
        return {
          kind: 'dropped-deliveries' as const,
          account: scope.account,
          region: scope.region,
          resource: d.ruleArn,
          count: d.count,
          firstSeen: at,
          lastSeen: at,
          message: `EventBridge dropped ${d.count} event${d.count === 1 ? '' : 's'} for ${what}; the latest: ${d.lastReason}.`,
          fix: 'Let events.amazonaws.com send to the target and to its dead-letter queue: a queue policy statement allowing sqs:SendMessage (sns:Publish for a topic) with aws:SourceArn set to the rule ARN, and for an encrypted target a customer managed key whose key policy allows events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt; give the target a DeadLetterConfig.',
        };
      });
    },
  };
}

/** The parts of KMS's records the inventory reads. */
export type LiveKey = Pick<
  KeyRecord,
  'arn' | 'keyId' | 'account' | 'region' | 'manager' | 'state' | 'keyUsage' | 'description' | 'policy'
>;

export type LiveAlias = Pick<AliasRecord, 'name' | 'account' | 'region' | 'targetKeyId'>;

/** KMS: keys with their policy and aliases. */
export function kmsSource(keys: () => LiveKey[], aliases: () => LiveAlias[]): LiveSource {
  return {
    scopes: () => keys().map((k) => ({ account: k.account, region: k.region })),
    collect(model, scope) {
      const named = aliases().filter((a) => inScope(a, scope));
      for (const k of keys().filter((k) => inScope(k, scope))) {
        const document = parsePolicy(k.policy);
        model.keys.push({
          ...liveEntity(scope, 'AWS::KMS::Key', k.arn, undefined, {
            KeyId: k.keyId,
            KeyManager: k.manager,
            KeyState: k.state,
            KeyUsage: k.keyUsage,
            Description: k.description,
          }),
          policy: (document ?? null) as Sym,
          aliases: named.filter((a) => a.targetKeyId === k.keyId).map((a) => a.name),
        });
      }
    },
  };
}

/** The parts of Secrets Manager's records the inventory reads. */
export type LiveSecret = Pick<
  SecretRecord,
  'arn' | 'name' | 'account' | 'region' | 'kmsKeyId' | 'owningService' | 'deletedAt'
>;

/** Secrets Manager: secrets with their name and KMS key (absent: the aws/secretsmanager key). */
export function secretsSource(secrets: () => LiveSecret[]): LiveSource {
  return {
    scopes: () => secrets().map((s) => ({ account: s.account, region: s.region })),
    collect(model, scope) {
      for (const s of secrets().filter((s) => inScope(s, scope) && s.deletedAt === undefined)) {
        const attributes: Record<string, string> = { Name: s.name };
        if (s.kmsKeyId) attributes.KmsKeyId = s.kmsKeyId;
        if (s.owningService) attributes.OwningService = s.owningService;
        model.secrets.push({
          ...liveEntity(scope, 'AWS::SecretsManager::Secret', s.arn, s.name, attributes),
          kmsKey: s.kmsKeyId,
        });
      }
    },
  };
}
