import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import { evaluatePolicyDetailed, type PolicyRequest } from '../../core/policy.js';
import type { QueueStorage, StoredAttributeValue } from '../../storage/types.js';
import { md5OfAttributes, md5OfBody } from '../sqs/md5.js';

/** What SNS hands a queue: the body and, for raw delivery, SQS message attributes. */
export interface QueueMessage {
  body: string;
  attributes?: Record<string, StoredAttributeValue>;
  groupId?: string;
  deduplicationId?: string;
}

/** Who sends: the topic (aws:SourceArn) and its owner (aws:SourceAccount). */
export interface QueueSender {
  topicArn: string;
  topicAccount: string;
  subscriptionArn: string;
  fifoTopic: boolean;
}

export type QueueOutcome =
  | { kind: 'delivered'; messageId: string }
  | { kind: 'missing' }
  | { kind: 'denied'; reason: string }
  | { kind: 'rejected'; reason: string };

/**
 * Sends SNS deliveries into SQS queues in-process, with the check AWS makes on every one: the
 * queue's policy must allow the service principal sns.amazonaws.com to sqs:SendMessage, even
 * within one account. `lenient` delivers anyway (the caller still warns).
 */
export class QueueDelivery {
  constructor(
    private readonly queues: QueueStorage,
    private readonly log: Logger,
    private readonly lenient: boolean,
  ) {}

  async send(queueArn: string, message: QueueMessage, sender: QueueSender): Promise<QueueOutcome> {
    const queue = await this.queues.getQueueByArn(queueArn);
    if (!queue) return { kind: 'missing' };
    const denial = this.denial(queue.attributes.Policy, queueArn, sender);
    if (denial && !this.lenient) return { kind: 'denied', reason: denial };
    // A FIFO topic's group goes to FIFO queues only; a standard topic's group reaches standard
    // queues, where it drives fair queues (SNS guide, "Message grouping for FIFO topics"; Publish).
    const groupId = !queue.fifo && sender.fifoTopic ? undefined : message.groupId;
    if (queue.fifo && groupId === undefined) {
      return { kind: 'rejected', reason: 'a FIFO queue needs a MessageGroupId' };
    }
    let deduplicationId = message.deduplicationId;
    if (queue.fifo && deduplicationId === undefined) {
      deduplicationId = createHash('sha256').update(message.body, 'utf8').digest('hex');
    }
    const size = Buffer.byteLength(message.body);
    if (size > Number(queue.attributes.MaximumMessageSize ?? 1_048_576)) {
      return { kind: 'rejected', reason: 'the message is larger than the queue accepts' };
    }
    const [sent] = await this.queues.send(queue, [
      {
        body: message.body,
        md5OfBody: md5OfBody(message.body),
        attributes: message.attributes,
        md5OfAttributes: message.attributes && md5OfAttributes(message.attributes),
        groupId,
        deduplicationId: queue.fifo ? deduplicationId : undefined,
        senderId: 'AIDAIT2UOQQY3AUEKVGXU',
      },
    ]);
    if (denial) {
      this.log.warn(
        { subscription: sender.subscriptionArn, queue: queueArn },
        `delivered only because of --lenient-policies: ${denial}`,
      );
    }
    return { kind: 'delivered', messageId: sent.messageId };
  }

  // Decisions by queue and topic, kept while the queue's policy text stays the same: parsing and
  // evaluating the policy on every copy of every message would cost more than the delivery.
  private readonly decisions = new Map<string, { policy: string | undefined; denial: string | undefined }>();

  private denial(policy: string | undefined, queueArn: string, sender: QueueSender): string | undefined {
    const key = `${queueArn} ${sender.topicArn}`;
    const known = this.decisions.get(key);
    if (known && known.policy === policy) return known.denial;
    if (this.decisions.size >= 10_000) this.decisions.clear();
    const denial = this.decide(policy, queueArn, sender);
    this.decisions.set(key, { policy, denial });
    return denial;
  }

  /** Why the queue policy keeps SNS out, or undefined when it lets the topic in. */
  private decide(policy: string | undefined, queueArn: string, sender: QueueSender): string | undefined {
    const request: PolicyRequest = {
      principal: { kind: 'Service', id: 'sns.amazonaws.com' },
      action: 'sqs:SendMessage',
      resource: queueArn,
      context: { 'aws:SourceArn': sender.topicArn, 'aws:SourceAccount': sender.topicAccount },
    };
    const missing = `the queue policy needs a statement allowing {"Service":"sns.amazonaws.com"} to "sqs:SendMessage" on ${queueArn} (e.g. with "Condition":{"ArnEquals":{"aws:SourceArn":"${sender.topicArn}"}})`;
    if (!policy) return `the queue has no policy: ${missing}`;
    try {
      const result = evaluatePolicyDetailed(policy, request);
      return result.decision === 'Allow' ? undefined : `${result.reason}; ${missing}`;
    } catch {
      return `the queue policy cannot be read: ${missing}`;
    }
  }
}
