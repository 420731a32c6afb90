/**
 * S3's entry for deliveries from other services (Firehose writing its objects): the same checks
 * as PutObject from the API — the bucket exists, its policy lets the origin's role or account
 * write — then the object is committed and its events are sent like any other.
 */
export interface S3FrontDoor {
  /** Resolves with the object's ETag; rejects with S3's ServiceError (NoSuchBucket, AccessDenied…). */
  putObject(object: DeliveredObject, origin: ObjectDeliveryOrigin): Promise<{ etag: string }>;
}

export interface DeliveredObject {
  /** `arn:aws:s3:::<name>` or the bare name. */
  bucket: string;
  key: string;
  body: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
  metadata?: Record<string, string>;
}

/** Who writes: a service acting for one of its resources, as a role of its account. */
export interface ObjectDeliveryOrigin {
  /** e.g. `firehose.amazonaws.com`. */
  principal: string;
  /** The resource that writes (`aws:SourceArn`), e.g. the delivery stream. */
  sourceArn: string;
  /** Its owner (`aws:SourceAccount`). */
  sourceAccount: string;
  /** The role the service writes as; the source account's root without one. */
  roleArn?: string;
}
