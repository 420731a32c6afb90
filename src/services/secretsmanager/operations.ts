import type { Clock } from '../../core/clock.js';
import {
  SECRETSMANAGER_OPERATIONS,
  type SecretsmanagerOperationName,
} from '../../protocols/models/secretsmanager.js';
import { type Operation, operationTable, type RequestContext } from '../../protocols/service.js';
import type { RecordStore } from '../../storage/types.js';
import type { KeyFrontDoor } from '../kms/front-door.js';
import { smError } from './errors.js';
import { Listing } from './listing.js';
import { randomPassword } from './password.js';
import { Policies } from './policies.js';
import type { SecretRecord } from './records.js';
import { Rotation } from './rotation.js';
import { Secrets } from './secrets.js';
import { SecretOperations } from './service.js';
import { Stages } from './stages.js';
import { Vault } from './vault.js';

/** The operations of Secrets Manager, built on its first request (see index.ts). */
export function secretsManagerOperations(
  store: RecordStore<SecretRecord>,
  clock: Clock,
  kms: () => KeyFrontDoor | undefined,
): Record<string, Operation> {
  const secrets = new Secrets(store, clock, new Vault(kms));
  const ops = new SecretOperations(secrets);
  const listing = new Listing(secrets);
  const stages = new Stages(secrets);
  const rotation = new Rotation(secrets);
  const policies = new Policies(secrets);
  type Handler = (input: any, ctx: RequestContext) => unknown;
  const handlers: Partial<Record<SecretsmanagerOperationName, Handler>> = {
    BatchGetSecretValue: (i, c) => listing.batchGetSecretValue(i, c),
    CancelRotateSecret: (i, c) => rotation.cancelRotateSecret(i, c),
    CreateSecret: (i, c) => ops.createSecret(i, c),
    DeleteResourcePolicy: (i, c) => policies.delete(i, c),
    DeleteSecret: (i, c) => ops.deleteSecret(i, c),
    DescribeSecret: (i, c) => ops.describeSecret(i, c),
    GetRandomPassword: (i) => randomPassword(i),
    GetResourcePolicy: (i, c) => policies.get(i, c),
    GetSecretValue: (i, c) => ops.getSecretValue(i, c),
    ListSecretVersionIds: (i, c) => ops.listSecretVersionIds(i, c),
    ListSecrets: (i, c) => listing.listSecrets(i, c),
    PutResourcePolicy: (i, c) => policies.put(i, c),
    PutSecretValue: (i, c) => ops.putSecretValue(i, c),
    RestoreSecret: (i, c) => ops.restoreSecret(i, c),
    RotateSecret: (i, c) => rotation.rotateSecret(i, c),
    TagResource: (i, c) => ops.tagResource(i, c),
    UntagResource: (i, c) => ops.untagResource(i, c),
    UpdateSecret: (i, c) => ops.updateSecret(i, c),
    UpdateSecretVersionStage: (i, c) => stages.updateSecretVersionStage(i, c),
    ValidateResourcePolicy: (i, c) => policies.validate(i, c),
  };
  // Replication and cross-account replicas need other regions' copies: refused, and documented.
  return operationTable(SECRETSMANAGER_OPERATIONS, handlers, (name) => () => {
    throw smError.notSupported(name);
  });
}
