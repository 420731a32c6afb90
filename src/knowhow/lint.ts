import type { Finding } from './findings.js';
import type { ExplainNote } from './model.js';

// SKELETON: replaced by the lint engine before this lands.

export interface LintOptions {
  /** Rule ids not to run (`--disable`). */
  disable?: string[];
  profile?: 'default' | 'production';
}

export interface LintResult {
  findings: Finding[];
  /** Why no finding was made on something: unresolved values, files not read (`--explain`). */
  notes: ExplainNote[];
  /** The files that were read as templates or plans. */
  files: string[];
}

/** Lints files and folders: templates (JSON/YAML), cdk.out folders, Terraform plan JSON. */
export async function lintPaths(_paths: string[], _options: LintOptions = {}): Promise<LintResult> {
  throw new Error('not yet');
}
