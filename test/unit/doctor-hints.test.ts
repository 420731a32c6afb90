import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { hintFinding } from '../../src/knowhow/doctor.js';
import {
  arnScope,
  FALLING_BEHIND_MS,
  HintRecorder,
  SHORT_POLL_EMPTY_THRESHOLD,
} from '../../src/knowhow/live/hints.js';
import { captureLogger } from '../support/log-capture.js';

const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks';

function recorder() {
  const clock = new Clock();
  clock.freeze();
  const log = captureLogger();
  return { clock, log, hints: new HintRecorder(clock, log) };
}

describe('HintRecorder', () => {
  it('reads the account and region of the resource from its ARN', () => {
    assert.deepEqual(arnScope(QUEUE), { account: '123456789012', region: 'eu-west-1' });
    assert.deepEqual(arnScope('not-an-arn'), { account: '', region: '' });
  });

  it('counts a hint per kind and resource, and logs it once with its fix', () => {
    const { clock, log, hints } = recorder();
    const first = clock.now();
    hints.receive(QUEUE, ['SentTimestamp'], 20, false);
    clock.advance(5_000);
    hints.receive(QUEUE, ['SentTimestamp'], 20, false);
    const [hint] = hints.list();
    assert.equal(hint.kind, 'system-attribute-as-message-attribute');
    assert.equal(hint.count, 2);
    assert.equal(hint.firstSeen, first);
    assert.equal(hint.lastSeen, first + 5_000);
    assert.equal(hint.account, '123456789012');
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0].text, /Fix: Ask for SentTimestamp in MessageSystemAttributeNames/);
  });

  it(`makes a short-polling hint at the ${SHORT_POLL_EMPTY_THRESHOLD}th empty receive of a minute, not before`, () => {
    const { clock, hints } = recorder();
    for (let i = 1; i < SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 0, true);
    assert.deepEqual(hints.list(), []);
    clock.advance(60_001);
    hints.receive(QUEUE, undefined, 0, true);
    assert.deepEqual(hints.list(), [], 'the window started over');
    for (let i = 1; i < SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 0, true);
    assert.equal(hints.list()[0].kind, 'short-polling-empty-receives');
  });

  it('forgets empty short polls once a receive gets messages, and ignores long polls', () => {
    const { hints } = recorder();
    for (let i = 1; i < SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 0, true);
    hints.receive(QUEUE, undefined, 0, false);
    hints.receive(QUEUE, undefined, 0, true);
    for (let i = 0; i < 3 * SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 5, true);
    assert.deepEqual(hints.list(), []);
  });

  it('makes a falling-behind hint when the lag is past the threshold and did not shrink', () => {
    const { hints } = recorder();
    hints.kinesisLag(STREAM, STREAM, 'shardId-000000000000', FALLING_BEHIND_MS + 50_000);
    hints.kinesisLag(STREAM, STREAM, 'shardId-000000000000', FALLING_BEHIND_MS + 10_000);
    assert.deepEqual(hints.list(), [], 'catching up');
    hints.kinesisLag(STREAM, STREAM, 'shardId-000000000001', FALLING_BEHIND_MS);
    hints.kinesisLag(STREAM, STREAM, 'shardId-000000000001', FALLING_BEHIND_MS);
    assert.deepEqual(hints.list(), [], 'at the threshold, not past it');
    hints.kinesisLag(STREAM, STREAM, 'shardId-000000000000', FALLING_BEHIND_MS + 10_000);
    const [hint] = hints.list();
    assert.equal(hint.kind, 'consumer-falling-behind');
    assert.equal(hint.resource, STREAM);
  });

  it('filters by account and region, and clears', () => {
    const { hints } = recorder();
    hints.receive(QUEUE, ['SenderId'], 1, false);
    assert.equal(hints.list({ account: '123456789012', region: 'eu-west-1' }).length, 1);
    assert.deepEqual(hints.list({ region: 'us-east-1' }), []);
    hints.clear();
    assert.deepEqual(hints.list(), []);
  });

  it('turns into a finding on the live file, drops at error level', () => {
    const finding = hintFinding({
      kind: 'dropped-deliveries',
      account: '123456789012',
      region: 'eu-west-1',
      resource: QUEUE,
      count: 4,
      firstSeen: 0,
      lastSeen: 1_000,
      message: 'Dropped.',
      fix: 'Allow it.',
    });
    assert.deepEqual(finding, {
      rule: 'dropped-deliveries',
      severity: 'error',
      resource: QUEUE,
      file: 'tideway://123456789012/eu-west-1',
      message: 'Dropped. (seen 4 times since start, last at 1970-01-01T00:00:01.000Z)',
      fix: 'Allow it.',
    });
  });
});
