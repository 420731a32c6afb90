import { ServiceError } from '../../protocols/errors.js';
import type { ScalarKind, ValidationErrors } from '../../protocols/shapes.js';
import { lowerCamelPath, validationMessage } from '../../protocols/validate.js';

// SNS speaks awsQuery only: `code` is the XML error Code, which the SDKs map to their exception
// classes (NotFound → NotFoundException, InvalidParameter → InvalidParameterException, …).
// Texts are the ones AWS answers with.

export const snsError = {
  /** "Invalid parameter: TopicArn", optionally followed by " Reason: …". */
  invalidParameter: (parameter: string, reason?: string) =>
    new ServiceError(
      'InvalidParameter',
      `Invalid parameter: ${parameter}${reason ? ` Reason: ${reason}` : ''}`,
    ),
  invalidParameterText: (message: string) => new ServiceError('InvalidParameter', message),
  /** What SNS says of a value that does not split into the six parts of an ARN. */
  shortArn: (parameter: string, arn: string) =>
    snsError.invalidParameter(
      parameter,
      `An ARN must have at least 6 elements, not ${arn.split(':').length}`,
    ),
  invalidParameterValue: (message: string) => new ServiceError('ParameterValueInvalid', message),
  endpointDisabled: () => new ServiceError('EndpointDisabled', 'Endpoint is disabled'),
  platformApplicationDisabled: () =>
    new ServiceError('PlatformApplicationDisabled', 'Platform application is disabled'),
  optedOut: () => new ServiceError('OptedOut', 'Phone number is opted out'),
  verification: (message: string) => new ServiceError('VerificationException', message),
  topicNotFound: () => new ServiceError('NotFound', 'Topic does not exist', { status: 404 }),
  subscriptionNotFound: () => new ServiceError('NotFound', 'Subscription does not exist', { status: 404 }),
  notFound: (message: string) => new ServiceError('NotFound', message, { status: 404 }),
  resourceNotFound: () => new ServiceError('ResourceNotFound', 'Resource does not exist', { status: 404 }),
  authorization: (principal: string, action: string, resource: string) =>
    new ServiceError(
      'AuthorizationError',
      `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`,
      { status: 403 },
    ),
  authorizationText: (message: string) => new ServiceError('AuthorizationError', message, { status: 403 }),
  tagPolicy: (message: string) => new ServiceError('TagPolicy', message),
  tagLimitExceeded: () =>
    new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded'),
  concurrentAccess: (message: string) => new ServiceError('ConcurrentAccess', message),
  emptyBatch: () => new ServiceError('EmptyBatchRequest', 'The batch request does not contain any entries.'),
  tooManyEntries: () =>
    new ServiceError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    ),
  batchIdsNotDistinct: () =>
    new ServiceError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    ),
  batchEntryIdTooLong: (id: string) =>
    new ServiceError(
      'InvalidBatchEntryId',
      `The Id of a batch entry in the batch request is too long: ${id}`,
    ),
  batchEntryIdCharacters: (id: string) =>
    new ServiceError(
      'InvalidBatchEntryId',
      `The Id of a batch entry in the batch request contains an impermissible character: ${id}`,
    ),
  batchTooLong: () =>
    new ServiceError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    ),
  notSupported: (operation: string) =>
    new ServiceError('InvalidAction', `The action ${operation} is not valid for this endpoint.`),
  validation: (message: string) => new ServiceError('ValidationError', message),
  validationException: (message: string) => new ServiceError('ValidationException', message),
};

// Required members that SNS itself checks, behind its front end, with its own text (recorded
// for Unsubscribe without a SubscriptionArn); the rest get the front end's ValidationError.
const SERVICE_CHECKED = new Set(['SubscriptionArn']);
/** The same members as the validator names them (lowerCamel paths), with SNS's own names. */
const SERVICE_CHECKED_PATHS = new Map([...SERVICE_CHECKED].map((name) => [lowerCamelPath(name), name]));

/**
 * What the codec reports, in the form SNS's front end uses: "1 validation error detected: Value
 * null at 'name' failed to satisfy constraint: Member must not be null".
 */
export const snsValidation: ValidationErrors = {
  missing: (path: string) =>
    SERVICE_CHECKED.has(path)
      ? snsError.invalidParameter(path, 'no value for required parameter')
      : snsError.validation(
          `1 validation error detected: Value null at '${lowerCamelPath(path)}' failed to satisfy constraint: Member must not be null`,
        ),
  invalidType: (path: string, value: unknown, expected: ScalarKind | 'list' | 'map' | 'structure') =>
    snsError.validation(
      `1 validation error detected: Value '${String(value)}' at '${lowerCamelPath(path)}' failed to satisfy constraint: Member must be of type ${expected}`,
    ),
  malformed: (detail: string) => snsError.validation(detail),
  // Missing members in one answer, with coral's member paths
  // (`publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType`), as recorded.
  // What SNS answers for the model's other constraints (tag lengths, phone number patterns) is not
  // on record: those stay with the handlers, which answer SNS's InvalidParameter forms.
  constraints: (violations) => {
    const missing = violations.filter((v) => v.constraint === 'Member must not be null');
    const frontEnd = missing.filter((v) => !SERVICE_CHECKED_PATHS.has(v.path));
    if (frontEnd.length > 0) return snsError.validation(validationMessage(frontEnd));
    const own = missing.find((v) => SERVICE_CHECKED_PATHS.has(v.path));
    return own
      ? snsError.invalidParameter(SERVICE_CHECKED_PATHS.get(own.path)!, 'no value for required parameter')
      : undefined;
  },
};
