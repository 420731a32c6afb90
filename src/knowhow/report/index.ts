import type { Finding } from '../findings.js';
import type { ExplainNote } from '../model.js';

// SKELETON: replaced by the reports before this lands.

export type ReportFormat = 'text' | 'json' | 'sarif';

export interface Report {
  /** `lint` or `doctor`: names the tool in SARIF and the text summary. */
  tool: 'lint' | 'doctor';
  findings: Finding[];
  /** Printed in text output only with --explain. */
  notes: ExplainNote[];
  explain?: boolean;
}

/** The findings in the chosen format: text for people, `{ findings }` JSON, or SARIF 2.1.0. */
export function formatReport(_report: Report, _format: ReportFormat): string {
  throw new Error('not yet');
}
