import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Finding, type KnowHowRule, rulePage, type Severity } from '../findings.js';
import type { ExplainNote } from '../model.js';
import { RULES } from '../rules/index.js';
import { sortFindings } from '../run-rules.js';
import type { Report } from './index.js';
import { readPackage } from './package-info.js';

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The base that relative artifact URIs resolve against: the folder lint ran in. */
const SOURCE_ROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, Level> = { error: 'error', warning: 'warning', notice: 'note' };

/**
 * A rule's page on the project's site (SARIF's helpUri must be an absolute URI), when package.json
 * names the site; otherwise undefined, and the descriptor's help text names the page instead.
 */
export function ruleHelpUri(ruleId: string): string | undefined {
  const { projectUrl } = readPackage();
  return projectUrl && `${projectUrl}/blob/main/${rulePage(ruleId)}`;
}

/**
 * SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: one run whose driver
 * describes every rule, and one result per finding located at the resource's line in its file,
 * with the resource as a logical location. With --explain the notes become tool notifications.
 */
export function formatSarif(report: Report, cwd = process.cwd()): string {
  const { version, projectUrl } = readPackage();
  const findings = sortFindings(report.findings);
  const descriptors = ruleDescriptors(report.rules ?? RULES, findings);
  const index = new Map(descriptors.map((descriptor, i) => [descriptor.id, i]));
  const results = findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: index.get(finding.rule)!,
    level: LEVELS[finding.severity],
    message: { text: `${finding.message} Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: physicalLocation(finding.file, finding.line, cwd),
        logicalLocations: [{ name: finding.resource, kind: 'resource' }],
      },
    ],
  }));
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'tideway',
        informationUri: projectUrl,
        version,
        semanticVersion: /^\d+\.\d+\.\d+/.test(version) ? version : undefined,
        rules: descriptors,
      },
    },
    originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(cwd) } },
    results,
  };
  if (report.explain) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.notes.map((note) => notification(note, cwd)),
      },
    ];
  }
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface Descriptor {
  id: string;
  name?: string;
  shortDescription: { text: string };
  helpUri?: string;
  help?: { text: string };
  defaultConfiguration: { level: Level };
}

/** Every rule, then any rule a finding names that the list lacks (doctor's runtime checks). */
function ruleDescriptors(rules: readonly KnowHowRule[], findings: Finding[]): Descriptor[] {
  const descriptors: Descriptor[] = rules.map((rule) => ({
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    helpUri: ruleHelpUri(rule.id),
    help: { text: `${rule.title}. Why, and how to fix it: ${rulePage(rule.id)} in Tideway's documentation.` },
    defaultConfiguration: { level: LEVELS[rule.severity] },
  }));
  const known = new Set(descriptors.map((descriptor) => descriptor.id));
  for (const finding of findings) {
    if (known.has(finding.rule)) continue;
    known.add(finding.rule);
    descriptors.push({
      id: finding.rule,
      shortDescription: { text: finding.rule },
      defaultConfiguration: { level: LEVELS[finding.severity] },
    });
  }
  return descriptors;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function physicalLocation(file: string, line: number | undefined, cwd: string) {
  const artifactLocation = artifactUri(file, cwd);
  return line === undefined ? { artifactLocation } : { artifactLocation, region: { startLine: line } };
}

/**
 * Files under the working folder become relative URIs with forward slashes against %SRCROOT%
 * (what code scanning matches to the repository); others become file: URIs; live places
 * (`tideway://…`) stay as they are.
 */
export function artifactUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return { uri: file };
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function notification(note: ExplainNote, cwd: string) {
  const message = { text: note.resource ? `${note.resource}: ${note.message}` : note.message };
  if (!note.origin) return { level: 'note', message };
  return {
    level: 'note',
    message,
    locations: [{ physicalLocation: physicalLocation(note.origin.file, note.origin.line, cwd) }],
  };
}
