import { snsError } from './errors.js';

/** A replay window from a subscription's ReplayPolicy (SNS guide, "Amazon SNS message archiving and replay"). */
export interface ReplayWindow {
  start: number;
  end?: number;
}

export function parseReplayPolicy(
  text: string,
  beginningArchiveTime: string | undefined,
  now: number,
): ReplayWindow {
  let doc: { PointType?: unknown; StartingPoint?: unknown; EndingPoint?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw snsError.invalidParameter('ReplayPolicy', 'Invalid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw snsError.invalidParameter('ReplayPolicy', 'The policy must be a JSON object');
  }
  if (doc.PointType !== 'Timestamp')
    throw snsError.invalidParameter('ReplayPolicy', 'PointType must be Timestamp');
  const start = typeof doc.StartingPoint === 'string' ? Date.parse(doc.StartingPoint) : Number.NaN;
  if (Number.isNaN(start))
    throw snsError.invalidParameter('ReplayPolicy', 'StartingPoint must be a timestamp');
  if (beginningArchiveTime === undefined) {
    throw snsError.invalidParameter('ReplayPolicy', 'The topic has no archive policy');
  }
  if (start < Date.parse(beginningArchiveTime) || start > now) {
    throw snsError.invalidParameter(
      'ReplayPolicy',
      'StartingPoint must be between BeginningArchiveTime and now',
    );
  }
  let end: number | undefined;
  if (doc.EndingPoint !== undefined) {
    end = typeof doc.EndingPoint === 'string' ? Date.parse(doc.EndingPoint) : Number.NaN;
    if (Number.isNaN(end) || end < start) {
      throw snsError.invalidParameter('ReplayPolicy', 'EndingPoint must be a timestamp after StartingPoint');
    }
  }
  return { start, end };
}

/** Messages a FIFO topic archives, in publication order, for as many days as its ArchivePolicy says. */
export class TopicArchive<T extends { publishedAt: number }> {
  private readonly byTopic = new Map<string, T[]>();

  add(topicArn: string, item: T, retentionDays: number): void {
    let items = this.byTopic.get(topicArn);
    if (!items) {
      items = [];
      this.byTopic.set(topicArn, items);
    }
    items.push(item);
    const oldest = item.publishedAt - retentionDays * 86_400_000;
    let drop = 0;
    while (drop < items.length && items[drop].publishedAt < oldest) drop++;
    if (drop > 0) items.splice(0, drop);
  }

  window(topicArn: string, window: ReplayWindow): T[] {
    return (this.byTopic.get(topicArn) ?? []).filter(
      (i) => i.publishedAt >= window.start && (window.end === undefined || i.publishedAt <= window.end),
    );
  }

  drop(topicArn: string): void {
    this.byTopic.delete(topicArn);
  }

  clear(): void {
    this.byTopic.clear();
  }
}

/** Days of retention from an ArchivePolicy, or undefined when the topic archives nothing. */
export function archiveDays(policy: string | undefined): number | undefined {
  if (!policy) return undefined;
  try {
    const days = Number((JSON.parse(policy) as { MessageRetentionPeriod?: unknown }).MessageRetentionPeriod);
    return Number.isInteger(days) && days > 0 ? days : undefined;
  } catch {
    return undefined;
  }
}
