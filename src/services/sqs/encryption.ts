import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { ServiceError } from '../../protocols/errors.js';
import type { QueueRecord } from '../../storage/types.js';
import type { KeyFacts, KeyFailure, KeyFrontDoor, KeyUser } from '../kms/front-door.js';

/**
 * SSE-KMS for queues. AWS checks the key when a message goes in or comes out, never when
 * KmsMasterKeyId is set (a queue takes a key that does not exist, recorded from AWS), and
 * reuses each data key for KmsDataKeyReusePeriodSeconds before calling KMS again (SQS guide, "Key
 * management"): so a key disabled within that period goes on working until it ends, for whoever
 * holds a data key. Tideway keeps the same clock-driven cache, so a send costs a KMS call once per
 * period, and with --data-dir seals each body under the cached data key (AES-256-GCM, the data
 * key's KMS blob beside it) so the journal never holds it in clear.
 */
export class QueueEncryption {
  // Data keys by queue, then by who uses them: SQS caches them per requester (the queue's own
  // account, or a service principal for a source resource), as AWS does per principal.
  private readonly sending = new Map<string, Map<string, CachedKey>>();
  // Decrypt permissions by queue: receives call KMS once per period too.
  private readonly receiving = new Map<string, CachedDecision>();
  // Data keys opened from sealed bodies (restored from the journal), by their KMS blob.
  private readonly opened = new Map<string, Buffer>();
  // Refused deliveries already logged at warn, by queue, key and principal.
  private readonly warned = new Set<string>();

  constructor(
    private readonly kms: KeyFrontDoor | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Only with a journal: in memory a body is never written anywhere, so nothing is sealed. */
    private readonly sealAtRest: boolean,
  ) {}

  /** Whether sends to the queue go through KMS at all. */
  encrypts(queue: QueueRecord): boolean {
    return this.kms !== undefined && !!queue.attributes.KmsMasterKeyId;
  }

  /**
   * The data key a SendMessage (or batch) to the queue uses, generated under the queue's key when
   * the cached one is older than the reuse period; throws SQS's KMS error when KMS refuses.
   */
  sendingKey(queue: QueueRecord): CachedKey {
    const key = this.dataKey(queue, OWNER);
    if (key.ok) return key;
    throw sqsKmsError(key);
  }

  /** The body as the journal holds it, or undefined when it may stay in clear (no journal). */
  seal(key: CachedKey, body: string): string | undefined {
    if (!this.sealAtRest) return undefined;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    // The queue the data key was made for travels with it: a dead-letter move or a move task
    // takes the sealed body elsewhere, and KMS opens the blob only under its own context.
    return `${SEAL_VERSION}|${key.queueArn}|${key.blobText}|${iv.toString('base64')}|${sealed.toString('base64')}`;
  }

