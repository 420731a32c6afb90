/**
 * Visibility timeouts and receipt handles (SQS Developer Guide, "Amazon SQS visibility
 * timeout"): what a delete or a ChangeMessageVisibility does with the message a receipt handle
 * names, decided from the message's state alone so that any engine answers alike.
 */

import type { DeleteOutcome, VisibilityOutcome } from '../../../storage/types.js';

/** A message stays in flight at most 12 hours from the receive that took it. */
export const MAX_VISIBILITY_MS = 12 * 3600_000;

/** What the engine found under a well-formed receipt handle of the queue. */
export interface HandleTarget {
  /** The message still exists. */
  exists: boolean;
  /** The handle is from the message's latest receive. */
  latest: boolean;
  /** The message is in flight now (its visibility timeout has not run out). */
  inflight: boolean;
  fifo: boolean;
}

/**
 * DeleteMessage: a standard queue ignores a handle of a message that is gone or received again
 * since (it succeeds and deletes nothing); a FIFO queue refuses a handle whose visibility timeout
 * has run out or that a later receive replaced.
 */
export function deleteDecision(t: HandleTarget): DeleteOutcome {
  if (!t.exists) return 'ignored';
  if (!t.latest) return t.fifo ? 'expired' : 'ignored';
  if (t.fifo && !t.inflight) return 'expired';
  return 'deleted';
}

/**
 * ChangeMessageVisibility: AWS accepts a standard-queue handle whose timeout has lapsed (the
 * message hides again) but not a FIFO one; the new timeout may not take the message past 12
 * hours in flight from its receive.
 */
export function visibilityDecision(
  t: HandleTarget,
  receivedAt: number,
  now: number,
  timeoutMs: number,
): VisibilityOutcome {
  if (!t.exists || !t.latest) return 'missing';
  if (t.fifo && !t.inflight) return 'expired';
  if (now + timeoutMs - receivedAt > MAX_VISIBILITY_MS) return 'tooLong';
  return 'ok';
}

/**
 * A retried FIFO receive within the attempt window resets the messages' visibility timeout
 * ("If a retry occurs within the deduplication interval, it resets the visibility timeout"),
 * never past the 12 hours.
 */
export function retriedVisibilityMs(receivedAt: number, now: number, timeoutMs: number): number {
  return Math.min(timeoutMs, receivedAt + MAX_VISIBILITY_MS - now);
}
