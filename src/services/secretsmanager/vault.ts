import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Caller } from '../../core/accounts.js';
import { ServiceError } from '../../protocols/errors.js';
import type { EncryptionContext, KeyFailure, KeyFrontDoor, KeyUser } from '../kms/front-door.js';
import { smError } from './errors.js';
import type { SecretRecord, VersionRecord } from './records.js';

/**
 * AWS wraps KMS's own answer in the Java SDK's form: "Secrets Manager can't decrypt the secret
 * value: <KMS's message> (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; …)"
 * (AWS GovCloud User Guide, troubleshooting DecryptionFailure). The encrypting side is worded alike.
 */
function wrapped(verb: 'encrypt' | 'decrypt', failure: KeyFailure): string {
  return `Secrets Manager can't ${verb} the secret value: ${failure.message} (Service: AWSKMS; Status Code: 400; Error Code: ${failure.code}; Request ID: ${randomUUID()}; Proxy: null)`;
}

/**
 * Envelope encryption as Secrets Manager does it: every version gets a fresh data key from KMS
 * (GenerateDataKey under the secret's key, as the caller, through secretsmanager.<region>), the
 * value is sealed with it here, and only the sealed value and the encrypted data key are kept.
 * Every read asks KMS to decrypt the data key again, so the key's state and policy decide each read.
 */
export class Vault {
  constructor(private readonly kms: () => KeyFrontDoor | undefined) {}

  private door(): KeyFrontDoor {
    const kms = this.kms();
    if (!kms)
      throw new ServiceError('InternalServiceError', 'KMS is not available in this Tideway.', {
        status: 500,
      });
    return kms;
  }

  /** KMS is called as the caller (another account's reader too), through Secrets Manager. */
  private user(secret: SecretRecord, caller: Caller): KeyUser {
    return {
      account: caller.account,
      region: secret.region,
      viaService: `secretsmanager.${secret.region}.amazonaws.com`,
    };
  }

  /** The key a new version is encrypted under: the customer's, or aws/secretsmanager (made on first use). */
  private keyOf(secret: SecretRecord, kmsKeyId: string | undefined): string {
    if (kmsKeyId) return kmsKeyId;
    return this.door().awsManagedKey('secretsmanager', secret.account, secret.region).arn;
  }

  /** Checks a customer key can encrypt before anything is stored (UpdateSecret's KmsKeyId). */
  checkKey(secret: SecretRecord, kmsKeyId: string, caller: Caller): void {
    const facts = this.door().check(kmsKeyId, 'kms:GenerateDataKey', this.user(secret, caller));
    if (!facts.ok) throw writeFailure(facts);
  }

  seal(
    secret: SecretRecord,
    versionId: string,
    plaintext: Buffer,
    kmsKeyId: string | undefined,
    caller: Caller,
  ): Pick<VersionRecord, 'sealed' | 'dataKey' | 'keyLabel'> {
    if (!kmsKeyId) defaultKeyOwnerOnly(secret, caller);
    const made = this.door().generateDataKey(
      this.keyOf(secret, kmsKeyId),
      context(secret, versionId),
      this.user(secret, caller),
    );
    if (!made.ok) throw writeFailure(made);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', made.plaintext, iv);
    cipher.setAAD(Buffer.from(`${secret.arn}\n${versionId}`));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    made.plaintext.fill(0);
    return {
      sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
      dataKey: made.blob.toString('base64'),
      keyLabel: kmsKeyId ?? 'DefaultEncryptionKey',
    };
  }

  open(secret: SecretRecord, version: VersionRecord, caller: Caller): Buffer {
    if (version.keyLabel === 'DefaultEncryptionKey') defaultKeyOwnerOnly(secret, caller);
    const opened = this.door().decrypt(
      Buffer.from(version.dataKey, 'base64'),
      context(secret, version.id),
      this.user(secret, caller),
    );
    if (!opened.ok) throw readFailure(opened);
    const raw = Buffer.from(version.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', opened.plaintext, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${secret.arn}\n${version.id}`));
    decipher.setAuthTag(raw.subarray(12, 28));
    const value = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    opened.plaintext.fill(0);
    return value;
  }
}

/**
 * The AWS-managed key serves its own account only; Secrets Manager says so before asking KMS
 * (AWS-validated text, for GetSecretValue and PutSecretValue from another account).
 */
function defaultKeyOwnerOnly(secret: SecretRecord, caller: Caller): void {
  if (caller.account !== secret.account) {
    throw smError.invalidRequest(
      "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
    );
  }
}

/** AWS's encryption context for a secret version. */
function context(secret: SecretRecord, versionId: string): EncryptionContext {
  return { SecretARN: secret.arn, SecretVersionId: versionId };
}

function writeFailure(failure: KeyFailure): ServiceError {
  if (failure.code === 'AccessDeniedException') return smError.accessDenied('Access to KMS is not allowed');
  // A key KMS cannot find is the caller's mistake, worded around KMS's text (users have quoted
  // "The operation failed because of an invalid KMS key: Invalid arn us-west-2" from AWS).
  if (failure.code === 'NotFoundException') {
    return smError.invalidParameter(`The operation failed because of an invalid KMS key: ${failure.message}`);
  }
  return smError.encryptionFailure(wrapped('encrypt', failure));
}

function readFailure(failure: KeyFailure): ServiceError {
  if (failure.code === 'AccessDeniedException') return smError.accessDenied('Access to KMS is not allowed');
  return smError.decryptionFailure(wrapped('decrypt', failure));
}
