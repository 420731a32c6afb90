import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { evaluatePolicy, type PolicyPrincipal } from '../../core/policy.js';
import type { Journal } from '../../storage/embedded/journal.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import { open, parseBlob, seal } from './envelope.js';
import { kmsFailure } from './errors.js';
import type {
  EncryptionContext,
  KeyAction,
  KeyFacts,
  KeyFailure,
  KeyFrontDoor,
  KeyUser,
} from './front-door.js';
import type { GrantRecord } from './grants.js';
import {
  type AliasRecord,
  AWS_MANAGED,
  aliasArn,
  awsManagedKeyPolicy,
  HMAC_SPECS,
  KEY_ID,
  type KeyRecord,
  keyArn,
  MRK_KEY_ID,
  newAlias,
  parseKmsArn,
} from './keys.js';
import type { MasterKey } from './master-key.js';

const STATE_TEXT: Record<string, string> = {
  Creating: 'creating',
  PendingImport: 'pending import',
  PendingReplicaDeletion: 'pending replica deletion',
  Unavailable: 'unavailable',
  Updating: 'updating',
};

/**
 * Every KMS key, alias and grant, with what the API and the other services' front door share:
 * resolving a key by any of its names, its state, its key policy and grants, and the envelope.
 * It loads with the server (node:crypto only); the wire operations load on the first request.
 */
export class Keyring implements KeyFrontDoor {
  readonly keys: EmbeddedRecords<KeyRecord>;
  readonly aliases: EmbeddedRecords<AliasRecord>;
  readonly grants: EmbeddedRecords<GrantRecord>;
  private readonly materials = new Map<string, Buffer>();

  constructor(
    private readonly journal: Journal | undefined,
    readonly clock: Clock,
    private readonly master: MasterKey,
    private readonly log: Logger,
  ) {
    this.keys = new EmbeddedRecords('kmsKeys', journal, (k) => k.arn);
    this.aliases = new EmbeddedRecords('kmsAliases', journal, (a) => a.arn);
    this.grants = new EmbeddedRecords('kmsGrants', journal, (g) => g.grantId);
  }

  // --- records ---------------------------------------------------------------------------------

  /**
   * Writes a record now, in memory and to the journal's pending writes, for the front door's
   * synchronous callers: the calling request's own commit (or the next one) makes it durable.
   */
  stage<T extends object>(store: EmbeddedRecords<T>, key: string, value: T): void {
    store.put(key, value).catch((err: unknown) => this.log.error({ err }, 'kms: journal write failed'));
  }

