/**
 * KMS's entry for the services that encrypt with it (Secrets Manager, SQS, SNS, Kinesis, and later
 * EventBridge and Firehose). It runs what KMS runs for the same API call: the key is resolved
 * (id, key ARN, alias name or alias ARN), its state is checked, and its key policy is evaluated for
 * the principal, so a service fails here exactly where it would fail against AWS's KMS.
 *
 * Everything answers synchronously: keys live in memory (written through to the journal with
 * --data-dir, committed with the calling request's own commit).
 */
export interface KeyFrontDoor {
  /** DescribeKey: resolves the key without checking its state or usability. */
  describe(keyId: string, user: KeyUser): KeyFacts | KeyFailure;
  /**
   * The AWS-managed key of a service (`aws/sqs`, `aws/sns`, `aws/kinesis`, `aws/secretsmanager`…),
   * created the first time the service uses it in that account and region, as AWS does.
   */
  awsManagedKey(service: string, account: string, region: string): KeyFacts;
  /**
   * Whether the key can be used now by that user for that operation: state, then key policy. The
   * context is the encryption context the call would carry, for `kms:EncryptionContext:` conditions.
   */
  check(keyId: string, action: KeyAction, user: KeyUser, context?: EncryptionContext): KeyFacts | KeyFailure;
  encrypt(
    keyId: string,
    plaintext: Uint8Array,
    context: EncryptionContext | undefined,
    user: KeyUser,
  ): { ok: true; blob: Buffer; key: KeyFacts } | KeyFailure;
  /** The key is the one the blob names; `keyId`, when given, must be it (IncorrectKeyException). */
  decrypt(
    blob: Uint8Array,
    context: EncryptionContext | undefined,
    user: KeyUser,
    keyId?: string,
  ): { ok: true; plaintext: Buffer; key: KeyFacts } | KeyFailure;
  /** GenerateDataKey with AES_256: a fresh 32-byte key, and the same key encrypted under `keyId`. */
  generateDataKey(
    keyId: string,
    context: EncryptionContext | undefined,
    user: KeyUser,
  ): { ok: true; plaintext: Buffer; blob: Buffer; key: KeyFacts } | KeyFailure;
}

export type EncryptionContext = Record<string, string>;

export type KeyAction =
  | 'kms:Encrypt'
  | 'kms:Decrypt'
  | 'kms:GenerateDataKey'
  | 'kms:DescribeKey'
  | 'kms:ReEncrypt';

/** Who uses the key, as the key policy sees the request. */
export interface KeyUser {
  /** The account and region the request runs in: a bare key id or alias resolves there. */
  account: string;
  region: string;
  /**
   * A service principal using the key for itself, e.g. `sns.amazonaws.com` delivering to an
   * encrypted queue: the key policy must name it (AWS-managed keys never do). Absent when the
   * caller's own credentials are used, directly or through a service (kms:ViaService).
   */
  principal?: string;
  /** With `principal`: the resource it acts for (aws:SourceArn) and its owner (aws:SourceAccount). */
  sourceArn?: string;
  sourceAccount?: string;
  /** The service calling on the caller's behalf (kms:ViaService), e.g. `sqs.us-east-1.amazonaws.com`. */
  viaService?: string;
}

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface KeyFacts {
  ok: true;
  keyId: string;
  arn: string;
  account: string;
  region: string;
  manager: 'AWS' | 'CUSTOMER';
  state: KeyState;
}

/** KMS's error, by its code (the awsJson `__type`); services map it to their own (`KMS.DisabledException`). */
export interface KeyFailure {
  ok: false;
  code:
    | 'NotFoundException'
    | 'DisabledException'
    | 'KMSInvalidStateException'
    | 'AccessDeniedException'
    | 'InvalidCiphertextException'
    | 'IncorrectKeyException'
    | 'InvalidKeyUsageException'
    | 'KeyUnavailableException';
  message: string;
}
