import type { Tag } from '@aws-sdk/client-kms';
import { kmsError } from './errors.js';

const MAX_TAGS = 50;

/**
 * Tags added to a key's, with KMS's TagException texts: `aws:` keys are reserved (any case),
 * keys are unique in one request, and a key holds at most 50 tags. A key given again replaces
 * its value.
 */
export function checkTags(
  current: ReadonlyArray<{ TagKey: string; TagValue: string }>,
  added: readonly Tag[],
): Array<{ TagKey: string; TagValue: string }> {
  const seen = new Set<string>();
  for (const tag of added) {
    if (tag.TagKey!.toLowerCase().startsWith('aws:'))
      throw kmsError.tag('Tags beginning with aws: are reserved');
    if (seen.has(tag.TagKey!)) throw kmsError.tag('Duplicate tag keys');
    seen.add(tag.TagKey!);
  }
  const merged = current.filter((t) => !seen.has(t.TagKey));
  for (const tag of added) merged.push({ TagKey: tag.TagKey!, TagValue: tag.TagValue ?? '' });
  if (merged.length > MAX_TAGS) throw kmsError.tag('Too many tags');
  return merged;
}
