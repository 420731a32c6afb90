import type { EventsState } from './state.js';

/**
 * Lambda targets: Tideway has no Lambda, so each invocation EventBridge would make is kept here in
 * the shape Lambda receives it (an asynchronous `Event` invocation whose payload is the target's
 * input), for `GET /_tideway/events/lambda-invocations`. Memory only, newest last, capped.
 */
export interface LambdaInvocation {
  functionArn: string;
  invocationType: 'Event';
  /** The text Lambda hands the function as its event. */
  payload: string;
  ruleArn: string;
  targetId: string;
  eventId: string;
  invokedAt: string;
}

const CAPACITY = 10_000;

export class LambdaOutbox {
  private readonly invocations: LambdaInvocation[] = [];

  add(invocation: LambdaInvocation): void {
    this.invocations.push(invocation);
    if (this.invocations.length > CAPACITY) this.invocations.splice(0, this.invocations.length - CAPACITY);
  }

  list(filter: { functionArn?: string; ruleArn?: string } = {}): LambdaInvocation[] {
    return this.invocations.filter(
      (i) =>
        (filter.functionArn === undefined || sameFunction(i.functionArn, filter.functionArn)) &&
        (filter.ruleArn === undefined || i.ruleArn === filter.ruleArn),
    );
  }

  clear(): void {
    this.invocations.length = 0;
  }
}

/** A function named with or without its version or alias qualifier. */
function sameFunction(invoked: string, asked: string): boolean {
  return invoked === asked || invoked.startsWith(`${asked}:`);
}

const outboxes = new WeakMap<EventsState, LambdaOutbox>();

export function lambdaOutbox(state: EventsState): LambdaOutbox {
  let found = outboxes.get(state);
  if (!found) {
    found = new LambdaOutbox();
    outboxes.set(state, found);
  }
  return found;
}
