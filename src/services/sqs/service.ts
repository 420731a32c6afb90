import type { Clock } from '../../core/clock.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { QueueStorage } from '../../storage/types.js';
import type { KeyFrontDoor } from '../kms/front-door.js';
import {
  type DeliveredMessage,
  type DeliveryOrigin,
  type DeliveryOutcome,
  QueueDeliveries,
} from './deliveries.js';
import { QueueEncryption } from './encryption.js';
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
  private readonly encryption: QueueEncryption;

  constructor(storage: QueueStorage, clock: Clock, encryption?: EncryptionSetup, hints?: HintRecorder) {
    const access = new QueueAccess(storage);
    this.encryption = new QueueEncryption(
      encryption?.kms,
      clock,
      encryption?.log ?? createLogger('silent'),
      encryption?.sealAtRest ?? false,
    );
    this.queues = new QueueOperations(storage, clock, access);
    this.messages = new MessageOperations(storage, access, this.encryption, hints);
    this.moveTasks = new MoveTaskOperations(storage, access);
    this.deliveries = new QueueDeliveries(storage, this.encryption);
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

  policy(queueArn: string): Promise<string | undefined> {
    return this.deliveries.policy(queueArn);
  }

  reset(): void {
    this.deliveries.reset();
    this.encryption.reset();
  }
}

/** What SQS needs for SSE-KMS: KMS's front door, and whether bodies are sealed for a journal. */
export interface EncryptionSetup {
  kms?: KeyFrontDoor;
  log: Logger;
  sealAtRest: boolean;
}
