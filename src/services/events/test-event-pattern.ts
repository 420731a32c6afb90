import type * as EB from '@aws-sdk/client-eventbridge';
import { compileEventPattern, EventPatternError } from '../../core/patterns/event-pattern.js';
import type { JsonValue } from '../../core/patterns/operators.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

// The envelope AWS insists on (its recorded answers refuse an event without them); the API
// reference also lists `resources`, which AWS does not in fact require.
const REQUIRED_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/** Handlers of: TestEventPattern, on the same pattern engine the rules use. */
export function testEventPatternHandlers(_state: EventsState): EventsHandlers {
  return {
    TestEventPattern: (input: EB.TestEventPatternRequest): EB.TestEventPatternResponse => {
      const event = parseEvent(input.Event!);
      try {
        return { Result: compileEventPattern(input.EventPattern!).matches(event) };
      } catch (err) {
        if (err instanceof EventPatternError) throw eventsError.invalidEventPattern(err.message);
        throw err;
      }
    },
  };
}

function parseEvent(text: string): JsonValue {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw eventsError.validation('Parameter Event is not valid.');
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    Array.isArray(event) ||
    !REQUIRED_FIELDS.every((field) => Object.hasOwn(event, field))
  ) {
    throw eventsError.validation('Parameter Event is not valid.');
  }
  return event as JsonValue;
}
