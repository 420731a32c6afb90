/** What SNS would have sent off the machine (email, SMS, mobile push, Lambda), kept for users to read. */
export interface OutboxEntry {
  id: string;
  timestamp: string;
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  topicArn?: string;
  subscriptionArn?: string;
  protocol: string;
  endpoint: string;
  subject?: string;
  /** What the endpoint would receive: the text for email and SMS, the JSON document otherwise. */
  message: string;
  messageAttributes?: Record<string, { Type: string; Value: string }>;
  token?: string;
  subscribeUrl?: string;
}

export interface OutboxFilter {
  topicArn?: string;
  protocol?: string;
  endpoint?: string;
}

// Oldest entries go first once this many are kept: a long-running server must not grow forever.
const LIMIT = 10_000;

/** Read through `GET /_tideway/sns/outbox?topicArn=…&protocol=…&endpoint=…`. */
export class Outbox {
  private entries: OutboxEntry[] = [];

  add(entry: OutboxEntry): void {
    this.entries.push(entry);
    if (this.entries.length > LIMIT) this.entries = this.entries.slice(-LIMIT);
  }

  list(filter: OutboxFilter = {}): OutboxEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.topicArn === undefined || e.topicArn === filter.topicArn) &&
        (filter.protocol === undefined || e.protocol === filter.protocol) &&
        (filter.endpoint === undefined || e.endpoint === filter.endpoint),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
