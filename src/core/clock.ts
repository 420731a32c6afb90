/**
 * The one clock behind every timer in Tideway. Tests move it forward through
 * `POST /_tideway/clock`, so visibility timeouts, delays and retention can be
 * exercised without sleeping.
 */
export class Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** How far the clock runs ahead of the machine's. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  /** Moves time forward; everything waiting on the clock re-evaluates at once. */
  advance(ms: number): void {
    if (!(ms > 0)) return;
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
