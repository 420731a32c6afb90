import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { jsonFrontEndValidation, type Violation } from '../../protocols/validate.js';

// EventBridge speaks awsJson 1.1: `__type` is the bare error name. Texts are AWS's, as its recorded
// answers show them; docs/eventbridge.md lists any Tideway had to word itself.
export const eventsError = {
  validation: (message: string) => new ServiceError('ValidationException', message),
  notFound: (message: string) => new ServiceError('ResourceNotFoundException', message),
  alreadyExists: (message: string) => new ServiceError('ResourceAlreadyExistsException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  invalidEventPattern: (message: string) => new ServiceError('InvalidEventPatternException', message),
  illegalStatus: (message: string) => new ServiceError('IllegalStatusException', message),
  invalidState: (message: string) => new ServiceError('InvalidStateException', message),
  concurrentModification: (message: string) => new ServiceError('ConcurrentModificationException', message),
  managedRule: (message: string) => new ServiceError('ManagedRuleException', message),
  policyLengthExceeded: (message: string) => new ServiceError('PolicyLengthExceededException', message),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', message),
  operationDisabled: (message: string) => new ServiceError('OperationDisabledException', message),
  notSupported: (operation: string) =>
    new ServiceError(
      'ValidationException',
      `Tideway does not support ${operation} (docs/eventbridge.md lists what it does).`,
    ),
  unknownOperation: () => new ServiceError('UnknownOperationException', ''),
};

/**
 * EventBridge's JSON front end: a value of the wrong JSON type is a SerializationException, and
 * every broken constraint is listed in one ValidationException before any resource is looked up.
 */
export const eventsValidation: ValidationErrors = jsonFrontEndValidation(eventsError.validation, (v) =>
  recordedEntryFields(recordedEnumOrder(v)),
);

/**
 * AWS's PutEventsRequestEntry prints two members the public model lacks (kmsKeyIdentifier,
 * internalMetadata) after traceHeader, as its recorded answer to 11 entries shows.
 */
function recordedEntryFields(v: Violation): Violation {
  if (v.path !== 'entries' || !v.value.includes('PutEventsRequestEntry(')) return v;
  return {
    ...v,
    value: v.value.replace(
      /(PutEventsRequestEntry\((?:[^()]|\([^()]*\))*?traceHeader=(?:null|[^,)]*))\)/g,
      '$1, kmsKeyIdentifier=null, internalMetadata=null)',
    ),
  };
}

/** Enums AWS prints in an order of its own, as its recorded answers show them (not the model's). */
const RECORDED_ENUMS: Record<string, string> = {
  // CreateApiDestination/UpdateApiDestination (test_api_destinations_and_connection snapshot).
  httpMethod: 'HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS',
};

function recordedEnumOrder(v: Violation): Violation {
  const values = RECORDED_ENUMS[v.path];
  if (!values || !v.constraint.startsWith('Member must satisfy enum value set: [')) return v;
  if (!v.constraint.includes('OPTIONS')) return v;
  return { ...v, constraint: `Member must satisfy enum value set: [${values}]` };
}
