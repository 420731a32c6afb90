import type * as SM from '@aws-sdk/client-secrets-manager';
import { isServiceError } from '../../protocols/errors.js';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import { readPage, writePage } from './paging.js';
import { type SecretRecord, stagesMap } from './records.js';
import { authorize, type Secrets } from './secrets.js';
import { pickVersion, secretFields, valueFields } from './service.js';

/** Words as AWS's unfiltered search splits them: at case changes, letter/digit changes and punctuation. */
function words(text: string): string[] {
  return (text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** One positive value of one filter key against a secret, with AWS's matching rule for that key. */
function matches(secret: SecretRecord, key: string, value: string): boolean {
  const tags = secret.tags ?? [];
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'description': {
      // Prefix of the description, or of its words; not case-sensitive.
      const description = (secret.description ?? '').toLowerCase();
      const wanted = value.toLowerCase();
      if (description.startsWith(wanted)) return true;
      const own = description.split(/\s+/);
      return wanted
        .split(/\s+/)
        .filter(Boolean)
        .every((w) => own.some((d) => d.startsWith(w)));
    }
    case 'tag-key':
      return tags.some((t) => t.Key.startsWith(value));
    case 'tag-value':
      return tags.some((t) => t.Value.startsWith(value));
    case 'primary-region':
      return false; // no secret in Tideway is a replica or has replicas
    case 'owning-service':
      // Prefix, case-sensitive, like name and tag filters (EventBridge connections are `events`).
      return secret.owningService?.startsWith(value) ?? false;
    default: {
      // all: any word of the value starting any word of the name, description or tags.
      const own = [secret.name, secret.description ?? '', ...tags.flatMap((t) => [t.Key, t.Value])].flatMap(
        words,
      );
      return words(value).some((w) => own.some((o) => o.startsWith(w)));
    }
  }
}

/** Values of one filter are alternatives; `!value` excludes; every filter must hold. */
export function passes(secret: SecretRecord, filters: readonly SM.Filter[]): boolean {
  return filters.every((filter) => {
    const key = filter.Key ?? 'all';
    const values = filter.Values ?? [];
    const positive = values.filter((v) => !v.startsWith('!'));
    const negative = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
    if (negative.some((v) => matches(secret, key, v))) return false;
    return positive.length === 0 || positive.some((v) => matches(secret, key, v));
  });
}

const SORT_KEYS: Record<string, (s: SecretRecord) => number | string> = {
  'created-date': (s) => s.createdAt,
  'last-accessed-date': (s) => s.lastAccessedAt ?? 0,
  'last-changed-date': (s) => s.lastChangedAt,
  name: (s) => s.name,
};

/** ListSecrets and BatchGetSecretValue. */
export class Listing {
  constructor(private readonly secrets: Secrets) {}

  async listSecrets(input: SM.ListSecretsRequest, ctx: RequestContext): Promise<SM.ListSecretsResponse> {
    const filters = input.Filters ?? [];
    const all = (await this.secrets.all(ctx.caller))
      .filter((s) => input.IncludePlannedDeletion || s.deletedAt === undefined)
      .filter((s) => passes(s, filters));
    // By creation date, oldest first, unless asked otherwise: AWS's recorded full listing of an
    // account shows its secrets in the order they were created.
    const keyOf = SORT_KEYS[input.SortBy ?? 'created-date']!;
    const order = input.SortOrder === 'desc' ? -1 : 1;
    all.sort((a, b) => {
      const x = keyOf(a);
      const y = keyOf(b);
      return (x < y ? -1 : x > y ? 1 : 0) * order;
    });
    const start = readPage(input.NextToken);
    const size = input.MaxResults ?? 100;
    return {
      SecretList: all.slice(start, start + size).map((s) => ({
        ...secretFields(s),
        SecretVersionsToStages: stagesMap(s),
      })),
      NextToken: start + size < all.length ? writePage(start + size) : undefined,
    };
  }

  async batchGetSecretValue(
    input: SM.BatchGetSecretValueRequest,
    ctx: RequestContext,
  ): Promise<SM.BatchGetSecretValueResponse> {
    const byId = input.SecretIdList !== undefined;
    if (byId === (input.Filters !== undefined)) {
      throw smError.invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
    }
    if (byId && (input.MaxResults !== undefined || input.NextToken !== undefined)) {
      throw smError.invalidParameter('MaxResults and NextToken can only be used with Filters.');
    }
    const values: SM.SecretValueEntry[] = [];
    const errors: SM.APIErrorType[] = [];
    const read = async (secretId: string, known: SecretRecord | undefined) => {
      try {
        // Each id is looked up here, so a name no secret can have is that entry's error only.
        const secret = known ?? (await this.secrets.find(secretId, ctx.caller));
        if (!secret) throw smError.notFound();
        authorize(secret, 'GetSecretValue', ctx);
        if (secret.deletedAt !== undefined) throw smError.markedForDeletion();
        const version = pickVersion(secret, undefined, 'AWSCURRENT');
        const value = this.secrets.open(secret, version, ctx.caller);
        await this.secrets.touch(secret, version);
        values.push({
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          ...valueFields(value),
          VersionStages: [...version.stages],
          CreatedDate: new Date(version.createdAt),
        });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        errors.push({ SecretId: secretId, ErrorCode: err.code, Message: err.message });
      }
    };
    if (byId) {
      for (const id of input.SecretIdList!) await read(id, undefined);
      return { SecretValues: values, Errors: errors };
    }
    const all = (await this.secrets.all(ctx.caller))
      .filter((s) => s.deletedAt === undefined && passes(s, input.Filters!))
      .sort((a, b) => a.createdAt - b.createdAt);
    const start = readPage(input.NextToken);
    const size = input.MaxResults ?? 20;
    for (const secret of all.slice(start, start + size)) await read(secret.name, secret);
    return {
      SecretValues: values,
      Errors: errors,
      NextToken: start + size < all.length ? writePage(start + size) : undefined,
    };
  }
}
