import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: CreateEndpoint DeleteEndpoint DescribeEndpoint ListEndpoints UpdateEndpoint. (To be built.) */
export function endpointHandlers(_state: EventsState): EventsHandlers {
  return {};
}
