import { type RedriveRule, redriveRuleOf } from './redrive.js';

/**
 * The parameters a storage engine acts on, read once from a queue's attribute strings (the
 * service has validated them and filled AWS's defaults in). Engines run receive, visibility,
 * retention, deduplication and redrive with these numbers; none of them reads attributes itself.
 */
export interface QueueSettings {
  visibilityTimeoutMs: number;
  delayMs: number;
  retentionMs: number;
  contentBasedDeduplication: boolean;
  /** DeduplicationScope messageGroup: deduplication ids are per message group. */
  deduplicationPerGroup: boolean;
  redrive?: RedriveRule;
}

export function queueSettingsOf(attributes: Record<string, string>): QueueSettings {
  return {
    visibilityTimeoutMs: Number(attributes.VisibilityTimeout ?? 30) * 1000,
    delayMs: Number(attributes.DelaySeconds ?? 0) * 1000,
    retentionMs: Number(attributes.MessageRetentionPeriod ?? 345600) * 1000,
    contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
    deduplicationPerGroup: attributes.DeduplicationScope === 'messageGroup',
    redrive: redriveRuleOf(attributes.RedrivePolicy),
  };
}

/**
 * A changed queue DelaySeconds reaches messages already queued (and never received) on FIFO
 * queues only; on standard queues it applies to messages sent afterwards.
 */
export function queueDelayReachesQueued(fifo: boolean): boolean {
  return fifo;
}

/** When a message sent at `sentAt` becomes receivable: its own delay, or the queue's. */
export function visibleAfterSend(
  sentAt: number,
  messageDelaySeconds: number | undefined,
  settings: QueueSettings,
): number {
  return sentAt + (messageDelaySeconds !== undefined ? messageDelaySeconds * 1000 : settings.delayMs);
}

/** Whether a message enqueued at `enqueuedAt` has outlived the retention period at `now`. */
export function expiredUnderRetention(enqueuedAt: number, now: number, settings: QueueSettings): boolean {
  return enqueuedAt <= now - settings.retentionMs;
}
