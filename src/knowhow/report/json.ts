import { sortFindings } from '../run-rules.js';
import type { Report } from './index.js';

/**
 * `{ "findings": [...] }` with the same seven keys in the same order on every finding: `line` is
 * null when unknown (Terraform plans, live resources) rather than missing, so that consumers
 * never test for a key. Sorted by file, line and rule, as the other formats. Notes are not part of this document (--explain prints them on stderr).
 */
export function formatJson(report: Report): string {
  const findings = sortFindings(report.findings).map((finding) => ({
    rule: finding.rule,
    severity: finding.severity,
    resource: finding.resource,
    file: finding.file,
    line: finding.line ?? null,
    message: finding.message,
    fix: finding.fix,
  }));
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}
