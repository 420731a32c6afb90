import type { Model } from '../model.js';

// SKELETON: replaced by the reader before this lands.

/** A `cdk.out` folder: one model per stack template that its manifest.json names. */
export async function readCdkOut(_dir: string): Promise<Model[]> {
  throw new Error('not yet');
}
