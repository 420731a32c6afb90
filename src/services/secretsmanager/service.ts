import type * as SM from '@aws-sdk/client-secrets-manager';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import { readPage, writePage } from './paging.js';
import {
  dayOf,
  holderOf,
  SECRET_NAME,
  type SecretRecord,
  secretArn,
  stagesMap,
  type VersionRecord,
} from './records.js';
import type { Secrets, SecretValue } from './secrets.js';

const DAY = 86_400_000;

/** The one value of a request: a string or a binary, never both. */
export function requestValue(input: {
  SecretString?: string;
  SecretBinary?: Uint8Array;
}): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw smError.invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretString !== undefined)
    return { kind: 'string', bytes: Buffer.from(input.SecretString, 'utf8') };
  if (input.SecretBinary !== undefined) return { kind: 'binary', bytes: Buffer.from(input.SecretBinary) };
  return undefined;
}

/** The value as GetSecretValue answers it. */
export function valueFields(value: SecretValue): { SecretString?: string; SecretBinary?: Uint8Array } {
  return value.kind === 'string'
    ? { SecretString: value.bytes.toString('utf8') }
    : { SecretBinary: value.bytes };
}

function stagesOf(version: VersionRecord): { VersionStages?: string[] } {
  return version.stages.length > 0 ? { VersionStages: [...version.stages] } : {};
}

/** The secret's fields DescribeSecret and ListSecrets share. */
export function secretFields(secret: SecretRecord) {
  const rotation = secret.rotation;
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    OwningService: secret.owningService,
    RotationEnabled: rotation?.enabled,
    RotationLambdaARN: rotation?.lambdaArn,
    RotationRules: rotation?.rules,
    LastRotatedDate: rotation?.lastRotatedAt === undefined ? undefined : new Date(rotation.lastRotatedAt),
    NextRotationDate:
      rotation?.enabled && rotation.nextRotationAt !== undefined
        ? new Date(rotation.nextRotationAt)
        : undefined,
    LastChangedDate: new Date(secret.lastChangedAt),
    LastAccessedDate: secret.lastAccessedAt === undefined ? undefined : new Date(secret.lastAccessedAt),
    DeletedDate: secret.deletedAt === undefined ? undefined : new Date(secret.deletedAt),
    Tags: secret.tags?.map((t) => ({ ...t })),
    CreatedDate: new Date(secret.createdAt),
  };
}

/** CreateSecret through RestoreSecret: the secret and its versions. */
export class SecretOperations {
  constructor(private readonly secrets: Secrets) {}

  private now(): number {
    return this.secrets.clock.now();
  }

