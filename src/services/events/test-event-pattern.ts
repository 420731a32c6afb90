import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: TestEventPattern. (To be built.) */
export function testEventPatternHandlers(_state: EventsState): EventsHandlers {
  return {};
}
