import { eventsError } from './errors.js';

/** A rate() or cron() expression as EventBridge reads it. */
export interface ScheduleExpression {
  text: string;
  kind: 'rate' | 'cron';
  /**
   * The first firing strictly after `after` (clock ms, UTC): for a rate, `after` plus the period
   * (the caller anchors it on the rule's last firing); for a cron, the next matching minute, or
   * Infinity when no minute ever matches again (a year range in the past).
   */
  next(after: number): number;
}

const INVALID = 'Parameter ScheduleExpression is not valid.';
const invalid = () => eventsError.validation(INVALID);

const MINUTE = 60_000;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

/** Parses and validates a schedule expression; throws AWS's ValidationException. */
export function parseScheduleExpression(text: string): ScheduleExpression {
  if (text.startsWith('rate(')) return parseRate(text);
  if (text.startsWith('cron(')) return parseCron(text);
  throw invalid();
}

// AWS takes exactly `rate(<n> <unit>)`: one space, lower case, singular for 1 and plural otherwise.
function parseRate(text: string): ScheduleExpression {
  const match = /^rate\(([0-9]+) (minute|hour|day)(s?)\)$/.exec(text);
  if (!match) throw invalid();
  const value = Number(match[1]);
  if (!Number.isSafeInteger(value) || value < 1) throw invalid();
  if ((value === 1) !== (match[3] === '')) throw invalid();
  const period = value * RATE_UNITS[match[2]];
  return { text, kind: 'rate', next: (after) => after + period };
}

interface FieldRange {
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: FieldRange = { min: 0, max: 59 };
const HOURS: FieldRange = { min: 0, max: 23 };
const DAYS: FieldRange = { min: 1, max: 31 };
const MONTHS: FieldRange = {
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const WEEKDAYS: FieldRange = { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEARS: FieldRange = { min: 1970, max: 2199 };

/** Day of month: `?`/`*`, a set of days, L (last day), LW (last weekday), nW (weekday nearest n). */
type DaySpec =
  | { kind: 'any' }
  | { kind: 'days'; days: Set<number> }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

/** Day of week (1 = SUN): `?`/`*`, a set of days, nL (the month's last such day), n#k (its k-th). */
type WeekdaySpec =
  | { kind: 'any' }
  | { kind: 'days'; days: Set<number> }
  | { kind: 'last'; weekday: number }
  | { kind: 'nth'; weekday: number; nth: number };

interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  days: DaySpec;
  months: Set<number>;
  weekdays: WeekdaySpec;
  years: Set<number>;
}

function parseCron(text: string): ScheduleExpression {
  const match = /^cron\((.*)\)$/.exec(text);
  if (!match) throw invalid();
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) throw invalid();
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
  // One of day-of-month and day-of-week is `?` and the other is not: AWS does not combine them.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) throw invalid();
  const cron: Cron = {
    minutes: parseList(minute, MINUTES),
    hours: parseList(hour, HOURS),
    days: parseDays(dayOfMonth),
    months: parseList(month, MONTHS),
    weekdays: parseWeekdays(dayOfWeek),
    years: parseList(year, YEARS),
  };
  return { text, kind: 'cron', next: (after) => nextCronMinute(cron, after) };
}

function parseValue(text: string, range: FieldRange): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return range.min + named;
  if (!/^[0-9]+$/.test(text)) throw invalid();
  const value = Number(text);
  if (value < range.min || value > range.max) throw invalid();
  return value;
}

