import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../../core/arn.js';
import type { JsonValue } from '../../core/patterns/operators.js';
import type { RequestContext } from '../../protocols/service.js';
import { busPolicyAllows } from './bus-policy.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import type { BusEvent, BusRecord } from './records.js';
import { eventTime } from './router.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

/**
 * The total size PutEvents accepts, computed as AWS's "Calculating PutEvents event entry size"
 * says: Time 14 bytes when given, Source, DetailType, Detail and each Resources entry by their
 * UTF-8 bytes. 1 MB since AWS raised it from 256 KB (January 2026).
 */
export const PUT_EVENTS_MAX_BYTES = 1_048_576;

type Entry = EB.PutEventsRequestEntry | EB.PutPartnerEventsRequestEntry;
type ResultEntry = EB.PutEventsResultEntry;

export function entrySize(entry: Entry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  size += Buffer.byteLength(entry.Source ?? '', 'utf8');
  size += Buffer.byteLength(entry.DetailType ?? '', 'utf8');
  if (entry.Detail !== undefined) size += Buffer.byteLength(entry.Detail, 'utf8');
  for (const resource of entry.Resources ?? [])
    if (resource != null) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

/** An entry's own error, as AWS reports it in the result rather than failing the call. */
function entryError(code: string, message: string): ResultEntry {
  return { ErrorCode: code, ErrorMessage: message };
}

function required(name: string): ResultEntry {
  return entryError(
    'InvalidArgument',
    `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
  );
}

/** The entry's detail as an object, or AWS's per-entry error. Detail must be a JSON object. */
function readEntry(entry: Entry): ResultEntry | { detail: JsonValue } {
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  return { detail: detail as JsonValue };
}

function checkSize(entries: readonly Entry[]): void {
  let total = 0;
  for (const entry of entries) total += entrySize(entry);
  if (total > PUT_EVENTS_MAX_BYTES) {
    throw eventsError.validation('Total size of the entries in the request is over the limit.');
  }
}

function checkEntryQuota(state: EventsState, count: number): void {
  const quota = state.quota('put-events-entries');
  if (quota !== undefined && count > quota) {
    throw eventsError.validation(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${quota}`,
    );
  }
}

function envelope(entry: Entry, detail: JsonValue, account: string, region: string, now: number): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType!,
    source: entry.Source!,
    account,
    time: eventTime(entry.Time ? entry.Time.getTime() : now),
    region,
    resources: entry.Resources ?? [],
    detail,
  };
}

interface BusTarget {
  account: string;
  region: string;
  name: string;
  arn: string;
}

/** The bus an entry names, by name (the caller's account and region) or by ARN. */
function namedBus(state: EventsState, name: string | undefined, account: string, region: string): BusTarget {
  const given = name ?? DEFAULT_BUS;
  const arn = given.startsWith('arn:') ? parseArn(given) : undefined;
  if (arn) {
    const busName = arn.resource.slice('event-bus/'.length);
    return { account: arn.account, region: arn.region, name: busName, arn: given };
  }
  return { account, region, name: given, arn: state.busArn(account, region, given) };
}

export function putEventsHandlers(state: EventsState): EventsHandlers {
  const accept = (bus: BusRecord, event: BusEvent, traceHeader: string | undefined) => {
    state.router?.route(bus, event, { traceHeader });
  };

  return {
    PutEvents: (input: EB.PutEventsRequest, ctx: RequestContext): EB.PutEventsResponse => {
      const entries = input.Entries ?? [];
      const { account, region } = ctx.caller;
      checkEntryQuota(state, entries.length);
      let primary: BusTarget | undefined;
      if (input.EndpointId !== undefined) {
        const endpoint = state.endpoints
          .values()
          .find((e) => e.endpointId === input.EndpointId && e.account === account);
        if (!endpoint) throw eventsError.notFound(`Endpoint ${input.EndpointId} does not exist.`);
        // A global endpoint sends to its primary region's bus; Tideway has no health checks to fail over on.
        const busArn = endpoint.eventBuses[0]?.EventBusArn;
        if (busArn) primary = namedBus(state, busArn, account, region);
      }
      checkSize(entries);
      const now = state.clock.now();
      let failed = 0;
      const results: ResultEntry[] = entries.map((entry) => {
        const read = readEntry(entry);
        if (!('detail' in read)) {
          failed++;
          return read;
        }
        if (entry.Source!.startsWith('aws.')) {
          failed++;
          return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
        }
        const target = primary ?? namedBus(state, entry.EventBusName, account, region);
        const bus = state.bus(target.account, target.region, target.name);
        if (bus && !busPolicyAllows(bus, account, 'events:PutEvents')) {
          failed++;
          return entryError(
            'AccessDeniedException',
            `User: arn:aws:iam::${account}:root is not authorized to perform: events:PutEvents on resource: ${bus.arn} because no resource-based policy allows the events:PutEvents action`,
          );
        }
        const event = envelope(entry, read.detail, account, bus?.region ?? target.region, now);
        // AWS accepts an event for a bus that does not exist and drops it (its recorded answer).
        if (bus) accept(bus, event, entry.TraceHeader);
        return { EventId: event.id };
      });
      return { FailedEntryCount: failed, Entries: results };
    },

    PutPartnerEvents: (
      input: EB.PutPartnerEventsRequest,
      ctx: RequestContext,
    ): EB.PutPartnerEventsResponse => {
      const entries = input.Entries ?? [];
      const { account: partner } = ctx.caller;
      checkSize(entries);
      const now = state.clock.now();
      let failed = 0;
      const results = entries.map((entry): EB.PutPartnerEventsResultEntry => {
        const read = readEntry(entry);
        if (!('detail' in read)) {
          failed++;
          return read;
        }
        const source = state.partnerSources
          .values()
          .find((s) => s.name === entry.Source && s.partnerAccount === partner);
        if (!source) {
          failed++;
          return entryError('InvalidArgument', `Event source ${entry.Source} does not exist.`);
        }
        // The event lands on the customer's partner bus named after the source, when they made one.
        const bus = state.buses
          .values()
          .find(
            (b) =>
              b.account === source.account && b.region === source.region && b.eventSourceName === source.name,
          );
        const event = envelope(entry, read.detail, source.account, source.region, now);
        if (bus && source.state === 'ACTIVE') accept(bus, event, undefined);
        return { EventId: event.id };
      });
      return { FailedEntryCount: failed, Entries: results };
    },
  };
}
