import { invoke } from './api-destination-invoke.js';
import { type ApiDestinationRuntime, apiDestinationRuntime } from './api-destination-runtime.js';
import type { EventsState, TargetInvocation, TargetKind, TargetResult } from './state.js';

const API_DESTINATION_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]*:\d{12}:api-destination\//;

const failed = (errorCode: string, errorMessage: string): TargetResult => ({
  kind: 'failed',
  errorCode,
  errorMessage,
});

/**
 * One event to an API destination: its connection must be AUTHORIZED (an OAuth connection still
 * AUTHORIZING is waited for), the destination's invocation rate decides when the call starts, and
 * the endpoint's answer decides what happens next (api-destination-invoke.ts).
 */
export async function deliverToApiDestination(
  state: EventsState,
  runtime: ApiDestinationRuntime,
  invocation: TargetInvocation,
): Promise<TargetResult> {
  const arn = invocation.target.Arn!;
  const destination = state.apiDestinations.get(arn);
  if (!destination) return failed('RESOURCE_NOT_FOUND', `ApiDestination ${arn} does not exist.`);
  let connection = state.connections.get(destination.connectionArn);
  if (connection?.state === 'AUTHORIZING') {
    // After a restart nobody is fetching the first token: this delivery starts it.
    const credentials = await runtime.credentials(connection);
    await (runtime.authorizing.get(connection.arn) ?? runtime.authorize(connection, credentials));
    connection = state.connections.get(destination.connectionArn);
  }
  if (!connection) {
    return failed('RESOURCE_NOT_FOUND', `Connection ${destination.connectionArn} does not exist.`);
  }
  if (connection.state !== 'AUTHORIZED') {
    return failed(
      'SDK_CLIENT_ERROR',
      `Unable to invoke ApiDestination endpoint: ApiDestination ${destination.name} is INACTIVE because its connection is ${connection.state}.`,
    );
  }
  const credentials = await runtime.credentials(connection);
  await runtime.rate.acquire(destination.arn, destination.invocationRateLimitPerSecond);
  return invoke(
    {
      destination,
      connectionArn: connection.arn,
      credentials,
      httpParameters: invocation.target.HttpParameters,
      payload: invocation.payload,
    },
    runtime.tokens,
  );
}

/** API destinations as targets: `arn:aws:events:<region>:<account>:api-destination/<name>/<id>`. */
export function installApiDestinationTargets(state: EventsState): () => void {
  const runtime = apiDestinationRuntime(state);
  const kind: TargetKind = {
    accepts: (arn) => API_DESTINATION_ARN.test(arn),
    deliver: (invocation) =>
      deliverToApiDestination(state, runtime, invocation).catch(
        (err: Error): TargetResult => ({
          kind: 'retryable',
          errorCode: 'SDK_CLIENT_ERROR',
          errorMessage: `Unable to invoke ApiDestination endpoint: ${err.message}`,
        }),
      ),
  };
  state.targetKinds.push(kind);
  return () => {
    const at = state.targetKinds.indexOf(kind);
    if (at >= 0) state.targetKinds.splice(at, 1);
    runtime.stop();
  };
}
