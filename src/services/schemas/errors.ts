import { RestServiceError } from '../../protocols/rest-dispatch.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { findViolations, validationMessage } from '../../protocols/validate.js';

/**
 * The schema registry's errors: restJson1, the code in `x-amzn-ErrorType` and a body of the error
 * shape's own members, `{"Code": …, "Message": …}`, as the model declares them. Texts Tideway had
 * to word itself are listed in docs/schemas.md.
 */
function error(code: string, status: number, message: string): RestServiceError {
  return new RestServiceError(code, message, { Code: code, Message: message }, { status });
}

export const schemasError = {
  badRequest: (message: string) => error('BadRequestException', 400, message),
  notFound: (message: string) => error('NotFoundException', 404, message),
  conflict: (message: string) => error('ConflictException', 409, message),
  forbidden: (message: string) => error('ForbiddenException', 403, message),
  preconditionFailed: (message: string) => error('PreconditionFailedException', 412, message),
  registryNotFound: (name: string) =>
    error('NotFoundException', 404, `Registry with name ${name} does not exist.`),
  schemaNotFound: (name: string) =>
    error('NotFoundException', 404, `Schema with name ${name} does not exist.`),
  versionNotFound: (name: string, version: string) =>
    error('NotFoundException', 404, `Schema with name ${name} and version ${version} does not exist.`),
  discovererNotFound: (id: string) =>
    error('NotFoundException', 404, `Discoverer with id ${id} does not exist.`),
  /** Code bindings need AWS's code generators: the docs list them as unsupported. */
  notSupported: (operation: string) =>
    error(
      'BadRequestException',
      400,
      `Tideway does not support ${operation}: code bindings are not generated (docs/schemas.md).`,
    ),
  unknownOperation: (method: string, path: string) =>
    error('NotFoundException', 404, `No operation matches ${method} ${path}.`),
};

/**
 * Bad input is a BadRequestException naming what is wrong; the model's constraints (lengths,
 * enums) are checked over the whole input before the handler runs (`checkConstraints`).
 */
export const schemasValidation: ValidationErrors = {
  missing: (path) => schemasError.badRequest(`${path} is a required parameter and must not be null.`),
  invalidType: (path) => schemasError.badRequest(`${path} has an invalid type.`),
  malformed: () => schemasError.badRequest('The request body is not valid JSON.'),
};

/** The REST front end leaves the model's constraints to the service: checked here, as AWS does, before any lookup. */
export function checkConstraints(
  shape: Parameters<typeof findViolations>[0],
  input: Record<string, unknown>,
): void {
  const violations = findViolations(shape, input);
  if (violations.length > 0) throw schemasError.badRequest(validationMessage(violations));
}
