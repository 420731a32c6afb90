import { parseContent } from './content.js';
import { schemasError } from './errors.js';

/**
 * An OpenAPI 3 event schema as JSON Schema draft 4, in the form ExportSchema answers it (as AWS's
 * recorded exports show): the `AWSEvent` component becomes the root, the other components become
 * `definitions` with their references moved there, the title is the document's, and every object's
 * keys are sorted.
 */
export function toJsonSchemaDraft4(openApi: string): string {
  const doc = parseContent(openApi);
  const components = (doc.components as Record<string, unknown> | undefined)?.schemas as
    | Record<string, unknown>
    | undefined;
  const root = components?.AWSEvent;
  if (!root || typeof root !== 'object')
    throw schemasError.badRequest(
      'Tideway exports event schemas only: the content has no AWSEvent component.',
    );
  const definitions = Object.fromEntries(
    Object.entries(components ?? {}).filter(([name]) => name !== 'AWSEvent'),
  );
  const out: Record<string, unknown> = {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: (doc.info as Record<string, unknown> | undefined)?.title,
  };
  if (Object.keys(definitions).length > 0) out.definitions = sorted(moveRefs(definitions));
  Object.assign(out, sorted(moveRefs(root)));
  return JSON.stringify(out);
}

function moveRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(moveRefs);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, value.replace(/^#\/components\/schemas\//, '#/definitions/')]
        : [key, moveRefs(value)],
    ),
  );
}

/** Keys sorted at every level; arrays keep their order. */
function sorted(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(sorted);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((key) => [key, sorted((node as Record<string, unknown>)[key])]),
  );
}
