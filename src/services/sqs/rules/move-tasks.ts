/**
 * Message move tasks (StartMessageMoveTask, ListMessageMoveTasks): a dead-letter queue's
 * messages move at a bounded rate to a chosen queue, or back to the queue each came from.
 */

/** AWS's ceiling, and what a task without MaxNumberOfMessagesPerSecond gets. */
export const MAX_MOVE_RATE = 500;
/** ListMessageMoveTasks shows at most this many tasks per source queue, newest first. */
export const LISTED_MOVE_TASKS = 10;
/** A task's FailureReason when a message's destination queue no longer exists. */
export const DESTINATION_GONE = 'AWS.SimpleQueueService.NonExistentQueue';

/**
 * How many messages a task may move after `elapsedMs` more of clock time: it earns `rate` a
 * second, and its first step moves a second's worth at once, as AWS starts promptly.
 */
export function moveCredit(credit: number, movedSoFar: number, rate: number, elapsedMs: number): number {
  if (movedSoFar === 0 && credit === 0) return rate;
  return credit + (rate * elapsedMs) / 1000;
}

/** The messages a step moves: what its credit allows, never more than the task has left. */
export function moveBudget(credit: number, moved: number, toMove: number): number {
  return Math.min(Math.floor(credit), toMove - moved);
}

/**
 * A task completes once it has moved what the source held when it started, or when a step with
 * room to move finds nothing movable and nothing in flight that could come back.
 */
export function moveTaskDone(
  moved: number,
  toMove: number,
  budget: number,
  found: number,
  sourceInflight: number,
): boolean {
  return moved >= toMove || (budget > 0 && found === 0 && sourceInflight === 0);
}
