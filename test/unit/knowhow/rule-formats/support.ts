import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Finding } from '../../../../src/knowhow/findings.js';
import { type LintOptions, type LintResult, lintPaths } from '../../../../src/knowhow/lint.js';

/**
 * Writes small inputs to a temporary folder and lints them through `lintPaths`, the way
 * `tideway lint` does. Findings come back with their file relative to that folder, so that
 * tests can state the exact finding: `[rule, severity, resource, file, line]`.
 */

export type Row = [
  rule: string,
  severity: Finding['severity'],
  resource: string,
  file: string,
  line?: number,
];

export interface Linted extends LintResult {
  /** The findings of one rule, as rows. */
  rows(rule: string): Row[];
}

type Files = Record<string, string>;

async function lintFiles(files: Files, target: string, options: LintOptions): Promise<Linted> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rule-formats-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    const result = await lintPaths([path.join(dir, target)], options);
    const relative = (file: string) => path.relative(dir, file).split(path.sep).join('/');
    const findings = result.findings.map((finding) => ({ ...finding, file: relative(finding.file) }));
    const notes = result.notes.map((note) =>
      note.origin ? { ...note, origin: { ...note.origin, file: relative(note.origin.file) } } : note,
    );
    return {
      ...result,
      findings,
      notes,
      rows: (rule) =>
        findings
          .filter((finding) => finding.rule === rule)
          .map((finding): Row => {
            const row: Row = [finding.rule, finding.severity, finding.resource, finding.file];
            if (finding.line !== undefined) row.push(finding.line);
            return row;
          }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CloudFormation or SAM template, YAML or JSON as its name says. */
export function lintTemplate(name: string, text: string, options: LintOptions = {}): Promise<Linted> {
  return lintFiles({ [name]: text }, name, options);
}

/** A JSON template written the way `cfn` tools and CDK print it: two-space indent. */
export function json(template: object): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

/** A cloud assembly holding one stack, `Stack.template.json`, with its manifest. */
export function lintCdkOut(template: object, options: LintOptions = {}): Promise<Linted> {
  const manifest = {
    version: '36.0.0',
    artifacts: {
      Stack: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
        properties: { templateFile: 'Stack.template.json' },
      },
    },
  };
  return lintFiles(
    { 'cdk.out/manifest.json': json(manifest), 'cdk.out/Stack.template.json': json(template) },
    'cdk.out',
    options,
  );
}

export const CDK_FILE = 'cdk.out/Stack.template.json';

/** A Terraform plan JSON (`terraform show -json`). */
export function lintPlan(plan: object, options: LintOptions = {}): Promise<Linted> {
  return lintFiles({ 'plan.json': json(plan) }, 'plan.json', options);
}

/** The 1-based line where a resource is declared: `  Id:` in YAML, `"Id": {` in JSON. */
export function lineOf(text: string, id: string): number {
  const lines = text.split('\n');
  const index = lines.findIndex(
    (line) => line.startsWith(`  ${id}:`) || line.trimStart().startsWith(`"${id}": {`),
  );
  if (index === -1) throw new Error(`${id} is not declared in the template`);
  return index + 1;
}

/** The 1-based line of the first `key:` at any depth, such as a SAM function's event. */
export function lineOfKey(text: string, key: string): number {
  const index = text.split('\n').findIndex((line) => line.trimStart().startsWith(`${key}:`));
  if (index === -1) throw new Error(`${key} is not in the template`);
  return index + 1;
}

/**
 * The lines of a SAM template that declare a Node.js function `id` with inline code, at resource
 * depth; its `Events:` or other properties follow at six spaces.
 */
export function samFunction(id: string): string {
  return `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
`;
}

/**
 * The YAML of an `AWS::SQS::QueuePolicy` letting `service` send to `queue`, scoped by
 * `aws:SourceArn` to `sourceArn` (`!GetAtt Rule.Arn`, `!Ref Topic`) when given; at resource depth.
 */
export function queuePolicyYaml(id: string, queue: string, service: string, sourceArn?: string): string {
  const condition =
    sourceArn === undefined ? '' : `            Condition: { ArnEquals: { aws:SourceArn: ${sourceArn} } }\n`;
  return `  ${id}:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref ${queue}]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ${service} }
            Action: sqs:SendMessage
            Resource: !GetAtt ${queue}.Arn
${condition}`;
}

/** A rule turned off by Metadata on one resource of a JSON template (a copy). */
export function ignoring<T extends { Resources: Record<string, object> }>(
  template: T,
  id: string,
  rule: string,
): T {
  const copy = structuredClone(template);
  const resource = copy.Resources[id] as { Metadata?: Record<string, unknown> };
  resource.Metadata = { ...resource.Metadata, tideway: { ignore: [rule] } };
  return copy;
}

/** A JSON template linted with `rule` ignored in the Metadata of resource `id`. */
export function lintIgnoring(
  name: string,
  template: { Resources: Record<string, object> },
  id: string,
  rule: string,
): Promise<Linted> {
  return lintTemplate(name, json(ignoring(template, id, rule)), {});
}

/** The resources whose ignore dropped a finding of `rule`, as the `--explain` notes name them. */
export function suppressedBy(result: LintResult, rule: string): string[] {
  const prefix = `${rule} suppressed by Metadata tideway ignore on `;
  const ids = result.notes.filter((note) => note.message.startsWith(prefix));
  return [...new Set(ids.map((note) => note.message.slice(prefix.length)))].sort();
}

// ---- Terraform plans ----

/** An attribute whose value is another resource's attribute, known only after apply. */
export interface TfRef {
  $tf: string;
}

export const tfRef = (reference: string): TfRef => ({ $tf: reference });

type Value = null | boolean | number | string | TfRef | Value[] | { [key: string]: Value };

export interface TfResource {
  /** `aws_sqs_queue.orders`, or `data.aws_iam_policy_document.x`. */
  address: string;
  values: Record<string, Value>;
}

function isRef(value: unknown): value is TfRef {
  return typeof value === 'object' && value !== null && '$tf' in value;
}

function isBlockList(value: Value): value is Record<string, Value>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && !isRef(item))
  );
}

