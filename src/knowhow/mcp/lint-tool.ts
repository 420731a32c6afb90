import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { LintResult } from '../lint.js';
import { RULES } from '../rules/index.js';
import type { KnowHow } from './know-how.js';
import { errorResult, guarded, jsonResult, messageOf } from './results.js';
import {
  disableInput,
  explainInput,
  findingOutput,
  noteOutput,
  profileInput,
  refuseUnknownIds,
  summarise,
  summaryOutput,
} from './schemas.js';

const TEMPLATE_FORMATS = ['json', 'yaml', 'terraform-plan'] as const;
type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

function description(): string {
  const rules = RULES.map((rule) => `- ${rule.id} (${rule.severity}): ${rule.title}`).join('\n');
  return `Finds integration mistakes between AWS messaging resources before deploy: CloudFormation (JSON or YAML, short-form intrinsics), AWS SAM, cdk.out folders and Terraform plan JSON (terraform show -json).
Give either "paths" (files or folders on this machine; relative paths are read from ${process.cwd()}) or "template" (the text of one template or plan, with an optional "format" and "filename").
Each finding names the rule, severity, resource, file and line, why it is a mistake and the fix. The rules:
${rules}`;
}

/** The template text as a file lintPaths can read; its name tells JSON from YAML. */
async function writeTemplate(text: string, format: TemplateFormat | undefined, filename: string | undefined) {
  const detected: TemplateFormat = format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const extension = detected === 'yaml' ? 'yaml' : 'json';
  let base = filename ? path.basename(filename) : `template.${extension}`;
  if (!/\.(json|ya?ml|template)$/i.test(base)) base = `${base}.${extension}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tideway-mcp-lint-'));
  const file = path.join(dir, base);
  await writeFile(file, text, 'utf8');
  return { dir, file, shownAs: filename ?? base };
}

/** Findings on the temporary copy point at the name the agent knows the template by. */
function renameFile(result: LintResult, from: string, to: string): LintResult {
  const rename = (file: string) => (file === from ? to : file);
  return {
    ...result,
    findings: result.findings.map((finding) => ({ ...finding, file: rename(finding.file) })),
    notes: result.notes.map((note) =>
      note.origin ? { ...note, origin: { ...note.origin, file: rename(note.origin.file) } } : note,
    ),
    files: result.files.map(rename),
    skipped: result.skipped.map((s) => ({ ...s, path: rename(s.path) })),
  };
}

async function missingPaths(paths: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of paths) {
    try {
      await stat(p);
    } catch {
      missing.push(p);
    }
  }
  return missing;
}

export function registerLintTool(server: McpServer, knowHow: KnowHow): void {
  server.registerTool(
    'lint',
    {
      title: 'Check templates for messaging integration mistakes',
      description: description(),
      inputSchema: {
        paths: z.array(z.string()).optional().describe('Template files, cdk.out folders or plan files'),
        template: z.string().optional().describe('The text of a template or Terraform plan JSON'),
        format: z
          .enum(TEMPLATE_FORMATS)
          .optional()
          .describe('What "template" holds; guessed from its first character when absent'),
        filename: z
          .string()
          .optional()
          .describe('The name findings should give "template" (e.g. template.yaml)'),
        disable: disableInput(),
        profile: profileInput,
        explain: explainInput,
      },
      outputSchema: {
        findings: z.array(findingOutput),
        summary: summaryOutput,
        files: z.array(z.string()),
        skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
        notes: z.array(noteOutput).optional(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (input) =>
      guarded('lint failed', async () => {
        const hasPaths = input.paths !== undefined && input.paths.length > 0;
        const hasTemplate = input.template !== undefined;
        if (hasPaths === hasTemplate)
          return errorResult('Give either "paths" or "template", not both nor neither.');
        const refused = refuseUnknownIds(input.disable);
        if (refused) return refused;
        const options = { disable: input.disable, profile: input.profile };
        let result: LintResult;
        if (hasPaths) {
          const missing = await missingPaths(input.paths!);
          if (missing.length > 0) {
            return errorResult(`No such file or folder (from ${process.cwd()}): ${missing.join(', ')}`);
          }
          result = await knowHow.lintPaths(input.paths!, options);
        } else {
          const written = await writeTemplate(input.template!, input.format, input.filename);
          try {
            result = renameFile(
              await knowHow.lintPaths([written.file], options),
              written.file,
              written.shownAs,
            );
          } catch (err) {
            // "cannot read /tmp/…/template.yaml: …" is about the agent's template, under its name.
            throw new Error(messageOf(err).split(written.file).join(written.shownAs));
          } finally {
            await rm(written.dir, { recursive: true, force: true });
          }
        }
        return jsonResult({
          findings: result.findings,
          summary: summarise(result.findings),
          files: result.files,
          skipped: result.skipped,
          ...(input.explain ? { notes: result.notes } : {}),
        });
      }),
  );
}
