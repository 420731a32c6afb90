import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { jsonFrontEndValidation, type Violation } from '../../protocols/validate.js';

// Firehose speaks awsJson 1.1: `__type` is the bare error name. Texts are AWS's where they are on
// record (quoted in the comments of docs/firehose.md); the rest say plainly what was refused.
export const firehoseError = {
  unknownOperation: () => new ServiceError('UnknownOperationException', '', { status: 400 }),
  invalidArgument: (message: string) => new ServiceError('InvalidArgumentException', message),
  notFound: (message: string) => new ServiceError('ResourceNotFoundException', message),
  streamNotFound: (name: string, account: string) =>
    new ServiceError('ResourceNotFoundException', `Firehose ${name} under account ${account} not found.`),
  streamExists: (name: string, account: string) =>
    new ServiceError('ResourceInUseException', `Firehose ${name} under accountId ${account} already exists`),
  inUse: (message: string) => new ServiceError('ResourceInUseException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  concurrentModification: (message: string) => new ServiceError('ConcurrentModificationException', message),
  /** A key KMS refuses (unknown, disabled, pending deletion, the key policy): KMS's own text. */
  invalidKmsResource: (message: string) => new ServiceError('InvalidKMSResourceException', message),
  serviceUnavailable: (message: string) =>
    new ServiceError('ServiceUnavailableException', message, { status: 503 }),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', message),
  /** A put to a stream that reads its records from a source of its own. */
  notDirectPut: (type: string) =>
    new ServiceError(
      'InvalidArgumentException',
      `This operation is not permitted on ${type} delivery stream type.`,
    ),
  /** What Firehose offers but Tideway does not run (docs/firehose.md lists them). */
  notSupported: (what: string) =>
    new ServiceError(
      'InvalidArgumentException',
      `Tideway does not support ${what} (docs/firehose.md lists what it does).`,
    ),
};

/**
 * Firehose's front end answers like the other Coral services: a value of the wrong JSON type is a
 * SerializationException, and every broken constraint of the input is listed in one
 * ValidationException before the stream is looked up.
 */
const frontEnd = jsonFrontEndValidation((message) => new ServiceError('ValidationException', message));

/**
 * AWS takes only https:// endpoint URLs. Tideway also takes http:// to a loopback address, so a
 * receiver in a local test needs no certificate (docs/firehose/integrations.md); any other http://
 * URL gets AWS's pattern violation.
 */
const LOOPBACK_HTTP = /^'http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?([/?#].*)?'$/;

function loopbackEndpoint(violation: Violation): boolean {
  return violation.path.endsWith('endpointConfiguration.url') && LOOPBACK_HTTP.test(violation.value);
}

export const firehoseValidation: ValidationErrors = {
  ...frontEnd,
  constraints: (violations) => {
    const kept = violations.filter((v) => !loopbackEndpoint(v));
    return kept.length === 0 ? undefined : frontEnd.constraints?.(kept);
  },
};
