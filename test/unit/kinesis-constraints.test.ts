import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integer, type ScalarShape, string } from '../../src/protocols/shapes.js';
import { KINESIS_INPUT_CONSTRAINTS } from '../../src/services/kinesis/input-constraints.js';
import { withInputConstraints } from '../../src/services/kinesis/model-constraints.js';
import { KINESIS_SHAPES } from '../../src/services/kinesis/shapes.js';

describe("Kinesis shapes with the model's constraints", () => {
  const constrained = withInputConstraints(KINESIS_SHAPES, KINESIS_INPUT_CONSTRAINTS);

  it('puts botocore 1.43 constraints on the input members, nested ones included', () => {
    const createStream = constrained.CreateStream.input.members;
    const streamName = createStream.StreamName.shape as ScalarShape;
    assert.deepEqual(
      [streamName.type, streamName.min, streamName.max, streamName.pattern],
      ['string', 1, 128, '[a-zA-Z0-9_.-]+'],
    );
    assert.equal((createStream.ShardCount.shape as ScalarShape).min, 1);
    const records = constrained.PutRecords.input.members.Records.shape;
    assert.equal(records.type, 'list');
    assert.equal(records.min, 1);
    assert.equal(records.max, 500);
    assert.equal(records.member.type, 'structure');
    assert.equal((records.member.members.PartitionKey.shape as ScalarShape).max, 256);
    assert.equal(records.member.name, 'PutRecordsRequestEntry');
  });

  it('leaves the shared scalars, the hand shapes and the outputs as they were', () => {
    for (const shared of [string, integer]) {
      assert.deepEqual(
        [shared.min, shared.max, shared.pattern, shared.enum],
        [undefined, undefined, undefined, undefined],
      );
    }
    assert.equal(KINESIS_SHAPES.CreateStream.input.members.StreamName.shape, string);
    assert.equal(constrained.DescribeStream.output, KINESIS_SHAPES.DescribeStream.output);
    // Members and required lists are the hand shapes' own.
    for (const [name, shapes] of Object.entries(constrained)) {
      const hand = KINESIS_SHAPES[name as keyof typeof KINESIS_SHAPES].input;
      assert.deepEqual(
        shapes.input.memberList.map(([member]) => member),
        hand.memberList.map(([member]) => member),
        name,
      );
      assert.deepEqual(shapes.input.required, hand.required, name);
    }
  });
});
