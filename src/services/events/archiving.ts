import type { EventsState } from './state.js';

/** Installs archives record the events their pattern matches (H6). (To be built.) */
export function installArchiving(_state: EventsState): () => void {
  return () => undefined;
}
