import type { Clock } from '../../core/clock.js';
import { randomToken } from '../../core/ids.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';
import {
  DESTINATION_GONE,
  LISTED_MOVE_TASKS,
  MAX_MOVE_RATE,
  moveBudget,
  moveCredit,
  moveTaskDone,
} from '../../services/sqs/rules/move-tasks.js';
import type { MoveTask } from '../types.js';
import type { StoredMessage } from './message.js';
import type { QueueState } from './queue-state.js';

interface TaskState extends MoveTask {
  source: QueueState;
  destination?: QueueState;
  timer?: Timer;
  lastRunAt: number;
  credit: number;
}

export interface MoveHost {
  movable(queue: QueueState, max: number): StoredMessage[];
  move(from: QueueState, message: StoredMessage, to: QueueState): void;
  commit(): Promise<void>;
  queueByArn(arn: string): QueueState | undefined;
}

/**
 * Message move tasks (StartMessageMoveTask): move a dead-letter queue's
 * messages at a bounded rate on the clock, to a chosen queue or back to the
 * queue each message came from.
 */
export class MoveTasks {
  private readonly bySource = new Map<string, TaskState[]>();
  private readonly byHandle = new Map<string, TaskState>();

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly host: MoveHost,
  ) {}

  async start(
    source: QueueState,
    destination: QueueState | undefined,
    maxPerSecond?: number,
  ): Promise<MoveTask> {
    const now = this.clock.now();
    const counts = source.counts();
    const task: TaskState = {
      taskHandle: randomToken(24),
      status: 'RUNNING',
      sourceArn: source.record.arn,
      destinationArn: destination?.record.arn,
      maxPerSecond,
      moved: 0,
      toMove: counts.visible,
      startedAt: now,
      source,
      destination,
      lastRunAt: now,
      credit: 0,
    };
    const tasks = this.bySource.get(task.sourceArn) ?? [];
    tasks.unshift(task);
    if (tasks.length > LISTED_MOVE_TASKS) tasks.length = LISTED_MOVE_TASKS;
    this.bySource.set(task.sourceArn, tasks);
    this.byHandle.set(task.taskHandle, task);
    this.step(task);
    await this.host.commit();
    return snapshot(task);
  }

  list(sourceArn: string): MoveTask[] {
    return (this.bySource.get(sourceArn) ?? []).map(snapshot);
  }

  async cancel(taskHandle: string): Promise<MoveTask | undefined> {
    const task = this.byHandle.get(taskHandle);
    if (!task) return undefined;
    if (task.status !== 'RUNNING') return snapshot(task);
    this.scheduler.cancel(task.timer);
    task.status = 'CANCELLED';
    return snapshot(task);
  }

  clear(): void {
    for (const task of this.byHandle.values()) this.scheduler.cancel(task.timer);
    this.bySource.clear();
    this.byHandle.clear();
  }

  /** Moves what the rate allows for the time elapsed since the last step, then waits a second of clock time. */
  private step(task: TaskState): void {
    if (task.status !== 'RUNNING') return;
    const now = this.clock.now();
    const rate = task.maxPerSecond ?? MAX_MOVE_RATE;
    task.credit = moveCredit(task.credit, task.moved, rate, now - task.lastRunAt);
    task.lastRunAt = now;
    const budget = moveBudget(task.credit, task.moved, task.toMove);
    const batch = budget > 0 ? this.host.movable(task.source, budget) : [];
    for (const m of batch) {
      const to = task.destination ?? (m.deadLetterSourceArn && this.host.queueByArn(m.deadLetterSourceArn));
      if (!to) {
        task.status = 'FAILED';
        task.failureReason = DESTINATION_GONE;
        return;
      }
      this.host.move(task.source, m, to);
      task.moved++;
      task.credit--;
    }
    if (batch.length > 0) void this.host.commit();
    if (moveTaskDone(task.moved, task.toMove, budget, batch.length, task.source.counts().inflight)) {
      task.status = 'COMPLETED';
      return;
    }
    task.timer = this.scheduler.at(now + 1000, () => this.step(task));
  }
}

function snapshot(task: TaskState): MoveTask {
  return {
    taskHandle: task.taskHandle,
    status: task.status,
    sourceArn: task.sourceArn,
    destinationArn: task.destinationArn,
    maxPerSecond: task.maxPerSecond,
    moved: task.moved,
    toMove: task.toMove,
    failureReason: task.failureReason,
    startedAt: task.startedAt,
  };
}
