import { eventsError } from './errors.js';

/** A rate() or cron() expression as EventBridge reads it. (To be completed.) */
export interface ScheduleExpression {
  text: string;
  /** The first firing strictly after `after` (clock ms, UTC). */
  next(after: number): number;
}

/** Parses and validates a schedule expression; throws AWS's ValidationException. (To be completed.) */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (!rate) throw eventsError.validation('Parameter ScheduleExpression is not valid.');
  const unit = rate[2].startsWith('minute') ? 60_000 : rate[2].startsWith('hour') ? 3_600_000 : 86_400_000;
  const period = Number(rate[1]) * unit;
  return { text, next: (after) => after + period };
}
