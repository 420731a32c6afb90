import { RestServiceError } from '../../../protocols/rest-dispatch.js';
import type { ValidationErrors } from '../../../protocols/shapes.js';
import { findViolations, validationMessage } from '../../../protocols/validate.js';

/**
 * MSK's errors: restJson1, the code in `x-amzn-ErrorType` and a body of the error shape's members
 * as the model spells them on the wire, `{"message": …, "invalidParameter": …}`. Texts Tideway had
 * to word itself are listed in docs/msk.md.
 */
function error(code: string, status: number, message: string, invalidParameter?: string): RestServiceError {
  const body: Record<string, unknown> = { message };
  if (invalidParameter !== undefined) body.invalidParameter = invalidParameter;
  return new RestServiceError(code, message, body, { status });
}

export const mskError = {
  badRequest: (message: string, invalidParameter?: string) =>
    error('BadRequestException', 400, message, invalidParameter),
  notFound: (message: string, invalidParameter?: string) =>
    error('NotFoundException', 404, message, invalidParameter),
  conflict: (message: string, invalidParameter?: string) =>
    error('ConflictException', 409, message, invalidParameter),
  clusterNotFound: (arn: string) =>
    error('NotFoundException', 404, `The cluster ${arn} does not exist.`, 'clusterArn'),
  configurationNotFound: (arn: string) =>
    error('NotFoundException', 404, `The configuration ${arn} does not exist.`, 'arn'),
  operationNotFound: (arn: string) =>
    error('NotFoundException', 404, `The cluster operation ${arn} does not exist.`, 'clusterOperationArn'),
  /** A cluster in a state that does not allow the call (CREATING, UPDATING, DELETING…). */
  clusterBusy: (state: string) =>
    error(
      'BadRequestException',
      400,
      `The cluster is in the ${state} state. Try again when its state is ACTIVE.`,
      'clusterArn',
    ),
  versionMismatch: () =>
    error(
      'BadRequestException',
      400,
      "The provided current version does not match the cluster's current version.",
      'currentVersion',
    ),
  /** An operation of the model Tideway does not serve (docs/msk.md lists them). */
  notSupported: (operation: string) =>
    error(
      'BadRequestException',
      400,
      `Tideway does not support ${operation} (docs/msk.md lists the MSK operations it serves).`,
    ),
  unknownOperation: (method: string, path: string) =>
    error('NotFoundException', 404, `No operation matches ${method} ${path}.`),
};

export const mskValidation: ValidationErrors = {
  missing: (path) => mskError.badRequest(`${path} is a required parameter and must not be null.`, path),
  invalidType: (path) => mskError.badRequest(`${path} has an invalid type.`, path),
  malformed: () => mskError.badRequest('The request body is not valid JSON.'),
};

/** The model's constraints (lengths, ranges, enums), checked over the whole input before any lookup. */
export function checkConstraints(
  shape: Parameters<typeof findViolations>[0],
  input: Record<string, unknown>,
): void {
  const violations = findViolations(shape, input);
  if (violations.length > 0) throw mskError.badRequest(validationMessage(violations));
}
