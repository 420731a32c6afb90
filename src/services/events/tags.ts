import type { Tag } from './records.js';

/** TagResource: a key given again takes its new value in place; new keys follow in the order given. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** UntagResource: keys the resource does not have are no error (AWS's recorded answer). */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const gone = new Set(keys);
  return existing.filter((tag) => !gone.has(tag.Key));
}