  /** Resolves once what `stage` wrote is durable: a request that created a key awaits it before answering. */
  settled(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  newKey(
    fields: Omit<KeyRecord, 'arn' | 'keyId' | 'material' | 'materialId' | 'createdAt'> & {
      keyId?: string;
      /** An asymmetric key's private key (PKCS #8 DER); symmetric and HMAC material is drawn here. */
      material?: Buffer;
    },
  ): KeyRecord {
    const { material: given, ...rest } = fields;
    const keyId =
      fields.keyId ?? (fields.multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID());
    const arn = keyArn(fields.region, fields.account, keyId);
    const material = given ?? randomBytes(HMAC_SPECS[fields.keySpec]?.bytes ?? 32);
    this.materials.set(arn, material);
    return {
      ...rest,
      keyId,
      arn,
      createdAt: this.clock.now(),
      material: this.master.wrap(material, arn),
      materialId: randomBytes(32).toString('hex'),
    };
  }

  materialOf(key: KeyRecord): Buffer | undefined {
    let material = this.materials.get(key.arn);
    if (!material) {
      try {
        material = this.master.unwrap(key.material, key.arn);
      } catch {
        // Another master key wrapped it: the key exists but cannot be used here.
        return undefined;
      }
      this.materials.set(key.arn, material);
    }
    return material;
  }

  /** The key if it still exists: a key whose deletion date has passed is deleted now. */
  live(key: KeyRecord | undefined): KeyRecord | undefined {
    if (!key) return undefined;
    if (
      key.state === 'PendingDeletion' &&
      key.deletionDate !== undefined &&
      key.deletionDate <= this.clock.now()
    ) {
      this.forget(key);
      return undefined;
    }
    return key;
  }

  private forget(key: KeyRecord): void {
    this.materials.delete(key.arn);
    const drop = <T extends object>(store: EmbeddedRecords<T>, id: string) =>
      store.delete(id).catch((err: unknown) => this.log.error({ err }, 'kms: journal write failed'));
    drop(this.keys, key.arn);
    for (const alias of this.aliases.values()) {
      if (alias.targetKeyId === key.keyId && alias.account === key.account && alias.region === key.region) {
        drop(this.aliases, alias.arn);
      }
    }
    for (const grant of this.grants.values()) if (grant.keyArn === key.arn) drop(this.grants, grant.grantId);
  }

  keyById(account: string, region: string, keyId: string): KeyRecord | undefined {
    return this.live(this.keys.get(keyArn(region, account, keyId)));
  }

  /** The live key an alias points at; an alias whose key is gone names nothing, as in AWS. */
  aliasTarget(alias: AliasRecord | undefined): KeyRecord | undefined {
    return alias && this.keyById(alias.account, alias.region, alias.targetKeyId);
  }

  /** Every live key of one account and region, oldest first. */
  keysOf(account: string, region: string): KeyRecord[] {
    const found: KeyRecord[] = [];
    for (const key of this.keys.values()) {
      if (key.account !== account || key.region !== region) continue;
      const alive = this.live(key);
      if (alive) found.push(alive);
    }
    return found;
  }

  /**
   * A key by id, key ARN, alias name or alias ARN, with KMS's NotFoundException texts. An
   * AWS-managed alias (`alias/aws/sqs`) that does not exist yet is created when `createManaged`,
   * as DescribeKey and the services do.
   */
  resolve(
    keyId: string,
    user: Pick<KeyUser, 'account' | 'region'>,
    createManaged = false,
  ): KeyRecord | KeyFailure {
    let account = user.account;
    let region = user.region;
    let name = keyId;
    if (keyId.startsWith('arn:')) {
      const arn = parseKmsArn(keyId);
      if (!arn) return kmsFailure.invalidArn(keyId);
      // A key is used in its own region: AWS names the ARN's region when it is another.
      if (arn.region !== user.region) return kmsFailure.invalidArn(arn.region);
      account = arn.account;
      region = arn.region;
      name = arn.kind === 'alias' ? `alias/${arn.rest}` : arn.rest;
      if (arn.kind === 'key' && !KEY_ID.test(name) && !MRK_KEY_ID.test(name))
        return kmsFailure.invalidKeyId(name);
    }
    if (name.startsWith('alias/')) {
      const arn = aliasArn(region, account, name);
      const key = this.aliasTarget(this.aliases.get(arn));
      if (key) return key;
      const service = name.startsWith('alias/aws/') ? name.slice('alias/aws/'.length) : undefined;
      if (createManaged && service && AWS_MANAGED[service] && account === user.account) {
        return this.managedKey(service, account, region);
      }
      return kmsFailure.aliasNotFound(arn);
    }
    if (!KEY_ID.test(name) && !MRK_KEY_ID.test(name)) return kmsFailure.invalidKeyId(name);
    return this.keyById(account, region, name) ?? kmsFailure.keyNotFound(keyArn(region, account, name));
  }

  /** The AWS-managed key of a service in an account and region, created on first use. */
  managedKey(service: string, account: string, region: string): KeyRecord {
    const name = `alias/aws/${service}`;
    const arn = aliasArn(region, account, name);
    const existing = this.aliasTarget(this.aliases.get(arn));
    if (existing) return existing;
    const key = this.newKey({
      account,
      region,
      description:
        AWS_MANAGED[service]?.description ??
        `Default key that protects my ${service} data when no other key is defined`,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      manager: 'AWS',
      service,
      multiRegion: false,
      state: 'Enabled',
      policy: awsManagedKeyPolicy(service, account, region),
      tags: [],
      // AWS rotates AWS-managed keys every year, and says so in GetKeyRotationStatus.
      rotation: { enabled: true, periodInDays: 365, enabledAt: this.clock.now() },
    });
    this.stage(this.keys, key.arn, key);
    this.stage(this.aliases, arn, newAlias(name, account, region, key.keyId, this.clock.now()));
    return key;
  }

  // --- use: state, key policy, grants ------------------------------------------------------------

  /** Whether the key's state lets it be used now. */
  usable(key: KeyRecord): KeyFailure | undefined {
    switch (key.state) {
      case 'Enabled':
        return undefined;
      case 'Disabled':
        return kmsFailure.disabled(key.arn);
      case 'PendingDeletion':
        return kmsFailure.pendingDeletion(key.arn);
      default:
        return kmsFailure.invalidState(key.arn, STATE_TEXT[key.state] ?? key.state);
    }
  }

  /**
   * The key policy for the request, then the key's grants. A caller using its own credentials is
   * its account's root (Tideway has no IAM: the root statement's delegation to IAM allows it); a
   * service principal must be named by a statement or a grant. Grant tokens are accepted and add
   * nothing: in AWS they only bridge a new grant's eventual consistency, and here grants apply at once.
   */
  authorize(
    key: KeyRecord,
    action: string,
    user: KeyUser,
    context?: EncryptionContext,
    _grantTokens?: readonly string[],
  ): KeyFailure | undefined {
    const root = `arn:aws:iam::${user.account}:root`;
    const principal: PolicyPrincipal = user.principal
      ? { kind: 'Service', id: user.principal }
      : { kind: 'AWS', id: root };
    const conditions: Record<string, string | undefined> = {
      'kms:CallerAccount': user.principal ? undefined : user.account,
      'kms:ViaService': user.viaService,
      'aws:SourceArn': user.sourceArn,
      'aws:SourceAccount': user.sourceAccount,
    };
    for (const [k, v] of Object.entries(context ?? {})) conditions[`kms:EncryptionContext:${k}`] = v;
    let decision: ReturnType<typeof evaluatePolicy>;
    try {
      decision = evaluatePolicy(key.policy, { principal, action, resource: key.arn, context: conditions });
    } catch {
      decision = 'ImplicitDeny';
    }
    const who = user.principal ?? root;
    if (decision === 'ExplicitDeny') {
      return kmsFailure.accessDenied(
        who,
        action,
        key.arn,
        `with an explicit deny in a resource-based policy`,
      );
    }
    if (decision === 'Allow' || this.granted(key, action, user, context)) return undefined;
    return kmsFailure.accessDenied(
      who,
      action,
      key.arn,
      `because no resource-based policy allows the ${action} action`,
    );
  }

  private granted(
    key: KeyRecord,
    action: string,
    user: KeyUser,
    context: EncryptionContext | undefined,
  ): boolean {
    const operation = action.slice('kms:'.length);
    const names = user.principal ? [user.principal] : [`arn:aws:iam::${user.account}:root`, user.account];
    for (const grant of this.grants.values()) {
      if (grant.keyArn !== key.arn) continue;
      if (!names.includes(grant.granteePrincipal) || !grant.operations.includes(operation)) continue;
      if (satisfies(grant, context)) return true;
    }
    return false;
  }

  private facts(key: KeyRecord): KeyFacts {
    return {
      ok: true,
      keyId: key.keyId,
      arn: key.arn,
      account: key.account,
      region: key.region,
      manager: key.manager,
      state: key.state,
    };
  }

  // --- the front door --------------------------------------------------------------------------

  describe(keyId: string, user: KeyUser): KeyFacts | KeyFailure {
    const key = this.resolve(keyId, user, true);
    return 'ok' in key ? key : this.facts(key);
  }

  awsManagedKey(service: string, account: string, region: string): KeyFacts {
    return this.facts(this.managedKey(service, account, region));
  }

  /** The key, usable now by that user for that action, or KMS's error for it. */
  use(keyId: string, action: string, user: KeyUser, context?: EncryptionContext): KeyRecord | KeyFailure {
    return this.usableFor(
      keyId,
      action,
      user,
      (key) => (action === 'kms:DescribeKey' ? undefined : this.envelopeKey(key, action.slice(4))),
      { context, createManaged: true },
    );
  }

  /**
   * The key a request names, checked in KMS's order: it exists for the caller, its state lets it
   * be used, the key policy or a grant allows `action`, and last `fits` (the usage and spec the
   * operation needs). Every operation that uses a key goes through here so the order is one.
   */
  usableFor(
    keyId: string,
    action: string,
    user: KeyUser,
    fits: (key: KeyRecord) => KeyFailure | undefined,
    request: { context?: EncryptionContext; grantTokens?: readonly string[]; createManaged?: boolean } = {},
  ): KeyRecord | KeyFailure {
    const key = this.resolve(keyId, user, request.createManaged);
    if ('ok' in key) return key;
    return this.permits(key, action, user, fits, request) ?? key;
  }

  /** `usableFor`'s checks on a key already resolved. */
  permits(
    key: KeyRecord,
    action: string,
    user: KeyUser,
    fits: (key: KeyRecord) => KeyFailure | undefined,
    request: { context?: EncryptionContext; grantTokens?: readonly string[] } = {},
  ): KeyFailure | undefined {
    return (
      this.usable(key) ?? this.authorize(key, action, user, request.context, request.grantTokens) ?? fits(key)
    );
  }

  /** The key's material, or KeyUnavailableException when this server's master key cannot unwrap it. */
  materialFor(key: KeyRecord): Buffer | KeyFailure {
    return this.materialOf(key) ?? kmsFailure.unavailable(key.arn);
  }

  /** Envelope encryption (blobs, data keys) needs a symmetric encryption key. */
  envelopeKey(key: KeyRecord, operation: string): KeyFailure | undefined {
    const refused = this.usage(key, 'ENCRYPT_DECRYPT', operation);
    if (refused || key.keySpec === 'SYMMETRIC_DEFAULT') return refused;
    return {
      ok: false,
      code: 'InvalidKeyUsageException',
      message: `${key.arn} key spec ${key.keySpec} is not valid for ${operation}.`,
    };
  }

  /** The key's usage fits the operation: InvalidKeyUsageException with KMS's text otherwise. */
  usage(key: KeyRecord, wanted: KeyRecord['keyUsage'], operation: string): KeyFailure | undefined {
    return key.keyUsage === wanted ? undefined : kmsFailure.keyUsage(key.arn, key.keyUsage, operation);
  }

  check(keyId: string, action: KeyAction, user: KeyUser, context?: EncryptionContext): KeyFacts | KeyFailure {
    const key = this.use(keyId, action, user, context);
    return 'ok' in key ? key : this.facts(key);
  }

  encrypt(
    keyId: string,
    plaintext: Uint8Array,
    context: EncryptionContext | undefined,
    user: KeyUser,
  ): { ok: true; blob: Buffer; key: KeyFacts } | KeyFailure {
    const key = this.use(keyId, 'kms:Encrypt', user, context);
    if ('ok' in key) return key;
    const sealed = this.seal(key, plaintext, context);
    return 'ok' in sealed ? sealed : { ok: true, blob: sealed, key: this.facts(key) };
  }

  seal(key: KeyRecord, plaintext: Uint8Array, context: EncryptionContext | undefined): Buffer | KeyFailure {
    const material = this.materialOf(key);
    if (!material) return kmsFailure.unavailable(key.arn);
    return seal(material, key.arn, plaintext, context);
  }

  /**
   * Decrypt's steps in KMS's order: the blob names its key (InvalidCiphertextException when it is
   * not ours), a `keyId` given must be that key, then its state, the key policy, and the blob
   * must open under its material with exactly this encryption context.
   */
  decrypt(
    blob: Uint8Array,
    context: EncryptionContext | undefined,
    user: KeyUser,
    keyId?: string,
    grantTokens?: readonly string[],
  ): { ok: true; plaintext: Buffer; key: KeyFacts } | KeyFailure {
    const opened = this.openBlob(blob, context, user, 'kms:Decrypt', keyId, grantTokens);
    if (!opened.ok) return opened;
    return { ok: true, plaintext: opened.plaintext, key: this.facts(opened.record) };
  }

  openBlob(
    blob: Uint8Array,
    context: EncryptionContext | undefined,
    user: KeyUser,
    action: string,
    keyId?: string,
    grantTokens?: readonly string[],
  ): { ok: true; plaintext: Buffer; record: KeyRecord } | KeyFailure {
    const parsed = parseBlob(blob);
    if (!parsed) return kmsFailure.invalidCiphertext();
    const named = parseKmsArn(parsed.keyArn);
    if (named?.kind !== 'key' || named.region !== user.region) return kmsFailure.invalidCiphertext();
    if (keyId !== undefined) {
      const wanted = this.resolve(keyId, user);
      if ('ok' in wanted) return wanted;
      if (wanted.arn !== parsed.keyArn) return kmsFailure.incorrectKey();
    }
    const key = this.live(this.keys.get(parsed.keyArn));
    if (!key) return kmsFailure.keyNotFound(parsed.keyArn);
    const refused = this.usable(key) ?? this.authorize(key, action, user, context, grantTokens);
    if (refused) return refused;
    const material = this.materialOf(key);
    if (!material) return kmsFailure.unavailable(key.arn);
    const plaintext = open(material, parsed, context);
    if (!plaintext) return kmsFailure.invalidCiphertext();
    return { ok: true, plaintext, record: key };
  }

  generateDataKey(
    keyId: string,
    context: EncryptionContext | undefined,
    user: KeyUser,
  ): { ok: true; plaintext: Buffer; blob: Buffer; key: KeyFacts } | KeyFailure {
    const key = this.use(keyId, 'kms:GenerateDataKey', user, context);
    if ('ok' in key) return key;
    const plaintext = randomBytes(32);
    const blob = this.seal(key, plaintext, context);
    return 'ok' in blob ? blob : { ok: true, plaintext, blob, key: this.facts(key) };
  }

  /** Admin reset: every key, alias and grant. */
  async reset(): Promise<void> {
    this.materials.clear();
    await Promise.all([this.keys.clear(), this.aliases.clear(), this.grants.clear()]);
  }
}

/** A grant's encryption-context constraints against the request's context. */
function satisfies(grant: GrantRecord, context: EncryptionContext | undefined): boolean {
  const given = context ?? {};
  const equals = grant.constraints?.EncryptionContextEquals;
  if (equals) {
    const a = Object.entries(equals);
    if (a.length !== Object.keys(given).length || a.some(([k, v]) => given[k] !== v)) return false;
  }
  const subset = grant.constraints?.EncryptionContextSubset;
  if (subset && Object.entries(subset).some(([k, v]) => given[k] !== v)) return false;
  return true;
}
