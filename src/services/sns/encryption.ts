import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { ServiceError } from '../../protocols/errors.js';
import type { TopicRecord } from '../../storage/types.js';
import type { KeyFailure, KeyFrontDoor, KeyUser } from '../kms/front-door.js';

/**
 * SSE-KMS for topics. SNS takes any KmsMasterKeyId at CreateTopic and SetTopicAttributes and
 * meets the key when a message is published (the model lists the KMS errors on Publish and
 * PublishBatch only): the publisher's request fails with SNS's KMS error. SNS reuses a data key
 * for up to 5 minutes per publishing principal (SNS guide, "Estimating AWS KMS costs"), so a key
 * disabled meanwhile goes on serving that principal until its key is due again. Nothing of a
 * publication is journaled (the FIFO archive lives in memory), so nothing is sealed at rest.
 */
export class TopicEncryption {
  // When each topic's key was last granted, by topic then by principal: KMS is asked once per period.
  private readonly granted = new Map<string, Map<string, { keyId: string; until: number }>>();

  constructor(
    private readonly kms: KeyFrontDoor | undefined,
    private readonly clock: Clock,
  ) {}

  reset(): void {
    this.granted.clear();
  }

  /**
   * Whether the topic's key lets the publication in: for the publisher through SNS, or for a
   * service principal publishing for one of its resources (which an AWS managed key never lets in).
   */
  refusal(topic: TopicRecord, principal?: { principal: string; sourceArn: string; sourceAccount: string }) {
    const keyId = topic.attributes.KmsMasterKeyId;
    if (!this.kms || !keyId) return undefined;
    const now = this.clock.now();
    const who = principal ? `${principal.principal} ${principal.sourceArn}` : '';
    let byPrincipal = this.granted.get(topic.arn);
    const known = byPrincipal?.get(who);
    if (known && known.keyId === keyId && now < known.until) return undefined;
    const region = topic.arn.split(':')[3] ?? '';
    const user: KeyUser = principal
      ? {
          account: topic.account,
          region,
          principal: principal.principal,
          sourceArn: principal.sourceArn,
          sourceAccount: principal.sourceAccount,
        }
      : { account: topic.account, region, viaService: `sns.${region}.amazonaws.com` };
    // SNS names the topic in the encryption context, so a key policy may hold a principal to one
    // topic with kms:EncryptionContext:aws:sns:topicArn (as AWS's own guides write such policies).
    const context = { 'aws:sns:topicArn': topic.arn };
    const generated = this.kms.generateDataKey(keyId, context, user);
    if (!generated.ok) return generated;
    // Publishing needs kms:Decrypt as well (SNS guide, "Configure AWS KMS permissions"): the data
    // key is opened again, under the same context, to seal the message for delivery.
    const opened = this.kms.decrypt(generated.blob, context, user);
    if (!opened.ok) return opened;
    if (!byPrincipal) {
      if (this.granted.size >= 10_000) this.granted.clear();
      byPrincipal = new Map();
      this.granted.set(topic.arn, byPrincipal);
    }
    byPrincipal.set(who, { keyId, until: now + DATA_KEY_REUSE_MS });
    return undefined;
  }

  /** The publisher's own Publish: SNS's KMS error when the key refuses. */
  check(topic: TopicRecord): void {
    const failure = this.refusal(topic);
    if (failure) throw snsKmsError(failure);
  }
}

const DATA_KEY_REUSE_MS = 5 * 60_000;

// SNS's awsQuery codes for KMS's errors (the model's KMS* shapes).
const SNS_CODES: Record<KeyFailure['code'], string> = {
  NotFoundException: 'KMSNotFound',
  DisabledException: 'KMSDisabled',
  KMSInvalidStateException: 'KMSInvalidState',
  KeyUnavailableException: 'KMSInvalidState',
  InvalidKeyUsageException: 'KMSInvalidState',
  AccessDeniedException: 'KMSAccessDenied',
  InvalidCiphertextException: 'KMSAccessDenied',
  IncorrectKeyException: 'KMSAccessDenied',
};

/**
 * KMS's refusal as SNS answers it: KMS's message with the suffix of the Java client SNS calls KMS
 * with, as recorded from AWS ("KMSAccessDenied: … (Service: AWSKMS; Status Code: 400; Error Code:
 * AccessDeniedException; Request ID: …; Proxy: null)").
 */
export function snsKmsError(failure: KeyFailure): ServiceError {
  return new ServiceError(
    SNS_CODES[failure.code],
    `${failure.message} (Service: AWSKMS; Status Code: 400; Error Code: ${failure.code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
