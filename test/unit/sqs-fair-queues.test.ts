import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FadingSum,
  FairQueueLoad,
  NOISY_QUIET_MS,
  noisyByInflight,
  quietAgain,
} from '../../src/services/sqs/rules/fair-queues.js';

// SQS Developer Guide, "How Amazon SQS fair queues work".

describe('SQS fair-queue rules', () => {
  it('calls a group noisy past 10% of the in-flight messages and at least 30 of them', () => {
    assert.equal(noisyByInflight(30, 100), true);
    assert.equal(noisyByInflight(29, 100), false);
    assert.equal(noisyByInflight(30, 300), false);
  });

  it('lets a noisy group go quiet once drained or silent for 5 minutes', () => {
    assert.equal(quietAgain(0, 0, 1), true);
    assert.equal(quietAgain(3, 0, NOISY_QUIET_MS - 1), false);
    assert.equal(quietAgain(3, 0, NOISY_QUIET_MS), true);
  });

  it('halves processing time a minute later', () => {
    const sum = new FadingSum();
    sum.add(1000, 0);
    assert.equal(sum.valueAt(60_000), 500);
    assert.equal(sum.valueAt(120_000), 250);
  });

  it('tracks groups from sends, receives and deletes, and orders the noisy ones by load', () => {
    const load = new FairQueueLoad();
    for (let i = 0; i < 40; i++) {
      load.added('busy', 0, false);
      load.taken('busy');
    }
    for (let i = 0; i < 2; i++) load.added('calm', 0, false);
    load.taken('calm');
    const noisy = load.noisyGroups(1, 41);
    assert.deepEqual([...noisy], ['busy']);
    assert.deepEqual(load.byLoad(new Set(['busy', 'calm'])), ['calm', 'busy']);
    // The busy group drains: it is a quiet tenant again.
    for (let i = 0; i < 40; i++) load.removed('busy', true, 0, 10);
    assert.equal(load.noisyGroups(11, 1).size, 0);
    assert.equal(load.inflightOf('busy'), 0);
  });

  it('calls a group noisy by its share of recent processing time', () => {
    const load = new FairQueueLoad();
    load.added('slow', 0, false);
    load.added('slow', 0, false);
    load.taken('slow');
    load.released('slow', 0, 50_000);
    load.added('fast', 0, false);
    load.added('fast', 0, false);
    load.taken('fast');
    load.released('fast', 49_000, 50_000);
    const noisy = load.noisyGroups(50_000, 0);
    assert.equal(noisy.has('slow'), true);
    // Fast took 1 s of 51 s: under 10%.
    assert.equal(noisy.has('fast'), false);
  });
});
