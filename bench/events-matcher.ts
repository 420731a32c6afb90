import { performance } from 'node:perf_hooks';
import { compileEventPattern, EventPatternIndex } from '../src/core/patterns/event-pattern.js';
import type { JsonValue } from '../src/core/patterns/operators.js';
import { benchRules } from './lib/event-rules.js';

/**
 * The EventBridge matcher alone (no HTTP): events per second matched against 10,000 compiled
 * patterns that mix the operators (bench/lib/event-rules.ts), of which exactly one matches.
 */
const PATTERNS = 10_000;
const SECONDS = 2;

export async function runEventsMatcherBench(): Promise<{ patterns: number; eventsPerSecond: number }> {
  const rules = benchRules(PATTERNS);
  const index = new EventPatternIndex<number>();
  const compileStart = performance.now();
  rules.patterns.forEach((text, i) => {
    index.add(i, compileEventPattern(text));
  });
  const compileMs = performance.now() - compileStart;

  const event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    ...rules.event,
  } as JsonValue;
  const found = index.match(event);
  if (found.length !== 1 || found[0] !== rules.matching) {
    throw new Error(`the probe event matched ${JSON.stringify(found)}, not only pattern ${rules.matching}`);
  }

  let events = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) index.match(event);
    events += 100;
  }
  const eventsPerSecond = Math.round(events / ((performance.now() - start) / 1000));
  process.stdout.write(
    `events matcher: ${eventsPerSecond.toLocaleString('en-US')} events/s against ${PATTERNS.toLocaleString('en-US')} patterns` +
      ` (compiled and indexed in ${Math.round(compileMs)} ms)\n`,
  );
  return { patterns: PATTERNS, eventsPerSecond };
}

// Also on its own: node dist/bench/events-matcher.js
if (process.argv[1]?.endsWith('events-matcher.js')) await runEventsMatcherBench();