/** The base address a reference designates, which Terraform lists after the reference itself. */
function referenced(reference: string): string[] {
  const parts = reference.split('.');
  const baseLength = parts[0] === 'data' ? 3 : 2;
  return parts.length > baseLength ? [reference, parts.slice(0, baseLength).join('.')] : [reference];
}

function refsIn(value: Value): string[] {
  if (isRef(value)) return referenced(value.$tf);
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(refsIn);
  return [];
}

/** The planned value: references become null in lists and vanish from objects. */
function planned(value: Value): unknown {
  if (isRef(value)) return null;
  if (Array.isArray(value)) return value.map(planned);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (!isRef(item)) out[key] = planned(item);
    return out;
  }
  return value;
}

/** `after_unknown`: true where a reference stands, the structure kept around it. */
function unknown(value: Value): unknown {
  if (isRef(value)) return true;
  if (Array.isArray(value)) return value.map(unknown);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const flag = unknown(item);
      if (flag !== false) out[key] = flag;
    }
    return out;
  }
  return false;
}

/** The configuration expressions: blocks stay structured, attributes are one expression each. */
function expressions(values: Record<string, Value>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (isBlockList(value)) out[key] = value.map(expressions);
    else {
      const refs = refsIn(value);
      out[key] = refs.length > 0 ? { references: refs } : { constant_value: value };
    }
  }
  return out;
}

/**
 * A plan in `terraform show -json` form, as Terraform 1.x writes it for new resources: the known
 * values in `planned_values`, the unknown ones flagged in `resource_changes[].change.after_unknown`
 * (with the ARN and id of every new resource), and the expressions in `configuration`.
 */
export function tfPlan(resources: TfResource[]): object {
  const parts = resources.map((resource) => {
    const segments = resource.address.split('.');
    const mode = segments[0] === 'data' ? 'data' : 'managed';
    const [type, name] = mode === 'data' ? segments.slice(1) : segments;
    return { ...resource, mode, type, name };
  });
  return {
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: {
      root_module: {
        resources: parts.map((part) => ({
          address: part.address,
          mode: part.mode,
          type: part.type,
          name: part.name,
          provider_name: 'registry.terraform.io/hashicorp/aws',
          schema_version: 0,
          values: planned(part.values),
          sensitive_values: {},
        })),
      },
    },
    resource_changes: parts.map((part) => ({
      address: part.address,
      mode: part.mode,
      type: part.type,
      name: part.name,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: [part.mode === 'data' ? 'read' : 'create'],
        before: null,
        after: planned(part.values),
        after_unknown: {
          ...(unknown(part.values) as object),
          id: true,
          ...(part.mode === 'managed' ? { arn: true } : { json: true }),
        },
        before_sensitive: false,
        after_sensitive: {},
      },
    })),
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
      root_module: {
        resources: parts.map((part) => ({
          address: part.address,
          mode: part.mode,
          type: part.type,
          name: part.name,
          provider_config_key: 'aws',
          expressions: expressions(part.values),
          schema_version: 0,
        })),
      },
    },
  };
}

/** A rule turned off on one Terraform resource by its `tideway:ignore` tag (a copy). */
export function tfIgnoring(resources: TfResource[], address: string, rule: string): TfResource[] {
  return resources.map((resource) =>
    resource.address === address
      ? { ...resource, values: { ...resource.values, tags: { 'tideway:ignore': rule } } }
      : resource,
  );
}

/** A plan linted with `rule` ignored by the `tideway:ignore` tag of the resource at `address`. */
export function lintPlanIgnoring(resources: TfResource[], address: string, rule: string): Promise<Linted> {
  return lintPlan(tfPlan(tfIgnoring(resources, address, rule)));
}
