import { installApiDestinationTargets } from './api-destination-target.js';
import { installArchiving } from './archiving.js';
import { installRouter } from './router.js';
import { installSchedules } from './schedules.js';
import type { EventsState } from './state.js';
import { installTargetKinds } from './targets/index.js';

/**
 * What runs without a request: the router and its target kinds, archiving, scheduled rules. Each
 * installer returns how to stop it; the target kinds are registered in the order they are tried.
 */
export function startEventsRuntime(state: EventsState): () => void {
  const stops = [
    installTargetKinds(state),
    installApiDestinationTargets(state),
    installRouter(state),
    installArchiving(state),
    installSchedules(state),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
