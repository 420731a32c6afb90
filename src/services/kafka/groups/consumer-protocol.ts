// The subscription a consumer puts in its JoinGroup metadata (ConsumerProtocolSubscription, the
// "consumer" protocol type): read only for its topics, which OffsetDelete must not touch.

/**
 * The topics of a consumer subscription, or undefined when the bytes are not one. Versions 0–3
 * share the leading layout: int16 version, then an int32 count of int16-length strings.
 */
export function subscribedTopics(metadata: Buffer): string[] | undefined {
  if (metadata.length < 6) return undefined;
  const version = metadata.readInt16BE(0);
  if (version < 0) return undefined;
  const count = metadata.readInt32BE(2);
  if (count < 0 || count > metadata.length) return undefined;
  const topics: string[] = [];
  let at = 6;
  for (let i = 0; i < count; i++) {
    if (at + 2 > metadata.length) return undefined;
    const length = metadata.readInt16BE(at);
    at += 2;
    if (length < 0 || at + length > metadata.length) return undefined;
    topics.push(metadata.toString('utf8', at, at + length));
    at += length;
  }
  return topics;
}
