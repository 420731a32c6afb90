import { ServiceError } from '../../protocols/errors.js';
import type { ScalarKind, ValidationErrors } from '../../protocols/shapes.js';
import { serializationMessage, validationMessage } from '../../protocols/validate.js';

// Kinesis speaks awsJson 1.1: `__type` is the bare error name. Texts are AWS's.
export const kinesisError = {
  notFound: (name: string, account: string) =>
    new ServiceError('ResourceNotFoundException', `Stream ${name} under account ${account} not found.`),
  notFoundText: (message: string) => new ServiceError('ResourceNotFoundException', message),
  inUse: (message: string) => new ServiceError('ResourceInUseException', message),
  invalidArgument: (message: string) => new ServiceError('InvalidArgumentException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  expiredIterator: (message: string) => new ServiceError('ExpiredIteratorException', message),
  throughputExceeded: (message: string) =>
    new ServiceError('ProvisionedThroughputExceededException', message),
  validation: (message: string) => new ServiceError('ValidationException', message),
  dryRun: () =>
    new ServiceError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun flag is set.',
    ),
  notSupported: (operation: string) =>
    new ServiceError(
      'UnsupportedOperationException',
      `Tideway does not support ${operation} yet (docs/kinesis.md lists what it does).`,
    ),
  unknownOperation: () => new ServiceError('UnknownOperationException', ''),
};

function lowerFirst(path: string): string {
  return path
    .split('.')
    .map((p) => p.charAt(0).toLowerCase() + p.slice(1))
    .join('.');
}

/**
 * Kinesis answers with AWS's JSON front-end texts: a value of the wrong JSON type is a
 * SerializationException, and every broken constraint of the input is listed in one
 * ValidationException before the stream is looked up.
 */
export const kinesisValidation: ValidationErrors = {
  missing: (path: string) =>
    kinesisError.validation(
      validationMessage([{ path: lowerFirst(path), value: 'null', constraint: 'Member must not be null' }]),
    ),
  invalidType: (_path: string, value: unknown, expected: ScalarKind | 'list' | 'map' | 'structure') =>
    new ServiceError('SerializationException', serializationMessage(value, expected)),
  malformed: (detail: string) => new ServiceError('SerializationException', detail),
  constraints: (violations) => kinesisError.validation(validationMessage(violations)),
};
