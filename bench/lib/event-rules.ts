/**
 * Rules for the EventBridge benchmarks: `count` distinct patterns over an order-like event, of
 * which exactly one matches the probe event. (To be completed: the patterns are to mix the
 * operators — exact values on several fields, prefix, suffix, numeric ranges, anything-but,
 * exists, wildcard, $or — so that no hash of one field can do the matcher's work.)
 */
export interface BenchRules {
  patterns: string[];
  /** The index in `patterns` of the one pattern the event matches. */
  matching: number;
  /** The event's `detail` (the probe's source and detail-type are below). */
  event: { source: string; 'detail-type': string; detail: Record<string, unknown> };
}

export function benchRules(count: number): BenchRules {
  const patterns: string[] = [];
  for (let i = 0; i < count; i++) {
    patterns.push(JSON.stringify({ source: ['bench.orders'], detail: { customer: [`customer-${i}`] } }));
  }
  const matching = count - 1;
  return {
    patterns,
    matching,
    event: {
      source: 'bench.orders',
      'detail-type': 'Order Placed',
      detail: { customer: `customer-${matching}`, total: 42.5, region: 'eu-west-1' },
    },
  };
}