  async createSecret(input: SM.CreateSecretRequest, ctx: RequestContext): Promise<SM.CreateSecretResponse> {
    const name = input.Name!;
    if (!SECRET_NAME.test(name) || name.length > 256) throw smError.invalidName();
    const value = requestValue(input);
    if (input.AddReplicaRegions?.length) throw smError.notSupported('replication (AddReplicaRegions)');
    if (input.CrossAccountPrimaryARN !== undefined)
      throw smError.notSupported('cross-account replicas (CrossAccountPrimaryARN)');
    if (input.Type !== undefined) throw smError.notSupported('managed external secrets (Type)');
    if (value && !input.ClientRequestToken) throw smError.tokenRequired();
    const existing = await this.secrets.find(name, ctx.caller);
    if (existing) {
      if (existing.deletedAt !== undefined) throw smError.scheduledForDeletion();
      const again = value && this.secrets.retried(existing, input.ClientRequestToken!, value, ctx.caller);
      if (again) return { ARN: existing.arn, Name: existing.name, VersionId: again.id };
      throw smError.exists(name);
    }
    const tags = checkTags(input.Tags ?? []);
    const now = this.now();
    const { account, region } = ctx.caller;
    const secret: SecretRecord = {
      arn: secretArn(region, account, name),
      name,
      account,
      region,
      // AWS shows no Description for one created as "" (its recorded DescribeSecret).
      description: input.Description || undefined,
      kmsKeyId: input.KmsKeyId || undefined,
      createdAt: now,
      lastChangedAt: now,
      tags: input.Tags ? mergeTags([], tags) : undefined,
      versions: [],
    };
    const version =
      value && this.secrets.addVersion(secret, input.ClientRequestToken!, value, undefined, ctx.caller);
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name, VersionId: version?.id };
  }

  async getSecretValue(
    input: SM.GetSecretValueRequest,
    ctx: RequestContext,
  ): Promise<SM.GetSecretValueResponse> {
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const version = pickVersion(secret, input.VersionId, input.VersionStage);
    const value = this.secrets.open(secret, version, ctx.caller);
    await this.secrets.touch(secret, version);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...valueFields(value),
      ...stagesOf(version),
      CreatedDate: new Date(version.createdAt),
    };
  }

  async putSecretValue(
    input: SM.PutSecretValueRequest,
    ctx: RequestContext,
  ): Promise<SM.PutSecretValueResponse> {
    // AWS asks for the token before it looks for the secret (its recorded answer for a secret
    // that does not exist is the missing token).
    const value = requestValue(input);
    if (value && !input.ClientRequestToken) throw smError.tokenRequired();
    const secret = await this.secrets.live(input.SecretId!, ctx);
    if (!value) throw smError.invalidRequest('You must provide either SecretString or SecretBinary.');
    if (!input.ClientRequestToken) throw smError.tokenRequired();
    const again = this.secrets.retried(secret, input.ClientRequestToken, value, ctx.caller);
    if (again) return { ARN: secret.arn, Name: secret.name, VersionId: again.id, ...stagesOf(again) };
    const version = this.secrets.addVersion(
      secret,
      input.ClientRequestToken,
      value,
      input.VersionStages,
      ctx.caller,
    );
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, ...stagesOf(version) };
  }

  async updateSecret(input: SM.UpdateSecretRequest, ctx: RequestContext): Promise<SM.UpdateSecretResponse> {
    const value = requestValue(input);
    if (value && !input.ClientRequestToken) throw smError.tokenRequired();
    if (input.Type !== undefined) throw smError.notSupported('managed external secrets (Type)');
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const again = value && this.secrets.retried(secret, input.ClientRequestToken!, value, ctx.caller);
    if (again) return { ARN: secret.arn, Name: secret.name, VersionId: again.id };
    // A new key must work before anything changes; the labelled versions move to it (AWS
    // re-encrypts AWSCURRENT, AWSPENDING and AWSPREVIOUS), older ones stay under the old key.
    let kmsKeyId = secret.kmsKeyId;
    let resealed: [VersionRecord, Partial<VersionRecord>][] = [];
    if (input.KmsKeyId !== undefined && (input.KmsKeyId || undefined) !== secret.kmsKeyId) {
      kmsKeyId = input.KmsKeyId || undefined;
      if (kmsKeyId) this.secrets.vault.checkKey(secret, kmsKeyId, ctx.caller);
      resealed = secret.versions
        .filter((v) => v.stages.some((s) => s === 'AWSCURRENT' || s === 'AWSPENDING' || s === 'AWSPREVIOUS'))
        .map((v) => [
          v,
          this.secrets.vault.seal(
            secret,
            v.id,
            this.secrets.vault.open(secret, v, ctx.caller),
            kmsKeyId,
            ctx.caller,
          ),
        ]);
    }
    const previousKey = secret.kmsKeyId;
    secret.kmsKeyId = kmsKeyId;
    let version: VersionRecord | undefined;
    try {
      if (value)
        version = this.secrets.addVersion(secret, input.ClientRequestToken!, value, undefined, ctx.caller);
    } catch (err) {
      secret.kmsKeyId = previousKey;
      throw err;
    }
    for (const [v, sealed] of resealed) Object.assign(v, sealed);
    if (input.Description !== undefined) secret.description = input.Description;
    secret.lastChangedAt = this.now();
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name, VersionId: version?.id };
  }

  async describeSecret(
    input: SM.DescribeSecretRequest,
    ctx: RequestContext,
  ): Promise<SM.DescribeSecretResponse> {
    const secret = await this.secrets.resolve(input.SecretId!, ctx);
    return { ...secretFields(secret), VersionIdsToStages: stagesMap(secret) };
  }

  async deleteSecret(input: SM.DeleteSecretRequest, ctx: RequestContext): Promise<SM.DeleteSecretResponse> {
    const force = input.ForceDeleteWithoutRecovery === true;
    if (force && input.RecoveryWindowInDays !== undefined) {
      throw smError.invalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    const days = input.RecoveryWindowInDays ?? 30;
    if (!force && (days < 7 || days > 30)) {
      throw smError.invalidParameter(
        'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      );
    }
    const now = this.now();
    const found = await this.secrets.find(input.SecretId!, ctx.caller);
    if (!found && force) {
      // AWS answers a forced delete of a secret that does not exist as if it had deleted one.
      const id = input.SecretId!;
      const named = id.startsWith('arn:') ? id.slice(id.indexOf(':secret:') + 8) : id;
      const arn = id.startsWith('arn:') ? id : secretArn(ctx.caller.region, ctx.caller.account, id);
      return { ARN: arn, Name: named, DeletionDate: new Date(now) };
    }
    const secret = await this.secrets.resolve(input.SecretId!, ctx);
    if (force) {
      await this.secrets.remove(secret);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
    }
    if (secret.deletedAt !== undefined) throw smError.markedForDeletion();
    secret.deletedAt = now;
    secret.deleteAfter = now + days * DAY;
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deleteAfter) };
  }

  async restoreSecret(
    input: SM.RestoreSecretRequest,
    ctx: RequestContext,
  ): Promise<SM.RestoreSecretResponse> {
    const secret = await this.secrets.resolve(input.SecretId!, ctx);
    if (secret.deletedAt !== undefined) {
      secret.deletedAt = undefined;
      secret.deleteAfter = undefined;
      await this.secrets.save(secret);
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  async listSecretVersionIds(
    input: SM.ListSecretVersionIdsRequest,
    ctx: RequestContext,
  ): Promise<SM.ListSecretVersionIdsResponse> {
    const secret = await this.secrets.resolve(input.SecretId!, ctx);
    const versions = secret.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
    const start = readPage(input.NextToken);
    // Without MaxResults AWS answers every version in one page (102 in its recorded answer).
    const size = input.MaxResults ?? versions.length;
    const page = versions.slice(start, start + size);
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: page.map((v) => ({
        VersionId: v.id,
        ...stagesOf(v),
        LastAccessedDate: v.lastAccessedAt === undefined ? undefined : new Date(dayOf(v.lastAccessedAt)),
        CreatedDate: new Date(v.createdAt),
        KmsKeyIds: [v.keyLabel],
      })),
      NextToken: start + size < versions.length ? writePage(start + size) : undefined,
    };
  }

  async tagResource(input: SM.TagResourceRequest, ctx: RequestContext): Promise<object> {
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const merged = mergeTags(secret.tags ?? [], checkTags(input.Tags ?? []));
    if (merged.length > 50) throw smError.invalidParameter('Number of tags exceeds the limit of 50 tags.');
    secret.tags = merged;
    await this.secrets.save(secret);
    return {};
  }

  async untagResource(input: SM.UntagResourceRequest, ctx: RequestContext): Promise<object> {
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const drop = new Set(input.TagKeys ?? []);
    secret.tags = (secret.tags ?? []).filter((t) => !drop.has(t.Key));
    await this.secrets.save(secret);
    return {};
  }
}

