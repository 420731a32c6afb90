import { authApis } from '../auth/apis.js';
import { groupApis } from '../groups/apis.js';
import { dataApis } from './data-apis.js';
import { metadataApis } from './metadata-apis.js';
import type { ApiRegistration } from './types.js';

/** Every API the broker serves, by key: ApiVersions advertises exactly these. */
export function brokerApis(): Map<number, ApiRegistration> {
  const byKey = new Map<number, ApiRegistration>();
  for (const api of [...metadataApis, ...dataApis, ...groupApis, ...authApis]) {
    if (byKey.has(api.apiKey)) throw new Error(`Kafka API ${api.apiKey} registered twice`);
    byKey.set(api.apiKey, api);
  }
  return byKey;
}
