import type { KeyMetadata } from '@aws-sdk/client-kms';
import { HMAC_SPECS, type KeyRecord } from './keys.js';

/** KeyMetadata as DescribeKey, CreateKey and friends print it. */
export function keyMetadata(key: KeyRecord): KeyMetadata {
  const metadata: KeyMetadata = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    Origin: key.origin,
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  };
  const hmac = HMAC_SPECS[key.keySpec];
  if (hmac) {
    // HMAC keys list their MAC algorithm; AWS shows no key material id for them.
    metadata.MacAlgorithms = [hmac.algorithm as 'HMAC_SHA_256'];
  } else {
    metadata.EncryptionAlgorithms = ['SYMMETRIC_DEFAULT'];
    metadata.CurrentKeyMaterialId = key.materialId;
  }
  if (key.multiRegion) {
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: key.arn, Region: key.region },
      ReplicaKeys: [],
    };
  }
  if (key.state === 'PendingDeletion' && key.deletionDate !== undefined) {
    metadata.DeletionDate = new Date(key.deletionDate);
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  return metadata;
}
