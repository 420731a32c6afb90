import type { Operation } from '../../protocols/service.js';
import type { ServiceEnvironment } from '../registry.js';
import type { FirehoseFrontDoor } from './front-door.js';

/** Firehose once loaded: its operations, its front door, and its lifecycle. */
export interface FirehoseRuntime {
  operations: Record<string, Operation>;
  frontDoor: FirehoseFrontDoor;
  reset(): Promise<void>;
  close(): void;
}

// SKELETON: the firehose-api slice builds the state, the operations and the pipeline here.
export async function firehoseRuntime(_env: ServiceEnvironment): Promise<FirehoseRuntime> {
  throw new Error('SKELETON');
}
