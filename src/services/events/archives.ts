import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: CreateArchive DeleteArchive DescribeArchive ListArchives UpdateArchive StartReplay CancelReplay DescribeReplay ListReplays. (To be built.) */
export function archiveHandlers(_state: EventsState): EventsHandlers {
  return {};
}
