import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { Finding, KnowHowRule } from './findings.js';
import type { ExplainNote, Model } from './model.js';
import { runRules, sortFindings } from './run-rules.js';
import { readCdkOut } from './templates/cdk-out.js';
import { readCloudFormation, TemplateError } from './templates/cloudformation.js';
import { readTerraformPlan } from './templates/terraform.js';

export interface LintOptions {
  /** Rule ids not to run (`--disable`). */
  disable?: string[];
  profile?: 'default' | 'production';
}

export interface LintResult {
  findings: Finding[];
  /** Why no finding was made on something: unresolved values, files not read (`--explain`). */
  notes: ExplainNote[];
  /** The files that were read as templates or plans (a cdk.out counts as its folder). */
  files: string[];
  /**
   * Files met while walking a folder that look like templates, plans or cdk.out folders but that
   * their reader refused; they are in `notes` too. Lint goes on without them and says so.
   */
  skipped: InputProblem[];
}

/** The readers lint hands its inputs to; tests swap them for small fakes. */
export interface LintReaders {
  cloudFormation(text: string, file: string): Model;
  cdkOut(dir: string): Promise<Model[]>;
  terraformPlan(json: unknown, file: string): Model;
}

export interface LintDependencies {
  readers?: Partial<LintReaders>;
  rules?: readonly KnowHowRule[];
}

/** One path named on the command line that lint cannot read, with the reason. */
export interface InputProblem {
  path: string;
  reason: string;
}

/**
 * Some paths named explicitly cannot be linted: missing, unreadable, not a template, or a folder
 * with no template in it. Lint reports them all at once and makes no findings (exit code 2).
 */
export class LintInputError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(problems.map((problem) => `cannot read ${problem.path}: ${problem.reason}`).join('\n'));
  }
}

const TEMPLATE_EXTENSIONS = ['.json', '.yaml', '.yml', '.template'];
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/**
 * Lints files and folders: CloudFormation and SAM templates (JSON/YAML), cdk.out folders and
 * Terraform plan JSON. Folders are walked; what is found there and is not a template is skipped
 * with a note. A path named explicitly must be readable: otherwise this throws `LintInputError`.
 */
export async function lintPaths(
  paths: string[],
  options: LintOptions = {},
  dependencies: LintDependencies = {},
): Promise<LintResult> {
  const readers: LintReaders = {
    cloudFormation: readCloudFormation,
    cdkOut: readCdkOut,
    terraformPlan: readTerraformPlan,
    ...dependencies.readers,
  };
  const walk = new Walk(readers);
  for (const given of paths) await walk.explicit(given);
  if (walk.problems.length > 0) throw new LintInputError(walk.problems);
  const findings: Finding[] = [];
  const notes: ExplainNote[] = [...walk.notes];
  for (const model of walk.models) {
    const run = runRules(model, { ...options, rules: dependencies.rules });
    findings.push(...run.findings);
    notes.push(...run.notes);
  }
  return { findings: sortFindings(findings), notes, files: walk.files, skipped: walk.skipped };
}

/** What one input turned into: models, or the reason it is not something lint reads. */
type Reading = { models: Model[] } | { skip: string; refused?: boolean };

class Walk {
  readonly models: Model[] = [];
  readonly notes: ExplainNote[] = [];
  readonly files: string[] = [];
  readonly problems: InputProblem[] = [];
  readonly skipped: InputProblem[] = [];
  /** Inputs recognised as templates, plans or cdk.out folders, to tell an empty folder. */
  found = 0;
  /** Real paths already read, so that a file named twice, or reached twice, is linted once. */
  private readonly seen = new Set<string>();

  constructor(private readonly readers: LintReaders) {}

  async explicit(given: string): Promise<void> {
    let folder: boolean;
    try {
      const info = await stat(given);
      folder = info.isDirectory();
      // A pipe or a device would block the read or never end; templates are plain files.
      if (!folder && !info.isFile()) {
        this.problems.push({ path: given, reason: 'not a regular file or folder' });
        return;
      }
    } catch (err) {
      this.problems.push({ path: given, reason: systemReason(err) });
      return;
    }
    if (!folder) {
      const reading = await this.readFileInput(given, true);
      if ('skip' in reading) this.problems.push({ path: given, reason: reading.skip });
      return;
    }
    const names = await readdir(given).catch(() => undefined);
    if (names === undefined) {
      this.problems.push({ path: given, reason: 'folder not readable' });
      return;
    }
    if (isCdkOut(given, names)) {
      const real = await realpath(given).catch(() => given);
      if (this.seen.has(real)) return;
      this.seen.add(real);
      const reason = await this.cdkOut(given);
      if (reason !== undefined) this.problems.push({ path: given, reason: `cdk.out not read: ${reason}` });
      return;
    }
    const before = this.found;
    await this.folder(given);
    if (this.found === before) {
      this.problems.push({
        path: given,
        reason: 'no CloudFormation or SAM template, cdk.out folder or Terraform plan found in it',
      });
    }
  }

