import type { Clock } from '../../core/clock.js';
import type { QueueStorage } from '../../storage/types.js';
import {
  type DeliveredMessage,
  type DeliveryOrigin,
  type DeliveryOutcome,
  QueueDeliveries,
} from './deliveries.js';
import { MessageOperations } from './message-operations.js';
import { MoveTaskOperations } from './move-tasks.js';
import { QueueAccess } from './queue-access.js';
import { QueueOperations } from './queue-operations.js';

/** Amazon SQS: the semantics of every operation, over whatever protocol carried it, by resource. */
export class SqsService {
  readonly queues: QueueOperations;
  readonly messages: MessageOperations;
  readonly moveTasks: MoveTaskOperations;
  private readonly deliveries: QueueDeliveries;

  constructor(storage: QueueStorage, clock: Clock) {
    const access = new QueueAccess(storage);
    this.queues = new QueueOperations(storage, clock, access);
    this.messages = new MessageOperations(storage, access);
    this.moveTasks = new MoveTaskOperations(storage, access);
    this.deliveries = new QueueDeliveries(storage);
  }

  /**
   * The entry for deliveries from other services (SNS today): the queue policy for the
   * origin's service principal, SQS's send rules and accounting, as SendMessage would run them.
   */
  deliver(
    queueArn: string,
    message: DeliveredMessage,
    origin: DeliveryOrigin,
  ): DeliveryOutcome | Promise<DeliveryOutcome> {
    return this.deliveries.deliver(queueArn, message, origin);
  }

  reset(): void {
    this.deliveries.reset();
  }
}
