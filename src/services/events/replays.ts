import type * as EB from '@aws-sdk/client-eventbridge';
import { formatArn, parseArn } from '../../core/arn.js';
import type { Timer } from '../../core/scheduler.js';
import type { RequestContext } from '../../protocols/service.js';
import { pageOf } from './archive-pages.js';
import { archiveArn, busByArn } from './archives.js';
import { trimArchive } from './archiving.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import type { BusEvent, ReplayRecord } from './records.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

/** Events a replay sends per step, and the clock time between steps. */
export const REPLAY_BATCH = 100;
export const REPLAY_STEP_MS = 1_000;
/** AWS lets an account run this many replays at once (STARTING or RUNNING). */
const CONCURRENT_REPLAYS = 10;

const ACTIVE: readonly EB.ReplayState[] = ['STARTING', 'RUNNING'];

const timers = new WeakMap<EventsState, Map<string, Timer>>();

function timersOf(state: EventsState): Map<string, Timer> {
  let map = timers.get(state);
  if (!map) {
    map = new Map();
    timers.set(state, map);
  }
  return map;
}

/** The event as a replay delivers it: `replay-name` set, in the place AWS's envelope puts it. */
export function replayedEvent(event: BusEvent, replayName: string): BusEvent {
  const { version, id, source, account, time, region, resources, detail } = event;
  return {
    version,
    id,
    'detail-type': event['detail-type'],
    source,
    account,
    time,
    region,
    'replay-name': replayName,
    resources,
    detail,
  } as BusEvent;
}

// A step runs inside the scheduler's pass over due timers: the record changes in memory at once
// (its journal commit follows), so the next step it arms is seen by the same advance of the clock.
function save(state: EventsState, replay: ReplayRecord): void {
  void state.replays.put(replay.arn, replay).catch((err: unknown) => {
    state.log.warn({ err, replay: replay.arn }, 'events: could not keep a replay');
  });
}

function schedule(state: EventsState, arn: string, at: number): void {
  const map = timersOf(state);
  const existing = map.get(arn);
  if (existing) {
    state.scheduler.reschedule(existing, at);
    return;
  }
  map.set(
    arn,
    state.scheduler.at(at, () => {
      map.delete(arn);
      step(state, arn, at);
    }),
  );
}

/**
 * One step of a replay on the clock: STARTING becomes RUNNING, then each step routes the next
 * batch of archived events in the time range (in archive order) to the destination bus, limited
 * to the FilterArns rules when given, until none is left (COMPLETED). A cancelled replay stops at
 * its next step (CANCELLED).
 */
export function step(state: EventsState, arn: string, dueAt: number): void {
  const replay = state.replays.get(arn);
  if (!replay) return;
  const now = state.clock.now();
  if (replay.state === 'CANCELLING') {
    save(state, { ...replay, state: 'CANCELLED', replayEndTime: now });
    return;
  }
  if (replay.state === 'STARTING') {
    save(state, { ...replay, state: 'RUNNING' });
    schedule(state, arn, dueAt + REPLAY_STEP_MS);
    return;
  }
  if (replay.state !== 'RUNNING') return;
  const archive = state.archives.get(replay.sourceArn);
  const destination = parseArn(replay.destination.Arn ?? '');
  const busName = destination?.resource.slice('event-bus/'.length) ?? DEFAULT_BUS;
  const bus = state.buses.get(replay.destination.Arn ?? '');
  if (!archive || !bus) {
    const stateReason = !archive
      ? `Archive ${parseArn(replay.sourceArn)?.resource.slice('archive/'.length)} does not exist.`
      : `Event bus ${busName} does not exist.`;
    save(state, { ...replay, state: 'FAILED', stateReason, replayEndTime: now });
    return;
  }
  const after = replay.lastReplayedSeq ?? -1;
  trimArchive(state, archive);
  const pending = state.archivedEvents
    .values()
    .filter(
      (e) =>
        e.archiveArn === archive.arn &&
        e.seq > after &&
        e.time >= replay.eventStartTime &&
        e.time <= replay.eventEndTime,
    )
    .sort((a, b) => a.seq - b.seq);
  const batch = pending.slice(0, REPLAY_BATCH);
  const options = {
    replayName: replay.name,
    ruleArns: replay.destination.FilterArns?.length ? replay.destination.FilterArns : undefined,
  };
  const updated: ReplayRecord = { ...replay };
  for (const record of batch) {
    state.router?.route(bus, replayedEvent(record.event, replay.name), options);
    updated.eventLastReplayedTime = record.time;
    updated.lastReplayedSeq = record.seq;
  }
  if (pending.length <= REPLAY_BATCH) {
    updated.state = 'COMPLETED';
    updated.replayEndTime = now;
  } else {
    schedule(state, arn, dueAt + REPLAY_STEP_MS);
  }
  save(state, updated);
}

