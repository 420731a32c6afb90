import type { Model } from '../model.js';
import { buildModel, type TemplateResource } from './cfn-to-model.js';
import type { TemplateScope } from './intrinsics.js';
import { embeddedConnectors } from './sam-connectors.js';
import { expandSam, hasSamTransform } from './sam-transform.js';
import { parseTemplateText, SourceSyntaxError } from './template-source.js';

/** The input is not something lint reads, with the reason. */
export class TemplateError extends Error {}

/**
 * A CloudFormation or SAM template (JSON or YAML with short-form intrinsics), expanded the way
 * the SAM transform expands it when it has `Transform: AWS::Serverless-2016-10-31`. `file` is the
 * path reported in findings. Throws `TemplateError` when the text is not a template.
 */
export function readCloudFormation(text: string, file: string): Model {
  let source: ReturnType<typeof parseTemplateText>;
  try {
    source = parseTemplateText(text);
  } catch (error) {
    if (error instanceof SourceSyntaxError) throw new TemplateError(`${file}: ${error.message}`);
    throw error;
  }
  const root = source.root;
  if (!isRecord(root)) throw new TemplateError(`${file}: not a template (the document is not a map)`);
  const declared = root.Resources;
  if (!isRecord(declared))
    throw new TemplateError(`${file}: not a CloudFormation template (no Resources section)`);

  const notes: string[] = [];
  let resources: TemplateResource[] = [];
  for (const [id, body] of Object.entries(declared)) {
    if (!isRecord(body) || typeof body.Type !== 'string') {
      // Fn::ForEach (AWS::LanguageExtensions) and malformed entries: nothing to read.
      notes.push(
        `${id}: not read (${id.startsWith('Fn::ForEach') ? 'Fn::ForEach is not expanded' : 'no Type'})`,
      );
      continue;
    }
    const line = source.lineOf(['Resources', id]);
    resources.push({
      id,
      type: body.Type,
      properties: isRecord(body.Properties) ? body.Properties : {},
      metadata: body.Metadata,
      origin: line === undefined ? { file } : { file, line },
    });
  }
  if (hasSamTransform(root)) {
    for (const resource of [...resources]) {
      const body = declared[resource.id] as Record<string, unknown>;
      resources.push(...embeddedConnectors(resource.id, body.Connectors, resource.origin, source.lineOf));
    }
    const expansion = expandSam(resources, root.Globals, source.lineOf);
    resources = expansion.resources;
    notes.push(...expansion.notes);
  }

  // References to what SAM drops (APIs, tables…) still name a resource, just none the rules read.
  const model = buildModel(
    resources,
    scopeOf(root, [...resources.map((resource) => resource.id), ...Object.keys(declared)]),
  );
  model.notes.unshift(...notes.map((message) => ({ origin: { file }, message })));
  return model;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scopeOf(root: Record<string, unknown>, resourceIds: string[]): TemplateScope {
  const parameters = new Map<string, { noEcho: boolean }>();
  if (isRecord(root.Parameters)) {
    for (const [name, declaration] of Object.entries(root.Parameters)) {
      const noEcho = isRecord(declaration) && (declaration.NoEcho === true || declaration.NoEcho === 'true');
      parameters.set(name, { noEcho });
    }
  }
  return {
    parameters,
    resources: new Set(resourceIds),
    mappings: isRecord(root.Mappings) ? root.Mappings : {},
  };
}
