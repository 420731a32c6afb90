import { s3Error, s3Failure } from './errors.js';
import type { S3Handlers } from './operations.js';
import type { S3State } from './state.js';

/**
 * `x-amz-expected-bucket-owner` (and `x-amz-source-expected-bucket-owner` for a copy source):
 * an account id that is not the bucket's owner is refused with 403, a malformed one with
 * InvalidBucketOwnerAWSAccountID, before the operation runs.
 */
export function checkExpectedOwner(
  state: S3State,
  bucket: string | undefined,
  expected: string | undefined,
): void {
  if (expected === undefined || bucket === undefined) return;
  if (!/^\d{12}$/.test(expected))
    throw s3Failure(
      'InvalidBucketOwnerAWSAccountID',
      400,
      `The value of the expected bucket owner parameter must be an AWS Account ID... [${expected}]`,
    );
  const record = state.bucket(bucket);
  if (record && record.account !== expected) throw s3Error.accessDenied();
}

/** Every handler of `handlers`, checking the expected owners its input names first. */
export function withOwnerChecks(state: S3State, handlers: S3Handlers): S3Handlers {
  const wrapped: S3Handlers = {};
  for (const [name, handler] of Object.entries(handlers) as Array<
    [keyof S3Handlers, NonNullable<S3Handlers[keyof S3Handlers]>]
  >) {
    wrapped[name] = (input: Record<string, unknown>, ctx: unknown) => {
      checkExpectedOwner(
        state,
        input.Bucket as string | undefined,
        input.ExpectedBucketOwner as string | undefined,
      );
      if (typeof input.CopySource === 'string' && input.ExpectedSourceBucketOwner !== undefined) {
        const raw = input.CopySource.split('?')[0].replace(/^\//, '').split('/')[0];
        checkExpectedOwner(state, safeDecode(raw), input.ExpectedSourceBucketOwner as string);
      }
      return handler(input, ctx);
    };
  }
  return wrapped;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
