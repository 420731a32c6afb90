import type { EventsState } from '../state.js';

/** Installs SQS, SNS, Kinesis, event bus and Lambda targets (H3). (To be built.) */
export function installTargetKinds(_state: EventsState): () => void {
  return () => undefined;
}
