import type { Clock } from '../../core/clock.js';
import type { QueueStorage } from '../../storage/types.js';
import { MessageOperations } from './message-operations.js';
import { MoveTaskOperations } from './move-tasks.js';
import { QueueAccess } from './queue-access.js';
import { QueueOperations } from './queue-operations.js';

/** Amazon SQS: the semantics of every operation, over whatever protocol carried it, by resource. */
export class SqsService {
  readonly queues: QueueOperations;
  readonly messages: MessageOperations;
  readonly moveTasks: MoveTaskOperations;

  constructor(storage: QueueStorage, clock: Clock) {
    const access = new QueueAccess(storage);
    this.queues = new QueueOperations(storage, clock, access);
    this.messages = new MessageOperations(storage, access);
    this.moveTasks = new MoveTaskOperations(storage, access);
  }

  reset(): void {
    this.queues.reset();
  }
}
