import { CORAL, ServiceError } from '../../protocols/errors.js';
import type { ScalarKind, ValidationErrors } from '../../protocols/shapes.js';
import { serializationMessage } from '../../protocols/validate.js';

// Codes as the SQS model declares them (JSON `__type`) with the awsQuery code
// AWS sends in `x-amzn-query-error` and in XML error documents. Texts are the
// ones AWS answers with, as recorded from real responses.

const q = (queryCode: string, status = 400) => ({ queryCode, status });

export const sqsError = {
  queueDoesNotExist: () =>
    new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
      ...q('AWS.SimpleQueueService.NonExistentQueue'),
      queryMessage: 'The specified queue does not exist for this wsdl version.',
    }),
  queueNameExists: (name: string) =>
    new ServiceError(
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute ${name}`,
      q('QueueAlreadyExists'),
    ),
  queueDeletedRecently: () =>
    new ServiceError(
      'QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      q('AWS.SimpleQueueService.QueueDeletedRecently'),
    ),
  invalidParameterValue: (message: string) =>
    new ServiceError('InvalidParameterValueException', message, {
      queryCode: 'InvalidParameterValue',
      namespace: CORAL,
    }),
  /** The usual "Value X for parameter Y is invalid. Reason: Z" form. */
  invalidValue: (parameter: string, value: unknown, reason: string) =>
    sqsError.invalidParameterValue(
      `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
    ),
  missingParameter: (parameter: string) =>
    new ServiceError(
      'MissingRequiredParameterException',
      `The request must contain the parameter ${parameter}.`,
      {
        queryCode: 'MissingParameter',
        namespace: CORAL,
      },
    ),
  invalidAttributeName: (message: string) => new ServiceError('InvalidAttributeName', message),
  invalidAttributeValue: (message: string) => new ServiceError('InvalidAttributeValue', message),
  receiptHandleIsInvalid: (handle: string) =>
    new ServiceError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      q('ReceiptHandleIsInvalid', 404),
    ),
  purgeQueueInProgress: (name: string) =>
    new ServiceError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      q('AWS.SimpleQueueService.PurgeQueueInProgress', 403),
    ),
  emptyBatchRequest: (entryName: string) =>
    new ServiceError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
      q('AWS.SimpleQueueService.EmptyBatchRequest'),
    ),
  tooManyEntries: (count: number) =>
    new ServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
      q('AWS.SimpleQueueService.TooManyEntriesInBatchRequest'),
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new ServiceError(
      'BatchEntryIdsNotDistinct',
      `Id ${id} repeated.`,
      q('AWS.SimpleQueueService.BatchEntryIdsNotDistinct'),
    ),
  batchRequestTooLong: (max: number, size: number) =>
    new ServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${max} bytes. You have sent ${size} bytes.`,
      q('AWS.SimpleQueueService.BatchRequestTooLong'),
    ),
  invalidBatchEntryId: () =>
    new ServiceError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      q('AWS.SimpleQueueService.InvalidBatchEntryId'),
    ),
  invalidMessageContents: (message: string) => new ServiceError('InvalidMessageContents', message),
  overLimit: (message: string) => new ServiceError('OverLimit', message, q('OverLimit', 403)),
  resourceNotFound: (message: string) =>
    new ServiceError('ResourceNotFoundException', message, q('ResourceNotFoundException', 404)),
  accessDenied: (principal: string, action: string, resource: string) =>
    new ServiceError(
      'AccessDenied',
      `User: ${principal} is not authorized to perform: ${action.toLowerCase()} on resource: ${resource} because no resource-based policy allows the ${action.toLowerCase()} action`,
      { status: 403, namespace: CORAL },
    ),
  invalidAction: (action: string) =>
    new ServiceError('InvalidAction', `The action ${action} is not valid for this endpoint.`, {
      namespace: CORAL,
    }),
  unknownOperation: () => new ServiceError('UnknownOperationException', '', { namespace: CORAL }),
  serialization: (message: string) =>
    new ServiceError('SerializationException', message, { namespace: CORAL }),
};

// The query protocol names the type in its own words.
const TYPE_NAMES: Record<string, string> = {
  integer: 'Integer',
  long: 'Long',
  boolean: 'Boolean',
  string: 'String',
  blob: 'Blob',
  timestamp: 'Timestamp',
  double: 'Double',
  list: 'List',
  map: 'Map',
  structure: 'Structure',
};

export const sqsValidation: ValidationErrors = {
  missing: (path) => sqsError.missingParameter(path),
  invalidType: (path, value, expected: ScalarKind | 'list' | 'map' | 'structure', protocol) => {
    if (protocol === 'query') {
      return sqsError.invalidValue(path, value, `must be of type ${TYPE_NAMES[expected]}.`);
    }
    return sqsError.serialization(serializationMessage(value, expected));
  },
  malformed: (detail) => sqsError.serialization(detail),
};
