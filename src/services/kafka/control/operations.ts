import { KAFKA_OPERATIONS, type KafkaOperationName } from '../../../protocols/models/kafka.js';
import type { RestOperation } from '../../../protocols/rest-dispatch.js';
import { restOperations } from '../../../protocols/rest-operations.js';
import { operationTable } from '../../../protocols/service.js';
import { clusterChangeOperations } from './cluster-operations.js';
import { clusterOperations } from './clusters.js';
import { configurationOperations } from './configurations.js';
import { checkConstraints, mskError } from './errors.js';
import { scramOperations } from './scram.js';
import type { MskState } from './state.js';
import { tagOperations } from './tags.js';

/** The `kafka` API's handlers; what docs/msk.md lists as not supported answers a BadRequestException. */
export function mskOperations(state: MskState): Record<string, RestOperation> {
  const handlers = {
    ...clusterOperations(state),
    ...clusterChangeOperations(state),
    ...configurationOperations(state),
    ...scramOperations(state),
    ...tagOperations(state),
  };
  const table = operationTable<KafkaOperationName>(KAFKA_OPERATIONS, handlers, (name) => () => {
    throw mskError.notSupported(name);
  });
  return restOperations(KAFKA_OPERATIONS, table, checkConstraints);
}
