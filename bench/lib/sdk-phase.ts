import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { drive, forDuration, Recorder } from './load.js';
import { MESSAGE_BODY } from './sqs-phases.js';

export interface SdkResult {
  ops: number;
  elapsedMs: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/**
 * SendMessage through the official SDK, which also checks the MD5 of every body: a sanity check
 * that the servers answer real clients correctly. The SDK's own CPU caps it near 1,000 calls/s.
 */
export async function sdkSendPhase(endpoint: string, concurrency: number, ms: number): Promise<SdkResult> {
  // The SDK warns on Node 20 about its future support window; that notice is not a bench result.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'bench-sdk' }));
    const recorder = new Recorder();
    let ops = 0;
    const step = async () => {
      await recorder.time(() => client.send(new SendMessageCommand({ QueueUrl, MessageBody: MESSAGE_BODY })));
      ops++;
    };
    const elapsedMs = await drive(concurrency, forDuration(ms), step, recorder);
    await client.send(new DeleteQueueCommand({ QueueUrl }));
    return {
      ops,
      elapsedMs,
      p50: recorder.ms(50),
      p99: recorder.ms(99),
      errors: recorder.errors,
      firstError: recorder.firstError,
    };
  } finally {
    client.destroy();
  }
}
