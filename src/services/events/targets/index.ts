import type { EventsState, TargetKind } from '../state.js';
import { eventBusTargets } from './event-bus.js';
import { firehoseTargets } from './firehose.js';
import { kinesisTargets } from './kinesis.js';
import { lambdaTargets } from './lambda.js';
import { snsTargets } from './sns.js';
import { sqsTargets } from './sqs.js';

/** Installs SQS, SNS, Kinesis, event bus, Lambda (outbox) and Firehose targets. */
export function installTargetKinds(state: EventsState): () => void {
  const kinds: TargetKind[] = [
    sqsTargets(state),
    snsTargets(state),
    kinesisTargets(state),
    eventBusTargets(state),
    lambdaTargets(state),
    firehoseTargets(state),
  ];
  state.targetKinds.push(...kinds);
  return () => {
    for (const kind of kinds) {
      const at = state.targetKinds.indexOf(kind);
      if (at !== -1) state.targetKinds.splice(at, 1);
    }
  };
}
