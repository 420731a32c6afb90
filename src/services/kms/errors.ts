import { ServiceError } from '../../protocols/errors.js';
import type { ValidationErrors } from '../../protocols/shapes.js';
import { jsonFrontEndValidation, type Violation, validationMessage } from '../../protocols/validate.js';
import type { KeyFailure } from './front-door.js';

// KMS speaks awsJson 1.1: `__type` is the bare error name. Texts are AWS's, as recorded against
// real KMS (LocalStack's AWS-validated snapshots) or printed in the API reference.
export const kmsFailure = {
  keyNotFound: (arn: string): KeyFailure => ({
    ok: false,
    code: 'NotFoundException',
    message: `Key '${arn}' does not exist`,
  }),
  aliasNotFound: (aliasArn: string): KeyFailure => ({
    ok: false,
    code: 'NotFoundException',
    message: `Alias ${aliasArn} is not found.`,
  }),
  invalidKeyId: (keyId: string): KeyFailure => ({
    ok: false,
    code: 'NotFoundException',
    message: `Invalid keyId '${keyId}'`,
  }),
  invalidArn: (arn: string): KeyFailure => ({
    ok: false,
    code: 'NotFoundException',
    message: `Invalid arn ${arn}`,
  }),
  disabled: (arn: string): KeyFailure => ({
    ok: false,
    code: 'DisabledException',
    message: `${arn} is disabled.`,
  }),
  pendingDeletion: (arn: string): KeyFailure => ({
    ok: false,
    code: 'KMSInvalidStateException',
    message: `${arn} is pending deletion.`,
  }),
  invalidState: (arn: string, state: string): KeyFailure => ({
    ok: false,
    code: 'KMSInvalidStateException',
    message: `${arn} is ${state}.`,
  }),
  // AWS answers a blob it cannot open, or the wrong encryption context, with no text at all.
  invalidCiphertext: (): KeyFailure => ({ ok: false, code: 'InvalidCiphertextException', message: '' }),
  incorrectKey: (): KeyFailure => ({
    ok: false,
    code: 'IncorrectKeyException',
    message: 'The key ID in the request does not identify a CMK that can perform this operation.',
  }),
  keyUsage: (arn: string, usage: string, operation: string): KeyFailure => ({
    ok: false,
    code: 'InvalidKeyUsageException',
    message: `${arn} key usage is ${usage} which is not valid for ${operation}.`,
  }),
  incompatibleAlgorithm: (algorithm: string, keySpec: string): KeyFailure => ({
    ok: false,
    code: 'InvalidKeyUsageException',
    message: `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`,
  }),
  unavailable: (arn: string): KeyFailure => ({
    ok: false,
    code: 'KeyUnavailableException',
    message: `${arn} key material cannot be unwrapped with this server's KMS master key.`,
  }),
  accessDenied: (who: string, action: string, arn: string, why: string): KeyFailure => ({
    ok: false,
    code: 'AccessDeniedException',
    message: `User: ${who} is not authorized to perform: ${action} on resource: ${arn} ${why}`,
  }),
};

export function failureError(failure: KeyFailure): ServiceError {
  return new ServiceError(failure.code, failure.message);
}

export const kmsError = {
  validation: (message: string) => new ServiceError('ValidationException', message),
  notFound: (message: string) => new ServiceError('NotFoundException', message),
  alreadyExists: (message: string) => new ServiceError('AlreadyExistsException', message),
  invalidAliasName: (message: string) => new ServiceError('InvalidAliasNameException', message),
  invalidArn: (message: string) => new ServiceError('InvalidArnException', message),
  invalidMarker: () => new ServiceError('InvalidMarkerException', 'Invalid marker'),
  invalidState: (message: string) => new ServiceError('KMSInvalidStateException', message),
  malformedPolicy: (message: string) => new ServiceError('MalformedPolicyDocumentException', message),
  tag: (message: string) => new ServiceError('TagException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  invalidGrantToken: (message: string) => new ServiceError('InvalidGrantTokenException', message),
  invalidGrantId: (message: string) => new ServiceError('InvalidGrantIdException', message),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', message),
  disabled: (message: string) => new ServiceError('DisabledException', message),
  invalidSignature: () => new ServiceError('KMSInvalidSignatureException', ''),
  invalidMac: () => new ServiceError('KMSInvalidMacException', ''),
  notAuthorized: () => new ServiceError('NotAuthorizedException', ''),
  dryRun: () =>
    new ServiceError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    ),
  unsupported: (message: string) => new ServiceError('UnsupportedOperationException', message),
  notSupported: (operation: string) =>
    new ServiceError(
      'UnsupportedOperationException',
      `Tideway does not support ${operation} (docs/kms.md lists what it does).`,
    ),
  unknownOperation: () => new ServiceError('UnknownOperationException', ''),
};

/** A member the model leaves optional (for other uses of the operation) that this request needs. */
export function required<T>(value: T | undefined, path: string): T {
  if (value === undefined || value === null) {
    throw kmsError.validation(
      validationMessage([{ path, value: 'null', constraint: 'Member must not be null' }]),
    );
  }
  return value;
}

/**
 * KMS's JSON front end: a value of the wrong JSON type is a SerializationException, and every
 * broken constraint is listed in one ValidationException (`Value at 'plaintext' failed to
 * satisfy constraint: …`, member paths in lower camel case) before any key is looked up.
 */
export const kmsValidation: ValidationErrors = jsonFrontEndValidation(kmsError.validation, recordedEnumOrder);

/**
 * KMS prints an enum's values in its own (hash) order, not the model's. Where real KMS was
 * recorded answering a bad value, Tideway prints that list as recorded; other enums keep the
 * model's order (docs/kms.md says so). KMS checks every `keySpec` against CreateKey's set, even
 * GenerateDataKey's (`AES-256` is answered with the key specs, boto/boto3#3428); the marker is
 * the value that tells one member's set from another's, empty for any.
 */
const RECORDED_ENUMS: Array<{ path: string; marker: string; values: string[] }> = [
  {
    path: 'keySpec',
    marker: '',
    values: [
      'RSA_2048',
      'ECC_NIST_P384',
      'ECC_NIST_P256',
      'ECC_NIST_P521',
      'HMAC_384',
      'RSA_3072',
      'ECC_SECG_P256K1',
      'RSA_4096',
      'SYMMETRIC_DEFAULT',
      'HMAC_256',
      'HMAC_224',
      'HMAC_512',
    ],
  },
  {
    path: 'keyUsage',
    marker: 'GENERATE_VERIFY_MAC',
    values: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
  },
  {
    path: 'macAlgorithm',
    marker: 'HMAC_SHA_224',
    values: ['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512'],
  },
];

const ENUM_TEXT = 'Member must satisfy enum value set: [';

function recordedEnumOrder(v: Violation): Violation {
  if (!v.constraint.startsWith(ENUM_TEXT)) return v;
  const recorded = RECORDED_ENUMS.find((e) => e.path === v.path && v.constraint.includes(e.marker));
  return recorded ? { ...v, constraint: `${ENUM_TEXT}${recorded.values.join(', ')}]` } : v;
}
