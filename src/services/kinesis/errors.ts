import { ServiceError } from '../../protocols/errors.js';
import type { ScalarKind, ValidationErrors } from '../../protocols/shapes.js';

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

export const kinesisValidation: ValidationErrors = {
  missing: (path: string) =>
    kinesisError.validation(
      `1 validation error detected: Value null at '${lowerFirst(path)}' failed to satisfy constraint: Member must not be null`,
    ),
  invalidType: (path: string, _value: unknown, expected: ScalarKind | 'list' | 'map' | 'structure') =>
    new ServiceError('SerializationException', `Value at '${lowerFirst(path)}' is not a ${expected}`),
  malformed: (detail: string) => new ServiceError('SerializationException', detail),
};
