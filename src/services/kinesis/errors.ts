import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { jsonFrontEndValidation } from '../../protocols/validate.js';

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

/**
 * Kinesis answers with AWS's JSON front-end texts: a value of the wrong JSON type is a
 * SerializationException, and every broken constraint of the input is listed in one
 * ValidationException before the stream is looked up.
 */
export const kinesisValidation: ValidationErrors = jsonFrontEndValidation(kinesisError.validation);
