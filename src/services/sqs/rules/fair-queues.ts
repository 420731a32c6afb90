/**
 * Fair queues (SQS Developer Guide, "How Amazon SQS fair queues work"): on a standard queue whose
 * messages carry a MessageGroupId, a group that takes more than its share of consumers counts as
 * a noisy neighbour, and receives hand out the other groups' messages first.
 *
 * A group is noisy when it holds over 10% of the queue's in-flight messages and at least 30 of
 * them, or over 10% of recent consumer processing time; it stays noisy until its backlog drains
 * or it sends nothing for 5 minutes.
 */

export const NOISY_SHARE = 0.1;
export const NOISY_MIN_INFLIGHT = 30;
export const NOISY_QUIET_MS = 5 * 60_000;
/** "Recent" processing time: each second counts half as much a minute later. */
export const PROCESSING_HALF_LIFE_MS = 60_000;

export function noisyByInflight(groupInflight: number, queueInflight: number): boolean {
  return groupInflight >= NOISY_MIN_INFLIGHT && groupInflight > NOISY_SHARE * queueInflight;
}

export function noisyByProcessing(groupProcessingMs: number, queueProcessingMs: number): boolean {
  return groupProcessingMs > NOISY_SHARE * queueProcessingMs;
}

/** A noisy group is quiet again once it has nothing queued or has sent nothing for a while. */
export function quietAgain(backlog: number, lastSendAt: number, now: number): boolean {
  return backlog <= 0 || now - lastSendAt >= NOISY_QUIET_MS;
}

/** A sum that fades exponentially with clock time (half-life PROCESSING_HALF_LIFE_MS). */
export class FadingSum {
  private value = 0;
  private at = 0;

  add(amount: number, now: number): void {
    this.value = this.valueAt(now) + amount;
    this.at = now;
  }

  valueAt(now: number): number {
    return this.value * 2 ** (-(now - this.at) / PROCESSING_HALF_LIFE_MS);
  }
}

/**
 * The per-group load of one standard queue, fed by the engine as messages are sent, received,
 * released and removed, and asked which groups are noisy now. Holds counts only, no messages.
 */
export class FairQueueLoad {
  private readonly inflight = new Map<string, number>();
  private readonly backlog = new Map<string, number>();
  private readonly lastSend = new Map<string, number>();
  private readonly noisy = new Set<string>();
  private readonly processing = new Map<string, FadingSum>();
  private readonly totalProcessing = new FadingSum();

  /** A message of `group` joined the queue (sent, moved in or restored), in flight or not. */
  added(group: string, now: number, inflight: boolean): void {
    bump(this.backlog, group, 1);
    this.lastSend.set(group, now);
    if (inflight) bump(this.inflight, group, 1);
  }

  /** A message of `group` left the queue; one in flight since `receivedAt` counts its processing time. */
  removed(group: string, inflight: boolean, receivedAt: number, now: number): void {
    if (inflight) this.released(group, receivedAt, now);
    // A drained group is a quiet tenant again, its history forgotten.
    if (bump(this.backlog, group, -1) === 0) {
      this.noisy.delete(group);
      this.processing.delete(group);
    }
  }

  /** A receive took a message of `group` in flight. */
  taken(group: string): void {
    bump(this.inflight, group, 1);
  }

  /** A message of `group` stopped being in flight: consumer time ran from its receive until now. */
  released(group: string, receivedAt: number, now: number): void {
    bump(this.inflight, group, -1);
    const ms = now - receivedAt;
    if (ms <= 0) return;
    let sum = this.processing.get(group);
    if (!sum) {
      sum = new FadingSum();
      this.processing.set(group, sum);
    }
    sum.add(ms, now);
    this.totalProcessing.add(ms, now);
  }

  inflightOf(group: string): number {
    return this.inflight.get(group) ?? 0;
  }

  /** The groups noisy at `now`, given the queue's in-flight count. */
  noisyGroups(now: number, queueInflight: number): ReadonlySet<string> {
    if (this.backlog.size === 0) return this.noisy;
    for (const [group, inflight] of this.inflight) {
      if (noisyByInflight(inflight, queueInflight)) this.noisy.add(group);
    }
    const total = this.totalProcessing.valueAt(now);
    for (const [group, sum] of this.processing) {
      const share = sum.valueAt(now);
      // Faded below a millisecond: forget the group rather than keep its entry forever.
      if (share < 1) this.processing.delete(group);
      else if (noisyByProcessing(share, total) && this.backlog.has(group)) this.noisy.add(group);
    }
    for (const group of this.noisy) {
      if (quietAgain(this.backlog.get(group) ?? 0, this.lastSend.get(group) ?? 0, now))
        this.noisy.delete(group);
    }
    return this.noisy;
  }

  /** Noisy groups in the order they get what receives leave over: fewest in flight first. */
  byLoad(noisy: ReadonlySet<string>): string[] {
    return [...noisy].sort((a, b) => this.inflightOf(a) - this.inflightOf(b));
  }

  clear(): void {
    this.inflight.clear();
    this.backlog.clear();
    this.noisy.clear();
    this.processing.clear();
  }
}

function bump(counter: Map<string, number>, key: string, by: number): number {
  const next = (counter.get(key) ?? 0) + by;
  if (next <= 0) counter.delete(key);
  else counter.set(key, next);
  return next;
}
