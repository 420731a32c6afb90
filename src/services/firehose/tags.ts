import type * as F from '@aws-sdk/client-firehose';
import { firehoseError } from './errors.js';
import type { DeliveryStreamRecord } from './model.js';

/** Firehose's tag quota per delivery stream (API reference, TagDeliveryStream). */
export const MAX_TAGS = 50;
/** ListTagsForDeliveryStream's page size when Limit is not given. */
const DEFAULT_TAG_PAGE = 50;

/** The stream's tags with `tags` merged in (a key given again takes its new value). */
export function withTags(
  stream: Pick<DeliveryStreamRecord, 'tags' | 'name'>,
  tags: readonly F.Tag[],
): F.Tag[] {
  const merged = new Map(stream.tags.map((t) => [t.Key!, t.Value]));
  for (const t of tags) merged.set(t.Key!, t.Value);
  if (merged.size > MAX_TAGS) {
    throw firehoseError.limitExceeded(
      `Tag limit exceeded: delivery stream ${stream.name} can have at most ${MAX_TAGS} tags.`,
    );
  }
  return [...merged].map(([Key, Value]) => (Value === undefined ? { Key } : { Key, Value }));
}

export function withoutTags(stream: Pick<DeliveryStreamRecord, 'tags'>, keys: readonly string[]): F.Tag[] {
  const drop = new Set(keys);
  return stream.tags.filter((t) => !drop.has(t.Key!));
}

/** One page of tags, in the order they were added, after ExclusiveStartTagKey. */
export function tagPage(
  stream: Pick<DeliveryStreamRecord, 'tags'>,
  exclusiveStartTagKey: string | undefined,
  limit: number | undefined,
): F.ListTagsForDeliveryStreamOutput {
  let start = 0;
  if (exclusiveStartTagKey !== undefined) {
    const at = stream.tags.findIndex((t) => t.Key === exclusiveStartTagKey);
    start = at >= 0 ? at + 1 : stream.tags.length;
  }
  const size = limit ?? DEFAULT_TAG_PAGE;
  const page = stream.tags.slice(start, start + size);
  return { Tags: page, HasMoreTags: start + size < stream.tags.length };
}
