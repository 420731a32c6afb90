import type { DeliveryStreamRecord } from '../../services/firehose/model.js';
import type { DeliveryStream } from '../model.js';
import { type LiveSource, liveFile, type Scope } from './sources.js';

/**
 * Amazon Data Firehose for `tideway doctor`: delivery streams with their Kinesis source and their
 * destination's record processing, so the rules that read a template's streams (an SNS firehose
 * subscription into a stream that appends a second newline…) read the running ones too.
 * `streams` resolves every stream (Firehose loads its state on first use; none before).
 */
export function firehoseSource(streams: () => Promise<DeliveryStreamRecord[]>): LiveSource {
  return {
    scopes: async () => (await streams()).map((s) => ({ account: s.account, region: s.region })),
    async collect(model, scope) {
      for (const stream of await streams()) {
        if (stream.account !== scope.account || stream.region !== scope.region) continue;
        model.deliveryStreams.push(liveDeliveryStream(stream, scope));
      }
    },
  };
}

function liveDeliveryStream(stream: DeliveryStreamRecord, scope: Scope): DeliveryStream {
  const { destination } = stream;
  const processing =
    destination.extendedS3?.ProcessingConfiguration ?? destination.httpEndpoint?.ProcessingConfiguration;
  const processors = (processing?.Processors ?? []).flatMap((p) => (p.Type ? [p.Type] : []));
  const kind = destination.extendedS3 ? 'ExtendedS3' : destination.httpEndpoint ? 'HttpEndpoint' : 'None';
  const target = destination.extendedS3?.BucketARN ?? destination.httpEndpoint?.EndpointConfiguration?.Url;
  const source = stream.source?.KinesisStreamSourceDescription?.KinesisStreamARN;
  const attributes: Record<string, string> = {
    DeliveryStreamStatus: stream.status,
    DeliveryStreamType: stream.type,
    VersionId: stream.versionId,
    CreateTimestamp: new Date(stream.created).toISOString(),
    DestinationId: destination.id,
    Destination: kind,
    ProcessingEnabled: String(processing?.Enabled === true),
  };
  if (target !== undefined) attributes.DestinationTarget = target;
  if (source !== undefined) attributes.KinesisStreamARN = source;
  if (stream.encryption?.Status) attributes.EncryptionStatus = stream.encryption.Status;
  return {
    id: stream.arn,
    type: 'AWS::KinesisFirehose::DeliveryStream',
    arn: stream.arn,
    name: stream.name,
    origin: { file: liveFile(scope) },
    ignore: [],
    attributes,
    ...(source === undefined ? {} : { source }),
    processors,
    processingEnabled: processing?.Enabled === true,
  };
}