/** `*`, `a`, `a-b`, `a/s`, `*\/s`, `a-b/s`, joined by commas; a range may wrap (FRI-MON, 22-2). */
function parseList(text: string, range: FieldRange): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [span, stepText, extra] = item.split('/');
    if (extra !== undefined) throw invalid();
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText)) throw invalid();
      step = Number(stepText);
      if (step < 1) throw invalid();
    }
    let from: number;
    let to: number;
    if (span === '*') {
      from = range.min;
      to = range.max;
    } else {
      const bounds = span.split('-');
      if (bounds.length > 2) throw invalid();
      from = parseValue(bounds[0], range);
      to = bounds.length === 2 ? parseValue(bounds[1], range) : stepText !== undefined ? range.max : from;
    }
    const width = range.max - range.min + 1;
    const count = to >= from ? to - from : to - from + width;
    for (let offset = 0; offset <= count; offset += step) {
      values.add(((from - range.min + offset) % width) + range.min);
    }
  }
  return values;
}

function parseDays(text: string): DaySpec {
  if (text === '?' || text === '*') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const weekday = /^([0-9]+)W$/.exec(text);
  if (weekday) return { kind: 'nearestWeekday', day: parseValue(weekday[1], DAYS) };
  return { kind: 'days', days: parseList(text, DAYS) };
}

function parseWeekdays(text: string): WeekdaySpec {
  if (text === '?' || text === '*') return { kind: 'any' };
  // A lone L in day-of-week is its last value, Saturday.
  if (text === 'L') return { kind: 'days', days: new Set([7]) };
  const last = /^([0-9A-Za-z]+)L$/.exec(text);
  if (last) return { kind: 'last', weekday: parseValue(last[1], WEEKDAYS) };
  const nth = /^([0-9A-Za-z]+)#([0-9]+)$/.exec(text);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw invalid();
    return { kind: 'nth', weekday: parseValue(nth[1], WEEKDAYS), nth: n };
  }
  return { kind: 'days', days: parseList(text, WEEKDAYS) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as cron counts. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysInMonth(year, month);
  if (day > last) return undefined;
  const weekday = weekdayOf(year, month, day);
  // Saturday moves to Friday and Sunday to Monday, never out of the month.
  if (weekday === 7) return day === 1 ? 3 : day - 1;
  if (weekday === 1) return day === last ? day - 2 : day + 1;
  return day;
}

function dayMatches(cron: Cron, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  const days = cron.days;
  switch (days.kind) {
    case 'days':
      if (!days.days.has(day)) return false;
      break;
    case 'last':
      if (day !== last) return false;
      break;
    case 'lastWeekday':
      if (day !== nearestWeekday(year, month, last)) return false;
      break;
    case 'nearestWeekday':
      if (day !== nearestWeekday(year, month, days.day)) return false;
      break;
  }
  const weekdays = cron.weekdays;
  const weekday = weekdayOf(year, month, day);
  switch (weekdays.kind) {
    case 'days':
      return weekdays.days.has(weekday);
    case 'last':
      return weekday === weekdays.weekday && day + 7 > last;
    case 'nth':
      return weekday === weekdays.weekday && Math.ceil(day / 7) === weekdays.nth;
    default:
      return true;
  }
}

function nextCronMinute(cron: Cron, after: number): number {
  const start = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
  const years = [...cron.years].sort((a, b) => a - b);
  const months = [...cron.months].sort((a, b) => a - b);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const startYear = start.getUTCFullYear();
  for (const year of years) {
    if (year < startYear) continue;
    for (const month of months) {
      const sameMonth = year === startYear && month === start.getUTCMonth() + 1;
      if (year === startYear && month < start.getUTCMonth() + 1) continue;
      const firstDay = sameMonth ? start.getUTCDate() : 1;
      for (let day = firstDay; day <= daysInMonth(year, month); day++) {
        if (!dayMatches(cron, year, month, day)) continue;
        const sameDay = sameMonth && day === start.getUTCDate();
        for (const hour of hours) {
          if (sameDay && hour < start.getUTCHours()) continue;
          const sameHour = sameDay && hour === start.getUTCHours();
          for (const minute of minutes) {
            if (sameHour && minute < start.getUTCMinutes()) continue;
            return Date.UTC(year, month - 1, day, hour, minute);
          }
        }
      }
    }
  }
  return Number.POSITIVE_INFINITY;
}
