import type { EventsState } from './state.js';

/**
 * Events EventBridge gave up on with nowhere to put them: no dead-letter queue, or one whose
 * policy keeps EventBridge out. AWS only shows these as CloudWatch metrics
 * (InvocationsFailedToBeSentToDLQ); Tideway counts them per target for `GET /_tideway/events/drops`
 * and logs the first of each target once, so a missing statement is found without a flood of logs.
 */
export interface DropCount {
  ruleArn: string;
  targetId: string;
  targetArn: string;
  count: number;
  lastReason: string;
  lastDroppedAt: string;
}

export interface DropInput {
  ruleArn: string;
  targetId: string;
  targetArn: string;
  reason: string;
}

export class DeliveryDrops {
  private readonly byTarget = new Map<string, DropCount>();

  constructor(private readonly state: EventsState) {}

  record(drop: DropInput): void {
    const key = `${drop.ruleArn}\n${drop.targetId}`;
    const at = new Date(this.state.clock.now()).toISOString();
    const known = this.byTarget.get(key);
    if (known) {
      known.count++;
      known.lastReason = drop.reason;
      known.lastDroppedAt = at;
      known.targetArn = drop.targetArn;
      return;
    }
    this.byTarget.set(key, { ...drop, count: 1, lastReason: drop.reason, lastDroppedAt: at });
    this.state.log.warn(
      { rule: drop.ruleArn, target: drop.targetId, targetArn: drop.targetArn },
      `EventBridge dropped an event: ${drop.reason} (further drops for this target are only counted, see GET /_tideway/events/drops)`,
    );
  }

  list(ruleArn?: string): DropCount[] {
    const all = [...this.byTarget.values()].map((d) => ({ ...d }));
    return ruleArn ? all.filter((d) => d.ruleArn === ruleArn) : all;
  }

  clear(): void {
    this.byTarget.clear();
  }
}

const drops = new WeakMap<EventsState, DeliveryDrops>();

/** The drop counts of one server's EventBridge. */
export function deliveryDrops(state: EventsState): DeliveryDrops {
  let found = drops.get(state);
  if (!found) {
    found = new DeliveryDrops(state);
    drops.set(state, found);
  }
  return found;
}
