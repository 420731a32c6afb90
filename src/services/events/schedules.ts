import { newMessageId } from '../../core/ids.js';
import type { Timer } from '../../core/scheduler.js';
import { eventTime } from './event-time.js';
import type { BusEvent, RuleRecord } from './records.js';
import { parseScheduleExpression, type ScheduleExpression } from './schedule-expressions.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

interface Armed {
  timer: Timer;
  expression: ScheduleExpression;
}

function isScheduled(rule: RuleRecord): rule is RuleRecord & { scheduleExpression: string } {
  return rule.scheduleExpression !== undefined && rule.state !== 'DISABLED';
}

/** What AWS delivers for a scheduled rule's firing: `aws.events`, the rule as the resource, no detail. */
export function scheduledEvent(rule: RuleRecord, firedAt: number): BusEvent {
  return {
    version: '0',
    id: newMessageId(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: rule.account,
    time: eventTime(firedAt),
    region: rule.region,
    resources: [rule.arn],
    detail: {},
  };
}

/**
 * Scheduled rules fire on the clock: one timer per enabled rule, due at its next firing. A rate
 * counts from the rule's last firing (from when it was created or enabled, at first); a cron takes
 * the next matching minute. The next firing is kept on the rule, so a restart carries on where it
 * stopped, and an advance of the clock fires every firing that fell due, in time order.
 */
export function installSchedules(state: EventsState): () => void {
  const armed = new Map<string, Armed>();

  const persist = (arn: string, nextFireAt: number | undefined) => {
    const current = state.rules.get(arn);
    if (!current || current.nextFireAt === nextFireAt) return;
    // Straight to the store, not putRule: a firing is not a change the router or listeners need.
    void state.rules.put(arn, { ...current, nextFireAt }).catch((err: unknown) => {
      state.log.warn({ err, rule: arn }, "events: could not keep a scheduled rule's next firing");
    });
  };

  const disarm = (arn: string) => {
    const entry = armed.get(arn);
    if (!entry) return;
    state.scheduler.cancel(entry.timer);
    armed.delete(arn);
  };

  const fire = (arn: string) => {
    const entry = armed.get(arn);
    const rule = state.rules.get(arn);
    if (!entry || !rule || !isScheduled(rule)) {
      disarm(arn);
      return;
    }
    const firedAt = entry.timer.at;
    const bus = state.bus(rule.account, rule.region, DEFAULT_BUS);
    if (bus) state.router?.route(bus, scheduledEvent(rule, firedAt), { ruleArns: [rule.arn], direct: true });
    const next = entry.expression.next(firedAt);
    if (!Number.isFinite(next)) {
      armed.delete(arn);
      persist(arn, undefined);
      return;
    }
    // A firing still due goes back on the heap: the scheduler runs it, and the other rules' due
    // firings, in time order within the same advance.
    state.scheduler.reschedule(entry.timer, next);
    persist(arn, next);
  };

  const arm = (rule: RuleRecord, resumeAt?: number) => {
    disarm(rule.arn);
    if (!isScheduled(rule)) return;
    let expression: ScheduleExpression;
    try {
      expression = parseScheduleExpression(rule.scheduleExpression);
    } catch {
      return;
    }
    const at = resumeAt ?? expression.next(state.clock.now());
    if (!Number.isFinite(at)) {
      persist(rule.arn, undefined);
      return;
    }
    const arn = rule.arn;
    armed.set(arn, { timer: state.scheduler.at(at, () => fire(arn)), expression });
    persist(arn, at);
  };

  for (const rule of state.rules.values()) arm(rule, rule.nextFireAt);

  const listener = (rule: RuleRecord, deleted: boolean) => {
    if (deleted || !isScheduled(rule)) {
      disarm(rule.arn);
      if (!deleted) persist(rule.arn, undefined);
      return;
    }
    const entry = armed.get(rule.arn);
    // An unchanged schedule keeps its cadence through PutRule updates of other fields.
    if (entry && entry.expression.text === rule.scheduleExpression) {
      persist(rule.arn, entry.timer.at);
      return;
    }
    arm(rule);
  };
  state.ruleListeners.add(listener);

  return () => {
    state.ruleListeners.delete(listener);
    for (const arn of [...armed.keys()]) disarm(arn);
  };
}