/** The version GetSecretValue names: by id (whose labels must then include the stage), else by label. */
export function pickVersion(secret: SecretRecord, versionId?: string, stage?: string): VersionRecord {
  if (versionId !== undefined) {
    const version = secret.versions.find((v) => v.id === versionId);
    if (!version) throw smError.versionNotFound(versionId);
    if (stage !== undefined && !version.stages.includes(stage)) throw smError.stageMismatch();
    return version;
  }
  const label = stage ?? 'AWSCURRENT';
  const version = holderOf(secret, label);
  if (!version) throw smError.stageNotFound(label);
  return version;
}

function checkTags(tags: SM.Tag[]): { Key: string; Value: string }[] {
  if (tags.length > 50) throw smError.invalidParameter('Number of tags exceeds the limit of 50 tags.');
  return tags.map((t) => {
    if (t.Key!.toLowerCase().startsWith('aws:')) {
      throw smError.invalidParameter('Invalid tag key. The prefix aws: is reserved for AWS use.');
    }
    return { Key: t.Key!, Value: t.Value ?? '' };
  });
}

/** Tags keep their first position; a key given again takes the new value. */
function mergeTags(
  current: { Key: string; Value: string }[],
  added: { Key: string; Value: string }[],
): { Key: string; Value: string }[] {
  const out = current.map((t) => ({ ...t }));
  for (const tag of added) {
    const same = out.find((t) => t.Key === tag.Key);
    if (same) same.Value = tag.Value;
    else out.push({ ...tag });
  }
  return out;
}
