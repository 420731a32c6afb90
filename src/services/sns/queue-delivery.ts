import type { Logger } from '../../core/logger.js';
import type { DeliveredMessage, DeliveryOrigin, DeliveryOutcome, QueueFrontDoor } from '../sqs/deliveries.js';

/** What SNS hands a queue: the body and, for raw delivery, SQS message attributes. */
export type QueueMessage = DeliveredMessage;

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

// The SenderId SQS reports for messages that SNS delivered.
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

/**
 * Hands SNS deliveries to SQS through its front door, which checks the queue's policy for
 * sns.amazonaws.com (even within one account, as AWS does) and applies SQS's send rules. What
 * stays here is SNS's side: how a topic's message maps onto the queue's type, and the warning
 * when `lenient` let in what the policy would have kept out.
 */
export class QueueDelivery {
  constructor(
    private readonly sqs: QueueFrontDoor,
    private readonly log: Logger,
    private readonly lenient: boolean,
  ) {}

  /** Answers at once when SQS does: a fan-out then costs no promise per queue. */
  send(queueArn: string, message: QueueMessage, sender: QueueSender): QueueOutcome | Promise<QueueOutcome> {
    // Queue names end in .fifo exactly when the queue is FIFO. A FIFO topic's group and
    // deduplication id go to FIFO queues only; a standard topic's group reaches standard queues,
    // where it drives fair queues (SNS guide, "Message grouping for FIFO topics"; Publish).
    const toFifoQueue = queueArn.endsWith('.fifo');
    const dropGroup = sender.fifoTopic && message.groupId !== undefined;
    const handed =
      toFifoQueue || (!dropGroup && message.deduplicationId === undefined)
        ? message
        : { ...message, groupId: dropGroup ? undefined : message.groupId, deduplicationId: undefined };
    const outcome = this.sqs.deliver(queueArn, handed, this.origin(sender));
    return outcome instanceof Promise
      ? outcome.then((o) => this.settled(o, queueArn, sender))
      : this.settled(outcome, queueArn, sender);
  }

  private settled(outcome: DeliveryOutcome, queueArn: string, sender: QueueSender): QueueOutcome {
    if (outcome.kind !== 'delivered') return outcome;
    if (outcome.lenientOver) {
      this.log.warn(
        { subscription: sender.subscriptionArn, queue: queueArn },
        `delivered only because of --lenient-policies: ${outcome.lenientOver}`,
      );
    }
    return { kind: 'delivered', messageId: outcome.messageId };
  }

  // The origin of the last topic that sent: a fan-out hands every queue the same one.
  private lastOrigin: DeliveryOrigin | undefined;

  private origin(sender: QueueSender): DeliveryOrigin {
    const last = this.lastOrigin;
    if (last && last.sourceArn === sender.topicArn && last.sourceAccount === sender.topicAccount) return last;
    this.lastOrigin = {
      principal: 'sns.amazonaws.com',
      sourceArn: sender.topicArn,
      sourceAccount: sender.topicAccount,
      senderId: SNS_SENDER_ID,
      lenient: this.lenient,
    };
    return this.lastOrigin;
  }
}
