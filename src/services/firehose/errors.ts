import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';

// SKELETON: the firehose-api slice completes this table with AWS's codes and texts.
export const firehoseError = {
  unknownOperation: () => new ServiceError('UnknownOperationException', '', { status: 400 }),
  invalidArgument: (message: string) =>
    new ServiceError('InvalidArgumentException', message, { status: 400 }),
  notFound: (message: string) => new ServiceError('ResourceNotFoundException', message, { status: 400 }),
};

export const firehoseValidation: ValidationErrors = {
  missing: (path) => new ServiceError('ValidationException', `${path} is required`, { status: 400 }),
  invalidType: (path) => new ServiceError('SerializationException', `Invalid ${path}`, { status: 400 }),
  malformed: () => new ServiceError('SerializationException', '', { status: 400 }),
};
