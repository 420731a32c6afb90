import { ServiceError } from '../../../protocols/errors.js';
import { EVENTS_PRINCIPAL } from '../dead-letters.js';
import type { EventsState, TargetKind, TargetResult } from '../state.js';
import { serviceOf } from './arns.js';

/**
 * Firehose delivery streams, through Firehose's front door as the target's role: one record per
 * event, the rendered input as it is (EventBridge adds no newline between records). A record the
 * stream could not take for the moment is retried under the RetryPolicy; a missing stream, one
 * that is not DirectPut, or one that keeps the role out is not.
 */
export function firehoseTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'firehose',
    deliver: async ({ rule, target, payload }): Promise<TargetResult> => {
      const arn = target.Arn!;
      const streams = state.frontDoors.firehose;
      if (!streams) {
        return {
          kind: 'failed',
          errorCode: 'NO_RESOURCE',
          errorMessage: `Delivery stream ${arn} not found.`,
        };
      }
      let failed: { errorCode: string; errorMessage: string } | undefined;
      try {
        const result = await streams.put(arn, [Buffer.from(payload, 'utf8')], {
          principal: EVENTS_PRINCIPAL,
          sourceArn: rule.arn,
          sourceAccount: rule.account,
          roleArn: target.RoleArn,
        });
        failed = result.failed[0];
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        const errorMessage = `${err.code}: ${err.message}`;
        if (err.code === 'ResourceNotFoundException')
          return { kind: 'failed', errorCode: 'NO_RESOURCE', errorMessage };
        if (/AccessDenied/.test(err.code))
          return { kind: 'failed', errorCode: 'NO_PERMISSIONS', errorMessage };
        if (err.code === 'ServiceUnavailableException' || err.status >= 500) {
          return { kind: 'retryable', errorCode: 'THROTTLING', errorMessage };
        }
        return {
          kind: 'failed',
          errorCode: /KMS|key/.test(err.message) ? 'NO_PERMISSIONS' : 'INVALID_PARAMETER',
          errorMessage,
        };
      }
      if (!failed) return { kind: 'delivered' };
      // PutRecordBatch's per-record failures are the stream's throughput or a passing fault.
      return {
        kind: 'retryable',
        errorCode: 'THROTTLING',
        errorMessage: `${failed.errorCode}: ${failed.errorMessage}`,
      };
    },
  };
}
