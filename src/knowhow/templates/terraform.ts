import type { Model } from '../model.js';

// SKELETON: replaced by the reader before this lands.

/** The JSON of `terraform show -json <plan>`; `file` is the path reported in findings. */
export function readTerraformPlan(_json: unknown, _file: string): Model {
  throw new Error('not yet');
}
