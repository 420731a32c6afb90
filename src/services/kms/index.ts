import { kmsSource } from '../../knowhow/live/collect.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import type { ServiceFactory } from '../registry.js';
import { kmsError, kmsValidation } from './errors.js';
import { Keyring } from './keyring.js';
import { MasterKey } from './master-key.js';

/**
 * AWS KMS. The keyring (keys, aliases, grants, the envelope) is built at start-up because the
 * services after it encrypt through its front door; the API's operations load on the first KMS
 * request.
 */
export const kmsModule: ServiceFactory = {
  name: 'kms',
  create: ({ journal, dataDir, clock, log }) => {
    const keyring = new Keyring(journal, clock, MasterKey.load(journal ? dataDir : undefined), log);
    let loading: Promise<void> | undefined;
    const definition: ServiceDefinition = {
      name: 'kms',
      signingName: 'kms',
      json: {
        targetPrefix: 'TrentService',
        contentType: 'application/x-amz-json-1.1',
        errorNamespace: '',
        queryCompatible: false,
      },
      operations: {},
      validation: kmsValidation,
      unknownOperation: () => kmsError.unknownOperation(),
      load: () => {
        loading ??= import('./operations.js').then(({ kmsOperations }) => {
          definition.operations = kmsOperations(keyring);
          definition.load = undefined;
        });
        return loading;
      },
    };
    return {
      definition,
      cors: true,
      reset: () => keyring.reset(),
      close: () => undefined,
      frontDoors: { kms: keyring },
      live: kmsSource(
        () => keyring.keys.values(),
        () => keyring.aliases.values(),
      ),
    };
  },
};
