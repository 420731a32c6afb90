import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { InvocationRate } from '../../src/services/events/invocation-rate.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InvocationRateLimitPerSecond', () => {
  it('lets `limit` calls start per second of the clock and holds the rest in order', async () => {
    const clock = new Clock();
    clock.freeze();
    const scheduler = new Scheduler(clock);
    const rate = new InvocationRate(clock, scheduler);
    const started: number[] = [];
    for (let i = 0; i < 7; i++) void rate.acquire('d', 3).then(() => started.push(i));
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    assert.equal(rate.waiting('d'), 4);
    clock.advance(999);
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    clock.advance(1);
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    clock.advance(1000);
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(rate.waiting('d'), 0);
    // Each destination has its own budget.
    await rate.acquire('other', 1);
    rate.stop();
    scheduler.stop();
  });

  it('starts a fresh second once a quiet one has passed', async () => {
    const clock = new Clock();
    clock.freeze();
    const scheduler = new Scheduler(clock);
    const rate = new InvocationRate(clock, scheduler);
    await rate.acquire('d', 1);
    clock.advance(5000);
    let went = false;
    void rate.acquire('d', 1).then(() => {
      went = true;
    });
    await tick();
    assert.equal(went, true);
    rate.stop();
    scheduler.stop();
  });
});
