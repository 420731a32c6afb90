import { AwsJsonWire } from './json-wire.js';
import type { SignedHeaders } from './sigv4.js';

/** Kinesis over awsJson 1.1 (`X-Amz-Target: Kinesis_20131202.<Operation>`). */
export class KinesisWire extends AwsJsonWire {
  constructor(origin: string, auth: SignedHeaders, connections: number) {
    super(origin, auth, connections, {
      contentType: 'application/x-amz-json-1.1',
      targetPrefix: 'Kinesis_20131202',
    });
  }
}