/** Replays a restart interrupted carry on from their last replayed event; returns how to stop them all. */
export function resumeReplays(state: EventsState): () => void {
  const now = state.clock.now();
  for (const replay of state.replays.values()) {
    if (replay.state === 'STARTING' || replay.state === 'RUNNING' || replay.state === 'CANCELLING') {
      schedule(state, replay.arn, now);
    }
  }
  return () => {
    const map = timersOf(state);
    for (const timer of map.values()) state.scheduler.cancel(timer);
    map.clear();
  };
}

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const optionalSeconds = (ms: number | undefined) => (ms === undefined ? undefined : seconds(ms));

function replaySummary(replay: ReplayRecord): EB.Replay {
  return {
    ReplayName: replay.name,
    EventSourceArn: replay.sourceArn,
    State: replay.state,
    StateReason: replay.stateReason,
    EventStartTime: seconds(replay.eventStartTime),
    EventEndTime: seconds(replay.eventEndTime),
    EventLastReplayedTime: optionalSeconds(replay.eventLastReplayedTime),
    ReplayStartTime: seconds(replay.replayStartTime),
    ReplayEndTime: optionalSeconds(replay.replayEndTime),
  };
}

function replayArn(account: string, region: string, name: string): string {
  return formatArn('events', region, account, `replay/${name}`);
}

function findReplay(state: EventsState, ctx: RequestContext, name: string): ReplayRecord {
  const replay = state.replays.get(replayArn(ctx.caller.account, ctx.caller.region, name));
  if (!replay) throw eventsError.notFound(`Replay ${name} does not exist.`);
  return replay;
}

/** The rule name an ARN names when it is a rule of `busName` in this account and region. */
function ruleOnBus(
  state: EventsState,
  ctx: RequestContext,
  arn: string,
  busName: string,
): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'events' || !parsed.resource.startsWith('rule/')) return undefined;
  const name = parsed.resource.split('/').at(-1) ?? '';
  const expected = state.ruleArn(ctx.caller.account, ctx.caller.region, busName, name);
  return expected === arn ? name : undefined;
}

