import { KinesisClient } from '@aws-sdk/client-kinesis';
import { credentials } from './tideway.js';

/** The default Kinesis client (HTTP/2, cleartext on http://), as users construct it. */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}
