import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { jsonFrontEndValidation } from '../../protocols/validate.js';

// Secrets Manager speaks awsJson 1.1: `__type` is the bare error name. Texts are AWS's, as its
// recorded answers show them (docs/secrets-manager.md lists the few Tideway had to word itself).
export const smError = {
  notFound: () =>
    new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
  stageNotFound: (stage: string) =>
    new ServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    ),
  versionNotFound: (versionId: string) =>
    new ServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
    ),
  markedForDeletion: () =>
    new ServiceError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    ),
  scheduledForDeletion: () =>
    new ServiceError(
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    ),
  exists: (name: string) =>
    new ServiceError(
      'ResourceExistsException',
      `The operation failed because the secret ${name} already exists.`,
    ),
  versionExists: () =>
    new ServiceError(
      'ResourceExistsException',
      "You can't modify an existing version, you can only create a new version.",
    ),
  tokenRequired: () =>
    new ServiceError(
      'InvalidRequestException',
      'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
    ),
  invalidName: () =>
    new ServiceError(
      'ValidationException',
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    ),
  stageMismatch: () =>
    new ServiceError(
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    ),
  noRotationLambda: () =>
    new ServiceError(
      'InvalidRequestException',
      'No Lambda rotation function ARN is associated with this secret.',
    ),
  invalidParameter: (message: string) => new ServiceError('InvalidParameterException', message),
  invalidRequest: (message: string) => new ServiceError('InvalidRequestException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  invalidNextToken: () => new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.'),
  malformedPolicy: (message: string) => new ServiceError('MalformedPolicyDocumentException', message),
  publicPolicy: () =>
    new ServiceError(
      'PublicPolicyException',
      'BlockPublicPolicy parameter is set to true and the resource policy did not prevent broad access to the secret.',
    ),
  encryptionFailure: (message: string) => new ServiceError('EncryptionFailure', message),
  decryptionFailure: (message: string) => new ServiceError('DecryptionFailure', message),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', message),
  validation: (message: string) => new ServiceError('ValidationException', message),
  notSupported: (operation: string) =>
    new ServiceError(
      'InvalidRequestException',
      `Tideway does not support ${operation} (docs/secrets-manager.md lists what it does).`,
    ),
  unknownOperation: () => new ServiceError('UnknownOperationException', ''),
};

/**
 * Secrets Manager's JSON front end: a value of the wrong JSON type is a SerializationException,
 * and every broken constraint is listed in one ValidationException before the secret is looked up.
 */
export const smValidation: ValidationErrors = jsonFrontEndValidation(smError.validation);
