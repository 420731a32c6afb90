import type { Finding } from './findings.js';
import type { ExplainNote } from './model.js';

// SKELETON: replaced by doctor before this lands.

export interface DoctorOptions {
  /** A running Tideway, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** Only this account / region; all of them when absent. */
  account?: string;
  region?: string;
  disable?: string[];
  profile?: 'default' | 'production';
}

export interface DoctorResult {
  findings: Finding[];
  notes: ExplainNote[];
}

/** The lint rules over the live resources, plus what only runtime shows (the server's hints). */
export async function runDoctor(_options: DoctorOptions): Promise<DoctorResult> {
  throw new Error('not yet');
}
