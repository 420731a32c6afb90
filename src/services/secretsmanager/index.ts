import { secretsSource } from '../../knowhow/live/collect.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import type { ServiceFactory } from '../registry.js';
import { smError, smValidation } from './errors.js';
import type { SecretsFrontDoor } from './front-door.js';
import type { ManagedSecrets } from './managed-secrets.js';
import type { SecretRecord } from './records.js';

/**
 * Every change to a secret goes through its store's put or delete: telling observers there covers
 * the API, rotation and managed secrets alike. Reads that only stamp LastAccessedDate tell them too;
 * observers compare what they read.
 */
function observedStore(
  store: EmbeddedRecords<SecretRecord>,
  observers: Set<(arn: string) => void>,
): EmbeddedRecords<SecretRecord> {
  const tell = (arn: string) => {
    for (const observer of observers) observer(arn);
  };
  const put = store.put.bind(store);
  const remove = store.delete.bind(store);
  const clear = store.clear.bind(store);
  store.put = async (key, value) => {
    await put(key, value);
    tell(key);
  };
  store.delete = async (key) => {
    await remove(key);
    tell(key);
  };
  store.clear = async () => {
    const arns = store.values().map((s) => s.arn);
    await clear();
    for (const arn of arns) tell(arn);
  };
  return store;
}

/**
 * AWS Secrets Manager. Secrets live in the journal's `secrets` table (ciphertext only); values are
 * encrypted through KMS's front door, so KMS must be built before it. Its code loads on the first
 * Secrets Manager request.
 */
export const secretsManagerModule: ServiceFactory = {
  name: 'secretsmanager',
  create: ({ journal, clock, frontDoors }) => {
    const observers = new Set<(arn: string) => void>();
    const store = observedStore(
      new EmbeddedRecords<SecretRecord>('secrets', journal, (s) => s.arn),
      observers,
    );
    let loading: Promise<void> | undefined;
    // Other services' secrets load this code on their first use too.
    let managed: Promise<ManagedSecrets> | undefined;
    const door = () =>
      (managed ??= import('./managed-secrets.js').then(({ managedSecrets }) =>
        managedSecrets(store, clock, () => frontDoors.kms),
      ));
    const frontDoor: SecretsFrontDoor = {
      create: async (...args) => (await door()).create(...args),
      read: async (arn) => (await door()).read(arn),
      update: async (arn, value) => (await door()).update(arn, value),
      remove: async (arn) => (await door()).remove(arn),
      describe: (arn) => {
        const secret = store.get(arn);
        if (!secret) return undefined;
        const { name, account, region, kmsKeyId } = secret;
        return { arn, name, account, region, kmsKeyId, deleted: secret.deletedAt !== undefined };
      },
      observe: (listener) => {
        observers.add(listener);
        return () => observers.delete(listener);
      },
    };
    const definition: ServiceDefinition = {
      name: 'secretsmanager',
      signingName: 'secretsmanager',
      json: {
        targetPrefix: 'secretsmanager',
        contentType: 'application/x-amz-json-1.1',
        errorNamespace: '',
        queryCompatible: false,
        // AWS's recorded error bodies spell it `Message`.
        errorMessageKey: 'Message',
      },
      operations: {},
      validation: smValidation,
      unknownOperation: () => smError.unknownOperation(),
      load: () => {
        loading ??= import('./operations.js').then(({ secretsManagerOperations }) => {
          definition.operations = secretsManagerOperations(store, clock, () => frontDoors.kms);
          definition.load = undefined;
        });
        return loading;
      },
    };
    return {
      definition,
      cors: true,
      reset: () => store.clear(),
      close: () => undefined,
      frontDoors: { secretsmanager: frontDoor },
      live: secretsSource(() => store.values()),
    };
  },
};
