import { compileEventPattern, type EventPattern } from '../../core/patterns/event-pattern.js';
import type { JsonValue } from '../../core/patterns/operators.js';
import type { ArchivedEventRecord, ArchiveRecord, BusEvent, BusRecord } from './records.js';
import { resumeReplays } from './replays.js';
import type { EventsState, TargetKind } from './state.js';

const DAY = 86_400_000;
const ARCHIVE_TARGET = /^arn:aws[a-z-]*:events:[a-z0-9-]+:::$/;
/** How often retention is swept on the clock (reads also trim, so counts are exact when asked). */
const SWEEP_EVERY = 3_600_000;

/**
 * The pattern of an archive's managed rule, as AWS writes it: replayed events never go back into
 * an archive, so `replay-name` must be absent, put first and overriding any the caller wrote.
 */
export function managedRulePattern(archivePattern: string | undefined): string {
  const own = archivePattern ? (JSON.parse(archivePattern) as Record<string, unknown>) : {};
  const { 'replay-name': _ignored, ...rest } = own;
  return JSON.stringify({ 'replay-name': [{ exists: false }], ...rest });
}

/**
 * An event's size as EventBridge counts it for PutEvents (the AWS guide's "Calculating PutEvents
 * event entry size"): the UTF-8 bytes of source, detail-type, detail and each resource, plus 14
 * for the time. Used for an archive's SizeBytes; AWS's own archive accounting is not published.
 */
export function eventSize(event: BusEvent): number {
  let size = 14;
  size += Buffer.byteLength(event.source) + Buffer.byteLength(event['detail-type']);
  size += Buffer.byteLength(JSON.stringify(event.detail));
  for (const resource of event.resources) size += Buffer.byteLength(resource);
  return size;
}

export function archivedKey(archiveArn: string, seq: number): string {
  return `${archiveArn}#${String(seq).padStart(12, '0')}`;
}

/** Drops the events older than the archive's retention (0 keeps them for ever); returns the archive as it now stands. */
export function trimArchive(state: EventsState, archive: ArchiveRecord): ArchiveRecord {
  if (archive.retentionDays <= 0) return archive;
  const oldest = state.clock.now() - archive.retentionDays * DAY;
  const expired = state.archivedEvents
    .values()
    .filter((e) => e.archiveArn === archive.arn && e.time < oldest);
  if (expired.length === 0) return archive;
  let { eventCount, sizeBytes } = archive;
  for (const record of expired) {
    eventCount--;
    sizeBytes -= eventSize(record.event);
    void state.archivedEvents.delete(record.key);
  }
  const trimmed = { ...archive, eventCount: Math.max(0, eventCount), sizeBytes: Math.max(0, sizeBytes) };
  void state.archives.put(archive.arn, trimmed);
  return trimmed;
}

/**
 * Archives record what their bus accepts: an observer matches each event against every enabled
 * archive of that bus (its managed rule's pattern), stores it with the clock time it arrived and
 * counts it. Retention is swept on the clock; replays left running by a restart carry on.
 */
export function installArchiving(state: EventsState): () => void {
  const compiled = new Map<string, EventPattern>();
  const patternOf = (archive: ArchiveRecord): EventPattern => {
    const text = managedRulePattern(archive.eventPattern);
    let pattern = compiled.get(text);
    if (!pattern) {
      pattern = compileEventPattern(text);
      compiled.set(text, pattern);
    }
    return pattern;
  };

  const nextSeq = new Map<string, number>();
  for (const record of state.archivedEvents.values()) {
    nextSeq.set(record.archiveArn, Math.max(nextSeq.get(record.archiveArn) ?? 0, record.seq + 1));
  }

  const observer = (bus: BusRecord, event: BusEvent) => {
    for (const archive of state.archives.values()) {
      if (archive.sourceArn !== bus.arn || archive.state !== 'ENABLED') continue;
      if (!patternOf(archive).matches(event as unknown as JsonValue)) continue;
      const seq = nextSeq.get(archive.arn) ?? 0;
      nextSeq.set(archive.arn, seq + 1);
      const key = archivedKey(archive.arn, seq);
      const record: ArchivedEventRecord = {
        key,
        archiveArn: archive.arn,
        seq,
        time: state.clock.now(),
        event: { ...event },
      };
      void state.archivedEvents.put(key, record);
      void state.archives.put(archive.arn, {
        ...archive,
        eventCount: archive.eventCount + 1,
        sizeBytes: archive.sizeBytes + eventSize(event),
      });
    }
  };
  state.observers.add(observer);

  // The managed rule's target (`arn:aws:events:<region>:::`) is the archive itself: the observer
  // above has already stored the event, so the router finds it delivered, not a target it lacks.
  const archiveTarget: TargetKind = {
    accepts: (arn) => ARCHIVE_TARGET.test(arn),
    deliver: async () => ({ kind: 'delivered' }),
  };
  state.targetKinds.unshift(archiveTarget);

  // The managed rule deleted by force (DeleteRule with Force) leaves its archive DISABLED, as AWS does.
  const ruleListener = (rule: { arn: string }, deleted: boolean) => {
    if (!deleted) return;
    for (const archive of state.archives.values()) {
      if (archive.ruleArn !== rule.arn || archive.state !== 'ENABLED') continue;
      void state.archives.put(archive.arn, {
        ...archive,
        state: 'DISABLED',
        stateReason: 'Managed rule for the archive was forcefully deleted.',
      });
    }
  };
  state.ruleListeners.add(ruleListener);

  const sweep = () => {
    for (const archive of state.archives.values()) trimArchive(state, archive);
    state.scheduler.reschedule(timer, state.clock.now() + SWEEP_EVERY);
  };
  const timer = state.scheduler.at(state.clock.now() + SWEEP_EVERY, sweep);

  const stopReplays = resumeReplays(state);

  return () => {
    state.observers.delete(observer);
    const index = state.targetKinds.indexOf(archiveTarget);
    if (index >= 0) state.targetKinds.splice(index, 1);
    state.ruleListeners.delete(ruleListener);
    state.scheduler.cancel(timer);
    stopReplays();
  };
}
