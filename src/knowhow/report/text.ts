import type { Severity } from '../findings.js';
import type { ExplainNote } from '../model.js';
import { sortFindings } from '../run-rules.js';
import type { Report } from './index.js';

/**
 * For people: one block per file, each finding as `file:line  severity  rule  resource — message`
 * (the location first, so terminals and editors can open it) with its fix below, then a summary.
 */
export function formatText(report: Report): string {
  const lines: string[] = [];
  let file: string | undefined;
  for (const finding of sortFindings(report.findings)) {
    if (file !== undefined && finding.file !== file) lines.push('');
    file = finding.file;
    lines.push(
      `${location(finding.file, finding.line)}  ${finding.severity.padEnd(7)}  ${finding.rule}  ${finding.resource} — ${finding.message}`,
    );
    lines.push(`    fix: ${finding.fix}`);
  }
  if (report.explain && report.notes.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Notes (why no finding was made, what was not read):');
    for (const note of report.notes) lines.push(`  ${noteLine(note)}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

export function noteLine(note: ExplainNote): string {
  const where = note.origin ? `${location(note.origin.file, note.origin.line)}  ` : '';
  const what = note.resource ? `${note.resource} — ` : '';
  return `${where}${what}${note.message}`;
}

function location(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

function summary(report: Report): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const finding of report.findings) counts[finding.severity]++;
  const checked =
    report.files === undefined
      ? ''
      : ` in ${plural(report.files.length, report.tool === 'lint' ? 'file' : 'place')}`;
  const tally =
    report.findings.length === 0
      ? 'no problems'
      : `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.notice, 'notice')}`;
  const hint =
    !report.explain && report.notes.length > 0
      ? ` (${plural(report.notes.length, 'note')}: --explain shows them)`
      : '';
  return `tideway ${report.tool}: ${tally}${checked}${hint}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
