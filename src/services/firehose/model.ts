import type * as F from '@aws-sdk/client-firehose';

// The delivery stream as Firehose keeps it: the description DescribeDeliveryStream answers, in
// the SDK's own types, plus what the runtime needs. One journal row each ('firehoseStreams').

export interface DeliveryStreamRecord {
  name: string;
  arn: string;
  account: string;
  region: string;
  /** CREATING → ACTIVE on the clock, DELETING; as AWS's DeliveryStreamStatus. */
  status: F.DeliveryStreamStatus;
  type: F.DeliveryStreamType;
  /** Starts at '1' and grows with each UpdateDestination. */
  versionId: string;
  /** Epoch milliseconds. */
  created: number;
  lastUpdated?: number;
  encryption?: F.DeliveryStreamEncryptionConfiguration;
  tags: F.Tag[];
  /** KinesisStreamAsSource / MSKAsSource: the source's description. */
  source?: F.SourceDescription;
  /** One destination, `destinationId-000000000001`, as AWS has. */
  destination: DestinationRecord;
}

/** The destination as DescribeDeliveryStream describes it (defaults filled in at creation). */
export interface DestinationRecord {
  id: string;
  extendedS3?: F.ExtendedS3DestinationDescription;
  httpEndpoint?: F.HttpEndpointDestinationDescription;
  /** EndpointConfiguration.AccessKey: sent in X-Amz-Firehose-Access-Key, never described. */
  httpEndpointAccessKey?: string;
}

/** A record as it entered the stream, before any processing. */
export interface IngestedRecord {
  data: Uint8Array;
  /** Epoch milliseconds on the clock: `!{timestamp:…}` uses the time the buffer started. */
  arrival: number;
  /** For KinesisStreamAsSource: the shard record's metadata, for `!{firehose:…}`-free uses and backup. */
  kinesis?: { shardId: string; sequenceNumber: string; partitionKey: string };
}
