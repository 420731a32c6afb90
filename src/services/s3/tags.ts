import { s3Error, s3Failure } from './errors.js';
import type { Tag } from './model.js';

// The characters AWS allows in tag keys and values: letters, numbers, spaces and _ . : / = + - @.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Checks a tag set as S3 does for an object (`forBucket` false: at most 10 tags, `aws:` refused
 * as a prefix) or a bucket (at most 50, `aws:` refused as a system tag). A missing Key or Value
 * was already refused as MalformedXML by the codec's required members.
 */
export function validateTags(tags: Tag[], forBucket: boolean): Tag[] {
  const seen = new Set<string>();
  for (const { Key: key, Value: value } of tags) {
    if (key === undefined || value === undefined || key === null || value === null)
      throw s3Error.malformedXml();
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key))
      throw s3Error.invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (value.length > 256 || !TAG_TEXT.test(value))
      throw s3Error.invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (key.toLowerCase().startsWith('aws:'))
      throw s3Error.invalidTag(
        forBucket
          ? 'System tags cannot be added/updated by requester'
          : 'Your TagKey cannot be prefixed with aws:',
        { TagKey: key },
      );
    if (seen.has(key))
      throw s3Error.invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
  }
  if (!forBucket && tags.length > 10)
    throw s3Failure('BadRequest', 400, 'Object tags cannot be greater than 10');
  if (forBucket && tags.length > 50) throw s3Error.invalidTag('Bucket tag count cannot be greater than 50');
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** The `x-amz-tagging` header (a URL-encoded query string) as tags. */
export function parseTaggingHeader(header: string | undefined): Tag[] | undefined {
  if (header === undefined) return undefined;
  const params = new URLSearchParams(header);
  const tags: Tag[] = [];
  const keys = new Set<string>();
  for (const [key, value] of params) {
    if (keys.has(key))
      throw s3Error.invalidArgument(
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        'x-amz-tagging',
        header,
      );
    // Text a tag cannot hold means the header was not the URL-encoded query string S3 expects.
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value))
      throw s3Error.invalidArgument(
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        'x-amz-tagging',
        header,
      );
    keys.add(key);
    tags.push({ Key: key, Value: value });
  }
  return validateTags(tags, false);
}
