import type { Caller } from '../../core/accounts.js';
import type { Clock } from '../../core/clock.js';
import { evaluatePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import type { RecordStore } from '../../storage/types.js';
import { smError } from './errors.js';
import { holderOf, SECRET_NAME, type SecretRecord, type VersionRecord } from './records.js';
import type { Vault } from './vault.js';

const DAY = 86_400_000;
/** At most this many versions without labels are kept (see prune). */
const MAX_VERSIONS = 100;

export interface SecretValue {
  kind: 'string' | 'binary';
  bytes: Buffer;
}

/**
 * The secrets of every account and region, and what every operation needs of them: lookup by
 * name, ARN or partial ARN, the end of recovery windows (lazily, on the next request), and new
 * versions with AWS's staging-label moves.
 */
export class Secrets {
  constructor(
    private readonly store: RecordStore<SecretRecord>,
    readonly clock: Clock,
    readonly vault: Vault,
  ) {}

  /** Secrets whose recovery window has ended are gone: dropped before anything reads them. */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const secret of this.store.values()) {
      if (secret.deleteAfter !== undefined && secret.deleteAfter <= now) await this.store.delete(secret.arn);
    }
  }

  async all(caller: Caller): Promise<SecretRecord[]> {
    await this.sweep();
    return this.store.values().filter((s) => s.account === caller.account && s.region === caller.region);
  }

  /**
   * A secret by name, full ARN, or ARN without its 6-character suffix. An ARN may name another
   * account's secret (in the caller's region); its resource policy then decides (authorize).
   */
  async find(secretId: string, caller: Caller): Promise<SecretRecord | undefined> {
    // A name no secret could have is refused as CreateSecret refuses it, by every operation
    // (AWS's recorded answers: Describe, Get, Put, Update, Delete, tags, ValidateResourcePolicy).
    if (!secretId.startsWith('arn:') && !SECRET_NAME.test(secretId)) throw smError.invalidName();
    const owner = /^arn:aws:secretsmanager:[^:]*:(\d{12}):secret:/.exec(secretId)?.[1];
    const mine = await this.all(owner ? { ...caller, account: owner } : caller);
    if (secretId.startsWith('arn:')) {
      // An ARN ending in a hyphen and six characters is taken as a full ARN, never as a partial one
      // (AWS's recorded answer for a name ending "-a1b2c3"; its guide warns of exactly this).
      const full = mine.find((s) => s.arn === secretId);
      if (full || /-[A-Za-z0-9]{6}$/.test(secretId)) return full;
      return mine.find((s) => s.arn.slice(0, -7) === secretId);
    }
    return mine.find((s) => s.name === secretId);
  }

  /** The secret, deleted or not (DescribeSecret, RestoreSecret, DeleteSecret), if the caller may use it. */
  async resolve(secretId: string, ctx: RequestContext): Promise<SecretRecord> {
    const secret = await this.find(secretId, ctx.caller);
    if (!secret) throw smError.notFound();
    authorize(secret, ctx.operation, ctx);
    return secret;
  }

  /** The secret, refused while it waits for deletion, as AWS refuses reads and writes then. */
  async live(secretId: string, ctx: RequestContext): Promise<SecretRecord> {
    const secret = await this.resolve(secretId, ctx);
    if (secret.deletedAt !== undefined) throw smError.markedForDeletion();
    return secret;
  }

  save(secret: SecretRecord): Promise<void> {
    return this.store.put(secret.arn, secret);
  }

  remove(secret: SecretRecord): Promise<void> {
    return this.store.delete(secret.arn);
  }

  /** The decrypted value of a version: KMS is asked every time. */
  open(secret: SecretRecord, version: VersionRecord, caller: Caller): SecretValue {
    return { kind: version.kind, bytes: this.vault.open(secret, version, caller) };
  }

  /** Marks a read: AWS keeps the day only, so most reads change nothing stored. */
  async touch(secret: SecretRecord, version: VersionRecord): Promise<void> {
    const today = this.clock.now() - (this.clock.now() % DAY);
    if (secret.lastAccessedAt === today && version.lastAccessedAt === today) return;
    secret.lastAccessedAt = today;
    version.lastAccessedAt = today;
    await this.save(secret);
  }

  /**
   * The idempotency rule of CreateSecret, PutSecretValue and UpdateSecret: a token naming an
   * existing version is a retry, answered as before when the value is the same, refused otherwise.
   */
  retried(
    secret: SecretRecord,
    token: string,
    value: SecretValue,
    caller: Caller,
  ): VersionRecord | undefined {
    const existing = secret.versions.find((v) => v.id === token);
    if (!existing) return undefined;
    const stored = this.open(secret, existing, caller);
    if (stored.kind !== value.kind || !stored.bytes.equals(value.bytes)) throw smError.versionExists();
    return existing;
  }

  /**
   * A new version, encrypted before anything changes. Without labels it becomes AWSCURRENT; the
   * first version always does. Each label leaves the version that had it, and when AWSCURRENT
   * moves, AWSPREVIOUS follows to the version it left.
   */
  addVersion(
    secret: SecretRecord,
    versionId: string,
    value: SecretValue,
    stages: readonly string[] | undefined,
    caller: Caller,
  ): VersionRecord {
    const sealed = this.vault.seal(secret, versionId, value.bytes, secret.kmsKeyId, caller);
    const labels = new Set(stages ?? ['AWSCURRENT']);
    if (!holderOf(secret, 'AWSCURRENT')) labels.add('AWSCURRENT');
    const version: VersionRecord = {
      id: versionId,
      createdAt: this.clock.now(),
      stages: [],
      kind: value.kind,
      ...sealed,
    };
    const current = holderOf(secret, 'AWSCURRENT');
    secret.versions.push(version);
    for (const stage of labels) moveStage(secret, stage, version);
    // A new AWSCURRENT ends a rotation the old current version finished: its AWSPENDING goes too
    // (AWS's recorded answers: PutSecretValue after moving AWSCURRENT onto the pending version).
    if (current && labels.has('AWSCURRENT') && current.stages.includes('AWSPENDING')) {
      current.stages = current.stages.filter((s) => s !== 'AWSPENDING');
    }
    this.prune(secret);
    secret.lastChangedAt = this.clock.now();
    return version;
  }

  /**
   * AWS's answer after 131 versions written in a row is 102 (100 without labels, AWSCURRENT and
   * AWSPREVIOUS): the oldest unlabelled versions go past 100, however young they are.
   */
  private prune(secret: SecretRecord): void {
    let deprecated = secret.versions.filter((v) => v.stages.length === 0).length;
    while (deprecated > MAX_VERSIONS) {
      const index = secret.versions.findIndex((v) => v.stages.length === 0);
      secret.versions.splice(index, 1);
      deprecated -= 1;
    }
  }
}

