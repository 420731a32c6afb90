import { EVENTS_OPERATIONS, type EventsOperationName } from '../../protocols/models/events.js';
import { type Operation, operationTable, type RequestContext } from '../../protocols/service.js';
import { archiveHandlers } from './archives.js';
import { busHandlers } from './buses.js';
import { connectionHandlers } from './connections.js';
import { endpointHandlers } from './endpoints.js';
import { eventsError } from './errors.js';
import { partnerHandlers } from './partners.js';
import { putEventsHandlers } from './put-events.js';
import { ruleHandlers } from './rules.js';
import type { EventsState } from './state.js';
import { testEventPatternHandlers } from './test-event-pattern.js';

export type EventsHandler = (input: any, ctx: RequestContext) => unknown;
export type EventsHandlers = Partial<Record<EventsOperationName, EventsHandler>>;

/** The operations of EventBridge, built on its first request (see index.ts); each part owns its group. */
export function eventsOperations(state: EventsState): Record<string, Operation> {
  const handlers: EventsHandlers = {
    ...busHandlers(state),
    // THROWAWAY: the delivery branch's bare rule handlers; the real ones below replace them.
    ...ruleHandlers(state),
    ...testEventPatternHandlers(state),
    ...partnerHandlers(state),
    ...endpointHandlers(state),
    ...putEventsHandlers(state),
    ...archiveHandlers(state),
    ...connectionHandlers(state),
  };
  return operationTable(EVENTS_OPERATIONS, handlers, (name) => () => {
    throw eventsError.notSupported(name);
  });
}
