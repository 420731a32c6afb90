import { KMS_OPERATIONS } from '../../protocols/models/kms.js';
import { operationTable } from '../../protocols/service.js';
import { aliasOperations } from './alias-operations.js';
import { cryptoOperations } from './crypto-operations.js';
import { kmsError } from './errors.js';
import { grantOperations } from './grant-operations.js';
import { keyOperations } from './key-operations.js';
import type { Keyring } from './keyring.js';
import { macOperations } from './mac-operations.js';
import { policyOperations } from './policy-operations.js';

/** KMS's API over the keyring; operations Tideway does not model answer UnsupportedOperationException. */
export function kmsOperations(keyring: Keyring) {
  return operationTable(
    KMS_OPERATIONS,
    {
      ...keyOperations(keyring),
      ...aliasOperations(keyring),
      ...cryptoOperations(keyring),
      ...policyOperations(keyring),
      ...grantOperations(keyring),
      ...macOperations(keyring),
    },
    (name) => () => {
      throw kmsError.notSupported(name);
    },
  );
}
