import { ServiceError } from '../../protocols/errors.js';
import type { StreamRecord } from '../../storage/types.js';
import type { KeyAction, KeyFailure, KeyFrontDoor } from '../kms/front-door.js';

/**
 * Server-side encryption of streams with a KMS key. StartStreamEncryption meets the key it names
 * (unknown, disabled, pending deletion: KMS's error, before the stream starts UPDATING); then
 * every PutRecord(s) needs kms:GenerateDataKey and every GetRecords kms:Decrypt on it, so a key
 * disabled later fails writes and reads with the KMS errors the model lists on those operations.
 */
export class StreamEncryption {
  constructor(private readonly kms: KeyFrontDoor | undefined) {}

  /** StartStreamEncryption's key, checked as the stream's owner through Kinesis. */
  checkStart(stream: StreamRecord, keyId: string): void {
    this.check(stream, keyId, 'kms:GenerateDataKey');
  }

  /** A write to an encrypted stream. */
  checkWrite(stream: StreamRecord): void {
    if (stream.encryption) this.check(stream, stream.encryption.keyId, 'kms:GenerateDataKey');
  }

  /** A read from an encrypted stream. */
  checkRead(stream: StreamRecord): void {
    if (stream.encryption) this.check(stream, stream.encryption.keyId, 'kms:Decrypt');
  }

  private check(stream: StreamRecord, keyId: string, action: KeyAction): void {
    if (!this.kms) return;
    const user = {
      account: stream.account,
      region: stream.region,
      viaService: `kinesis.${stream.region}.amazonaws.com`,
    };
    // Kinesis passes the stream ARN as the encryption context in every KMS call (Kinesis guide,
    // "Kinesis Data Streams encryption context"), so key policies may condition on it.
    const checked = this.kms.check(keyId, action, user, { 'aws:kinesis:arn': stream.arn });
    if (checked.ok) return;
    // A read the key policy refuses is worded by Kinesis itself, as AWS answers GetRecords:
    // "User … is not authorized to decrypt records in stream …" (quoted from a KCL consumer's log).
    if (action === 'kms:Decrypt' && checked.code === 'AccessDeniedException') {
      throw new ServiceError(
        'KMSAccessDeniedException',
        `User arn:aws:iam::${stream.account}:root is not authorized to decrypt records in stream ${stream.name}`,
      );
    }
    throw kinesisKmsError(checked);
  }
}

// Kinesis's codes for KMS's errors (the model's KMS* shapes); its texts are KMS's own, as AWS
// answers PutRecord (`"__type": "KMSAccessDeniedException", "message": "User: … is not authorized to
// perform: kms:GenerateDataKey on resource: …"`, quoted in an issue), with no client suffix.
const KINESIS_CODES: Record<KeyFailure['code'], string> = {
  NotFoundException: 'KMSNotFoundException',
  DisabledException: 'KMSDisabledException',
  KMSInvalidStateException: 'KMSInvalidStateException',
  KeyUnavailableException: 'KMSInvalidStateException',
  InvalidKeyUsageException: 'KMSInvalidStateException',
  AccessDeniedException: 'KMSAccessDeniedException',
  InvalidCiphertextException: 'KMSAccessDeniedException',
  IncorrectKeyException: 'KMSAccessDeniedException',
};

export function kinesisKmsError(failure: KeyFailure): ServiceError {
  return new ServiceError(KINESIS_CODES[failure.code], failure.message);
}
