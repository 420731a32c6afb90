import { EVENTS_PRINCIPAL } from '../dead-letters.js';
import type { EventsState, TargetKind, TargetResult } from '../state.js';
import { serviceOf } from './arns.js';
import { selectPath } from './json-path.js';

/**
 * Kinesis streams, through Kinesis's front door as the target's role: one record per event, keyed
 * by KinesisParameters.PartitionKeyPath selected from the event, or by the event id without one.
 * A record the shard throttles is retried under the RetryPolicy; every other refusal is not.
 */
export function kinesisTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'kinesis',
    deliver: async ({ rule, target, event, payload, lenient }): Promise<TargetResult> => {
      const arn = target.Arn!;
      const streams = state.frontDoors.kinesis;
      if (!streams)
        return { kind: 'failed', errorCode: 'NO_RESOURCE', errorMessage: `Stream ${arn} not found.` };
      const path = target.KinesisParameters?.PartitionKeyPath;
      let partitionKey = event.id;
      if (path !== undefined) {
        const selected = selectPath(event, path);
        if (selected === undefined || selected === null || typeof selected === 'object') {
          return {
            kind: 'failed',
            errorCode: 'INVALID_PARAMETER',
            errorMessage: `PartitionKeyPath ${path} selects no string, number or boolean in the event.`,
          };
        }
        partitionKey = String(selected);
      }
      const outcome = await streams.put(arn, [{ data: Buffer.from(payload, 'utf8'), partitionKey }], {
        principal: EVENTS_PRINCIPAL,
        sourceArn: rule.arn,
        sourceAccount: rule.account,
        roleArn: target.RoleArn,
        lenient,
      });
      switch (outcome.kind) {
        case 'delivered': {
          const [record] = outcome.records;
          if (outcome.failedRecordCount > 0 && record && 'errorCode' in record) {
            return {
              kind: 'retryable',
              errorCode: 'THROTTLING',
              errorMessage: `${record.errorCode}: ${record.errorMessage}`,
            };
          }
          return { kind: 'delivered' };
        }
        case 'missing':
          return { kind: 'failed', errorCode: 'NO_RESOURCE', errorMessage: outcome.reason };
        case 'denied':
          return { kind: 'failed', errorCode: 'NO_PERMISSIONS', errorMessage: outcome.reason };
        case 'rejected':
          // A stream being updated takes records again once it is ACTIVE: worth retrying.
          return outcome.reason.startsWith('ResourceInUseException')
            ? { kind: 'retryable', errorCode: 'SDK_CLIENT_ERROR', errorMessage: outcome.reason }
            : {
                kind: 'failed',
                errorCode: /KMS/.test(outcome.reason) ? 'NO_PERMISSIONS' : 'INVALID_PARAMETER',
                errorMessage: outcome.reason,
              };
      }
    },
  };
}