/** Handlers of: StartReplay CancelReplay DescribeReplay ListReplays. */
export function replayHandlers(state: EventsState): EventsHandlers {
  return {
    StartReplay: async (input: EB.StartReplayRequest, ctx: RequestContext) => {
      const { account, region } = ctx.caller;
      const name = input.ReplayName as string;
      const source = parseArn(input.EventSourceArn as string);
      if (source?.service !== 'events' || !source.resource.startsWith('archive/')) {
        throw eventsError.validation(
          'Parameter EventSourceArn is not valid. Reason: Must contain an archive ARN.',
        );
      }
      const destinationArn = input.Destination?.Arn as string;
      const destination = busByArn(state, ctx, destinationArn, () =>
        eventsError.validation(
          'Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.',
        ),
      );
      const start = (input.EventStartTime as Date).getTime();
      const end = (input.EventEndTime as Date).getTime();
      if (!(end > start)) {
        throw eventsError.validation(
          'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
        );
      }
      const arn = replayArn(account, region, name);
      if (state.replays.get(arn)) throw eventsError.alreadyExists(`Replay ${name} already exists.`);
      const archiveName = source.resource.slice('archive/'.length);
      const archive =
        input.EventSourceArn === archiveArn(account, region, archiveName)
          ? state.archives.get(input.EventSourceArn as string)
          : undefined;
      if (!archive) {
        throw eventsError.validation(
          `Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`,
        );
      }
      if (!destination.bus) throw eventsError.notFound(`Event bus ${destination.name} does not exist.`);
      if (destination.bus.arn !== archive.sourceArn) {
        throw eventsError.validation(
          'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
        );
      }
      const filterArns = input.Destination?.FilterArns;
      for (const ruleArn of filterArns ?? []) {
        const ruleName = ruleOnBus(state, ctx, ruleArn, destination.bus.name);
        if (ruleName === undefined) {
          throw eventsError.validation(
            'Parameter Destination.FilterArns is not valid. Reason: Rule must be on the destination event bus.',
          );
        }
        if (!state.rules.get(ruleArn)) {
          throw eventsError.notFound(`Rule ${ruleName} does not exist on EventBus ${destination.bus.name}.`);
        }
      }
      const active = state.replays
        .values()
        .filter((r) => r.account === account && r.region === region && ACTIVE.includes(r.state));
      if (active.length >= CONCURRENT_REPLAYS) {
        throw eventsError.limitExceeded('The requested resource exceeds the maximum number allowed.');
      }
      const now = state.clock.now();
      const replay: ReplayRecord = {
        arn,
        name,
        account,
        region,
        description: input.Description === '' ? undefined : input.Description,
        sourceArn: archive.arn,
        destination: { Arn: destinationArn, ...(filterArns?.length ? { FilterArns: [...filterArns] } : {}) },
        eventStartTime: Math.floor(start / 1000) * 1000,
        eventEndTime: Math.floor(end / 1000) * 1000,
        state: 'STARTING',
        replayStartTime: Math.floor(now / 1000) * 1000,
      };
      await state.replays.put(arn, replay);
      schedule(state, arn, now + REPLAY_STEP_MS);
      return { ReplayArn: arn, State: replay.state, ReplayStartTime: seconds(replay.replayStartTime) };
    },

    CancelReplay: async (input: EB.CancelReplayRequest, ctx: RequestContext) => {
      const replay = findReplay(state, ctx, input.ReplayName as string);
      if (!ACTIVE.includes(replay.state)) {
        throw eventsError.illegalStatus(`Replay ${replay.name} is not in a valid state for this operation.`);
      }
      await state.replays.put(replay.arn, { ...replay, state: 'CANCELLING' });
      schedule(state, replay.arn, state.clock.now() + REPLAY_STEP_MS);
      return { ReplayArn: replay.arn, State: 'CANCELLING' };
    },

    DescribeReplay: (input: EB.DescribeReplayRequest, ctx: RequestContext) => {
      const replay = findReplay(state, ctx, input.ReplayName as string);
      return {
        ...replaySummary(replay),
        ReplayArn: replay.arn,
        Description: replay.description,
        Destination: replay.destination,
      };
    },

    ListReplays: (input: EB.ListReplaysRequest, ctx: RequestContext) => {
      const filters = [input.NamePrefix, input.EventSourceArn, input.State].filter((f) => f !== undefined);
      if (filters.length > 1) {
        throw eventsError.validation(
          'At most one filter is allowed for ListReplays. Use either : State, EventSourceArn, or NamePrefix.',
        );
      }
      const { account, region } = ctx.caller;
      const replays = state.replays
        .values()
        .filter((r) => r.account === account && r.region === region)
        .filter((r) => input.NamePrefix === undefined || r.name.startsWith(input.NamePrefix))
        .filter((r) => input.EventSourceArn === undefined || r.sourceArn === input.EventSourceArn)
        .filter((r) => input.State === undefined || r.state === input.State)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const filter = `${input.NamePrefix ?? ''}|${input.EventSourceArn ?? ''}|${input.State ?? ''}`;
      const page = pageOf(replays, input.Limit, input.NextToken, filter);
      return { Replays: page.items.map(replaySummary), NextToken: page.nextToken };
    },
  };
}
