import type * as F from '@aws-sdk/client-firehose';
import type { KeyFrontDoor } from '../kms/front-door.js';
import { firehoseError } from './errors.js';
import type { DeliveryStreamRecord } from './model.js';

/**
 * Server-side encryption of a DirectPut stream's buffered data (Firehose guide, "Data protection"):
 * with AWS_OWNED_CMK Firehose uses a key of its own; with CUSTOMER_MANAGED_CMK the key is the
 * caller's, met in KMS when encryption starts and at every put, so a key disabled later makes
 * puts fail with InvalidKMSResourceException as AWS does. Changes complete at once, as Tideway's
 * Kinesis streams do with no status delay: ENABLING and DISABLING are never seen.
 */
export class StreamEncryption {
  constructor(private readonly kms: KeyFrontDoor | undefined) {}

  /** The configuration a CreateDeliveryStream or StartDeliveryStreamEncryption asks for, checked. */
  configure(
    stream: Pick<DeliveryStreamRecord, 'account' | 'region' | 'type'>,
    input: F.DeliveryStreamEncryptionConfigurationInput,
  ): F.DeliveryStreamEncryptionConfiguration {
    if (stream.type !== 'DirectPut') {
      throw firehoseError.invalidArgument(
        `Server-side encryption is not supported for delivery streams of type ${stream.type}; encryption applies to DirectPut streams only.`,
      );
    }
    if (input.KeyType === 'AWS_OWNED_CMK') {
      if (input.KeyARN !== undefined) {
        throw firehoseError.invalidArgument('KeyARN must not be specified when KeyType is AWS_OWNED_CMK.');
      }
      return { KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' };
    }
    if (input.KeyARN === undefined) {
      throw firehoseError.invalidArgument('KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.');
    }
    this.check(stream, input.KeyARN);
    return { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: input.KeyARN, Status: 'ENABLED' };
  }

  /** A put to an encrypted stream: its customer key must still be usable. */
  checkPut(stream: DeliveryStreamRecord): void {
    const e = stream.encryption;
    if (e?.Status === 'ENABLED' && e.KeyType === 'CUSTOMER_MANAGED_CMK' && e.KeyARN)
      this.check(stream, e.KeyARN);
  }

  private check(stream: Pick<DeliveryStreamRecord, 'account' | 'region'>, keyArn: string): void {
    if (!this.kms) return;
    const checked = this.kms.check(keyArn, 'kms:GenerateDataKey', {
      account: stream.account,
      region: stream.region,
      viaService: `firehose.${stream.region}.amazonaws.com`,
    });
    if (checked.ok) {
      if (checked.manager === 'AWS') {
        throw firehoseError.invalidKmsResource(
          `The key ${keyArn} is an AWS managed key; Firehose needs a customer managed key for CUSTOMER_MANAGED_CMK.`,
        );
      }
      return;
    }
    throw firehoseError.invalidKmsResource(checked.message);
  }
}

/** DescribeDeliveryStream's encryption block: DISABLED for a stream that never had any. */
export function describeEncryption(stream: DeliveryStreamRecord): F.DeliveryStreamEncryptionConfiguration {
  return stream.encryption ?? { Status: 'DISABLED' };
}
