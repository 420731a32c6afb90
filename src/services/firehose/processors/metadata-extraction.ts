import type * as F from '@aws-sdk/client-firehose';
import { type FailedRecord, parameter, type StepResult, type WorkRecord } from './types.js';

/** The one JsonParsingEngine Firehose offers. */
export const JQ_ENGINE = 'JQ-1.6';

const EXTRACTION_FAILED = 'DynamicPartitioning.MetadataExtractionFailed';

type Outcome = { ok: unknown[] } | { error: unknown };

// jq-wasm compiles its runtime on first use: only streams that partition pay for it.
let jqModule: Promise<typeof import('jq-wasm')> | undefined;
function jq(): Promise<typeof import('jq-wasm')> {
  jqModule ??= import('jq-wasm');
  return jqModule;
}

/**
 * MetadataExtraction: the MetadataExtractionQuery (jq) runs on each JSON record and must give
 * one object whose values become the record's partition keys. One jq run serves the whole
 * batch, each record inside its own `try` so one bad record fails alone.
 */
export async function extractMetadata(records: WorkRecord[], processor: F.Processor): Promise<StepResult> {
  const query = parameter(processor, 'MetadataExtractionQuery') ?? '';
  const failed: FailedRecord[] = [];
  const fail = (record: WorkRecord, message: string) =>
    failed.push({ source: record.source, errorCode: EXTRACTION_FAILED, errorMessage: message });
  const parsed: { record: WorkRecord; text: string }[] = [];
  for (const record of records) {
    const text = Buffer.from(record.data).toString('utf8');
    try {
      JSON.parse(text);
      parsed.push({ record, text });
    } catch {
      fail(record, 'Non JSON record provided');
    }
  }
  if (parsed.length === 0) return { records: [], failed };
  let outcomes: Outcome[];
  // jq's runtime sets process.exitCode to jq's own status when a query fails; the server's
  // exit status is not jq's to decide.
  const exitCode = process.exitCode;
  try {
    const { json } = await jq();
    const filter = `[.[] | try {ok: [(${query})]} catch {error: (. | tostring)}]`;
    outcomes = (await json(`[${parsed.map((p) => p.text).join(',')}]`, filter, ['-c'])) as Outcome[];
  } catch (err) {
    for (const p of parsed) fail(p.record, `Invalid MetadataExtractionQuery: ${(err as Error).message}`);
    return { records: [], failed };
  } finally {
    process.exitCode = exitCode;
  }
  const out: WorkRecord[] = [];
  parsed.forEach(({ record }, index) => {
    const outcome = outcomes[index];
    if (!outcome || 'error' in outcome) {
      fail(record, `MetadataExtractionQuery failed: ${outcome ? String(outcome.error) : 'no result'}`);
      return;
    }
    const keys = partitionKeysFrom(outcome.ok);
    if (typeof keys === 'string') fail(record, keys);
    else out.push({ ...record, partitionKeys: keys });
  });
  return { records: out, failed };
}

/** The query's result as partition keys, or why it cannot be. */
function partitionKeysFrom(results: unknown[]): Record<string, string> | string {
  if (results.length !== 1) return 'MetadataExtractionQuery must produce exactly one JSON object per record';
  const value = results[0];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'MetadataExtractionQuery must produce a JSON object';
  }
  const keys: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === null || v === undefined) return `The value of partition key ${name} is null`;
    if (typeof v === 'object') return `The value of partition key ${name} is not a scalar`;
    keys[name] = String(v);
  }
  return keys;
}
