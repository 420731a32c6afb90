import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { RecordStore } from '../../storage/types.js';
import type { KeyFrontDoor } from '../kms/front-door.js';
import type { SecretsFrontDoor } from './front-door.js';
import { type SecretRecord, secretArn } from './records.js';
import { Secrets } from './secrets.js';
import { Vault } from './vault.js';

/** The front door's writes and reads, loaded with the service's code. */
export type ManagedSecrets = Pick<SecretsFrontDoor, 'create' | 'read' | 'update' | 'remove'>;

/**
 * Secrets another service keeps in an account (EventBridge's `events!connection/…`): real secrets
 * of the account, read and listed through the API like any other, encrypted through KMS as the
 * account would encrypt them, and marked with the service that owns them (`OwningService`).
 */
export function managedSecrets(
  store: RecordStore<SecretRecord>,
  clock: Clock,
  kms: () => KeyFrontDoor | undefined,
): ManagedSecrets {
  const secrets = new Secrets(store, clock, new Vault(kms));
  const find = (arn: string): SecretRecord => {
    const secret = store.get(arn);
    if (!secret) throw new Error(`The managed secret ${arn} is gone.`);
    return secret;
  };
  const owner = (secret: SecretRecord) => ({ account: secret.account, region: secret.region });
  const value = (text: string) => ({ kind: 'string' as const, bytes: Buffer.from(text, 'utf8') });
  return {
    async create(account, region, name, text, options = {}) {
      const now = clock.now();
      const secret: SecretRecord = {
        arn: secretArn(region, account, name),
        name,
        account,
        region,
        description: options.description,
        kmsKeyId: options.kmsKeyId,
        owningService: options.owningService,
        createdAt: now,
        lastChangedAt: now,
        versions: [],
      };
      secrets.addVersion(secret, randomUUID(), value(text), undefined, owner(secret));
      await secrets.save(secret);
      return secret.arn;
    },
    async read(arn) {
      const secret = find(arn);
      const current = secret.versions.find((v) => v.stages.includes('AWSCURRENT'));
      if (!current) throw new Error(`The managed secret ${arn} has no current version.`);
      return secrets.open(secret, current, owner(secret)).bytes.toString('utf8');
    },
    async update(arn, text) {
      const secret = find(arn);
      secrets.addVersion(secret, randomUUID(), value(text), undefined, owner(secret));
      await secrets.save(secret);
    },
    async remove(arn) {
      if (store.get(arn)) await store.delete(arn);
    },
  };
}
