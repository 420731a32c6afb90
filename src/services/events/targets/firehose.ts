import type { TargetKind } from '../state.js';
import { serviceOf } from './arns.js';

/** Firehose streams: Tideway has no Firehose yet, so each delivery fails (and is dead-lettered) saying so. */
export function firehoseTargets(): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'firehose',
    deliver: async () => ({
      kind: 'failed',
      errorCode: 'SDK_CLIENT_ERROR',
      errorMessage: 'Tideway does not support Firehose targets yet (docs/eventbridge/delivery.md).',
    }),
  };
}
