import type { Logger } from '../../core/logger.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import { ServiceError } from '../../protocols/errors.js';
import type { DeliveryStreamRecord } from '../firehose/model.js';
import type { FrontDoors } from '../registry.js';
import { envelopeAttribute } from './message-attributes.js';
import type { Publication } from './publication.js';

const SNS_PRINCIPAL = 'sns.amazonaws.com';

export type FirehoseOutcome =
  | { kind: 'delivered' }
  | { kind: 'missing'; reason: string }
  | { kind: 'denied'; reason: string }
  | { kind: 'rejected'; reason: string };

/**
 * The record a `firehose` subscription puts (SNS guide, "Formatting Amazon SNS notifications for
 * storage in Amazon S3 destinations"): the message itself with raw delivery, else a one-line JSON
 * notification without signature fields; either way followed by the newline SNS adds so that the
 * records of an object are newline-delimited.
 */
export function firehoseRecord(text: string, p: Publication, raw: boolean, unsubscribeUrl: string): string {
  if (raw) return `${text}\n`;
  const n: Record<string, unknown> = { Type: 'Notification', MessageId: p.messageId };
  if (p.sequenceNumber !== undefined) n.SequenceNumber = p.sequenceNumber;
  n.TopicArn = p.topic.arn;
  if (p.subject !== undefined) n.Subject = p.subject;
  n.Message = text;
  n.Timestamp = p.timestamp;
  n.UnsubscribeURL = unsubscribeUrl;
  // With MessageStructure=json no attributes travel, as in every other envelope.
  const attributes = p.attributes && !p.structured ? Object.entries(p.attributes) : [];
  if (attributes.length > 0) {
    n.MessageAttributes = Object.fromEntries(attributes.map(([k, v]) => [k, envelopeAttribute(v)]));
  }
  return `${JSON.stringify(n)}\n`;
}

/** Whether the stream appends a newline to each record itself (AppendDelimiterToRecord, default "\n"). */
export function appendsNewline(stream: DeliveryStreamRecord): boolean {
  const d = stream.destination;
  const processing = d.extendedS3?.ProcessingConfiguration ?? d.httpEndpoint?.ProcessingConfiguration;
  if (!processing?.Enabled) return false;
  return (processing.Processors ?? []).some((processor) => {
    if (processor.Type !== 'AppendDelimiterToRecord') return false;
    const delimiter = processor.Parameters?.find((p) => p.ParameterName === 'Delimiter')?.ParameterValue;
    return delimiter === undefined || delimiter === '\\n' || delimiter === '\n';
  });
}

/**
 * `firehose` subscriptions: each message into the delivery stream through Firehose's front door,
 * as the subscription's role (SubscriptionRoleArn) for the topic. The front doors are read at
 * delivery time: Firehose is built after SNS.
 */
export class FirehoseDelivery {
  private readonly warned = new Set<string>();

  constructor(
    private readonly frontDoors: FrontDoors,
    private readonly log: Logger,
    private readonly hints?: HintRecorder,
  ) {}

  /** Whether Firehose runs here at all: without it, deliveries go to the outbox as before. */
  get available(): boolean {
    return this.frontDoors.firehose !== undefined;
  }

  async send(
    streamArn: string,
    record: string,
    topicArn: string,
    topicAccount: string,
    roleArn?: string,
  ): Promise<FirehoseOutcome> {
    const firehose = this.frontDoors.firehose;
    if (!firehose) return { kind: 'missing', reason: `the delivery stream ${streamArn} does not exist` };
    let result: Awaited<ReturnType<typeof firehose.put>>;
    try {
      result = await firehose.put(streamArn, [Buffer.from(record, 'utf8')], {
        principal: SNS_PRINCIPAL,
        sourceArn: topicArn,
        sourceAccount: topicAccount,
        roleArn,
      });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      const reason = `${err.code}: ${err.message}`;
      if (err.code === 'ResourceNotFoundException') return { kind: 'missing', reason };
      if (/AccessDenied/.test(err.code)) return { kind: 'denied', reason };
      return { kind: 'rejected', reason };
    }
    const [failed] = result.failed;
    if (failed) return { kind: 'rejected', reason: `${failed.errorCode}: ${failed.errorMessage}` };
    await this.checkDelimiter(streamArn);
    return { kind: 'delivered' };
  }

  /** SNS already ends each record with a newline: a stream that appends one too writes blank lines. */
  private async checkDelimiter(streamArn: string): Promise<void> {
    if (this.warned.has(streamArn)) {
      // Counted for doctor; the warning went out the first time.
      return;
    }
    const stream = await this.frontDoors.firehose?.describe?.(streamArn);
    if (!stream || !appendsNewline(stream)) return;
    this.warned.add(streamArn);
    const hint = {
      kind: 'sns-firehose-double-newline' as const,
      resource: streamArn,
      message: `SNS ends each record it puts into ${streamArn} with a newline, and the stream's AppendDelimiterToRecord processor appends another: its objects hold a blank line after every message.`,
      fix: 'Remove the AppendDelimiterToRecord processor from the delivery stream (SNS records are already newline-delimited), or have readers skip empty lines.',
    };
    if (this.hints) this.hints.record(hint);
    else this.log.warn({ deliveryStream: streamArn }, `${hint.message} Fix: ${hint.fix}`);
  }

  reset(): void {
    this.warned.clear();
  }
}
