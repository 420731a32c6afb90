import type { EventsState } from './state.js';

/** Installs API destinations as targets (H5). (To be built.) */
export function installApiDestinationTargets(_state: EventsState): () => void {
  return () => undefined;
}
