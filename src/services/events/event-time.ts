/** An event's `time` as EventBridge writes it: ISO 8601 in UTC to the second (`2024-05-01T12:00:00Z`). */
export function eventTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
