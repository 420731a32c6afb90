import type { Finding, KnowHowRule } from '../findings.js';
import type { ExplainNote } from '../model.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

export interface Report {
  /** `lint` or `doctor`: names the tool in SARIF and the text summary. */
  tool: 'lint' | 'doctor';
  findings: Finding[];
  /** Printed in text output only with --explain. */
  notes: ExplainNote[];
  explain?: boolean;
  /** The files (or live places) that were checked, for the text summary. */
  files?: string[];
  /** The rules SARIF describes; every rule when absent. Findings of other rules are added. */
  rules?: readonly KnowHowRule[];
}

/** The findings in the chosen format: text for people, `{ findings }` JSON, or SARIF 2.1.0. */
export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    default:
      return formatText(report);
  }
}
