// InitProducerId v0–4 for idempotent producers. Tideway builds no transactions: a transactional
// id is refused as by a broker whose ACLs grant none (TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
// which clients report as a clear, fatal authorization error.
import { DataError } from './data-errors.js';
import type { KafkaRequestContext } from './types.js';

export async function handleInitProducerId(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown>> {
  const refuse = (errorCode: number) => ({
    throttleTimeMs: 0,
    errorCode,
    producerId: -1n,
    producerEpoch: -1,
  });
  if (request.transactionalId !== null && request.transactionalId !== undefined) {
    return refuse(DataError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  }
  const producerId: bigint = request.producerId ?? -1n;
  const producerEpoch: number = request.producerEpoch ?? -1;
  // v3+ names the producer being re-initialised: both given or neither (KafkaApis).
  if ((producerId === -1n) !== (producerEpoch === -1)) return refuse(DataError.INVALID_REQUEST);
  // Without a transactional id Kafka's coordinator always hands out a new id at epoch 0, even to a
  // producer that names its old one (the client bumps idempotent epochs itself).
  return {
    throttleTimeMs: 0,
    errorCode: DataError.NONE,
    producerId: await ctx.cluster.topics.nextProducerId(),
    producerEpoch: 0,
  };
}
