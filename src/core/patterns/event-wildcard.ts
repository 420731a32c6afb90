/**
 * EventBridge's `wildcard` operator: `*` stands for any run of characters, `\*` and `\\` for a
 * literal star and backslash. Parsed once into the literal pieces between the stars, matched by a
 * greedy scan (exact for a star-only glob), and measured for the complexity AWS refuses.
 */

export interface WildcardGlob {
  /** The pattern as written. */
  readonly text: string;
  /** The literal pieces around the stars: one more than the number of stars. */
  readonly pieces: readonly string[];
}

export class WildcardError extends Error {
  override name = 'WildcardError';

  /** @param located whether AWS appends the parser's position to this text */
  constructor(
    message: string,
    readonly located: boolean,
  ) {
    super(message);
  }
}

export const WILDCARD_TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

const encoder = new TextEncoder();

export function parseWildcard(text: string): WildcardGlob {
  const pieces: string[] = [];
  let piece = '';
  // Ruler reports positions in UTF-8 bytes.
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '*') {
      // AWS names the second star of a pair (recorded: "arn:aws:events:us-east-1:**" → pos 26).
      if (text[i + 1] === '*')
        throw new WildcardError(`Consecutive wildcard characters at pos ${byte + 1}`, true);
      pieces.push(piece);
      piece = '';
      byte++;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\')
        throw new WildcardError(`Invalid escape character at pos ${byte}`, true);
      piece += next;
      i++;
      byte += 2;
    } else {
      piece += c;
      byte += encoder.encode(c).length;
    }
  }
  pieces.push(piece);
  return { text, pieces };
}

export function matchesWildcard(glob: WildcardGlob, value: string): boolean {
  const { pieces } = glob;
  const first = pieces[0];
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1];
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Leftmost placement of each middle piece leaves the most room for the rest, so greed is exact.
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = value.indexOf(pieces[i], at);
    if (found === -1 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}

/**
 * The most positions a matcher over these globs can be in at once for any input: the measure AWS
 * bounds ("fewer wildcard characters or fewer repeating character sequences after a wildcard
 * character"). It walks the subset construction over the characters the globs name.
 */
export function wildcardComplexity(globs: readonly WildcardGlob[], cap: number): number {
  // Positions of all globs in one numbering: a literal character, or a star (as the empty string).
  const items: string[] = [];
  const starts: number[] = [];
  const ends = new Set<number>();
  for (const glob of globs) {
    starts.push(items.length);
    glob.pieces.forEach((piece, index) => {
      for (const ch of piece) items.push(ch);
      if (index < glob.pieces.length - 1) items.push('');
    });
    ends.add(items.length);
    items.push('\u0000end');
  }
  const alphabet = [...new Set(items.filter((item) => item.length === 1)), '\u0000other'];

  const close = (positions: Set<number>): Set<number> => {
    for (const position of positions) if (items[position] === '') positions.add(position + 1);
    return positions;
  };
  const key = (positions: Set<number>) => [...positions].sort((a, b) => a - b).join(',');

  const start = close(new Set(starts));
  let most = start.size - globs.length;
  const seen = new Set([key(start)]);
  const queue = [start];
  // Literal-only patterns make one subset per character; the bound keeps a 4 KB pattern cheap.
  while (queue.length > 0 && seen.size < 20_000) {
    const positions = queue.pop()!;
    for (const ch of alphabet) {
      const next = new Set<number>();
      for (const position of positions) {
        const item = items[position];
        if (item === '') next.add(position);
        else if (item === ch) next.add(position + 1);
      }
      if (next.size === 0) continue;
      close(next);
      const id = key(next);
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(next);
      let live = 0;
      for (const position of next) if (!ends.has(position)) live++;
      most = Math.max(most, live);
      if (most > cap) return most;
    }
  }
  return most;
}
