import type { EventsState } from './state.js';

/** Installs scheduled rules firing on the clock (H6). (To be built.) */
export function installSchedules(_state: EventsState): () => void {
  return () => undefined;
}
