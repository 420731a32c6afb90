import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: CreateConnection DeleteConnection DescribeConnection ListConnections UpdateConnection DeauthorizeConnection CreateApiDestination DeleteApiDestination DescribeApiDestination ListApiDestinations UpdateApiDestination. (To be built.) */
export function connectionHandlers(_state: EventsState): EventsHandlers {
  return {};
}