  /** A body restored sealed from the journal, opened with its data key (decrypted by KMS once). */
  open(queue: QueueRecord, sealed: string): string {
    const [, sealedFor, blobText, ivText, dataText] = sealed.split('|');
    let dataKey = this.opened.get(blobText);
    if (!dataKey) {
      if (!this.kms) {
        throw sqsKmsError({ ok: false, code: 'KeyUnavailableException', message: 'KMS is not available.' });
      }
      const opened = this.kms.decrypt(
        Buffer.from(blobText, 'base64'),
        { 'aws:sqs:arn': sealedFor },
        userOf(queue),
      );
      if (!opened.ok) throw sqsKmsError(opened);
      dataKey = opened.plaintext;
      if (this.opened.size >= 10_000) this.opened.clear();
      this.opened.set(blobText, dataKey);
    }
    try {
      const data = Buffer.from(dataText, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(ivText, 'base64'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      // Only a journal altered by hand gets here: the body cannot be authenticated.
      throw sqsKmsError({
        ok: false,
        code: 'InvalidCiphertextException',
        message: 'The sealed message body in the journal cannot be opened.',
      });
    }
  }

  /**
   * ReceiveMessage on an encrypted queue: kms:Decrypt for the queue's key, asked again only when
   * the reuse period of the last answer is over; throws SQS's KMS error when KMS refuses.
   */
  checkReceive(queue: QueueRecord): void {
    if (!this.kms) return;
    const keyId = queue.attributes.KmsMasterKeyId;
    if (!keyId) return;
    const now = this.clock.now();
    const known = this.receiving.get(queue.arn);
    if (known && known.keyId === keyId && now < known.until) return;
    const user = userOf(queue);
    // A receive opens the data keys its messages were sealed under, with the queue's context: one
    // this period's sends hold stands for them; without one, the key's state and policy decide.
    const blob = this.heldBlob(queue, keyId);
    const checked = blob
      ? this.kms.decrypt(blob, contextOf(queue), user)
      : this.kms.check(keyId, 'kms:Decrypt', user, contextOf(queue));
    if (!checked.ok) {
      this.receiving.delete(queue.arn);
      throw sqsKmsError(checked);
    }
    this.receiving.set(queue.arn, { keyId, until: now + reusePeriodMs(queue) });
  }

  /**
   * A delivery from a service principal (SNS, EventBridge, S3): the principal itself must be able
   * to use the queue's key (kms:GenerateDataKey and kms:Decrypt), which an AWS managed key's
   * policy never allows. Answers why not, or undefined; a data key it gets is cached for the
   * period like any other, so a fan-out calls KMS once per period per queue and topic.
   */
  deliveryRefusal(
    queue: QueueRecord,
    origin: { principal: string; sourceArn: string; sourceAccount: string },
  ): { refusal?: { kind: 'denied' | 'rejected'; reason: string }; key?: CachedKey } {
    if (!this.encrypts(queue)) return UNENCRYPTED;
    const requester: Requester = { id: `${origin.principal} ${origin.sourceArn}`, ...origin };
    const key = this.dataKey(queue, requester);
    if (key.ok) return { key };
    const keyId = queue.attributes.KmsMasterKeyId!;
    const reason = refusalReason(key, keyId, origin.principal);
    const warnKey = `${queue.arn} ${keyId} ${origin.principal} ${key.code}`;
    const fields = { queue: queue.arn, key: keyId, principal: origin.principal, source: origin.sourceArn };
    if (this.warned.has(warnKey)) this.log.debug(fields, `delivery refused: ${reason}`);
    else {
      if (this.warned.size >= 10_000) this.warned.clear();
      this.warned.add(warnKey);
      this.log.warn(fields, `delivery refused: ${reason}`);
    }
    // A key policy that keeps the principal out is a denial; a key that cannot be used, a refusal.
    return { refusal: { kind: key.code === 'AccessDeniedException' ? 'denied' : 'rejected', reason } };
  }

  /** A data key blob made under the queue's current key, by any requester, if one is cached. */
  private heldBlob(queue: QueueRecord, keyId: string): Buffer | undefined {
    for (const key of this.sending.get(queue.arn)?.values() ?? []) {
      if (key.keyId === keyId) return Buffer.from(key.blobText, 'base64');
    }
    return undefined;
  }

  reset(): void {
    this.sending.clear();
    this.receiving.clear();
    this.opened.clear();
    this.warned.clear();
  }

  private dataKey(queue: QueueRecord, requester: Requester): CachedKey | KeyFailure {
    const keyId = queue.attributes.KmsMasterKeyId!;
    const now = this.clock.now();
    let byRequester = this.sending.get(queue.arn);
    const cached = byRequester?.get(requester.id);
    if (cached && cached.keyId === keyId && now < cached.until) return cached;
    const kms = this.kms!;
    const user: KeyUser = requester.principal
      ? {
          account: queue.account,
          region: queue.region,
          principal: requester.principal,
          sourceArn: requester.sourceArn,
          sourceAccount: requester.sourceAccount,
        }
      : userOf(queue);
    const generated = kms.generateDataKey(keyId, contextOf(queue), user);
    if (!generated.ok) {
      byRequester?.delete(requester.id);
      return generated;
    }
    // A service principal also needs kms:Decrypt (SQS guide, "Configure KMS permissions for AWS services").
    // It opens the data key it was given, under the queue's context, as a key policy sees it.
    if (requester.principal) {
      const opened = kms.decrypt(generated.blob, contextOf(queue), user);
      if (!opened.ok) return opened;
    }
    const key: CachedKey = {
      ok: true,
      keyId,
      facts: generated.key,
      plaintext: generated.plaintext,
      blobText: generated.blob.toString('base64'),
      queueArn: queue.arn,
      until: now + reusePeriodMs(queue),
    };
    if (!byRequester) {
      if (this.sending.size >= 10_000) this.sending.clear();
      byRequester = new Map();
      this.sending.set(queue.arn, byRequester);
    }
    byRequester.set(requester.id, key);
    return key;
  }
}

export interface CachedKey {
  ok: true;
  /** KmsMasterKeyId as the queue names it: a changed attribute takes a new data key. */
  keyId: string;
  facts: KeyFacts;
  plaintext: Buffer;
  blobText: string;
  /** The queue it was made for: its ARN is the data key's encryption context. */
  queueArn: string;
  /** The end of the reuse period, on the clock. */
  until: number;
}

interface CachedDecision {
  keyId: string;
  until: number;
}

interface Requester {
  id: string;
  principal?: string;
  sourceArn?: string;
  sourceAccount?: string;
}

const OWNER: Requester = { id: '' };
// The answer for every copy of a fan-out to an unencrypted queue: nothing allocated per copy.
const UNENCRYPTED = Object.freeze({});
const SEAL_VERSION = 'kms1';
const AWS_MANAGED = /^(arn:aws[\w-]*:kms:[^:]*:\d{12}:)?alias\/aws\/sqs$/;

/** The queue's owner, through SQS (kms:ViaService); a bare key id or alias resolves in its account. */
function userOf(queue: QueueRecord): KeyUser {
  return { account: queue.account, region: queue.region, viaService: `sqs.${queue.region}.amazonaws.com` };
}

/** The encryption context SQS gives KMS: the queue's ARN. */
function contextOf(queue: QueueRecord): Record<string, string> {
  return { 'aws:sqs:arn': queue.arn };
}

function reusePeriodMs(queue: QueueRecord): number {
  const seconds = Number(queue.attributes.KmsDataKeyReusePeriodSeconds ?? 300);
  return (Number.isFinite(seconds) ? seconds : 300) * 1000;
}

function refusalReason(failure: KeyFailure, keyId: string, principal: string): string {
  const what = `the queue's KMS key ${keyId} refuses ${principal} (${failure.code}: ${failure.message})`;
  if (AWS_MANAGED.test(keyId)) {
    return `${what}: an AWS managed key's policy lets no service principal use it; encrypt the queue with a customer managed key whose policy allows {"Service":"${principal}"} kms:GenerateDataKey* and kms:Decrypt`;
  }
  if (failure.code === 'AccessDeniedException') {
    return `${what}: the key policy must allow {"Service":"${principal}"} kms:GenerateDataKey* and kms:Decrypt`;
  }
  return what;
}

// SQS's codes for KMS's errors (the model's Kms* shapes, with their awsQuery codes).
const SQS_CODES: Record<KeyFailure['code'], [string, string]> = {
  NotFoundException: ['KmsNotFound', 'KMS.NotFoundException'],
  DisabledException: ['KmsDisabled', 'KMS.DisabledException'],
  KMSInvalidStateException: ['KmsInvalidState', 'KMS.InvalidStateException'],
  KeyUnavailableException: ['KmsInvalidState', 'KMS.InvalidStateException'],
  AccessDeniedException: ['KmsAccessDenied', 'KMS.AccessDeniedException'],
  InvalidCiphertextException: ['KmsAccessDenied', 'KMS.AccessDeniedException'],
  IncorrectKeyException: ['KmsAccessDenied', 'KMS.AccessDeniedException'],
  InvalidKeyUsageException: ['KmsInvalidKeyUsage', 'KMS.InvalidKeyUsageException'],
};

/**
 * KMS's refusal as SQS answers it: SQS's own code, and KMS's message with the suffix of the Java
 * client SQS calls KMS with (recorded from AWS answers: "… (Service: AWSKMS; Status Code: 400;
 * Error Code: AccessDeniedException; Request ID: …; Proxy: null)").
 */
export function sqsKmsError(failure: KeyFailure): ServiceError {
  const [code, queryCode] = SQS_CODES[failure.code];
  return new ServiceError(code, kmsText(failure), { queryCode });
}

export function kmsText(failure: KeyFailure): string {
  return `${failure.message} (Service: AWSKMS; Status Code: 400; Error Code: ${failure.code}; Request ID: ${randomUUID()}; Proxy: null)`;
}