/** Attaches a label to `to`, taking it from whoever had it; AWSCURRENT drags AWSPREVIOUS along. */
export function moveStage(secret: SecretRecord, stage: string, to: VersionRecord): void {
  const from = holderOf(secret, stage);
  if (from === to) return;
  if (from) from.stages = from.stages.filter((s) => s !== stage);
  to.stages = [...to.stages, stage].sort();
  if (stage === 'AWSCURRENT' && from) {
    const previous = holderOf(secret, 'AWSPREVIOUS');
    if (previous) previous.stages = previous.stages.filter((s) => s !== 'AWSPREVIOUS');
    from.stages = [...from.stages, 'AWSPREVIOUS'].sort();
  }
}

/**
 * The secret's resource policy, as AWS applies it: another account needs a statement allowing the
 * action on the secret; for the owner only an explicit Deny matters.
 */
export function authorize(secret: SecretRecord, operation: string, ctx: RequestContext): void {
  const foreign = secret.account !== ctx.caller.account;
  if (!foreign && secret.policy === undefined) return;
  const action = `secretsmanager:${operation}`;
  const principal = `arn:aws:iam::${ctx.caller.account}:root`;
  const decision = secret.policy
    ? evaluatePolicy(secret.policy, {
        principal: { kind: 'AWS', id: principal },
        action,
        resource: secret.arn,
        context: { 'aws:PrincipalAccount': ctx.caller.account, 'aws:SecureTransport': String(ctx.secure) },
      })
    : 'ImplicitDeny';
  if (decision === 'Allow' || (!foreign && decision === 'ImplicitDeny')) return;
  const why =
    decision === 'ExplicitDeny'
      ? 'with an explicit deny in a resource-based policy'
      : `because no resource-based policy allows the ${action} action`;
  throw smError.accessDenied(
    `User: ${principal} is not authorized to perform: ${action} on resource: ${secret.arn} ${why}`,
  );
}
