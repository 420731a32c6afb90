import type { DeliveryStreamRecord } from './model.js';

/**
 * Firehose's entry for deliveries from other services (SNS `firehose` subscriptions, EventBridge
 * targets, S3): PutRecordBatch's rules for a DirectPut stream, as the origin's role would call it.
 */
export interface FirehoseFrontDoor {
  /**
   * Resolves with the records that were refused, by index (an empty list when all went in);
   * rejects with Firehose's ServiceError when the whole call fails (ResourceNotFoundException,
   * a stream that is not DirectPut, AccessDenied).
   */
  put(
    deliveryStreamArn: string,
    records: readonly Uint8Array[],
    origin: RecordDeliveryOrigin,
  ): Promise<{ failed: { index: number; errorCode: string; errorMessage: string }[] }>;
  /**
   * The stream as stored, or undefined when there is none: lets a delivering service see what the
   * stream will do to its records (SNS warns when AppendDelimiterToRecord doubles its newlines).
   */
  describe?(deliveryStreamArn: string): Promise<DeliveryStreamRecord | undefined>;
}

/** Who delivers: a service acting for one of its resources, as a role of its account. */
export interface RecordDeliveryOrigin {
  /** e.g. `sns.amazonaws.com`, `events.amazonaws.com`. */
  principal: string;
  /** The resource that sends (`aws:SourceArn`): the subscription's topic, the rule. */
  sourceArn: string;
  /** Its owner (`aws:SourceAccount`). */
  sourceAccount: string;
  /** The role the service writes as (SubscriptionRoleArn, a target's RoleArn). */
  roleArn?: string;
}
