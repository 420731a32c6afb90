import { RestServiceError } from '../../protocols/rest-dispatch.js';
import type { ValidationErrors } from '../../protocols/shapes.js';

/**
 * S3's errors: `<Error><Code/><Message/>…fields…</Error>` with AWS's codes, statuses and texts
 * (the fields, such as `<BucketName>` or `<Key>`, are the extra elements S3 adds).
 */
export function s3Failure(
  code: string,
  status: number,
  message: string,
  fields: Record<string, unknown> = {},
): RestServiceError {
  return new RestServiceError(code, message, fields, { status });
}

// The s3-objects slice completes this table; every part of S3 takes its errors from here.
export const s3Error = {
  noSuchBucket: (bucket: string) =>
    s3Failure('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) => s3Failure('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  accessDenied: (message = 'Access Denied') => s3Failure('AccessDenied', 403, message),
  notImplemented: (message: string) => s3Failure('NotImplemented', 501, message),
  invalidArgument: (message: string, name?: string, value?: string) =>
    s3Failure(
      'InvalidArgument',
      400,
      message,
      name === undefined ? {} : { ArgumentName: name, ArgumentValue: value },
    ),
  malformedXml: () =>
    s3Failure(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  unknownOperation: (method: string, pathKnown: boolean) =>
    pathKnown
      ? s3Failure('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
          Method: method,
          ResourceType: 'OBJECT',
        })
      : s3Failure(
          'NotImplemented',
          501,
          'A header you provided implies functionality that is not implemented',
        ),
  invalidUri: () => s3Failure('InvalidURI', 400, "Couldn't parse the specified URI."),
};

export const s3Validation: ValidationErrors = {
  missing: (path) => s3Error.invalidArgument(`${path} is required`),
  invalidType: (path, value) => s3Error.invalidArgument(`Invalid ${path}`, path, String(value)),
  malformed: () => s3Error.malformedXml(),
};
