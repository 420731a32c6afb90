import type { RestOperation } from './rest-dispatch.js';
import type { Operation, RequestContext } from './service.js';
import type { OperationShapes, StructureShape } from './shapes.js';

/**
 * A REST service's operation table: each operation with the HTTP binding its model declares, its
 * whole input checked by `checkInput` (the service's own constraint errors) before the handler runs.
 */
export function restOperations(
  shapes: Record<string, OperationShapes>,
  table: Record<string, Operation>,
  checkInput: (shape: StructureShape, input: Record<string, unknown>) => void,
): Record<string, RestOperation> {
  const operations: Record<string, RestOperation> = {};
  for (const [name, operation] of Object.entries(table)) {
    const http = shapes[name]?.http;
    if (!http) throw new Error(`no http binding for ${name}`);
    operations[name] = {
      ...operation,
      http,
      handle: (input: Record<string, unknown>, ctx: RequestContext) => {
        checkInput(operation.input, input);
        return operation.handle(input, ctx);
      },
    };
  }
  return operations;
}
