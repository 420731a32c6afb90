/**
 * "You must wait 60 seconds after deleting a queue before you can create another queue with the
 * same name" (CreateQueue): the storage remembers when each name was last deleted.
 */
export const RECREATE_AFTER_DELETE_MS = 60_000;

export function deletedTooRecently(deletedAt: number | undefined, now: number): boolean {
  return deletedAt !== undefined && now - deletedAt < RECREATE_AFTER_DELETE_MS;
}