  /** Walks a folder; counts in `found` every input recognised, even one read already. */
  private async folder(dir: string): Promise<void> {
    const real = await realpath(dir).catch(() => dir);
    if (this.seen.has(real)) {
      this.found++;
      return;
    }
    this.seen.add(real);
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (err) {
      this.notes.push({ origin: { file: dir }, message: `folder not read: ${systemReason(err)}` });
      return;
    }
    if (isCdkOut(dir, names)) {
      const reason = await this.cdkOut(dir);
      if (reason !== undefined) this.skip(dir, `cdk.out not read: ${reason}`, true);
      return;
    }
    for (const name of names) {
      const child = path.join(dir, name);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(child);
      } catch (err) {
        this.notes.push({ origin: { file: child }, message: `skipped: ${systemReason(err)}` });
        continue;
      }
      if (info.isDirectory()) {
        if (SKIPPED_FOLDERS.has(name) || name.startsWith('.')) continue;
        await this.folder(child);
      } else if (info.isFile()) {
        if (!TEMPLATE_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
          this.notes.push({
            origin: { file: child },
            message: 'skipped: not a .json, .yaml, .yml or .template file',
          });
          continue;
        }
        const reading = await this.readFileInput(child, false);
        if ('skip' in reading) this.skip(child, reading.skip, reading.refused === true);
      }
    }
  }

  private skip(file: string, reason: string, refused: boolean): void {
    this.notes.push({ origin: { file }, message: `skipped: ${reason}` });
    if (refused) this.skipped.push({ path: file, reason });
  }

  /** Reads a cloud assembly (the caller marks it seen); returns why not when its reader refuses it. */
  private async cdkOut(dir: string): Promise<string | undefined> {
    this.found++;
    try {
      const models = await this.readers.cdkOut(dir);
      this.models.push(...models);
      this.files.push(dir);
      return undefined;
    } catch (err) {
      return readerReason(err);
    }
  }

  /** Reads one file as a template or a plan; `explicit` only changes how a folder would be read. */
  private async readFileInput(file: string, explicit: boolean): Promise<Reading> {
    const real = await realpath(file).catch(() => file);
    if (this.seen.has(real)) {
      this.found++;
      return { models: [] };
    }
    this.seen.add(real);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { skip: systemReason(err) };
    }
    const reading = this.readText(stripBom(text), file);
    if ('models' in reading) {
      this.found++;
      this.models.push(...reading.models);
      this.files.push(file);
    } else if (explicit && path.basename(file) === 'manifest.json') {
      return { skip: `${reading.skip}; to lint a cdk.out, name its folder` };
    }
    return reading;
  }

  private readText(text: string, file: string): Reading {
    const parsed = parseInput(text);
    if ('skip' in parsed) return parsed;
    const { value } = parsed;
    try {
      if (isTerraformPlan(value)) return { models: [this.readers.terraformPlan(value, file)] };
      if (isTemplate(value)) return { models: [this.readers.cloudFormation(text, file)] };
    } catch (err) {
      return { skip: readerReason(err), refused: true };
    }
    return {
      skip:
        'not a CloudFormation or SAM template (no Resources or AWSTemplateFormatVersion) ' +
        'nor a Terraform plan (no format_version with planned_values or resource_changes)',
    };
  }
}

/** The document's top level as plain data: JSON parsed whole, YAML only as far as the keys go. */
function parseInput(text: string): { value: unknown } | { skip: string } {
  const trimmed = text.trimStart();
  if (trimmed === '') return { skip: 'empty file' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { value: JSON.parse(text) };
    } catch (err) {
      // YAML's flow style also starts with a brace; only give up when YAML fails too.
      const yaml = parseYamlTop(text);
      return 'skip' in yaml
        ? { skip: `not a template or plan: invalid JSON (${(err as Error).message})` }
        : yaml;
    }
  }
  return parseYamlTop(text);
}

/**
 * The top-level keys of a YAML document, enough to tell a template from other YAML. Short-form
 * intrinsics (`!Ref`…) are only warnings to the parser, and the reader resolves them properly.
 */
function parseYamlTop(text: string): { value: unknown } | { skip: string } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return { skip: `not a template or plan: invalid YAML (${firstLine(doc.errors[0].message)})` };
  }
  if (!isMap(doc.contents)) return { value: null };
  const top: Record<string, true> = {};
  for (const pair of doc.contents.items) {
    const key = (pair.key as { value?: unknown } | null)?.value ?? pair.key;
    if (typeof key === 'string') top[key] = true;
  }
  return { value: top };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTerraformPlan(value: unknown): boolean {
  return (
    isRecord(value) && 'format_version' in value && ('planned_values' in value || 'resource_changes' in value)
  );
}

function isTemplate(value: unknown): boolean {
  return isRecord(value) && ('Resources' in value || 'AWSTemplateFormatVersion' in value);
}

/** A cloud assembly: any folder named cdk.out, or one with manifest.json and stack templates. */
function isCdkOut(dir: string, names: string[]): boolean {
  if (path.basename(path.resolve(dir)) === 'cdk.out') return true;
  return names.includes('manifest.json') && names.some((name) => name.endsWith('.template.json'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function systemReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return firstLine((err as Error).message ?? String(err));
}

/** A reader's refusal (TemplateError) is the reason itself; anything else is a reader's bug. */
function readerReason(err: unknown): string {
  if (err instanceof TemplateError) return firstLine(err.message);
  return `the reader failed (${firstLine((err as Error)?.message ?? String(err))})`;
}
