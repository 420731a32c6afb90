import { secretsSource } from '../../knowhow/live/collect.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import type { ServiceFactory } from '../registry.js';
import { smError, smValidation } from './errors.js';
import type { SecretsFrontDoor } from './front-door.js';
import type { SecretRecord } from './records.js';

/**
 * AWS Secrets Manager. Secrets live in the journal's `secrets` table (ciphertext only); values are
 * encrypted through KMS's front door, so KMS must be built before it. Its code loads on the first
 * Secrets Manager request.
 */
export const secretsManagerModule: ServiceFactory = {
  name: 'secretsmanager',
  create: ({ journal, clock, frontDoors }) => {
    const store = new EmbeddedRecords<SecretRecord>('secrets', journal, (s) => s.arn);
    let loading: Promise<void> | undefined;
    // Other services' secrets load this code on their first use too.
    let managed: Promise<SecretsFrontDoor> | undefined;
    const door = () =>
      (managed ??= import('./managed-secrets.js').then(({ managedSecrets }) =>
        managedSecrets(store, clock, () => frontDoors.kms),
      ));
    const frontDoor: SecretsFrontDoor = {
      create: async (...args) => (await door()).create(...args),
      read: async (arn) => (await door()).read(arn),
      update: async (arn, value) => (await door()).update(arn, value),
      remove: async (arn) => (await door()).remove(arn),
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
