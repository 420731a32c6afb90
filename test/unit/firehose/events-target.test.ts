import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../../src/protocols/errors.js';
import type { BusEvent, RuleRecord } from '../../../src/services/events/records.js';
import type { EventsState, TargetInvocation } from '../../../src/services/events/state.js';
import { firehoseTargets } from '../../../src/services/events/targets/firehose.js';
import type { FirehoseFrontDoor, RecordDeliveryOrigin } from '../../../src/services/firehose/front-door.js';

const ACCOUNT = '000000000000';
const STREAM = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/events`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/events-to-firehose`;
const rule = { arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders`, account: ACCOUNT } as RuleRecord;

/** A Firehose target kind over a recording front door that answers as told. */
function targetWith(answer: () => Promise<Awaited<ReturnType<FirehoseFrontDoor['put']>>>) {
  const puts: Array<{ arn: string; records: string[]; origin: RecordDeliveryOrigin }> = [];
  const firehose: FirehoseFrontDoor = {
    put: async (arn, records, origin) => {
      puts.push({ arn, records: records.map((r) => Buffer.from(r).toString()), origin });
      return answer();
    },
  };
  const kind = firehoseTargets({ frontDoors: { firehose } } as unknown as EventsState);
  const deliver = (payload: string) =>
    kind.deliver({
      rule,
      target: { Id: 'f', Arn: STREAM, RoleArn: ROLE },
      event: {} as BusEvent,
      payload,
      lenient: false,
    } as TargetInvocation);
  return { kind, puts, deliver };
}

describe('EventBridge Firehose targets', () => {
  it('take firehose ARNs only', () => {
    const { kind } = targetWith(async () => ({ failed: [] }));
    assert.equal(kind.accepts(STREAM), true);
    assert.equal(kind.accepts(`arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s`), false);
  });

  it('put the rendered input as one record, as the target role for the rule', async () => {
    const { puts, deliver } = targetWith(async () => ({ failed: [] }));
    assert.deepEqual(await deliver('{"detail":{"n":1}}'), { kind: 'delivered' });
    assert.deepEqual(puts, [
      {
        arn: STREAM,
        records: ['{"detail":{"n":1}}'],
        origin: {
          principal: 'events.amazonaws.com',
          sourceArn: rule.arn,
          sourceAccount: ACCOUNT,
          roleArn: ROLE,
        },
      },
    ]);
  });

  it('fail a missing stream (NO_RESOURCE), a denied role (NO_PERMISSIONS) and a refused call (INVALID_PARAMETER) for good', async () => {
    const cases: Array<[ServiceError, string]> = [
      [new ServiceError('ResourceNotFoundException', 'Firehose events not found.'), 'NO_RESOURCE'],
      [new ServiceError('AccessDeniedException', 'no'), 'NO_PERMISSIONS'],
      [new ServiceError('InvalidArgumentException', 'not a DirectPut stream'), 'INVALID_PARAMETER'],
    ];
    for (const [error, code] of cases) {
      const { deliver } = targetWith(async () => {
        throw error;
      });
      assert.deepEqual(await deliver('{}'), {
        kind: 'failed',
        errorCode: code,
        errorMessage: `${error.code}: ${error.message}`,
      });
    }
  });

  it('retry a record the stream could not take for the moment', async () => {
    const { deliver } = targetWith(async () => ({
      failed: [{ index: 0, errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down.' }],
    }));
    assert.deepEqual(await deliver('{}'), {
      kind: 'retryable',
      errorCode: 'THROTTLING',
      errorMessage: 'ServiceUnavailableException: Slow down.',
    });
  });
});
