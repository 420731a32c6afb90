import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: ActivateEventSource DeactivateEventSource CreatePartnerEventSource DeletePartnerEventSource DescribeEventSource DescribePartnerEventSource ListEventSources ListPartnerEventSourceAccounts ListPartnerEventSources. (To be built.) */
export function partnerHandlers(_state: EventsState): EventsHandlers {
  return {};
}
