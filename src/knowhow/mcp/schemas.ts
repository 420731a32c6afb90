import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { RULES } from '../rules/index.js';
import { errorResult } from './results.js';

/** Input and output shapes shared by the tools. */

export const endpointInput = z
  .string()
  .regex(/^https?:\/\/[^\s/]+/, 'an http:// or https:// URL')
  .optional()
  .describe('A running Tideway; the server was started with a default (see the tool description)');

/** The endpoint a call names, else the server's; without a trailing slash, to append paths to. */
export function endpointOf(given: string | undefined, defaultEndpoint: string): string {
  return (given ?? defaultEndpoint).replace(/\/+$/, '');
}

/** One account of a running Tideway; every account when absent. */
export const accountInput = z
  .string()
  .regex(/^\d{12}$/, 'a 12-digit account id')
  .optional();

export const regionInput = z.string().optional().describe('e.g. us-east-1');

export const profileInput = z
  .enum(['default', 'production'])
  .optional()
  .describe('"production" raises no-customer-managed-key from notice to warning');

export const explainInput = z
  .boolean()
  .optional()
  .describe('Also return notes: why no finding was made on something (an unresolved value, a file not read)');

export function disableInput(extraIds: readonly string[] = []) {
  const ids = [...RULES.map((rule) => rule.id), ...extraIds];
  return z
    .array(z.string())
    .optional()
    .describe(`Rule ids not to run, among: ${ids.join(', ')}`);
}

/**
 * The error result for a "disable" that names an unknown rule id (undefined when all are known):
 * unknown ids are refused rather than ignored, so a typo does not hide a finding.
 */
export function refuseUnknownIds(
  given: readonly string[] | undefined,
  extraIds: readonly string[] = [],
): CallToolResult | undefined {
  const known = new Set([...RULES.map((rule) => rule.id), ...extraIds]);
  const unknown = (given ?? []).filter((id) => !known.has(id));
  return unknown.length > 0 ? errorResult(`Unknown rule id in "disable": ${unknown.join(', ')}`) : undefined;
}

export const findingOutput = z.object({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'notice']),
  resource: z.string(),
  file: z.string(),
  line: z.number().int().nullable().optional(),
  message: z.string(),
  fix: z.string(),
});

export const noteOutput = z.looseObject({
  resource: z.string().optional(),
  origin: z.looseObject({ file: z.string(), line: z.number().int().optional() }).optional(),
  message: z.string(),
});

export const summaryOutput = z.object({
  errors: z.number().int(),
  warnings: z.number().int(),
  notices: z.number().int(),
});

export function summarise(findings: readonly { severity: string }[]): z.infer<typeof summaryOutput> {
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), notices: count('notice') };
}
