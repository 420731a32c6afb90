import type { S3Deps, S3Handlers } from './operations.js';

// SKELETON: filled by its slice.
export function notificationOperations(_deps: S3Deps): S3Handlers {
  return {};
}
