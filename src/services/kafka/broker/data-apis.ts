// The data path's APIs: Produce, Fetch, ListOffsets and InitProducerId, at the versions built.
import { handleFetch } from './fetch.js';
import { handleListOffsets } from './list-offsets.js';
import { handleProduce } from './produce.js';
import { handleInitProducerId } from './producer-ids.js';
import type { ApiRegistration } from './types.js';

export const dataApis: ApiRegistration[] = [
  // Produce is advertised from v0 as Kafka 4.0 does (KAFKA-18659): librdkafka before 2.10 compresses
  // with gzip, snappy and lz4 only for brokers listing Produce v0. Versions 0–2 are refused anyway.
  { apiKey: 0, minVersion: 0, maxVersion: 11, handle: handleProduce },
  { apiKey: 1, minVersion: 4, maxVersion: 12, handle: handleFetch },
  { apiKey: 2, minVersion: 1, maxVersion: 7, handle: handleListOffsets },
  { apiKey: 22, minVersion: 0, maxVersion: 4, handle: handleInitProducerId },
];
