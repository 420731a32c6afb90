import { evaluatePolicyDetailed } from '../../core/policy.js';
import { ServiceError } from '../../protocols/errors.js';
import type {
  NewMessage,
  QueueRecord,
  QueueStorage,
  SendOutcome,
  StoredAttributeValue,
} from '../../storage/types.js';
import type { QueueEncryption } from './encryption.js';
import { newMessage } from './sending.js';

/** SQS's entry for deliveries from other services (SqsService.deliver). */
export interface QueueFrontDoor {
  /** Answers at once, without a promise, when the storage keeps its queues in memory. */
  deliver(
    queueArn: string,
    message: DeliveredMessage,
    origin: DeliveryOrigin,
  ): DeliveryOutcome | Promise<DeliveryOutcome>;
  /** The queue's policy as stored, for senders that read it (S3 warns about unscoped grants). */
  policy?(queueArn: string): Promise<string | undefined>;
}

/** Who delivers: an AWS service principal acting for one of its resources. */
export interface DeliveryOrigin {
  /** The service principal the queue policy must let in, e.g. `sns.amazonaws.com`. */
  principal: string;
  /** The resource that sends (`aws:SourceArn`), e.g. the topic. */
  sourceArn: string;
  /** Its owner (`aws:SourceAccount`). */
  sourceAccount: string;
  /** What the message reports as SenderId; AWS gives each service its own. */
  senderId?: string;
  /** Deliver even where the queue policy keeps the principal out (`--lenient-policies`). */
  lenient?: boolean;
}

/** A message another service hands a queue. */
export interface DeliveredMessage {
  body: string;
  attributes?: Record<string, StoredAttributeValue>;
  /** System attributes (AWSTraceHeader): the trace header a delivering service propagates. */
  systemAttributes?: Record<string, StoredAttributeValue>;
  groupId?: string;
  deduplicationId?: string;
}

export type DeliveryOutcome =
  | {
      kind: 'delivered';
      messageId: string;
      sequenceNumber?: string;
      /** Set when only `lenient` let the message in: why the policy would have kept it out. */
      lenientOver?: string;
    }
  | { kind: 'missing' }
  | { kind: 'denied'; reason: string }
  | { kind: 'rejected'; reason: string };

/**
 * The one way other services put messages into queues: the queue's resource policy for the
 * service principal (with aws:SourceArn and aws:SourceAccount), then SQS's own send rules, then
 * the queue's KMS key for the principal itself (encryption.ts), then the storage's send with its
 * accounting, as SendMessage would.
 */
export class QueueDeliveries {
  // Decisions by queue, then by sending resource, kept while the queue's policy text and the
  // origin stay the same: parsing and evaluating the policy on every copy of every message would
  // cost more than the delivery. Nested maps, so a hit builds no key string.
  private readonly decisions = new Map<string, Map<string, Decision>>();
  private decided = 0;
  private readonly arns = new Map<string, string[]>();

  constructor(
    private readonly storage: QueueStorage,
    /** SSE-KMS; without it (unit tests of the policy path) no queue is treated as encrypted. */
    private readonly encryption?: QueueEncryption,
  ) {}

  deliver(
    queueArn: string,
    message: DeliveredMessage,
    origin: DeliveryOrigin,
  ): DeliveryOutcome | Promise<DeliveryOutcome> {
    // A fan-out hands every queue a copy: where storage answers at once, so does this, with no
    // promise per copy. An ARN that does not name the queue by its own ARN takes the async path.
    const { getQueueNow, sendNow } = this.storage;
    if (getQueueNow && sendNow) {
      const parts = this.arnParts(queueArn);
      const queue = parts && getQueueNow.call(this.storage, parts[4], parts[3], parts[5]);
      if (queue && queue.arn === queueArn) {
        const checked = this.check(queue, message, origin);
        if (checked.kind !== 'ready') return checked;
        return delivered(sendNow(queue, [checked.prepared]), checked.denial);
      }
    }
    return this.deliverLater(queueArn, message, origin);
  }

  /** The ARN's fields, split once per queue rather than once per copy. */
  private arnParts(queueArn: string): string[] | undefined {
    let parts = this.arns.get(queueArn);
    if (!parts) {
      if (this.arns.size >= 10_000) this.arns.clear();
      parts = queueArn.split(':');
      this.arns.set(queueArn, parts);
    }
    return parts.length === 6 ? parts : undefined;
  }

