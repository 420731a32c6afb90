import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A GitHub-flavoured table; by default the first column is left-aligned, the numbers right. */
export function table(
  header: string[],
  rows: string[][],
  align: ('left' | 'right')[] = header.map((_, i) => (i === 0 ? 'left' : 'right')),
): string {
  const rule = align.map((a) => (a === 'left' ? '---' : '---:'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

const DASH = '—';

/** Integer with thousands separators; a dash when there is no figure. */
export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : DASH;
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : DASH;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : DASH;
}

/**
 * Replaces the text between `begin` and `end` (markers included) so a rerun updates its own
 * section and leaves the hand-written rest alone; creates the file from `skeleton` if missing.
 */
export function replaceSection(
  file: string,
  begin: string,
  end: string,
  body: string,
  skeleton: string,
): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : skeleton;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}
