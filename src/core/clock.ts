/**
 * The one clock behind every timer in Tideway. Tests move it forward through
 * `POST /_tideway/clock`, so visibility timeouts, delays and retention can be
 * exercised without sleeping.
 */
export class Clock {
  private offsetMs = 0;
  /** The machine time the clock stopped at, while frozen. */
  private frozenAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /**
   * Stops the clock following the machine's, so only `advance` moves it: a test of rates and
   * windows then holds however slowly a loaded machine runs it.
   */
  freeze(): void {
    this.frozenAt ??= Date.now();
  }

  /** Lets the clock run with the machine's again, from where it stood: time never goes back. */
  thaw(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs -= Date.now() - this.frozenAt;
    this.frozenAt = undefined;
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
