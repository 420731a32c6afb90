import type { EventsState } from './state.js';

/** Installs the router: rules matched, inputs rendered, targets delivered, retries and dead-letter queues (H3). (To be built.) */
export function installRouter(_state: EventsState): () => void {
  return () => undefined;
}
