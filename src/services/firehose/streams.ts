import { formatArn } from '../../core/arn.js';
import type { Journal } from '../../storage/embedded/journal.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import { firehoseError } from './errors.js';
import type { DeliveryStreamRecord } from './model.js';

export function deliveryStreamArn(region: string, account: string, name: string): string {
  return formatArn('firehose', region, account, `deliverystream/${name}`);
}

export const DELIVERY_STREAM_ARN =
  /^arn:aws[a-z-]*:firehose:([a-z0-9-]+):(\d{12}):deliverystream\/([a-zA-Z0-9._-]+)$/;

/**
 * The delivery streams of every account and region, keyed by ARN: in memory, and one journal row
 * each ('firehoseStreams') with --data-dir, written before the request is answered.
 */
export class DeliveryStreams {
  private readonly records: EmbeddedRecords<DeliveryStreamRecord>;

  constructor(journal: Journal | undefined) {
    this.records = new EmbeddedRecords<DeliveryStreamRecord>('firehoseStreams', journal, (s) => s.arn);
  }

  get(arn: string): DeliveryStreamRecord | undefined {
    return this.records.get(arn);
  }

  /** The stream by name in the caller's account and region, or AWS's ResourceNotFoundException. */
  require(name: string, account: string, region: string): DeliveryStreamRecord {
    const stream = this.records.get(deliveryStreamArn(region, account, name));
    if (!stream) throw firehoseError.streamNotFound(name, account);
    return stream;
  }

  /** The streams of one account and region, by name. */
  inRegion(account: string, region: string): DeliveryStreamRecord[] {
    return this.records
      .values()
      .filter((s) => s.account === account && s.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  all(): DeliveryStreamRecord[] {
    return this.records.values();
  }

  put(stream: DeliveryStreamRecord): Promise<void> {
    return this.records.put(stream.arn, stream);
  }

  delete(stream: DeliveryStreamRecord): Promise<void> {
    return this.records.delete(stream.arn);
  }

  clear(): Promise<void> {
    return this.records.clear();
  }
}
