import { AwsJsonWire } from './json-wire.js';
import type { SignedHeaders } from './sigv4.js';

/** SQS over awsJson 1.0. */
export class SqsWire extends AwsJsonWire {
  constructor(origin: string, auth: SignedHeaders, connections: number) {
    super(origin, auth, connections, {
      contentType: 'application/x-amz-json-1.0',
      targetPrefix: 'AmazonSQS',
    });
  }
}
