import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: PutEvents PutPartnerEvents. (To be built.) */
export function putEventsHandlers(_state: EventsState): EventsHandlers {
  return {};
}
