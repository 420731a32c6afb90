import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: CreateEventBus DeleteEventBus DescribeEventBus ListEventBuses UpdateEventBus PutPermission RemovePermission. (To be built.) */
export function busHandlers(_state: EventsState): EventsHandlers {
  return {};
}
