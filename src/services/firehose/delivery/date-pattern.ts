// Java DateTimeFormatter patterns, as `!{timestamp:…}` takes them: letters are fields, text in
// single quotes is literal ('' is a quote), anything else is copied. Firehose formats in UTC
// unless the destination names a CustomTimeZone.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
  zone: string;
}

type Piece = { literal: string } | { letter: string; count: number };

export class DatePatternError extends Error {}

const compiled = new Map<string, Piece[]>();

/** Formats `time` (epoch ms) with a Java DateTimeFormatter pattern; throws DatePatternError on a bad one. */
export function formatDate(time: number, pattern: string, timeZone = 'UTC'): string {
  let pieces = compiled.get(pattern);
  if (!pieces) {
    pieces = compile(pattern);
    if (compiled.size < 1000) compiled.set(pattern, pieces);
  }
  const wall = wallClock(time, timeZone);
  let out = '';
  for (const piece of pieces)
    out += 'literal' in piece ? piece.literal : field(wall, piece.letter, piece.count);
  return out;
}

/** Checks a pattern without formatting (for validation at configuration time). */
export function checkDatePattern(pattern: string): void {
  compile(pattern);
}

function compile(pattern: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        pieces.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        const close = pattern.indexOf("'", j);
        if (close < 0)
          throw new DatePatternError(`Pattern ends with an incomplete string literal: ${pattern}`);
        text += pattern.slice(j, close);
        if (pattern[close + 1] === "'") {
          text += "'";
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      pieces.push({ literal: text });
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      checkLetter(c, count);
      pieces.push({ letter: c, count });
      i += count;
      continue;
    }
    if (c === '[' || c === ']' || c === '{' || c === '}' || c === '#') {
      throw new DatePatternError(`Pattern includes reserved character: '${c}'`);
    }
    pieces.push({ literal: c });
    i++;
  }
  return pieces;
}

const MAX_COUNT: Record<string, number> = {
  y: 19,
  u: 19,
  M: 5,
  L: 5,
  d: 2,
  D: 3,
  H: 2,
  h: 2,
  k: 2,
  K: 2,
  m: 2,
  s: 2,
  S: 9,
  a: 1,
  E: 5,
  Q: 5,
  q: 5,
  n: 19,
  A: 19,
  X: 5,
  x: 5,
  Z: 5,
  V: 2,
  z: 4,
  O: 4,
  G: 5,
};

function checkLetter(letter: string, count: number): void {
  const max = MAX_COUNT[letter];
  if (max === undefined) throw new DatePatternError(`Unknown pattern letter: ${letter}`);
  if (count > max) throw new DatePatternError(`Too many pattern letters: ${letter}`);
  if (letter === 'V' && count !== 2) throw new DatePatternError('Pattern letter count must be 2: V');
  if (letter === 'O' && count !== 1 && count !== 4) {
    throw new DatePatternError('Pattern letter count must be 1 or 4: O');
  }
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}

function offsetText(minutes: number, letter: string, count: number): string {
  if (minutes === 0 && letter === 'X') return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hh = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const mm = pad(Math.abs(minutes) % 60, 2);
  if (letter === 'Z') {
    if (count === 4) return minutes === 0 ? 'GMT' : `GMT${sign}${hh}:${mm}`;
    if (count === 5) return minutes === 0 ? 'Z' : `${sign}${hh}:${mm}`;
    return `${sign}${hh}${mm}`;
  }
  if (count === 1) return mm === '00' ? `${sign}${hh}` : `${sign}${hh}${mm}`;
  if (count === 2 || count === 4) return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

function field(w: WallClock, letter: string, count: number): string {
  switch (letter) {
    case 'y':
    case 'u':
      return count === 2 ? pad(w.year % 100, 2) : pad(w.year, count);
    case 'M':
    case 'L':
      if (count >= 4) return count === 5 ? MONTHS[w.month - 1][0] : MONTHS[w.month - 1];
      return count === 3 ? MONTHS[w.month - 1].slice(0, 3) : pad(w.month, count);
    case 'd':
      return pad(w.day, count);
    case 'D':
      return pad(dayOfYear(w), count);
    case 'H':
      return pad(w.hour, count);
    case 'k':
      return pad(w.hour === 0 ? 24 : w.hour, count);
    case 'K':
      return pad(w.hour % 12, count);
    case 'h':
      return pad(w.hour % 12 === 0 ? 12 : w.hour % 12, count);
    case 'm':
      return pad(w.minute, count);
    case 's':
      return pad(w.second, count);
    case 'S':
      return pad(w.millisecond, 3).padEnd(9, '0').slice(0, count);
    case 'n':
      return pad(w.millisecond * 1_000_000, count);
    case 'A':
      return pad(((w.hour * 60 + w.minute) * 60 + w.second) * 1000 + w.millisecond, count);
    case 'a':
      return w.hour < 12 ? 'AM' : 'PM';
    case 'E':
      if (count === 5) return DAYS[w.weekday][0];
      return count === 4 ? DAYS[w.weekday] : DAYS[w.weekday].slice(0, 3);
    case 'Q':
    case 'q': {
      const quarter = Math.floor((w.month - 1) / 3) + 1;
      if (count <= 2) return pad(quarter, count);
      return count === 3 ? `Q${quarter}` : `${['1st', '2nd', '3rd', '4th'][quarter - 1]} quarter`;
    }
    case 'G':
      return count === 4 ? 'Anno Domini' : count === 5 ? 'A' : 'AD';
    case 'V':
    case 'z':
      return w.zone;
    case 'O':
      return w.offset === 0 ? 'GMT' : `GMT${offsetText(w.offset, 'X', count === 4 ? 3 : 1)}`;
    default:
      return offsetText(w.offset, letter, count);
  }
}

function dayOfYear(w: WallClock): number {
  return Math.round((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(w.year, 0, 1)) / 86_400_000) + 1;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(time: number, zone: string): WallClock {
  const date = new Date(time);
  if (zone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond: date.getUTCMilliseconds(),
      weekday: date.getUTCDay(),
      offset: 0,
      zone,
    };
  }
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallMs = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = Math.round((wallMs - (time - date.getUTCMilliseconds())) / 60_000);
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
    millisecond: date.getUTCMilliseconds(),
    weekday: new Date(wallMs).getUTCDay(),
    offset,
    zone,
  };
}
