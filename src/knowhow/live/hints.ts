/**
 * What only a running Tideway shows: hints recorded by the services as requests show a mistake,
 * served at `GET /_tideway/doctor/hints` and read by `tideway doctor`.
 */
export type HintKind =
  /** Deliveries dropped because a target's or DLQ's policy did not allow the service. */
  | 'dropped-deliveries'
  /** ReceiveMessage asked for system attributes (AWSTraceHeader, SentTimestamp…) in MessageAttributeNames. */
  | 'system-attribute-as-message-attribute'
  /** Short-polling receives on an empty queue, over and over. */
  | 'short-polling-empty-receives'
  /** A Kinesis consumer whose iterator age keeps growing. */
  | 'consumer-falling-behind'
  /** A queue whose oldest message nears the retention period. */
  | 'retention-nearing';

export interface RuntimeHint {
  kind: HintKind;
  account: string;
  region: string;
  /** ARN of the resource the hint is about. */
  resource: string;
  /** How many times it was seen since start. */
  count: number;
  /** Clock time (ms) of the first and latest occurrence. */
  firstSeen: number;
  lastSeen: number;
  message: string;
  fix: string;
}
