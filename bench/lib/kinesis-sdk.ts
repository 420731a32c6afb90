import { Agent } from 'node:http';
import { KinesisClient, type KinesisClientConfig, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { RECORD_DATA } from './kinesis-setup.js';
import { drive, forDuration, Recorder } from './load.js';
import { cpuMicros } from './proc.js';

export type SdkVariant = 'default' | 'http1';

export const SDK_VARIANTS: readonly SdkVariant[] = ['default', 'http1'];

export const SDK_VARIANT_LABELS: Record<SdkVariant, string> = {
  default: 'default client (HTTP/2, a new session per call)',
  http1: 'NodeHttpHandler (HTTP/1.1 keep-alive)',
};

export interface KinesisSdkResult {
  variant: SdkVariant;
  ops: number;
  elapsedMs: number;
  serverCpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/**
 * `default` is the client as users construct it: @aws-sdk/client-kinesis sends every call over
 * HTTP/2 (`NodeHttp2Handler` with `disableConcurrentStreams: true`, so each call opens and closes
 * a session of its own, cleartext h2 with prior knowledge on http://). `http1` is what a user of
 * an HTTP/1.1-only server has to configure instead. Only `maxAttempts: 1` departs from the
 * defaults, so a failing call counts as an error instead of being retried out of sight.
 */
function client(endpoint: string, variant: SdkVariant, connections: number): KinesisClient {
  const config: KinesisClientConfig = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  if (variant === 'http1') {
    config.requestHandler = new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: connections }),
    });
  }
  return new KinesisClient(config);
}

/**
 * The SDK's "Deserialization error" says nothing of what arrived; the status it did get (a 200
 * whose HTTP/2 stream then failed, say) tells a reader where the exchange broke.
 */
function explained(err: unknown): Error {
  const e = err as Error & { $response?: { statusCode?: number } };
  const status = e.$response?.statusCode;
  return status === undefined ? e : new Error(`${e.message} (its response head said HTTP ${status})`);
}

/** PutRecord (100 bytes) through the SDK in a closed loop, `concurrency` calls in flight. */
export async function sdkPutRecordPhase(
  endpoint: string,
  pid: number,
  stream: string,
  variant: SdkVariant,
  options: { concurrency: number; ms: number; callTimeoutMs: number },
): Promise<KinesisSdkResult> {
  // The SDK warns on Node 20 about its future support window; that notice is not a bench result.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = client(endpoint, variant, options.concurrency);
  const recorder = new Recorder();
  let ops = 0;
  const step = async () => {
    try {
      await put();
    } catch (err) {
      throw explained(err);
    }
  };
  const put = async () => {
    const command = new PutRecordCommand({
      StreamName: stream,
      PartitionKey: `pk-${ops % 64}`,
      Data: RECORD_DATA,
    });
    // The abort only bounds a call to a server that never answers; it changes nothing else.
    const out = await recorder.time(() =>
      sdk.send(command, { abortSignal: AbortSignal.timeout(options.callTimeoutMs) }),
    );
    if (typeof out.SequenceNumber !== 'string') throw new Error('PutRecord: no SequenceNumber');
    ops++;
  };
  const server = cpuMicros(pid);
  try {
    const elapsedMs = await drive(options.concurrency, forDuration(options.ms), step, recorder);
    return {
      variant,
      ops,
      elapsedMs,
      serverCpuMicros: cpuMicros(pid) - server,
      p50: recorder.ms(50),
      p99: recorder.ms(99),
      errors: recorder.errors,
      firstError: recorder.firstError,
    };
  } finally {
    sdk.destroy();
  }
}
