import { RestServiceError } from '../../protocols/rest-dispatch.js';
import type { ValidationErrors } from '../../protocols/shapes.js';

/**
 * S3's errors: `<Error><Code/><Message/>…fields…</Error>` with AWS's codes, statuses and texts
 * (the fields, such as `<BucketName>` or `<Key>`, are the extra elements S3 adds). The texts are
 * those AWS answers, as recorded against the real service.
 */
export function s3Failure(
  code: string,
  status: number,
  message: string,
  fields: Record<string, unknown> = {},
): RestServiceError {
  return new RestServiceError(code, message, fields, { status });
}

const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
const NOT_IMPLEMENTED = 'A header you provided implies functionality that is not implemented';

// Every part of S3 takes its errors from here.
export const s3Error = {
  noSuchBucket: (bucket: string) =>
    s3Failure('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) => s3Failure('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchTagSet: (bucket: string) =>
    s3Failure('NoSuchTagSet', 404, 'The TagSet does not exist', { BucketName: bucket }),
  noSuchVersion: (key: string, versionId: string) =>
    s3Failure('NoSuchVersion', 404, 'The specified version does not exist.', {
      Key: key,
      VersionId: versionId,
    }),
  bucketAlreadyExists: (bucket: string) =>
    s3Failure(
      'BucketAlreadyExists',
      409,
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      { BucketName: bucket },
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    s3Failure(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: bucket },
    ),
  bucketNotEmpty: (bucket: string) =>
    s3Failure('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket }),
  invalidBucketName: (bucket: string) =>
    s3Failure('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket }),
  illegalLocationConstraint: (constraint: string) =>
    s3Failure(
      'IllegalLocationConstraintException',
      400,
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    ),
  invalidLocationConstraint: (constraint: string) =>
    s3Failure('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    }),
  accessDenied: (message = 'Access Denied') => s3Failure('AccessDenied', 403, message),
  notImplemented: (message: string) => s3Failure('NotImplemented', 501, message),
  /** A header whose value (or combination) S3 does not serve: 501 naming the header. */
  headerNotImplemented: (header: string, additionalMessage?: string) =>
    s3Failure(
      'NotImplemented',
      501,
      NOT_IMPLEMENTED,
      additionalMessage === undefined ? { Header: header } : { Header: header, additionalMessage },
    ),
  // Buckets never have Object Lock here, and AWS refuses the header (even `false`) on such buckets.
  bypassWithoutObjectLock: () =>
    s3Failure(
      'InvalidArgument',
      400,
      'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.',
      { ArgumentName: 'x-amz-bypass-governance-retention' },
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    s3Failure(
      'InvalidArgument',
      400,
      message,
      name === undefined
        ? {}
        : value === undefined
          ? { ArgumentName: name }
          : { ArgumentName: name, ArgumentValue: value },
    ),
  invalidRequest: (message: string) => s3Failure('InvalidRequest', 400, message),
  invalidTag: (message: string, fields: Record<string, string> = {}) =>
    s3Failure('InvalidTag', 400, message, fields),
  malformedXml: () =>
    s3Failure(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  /** `condition` as S3 names it: `If-Match`, `If-None-Match`, `x-amz-copy-source-If-Match`… */
  preconditionFailed: (condition: string) =>
    s3Failure('PreconditionFailed', 412, PRECONDITION, { Condition: condition }),
  /** A conditional write whose key changed while it was under way. */
  conditionalRequestConflict: (condition: string, key: string) =>
    s3Failure(
      'ConditionalRequestConflict',
      409,
      'The conditional request cannot succeed due to a conflicting operation against this resource.',
      { Condition: condition, Key: key },
    ),
  /** 304: S3 sends it without a body. */
  notModified: () => s3Failure('NotModified', 304, 'Not Modified'),
  invalidRange: (range: string, size: number) =>
    s3Failure('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: range,
      ActualObjectSize: size,
    }),
  invalidPartNumber: (requested: number, count: number) =>
    s3Failure('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable', {
      PartNumberRequested: requested,
      ActualPartCount: count,
    }),
  keyTooLong: (size: number) =>
    s3Failure('KeyTooLongError', 400, 'Your key is too long', { MaxSizeAllowed: 1024, Size: size }),
  invalidStorageClass: (requested: string) =>
    s3Failure('InvalidStorageClass', 400, 'The storage class you specified is not valid', {
      StorageClassRequested: requested,
    }),
  entityTooLarge: (proposed: number, max: number) =>
    s3Failure('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: proposed,
      MaxSizeAllowed: max,
    }),
  metadataTooLarge: (size: number, max: number) =>
    s3Failure('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size', {
      Size: size,
      MaxSizeAllowed: max,
    }),
  invalidObjectState: (storageClass: string) =>
    s3Failure('InvalidObjectState', 403, "The operation is not valid for the object's storage class", {
      StorageClass: storageClass,
    }),
  aclNotSupported: () => s3Failure('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs'),
  bucketAclWithOwnership: () =>
    s3Failure(
      'InvalidBucketAclWithObjectOwnership',
      400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    ),
  methodNotAllowed: (method: string, resourceType: string) =>
    s3Failure('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: resourceType,
    }),
  unknownOperation: (method: string, pathKnown: boolean) =>
    pathKnown
      ? s3Failure('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
          Method: method,
          ResourceType: 'OBJECT',
        })
      : s3Failure('NotImplemented', 501, NOT_IMPLEMENTED),
  invalidUri: () => s3Failure('InvalidURI', 400, "Couldn't parse the specified URI."),
};

export const s3Validation: ValidationErrors = {
  emptyQueryNumberIsAbsent: true,
  // A member missing inside an XML body is a document that does not follow S3's schema.
  missing: (path) =>
    path.includes('.') ? s3Error.malformedXml() : s3Error.invalidArgument(`${path} is required`),
  invalidType: (path, value) => s3Error.invalidArgument(`Invalid ${path}`, path, String(value)),
  malformed: () => s3Error.malformedXml(),
};