  private async deliverLater(
    queueArn: string,
    message: DeliveredMessage,
    origin: DeliveryOrigin,
  ): Promise<DeliveryOutcome> {
    const queue = await this.storage.getQueueByArn(queueArn);
    if (!queue) return { kind: 'missing' };
    const checked = this.check(queue, message, origin);
    if (checked.kind !== 'ready') return checked;
    const { sendNow } = this.storage;
    return delivered(
      sendNow ? sendNow(queue, [checked.prepared]) : await this.storage.send(queue, [checked.prepared]),
      checked.denial,
    );
  }

  /** The queue policy, then SQS's send rules, as SendMessage would run them. */
  private check(
    queue: QueueRecord,
    message: DeliveredMessage,
    origin: DeliveryOrigin,
  ):
    | { kind: 'ready'; prepared: NewMessage; denial: string | undefined }
    | Exclude<DeliveryOutcome, { kind: 'delivered' }> {
    const denial = this.denial(queue, origin);
    if (denial && !origin.lenient) return { kind: 'denied', reason: denial };
    try {
      const prepared = newMessage(
        queue,
        {
          MessageBody: message.body,
          MessageAttributes: message.attributes,
          MessageSystemAttributes: message.systemAttributes,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        },
        origin.senderId ?? origin.principal,
        'single',
      );
      // SSE-KMS: the principal itself must be able to use the queue's key; a refusal is logged there.
      const { refusal, key } = this.encryption?.deliveryRefusal(queue, origin) ?? {};
      if (refusal) return refusal;
      if (key) {
        const sealed = this.encryption!.seal(key, prepared.body);
        if (sealed !== undefined) prepared.sealedBody = sealed;
      }
      return { kind: 'ready', prepared, denial };
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return { kind: 'rejected', reason: `the queue refuses the message (${err.queryCode}: ${err.message})` };
    }
  }

  async policy(queueArn: string): Promise<string | undefined> {
    return (await this.storage.getQueueByArn(queueArn))?.attributes.Policy;
  }

  reset(): void {
    this.decisions.clear();
    this.decided = 0;
    this.arns.clear();
  }

  private denial(queue: QueueRecord, origin: DeliveryOrigin): string | undefined {
    const policy = queue.attributes.Policy;
    let bySource = this.decisions.get(queue.arn);
    const known = bySource?.get(origin.sourceArn);
    if (
      known &&
      known.policy === policy &&
      known.principal === origin.principal &&
      known.sourceAccount === origin.sourceAccount
    ) {
      return known.denial;
    }
    if (this.decided >= 10_000) {
      this.decisions.clear();
      this.decided = 0;
      bySource = undefined;
    }
    if (!bySource) {
      bySource = new Map();
      this.decisions.set(queue.arn, bySource);
    }
    const denial = decide(policy, queue.arn, origin);
    if (!known) this.decided++;
    bySource.set(origin.sourceArn, {
      policy,
      principal: origin.principal,
      sourceAccount: origin.sourceAccount,
      denial,
    });
    return denial;
  }
}

interface Decision {
  policy: string | undefined;
  principal: string;
  sourceAccount: string;
  denial: string | undefined;
}

function delivered([sent]: SendOutcome[], lenientOver: string | undefined): DeliveryOutcome {
  return { kind: 'delivered', messageId: sent.messageId, sequenceNumber: sent.sequenceNumber, lenientOver };
}

/** Why the queue policy keeps the origin out, or undefined when it lets it in. */
function decide(policy: string | undefined, queueArn: string, origin: DeliveryOrigin): string | undefined {
  const missing = `the queue policy needs a statement allowing {"Service":"${origin.principal}"} to "sqs:SendMessage" on ${queueArn} (e.g. with "Condition":{"ArnEquals":{"aws:SourceArn":"${origin.sourceArn}"}})`;
  if (!policy) return `the queue has no policy: ${missing}`;
  try {
    const result = evaluatePolicyDetailed(policy, {
      principal: { kind: 'Service', id: origin.principal },
      action: 'sqs:SendMessage',
      resource: queueArn,
      context: { 'aws:SourceArn': origin.sourceArn, 'aws:SourceAccount': origin.sourceAccount },
    });
    return result.decision === 'Allow' ? undefined : `${result.reason}; ${missing}`;
  } catch {
    return `the queue policy cannot be read: ${missing}`;
  }
}
