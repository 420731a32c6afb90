/**
 * Rules for the EventBridge benchmarks: `count` distinct patterns over an order-like event, of
 * which exactly one matches the probe event. The patterns mix the operators — exact values on
 * several fields, prefix, suffix, numeric ranges, anything-but, exists, wildcard and `$or` — and
 * most share their exact values with thousands of others (one source, a handful of regions and
 * channels), failing only on a range, an affix, a wildcard or a negation: no hash of one field
 * can do the matcher's work.
 */
export interface BenchRules {
  patterns: string[];
  /** The index in `patterns` of the one pattern the event matches. */
  matching: number;
  /** The probe event: an envelope and its `detail`. */
  event: { source: string; 'detail-type': string; detail: Record<string, unknown> };
}

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1', 'eu-central-1'];
const SIZES = ['XS', 'S', 'M', 'L'];

/** The rule shapes, each failing on the probe event by construction (see `benchRules`). */
const SHAPES: ((i: number) => Record<string, unknown>)[] = [
  // Exact customer (the one hashable miss), with common values beside it.
  (i) => ({
    'detail-type': ['Order Placed'],
    detail: { customer: [`customer-${i}`], region: [REGIONS[(i >> 3) % 4]], total: [{ numeric: ['>', 0] }] },
  }),
  // A prefix no probe SKU has.
  (i) => ({
    detail: {
      sku: [{ prefix: `SKU-${String(i % 997).padStart(5, '0')}-` }],
      status: [{ 'anything-but': ['void'] }],
    },
  }),
  // A suffix the probe SKU does not end with, beside a region prefix it does match.
  (i) => ({
    detail: {
      sku: [{ suffix: `-${SIZES[(i >> 3) % 4]}` }],
      region: [{ prefix: 'eu-' }],
      coupon: [{ exists: false }],
      n: [{ numeric: ['<', 100 + i] }],
    },
  }),
  // A total range above the probe's.
  (i) => ({
    'detail-type': ['Order Placed'],
    detail: { total: [{ numeric: ['>', 100 + (i % 900), '<=', 5000 + i] }], channel: ['web'] },
  }),
  // Anything but the probe's status.
  (i) => ({
    detail: { status: [{ 'anything-but': ['paid', `status-${i}`] }], region: [REGIONS[(i >> 3) % 4]] },
  }),
  // A coupon the probe does not carry.
  (i) => ({
    detail: { coupon: [{ exists: true }], channel: ['web'], total: [{ numeric: ['<', 1000 + i] }] },
  }),
  // A wildcard on sizes the probe SKU is not.
  (i) => ({
    detail: {
      sku: [{ wildcard: `SKU-*-${SIZES[(i >> 3) % 4]}` }],
      tags: [{ prefix: 'gi' }],
      n: [{ 'anything-but': i }],
    },
  }),
  // Either a wrong customer or a wrong total.
  (i) => ({
    'detail-type': [{ 'equals-ignore-case': 'order placed' }],
    detail: {
      $or: [{ customer: [`customer-x${i}`] }, { total: [{ numeric: ['=', 1000 + i] }] }],
      channel: [{ suffix: 'eb' }],
    },
  }),
];

const MATCHING_PATTERN = {
  'detail-type': [{ prefix: { 'equals-ignore-case': 'ORDER' } }],
  detail: {
    sku: [{ wildcard: 'SKU-*-XL' }],
    total: [{ numeric: ['>', 40, '<=', 45] }],
    status: [{ 'anything-but': ['cancelled', 'void'] }],
    region: [{ prefix: 'eu-' }],
    coupon: [{ exists: false }],
    $or: [{ channel: ['web'] }, { tags: ['vip'] }],
  },
};

export function benchRules(count: number): BenchRules {
  const matching = Math.floor(count / 2);
  const patterns: string[] = [];
  for (let i = 0; i < count; i++) {
    const pattern = i === matching ? MATCHING_PATTERN : SHAPES[i % SHAPES.length](i);
    patterns.push(JSON.stringify({ source: ['bench.orders'], ...pattern }));
  }
  return {
    patterns,
    matching,
    event: {
      source: 'bench.orders',
      'detail-type': 'Order Placed',
      detail: {
        customer: 'customer-probe',
        region: 'eu-west-1',
        total: 42.5,
        sku: 'SKU-12345-XL',
        status: 'paid',
        channel: 'web',
        tags: ['gift', 'express'],
        n: 7,
      },
    },
  };
}
