import type { ServiceFactory } from '../registry.js';
import { KafkaBrokers } from './broker/brokers.js';
import { mskControlPlane } from './control/control-plane.js';
import { kafkaFrontDoor } from './front-door.js';

/**
 * Amazon MSK: the Kafka brokers (the default cluster on --kafka-port, and each MSK cluster's own
 * listeners) and the MSK control plane (the `kafka` API, restJson1) that creates those clusters.
 */
export const kafkaModule: ServiceFactory = {
  name: 'kafka',
  create: (env) => {
    const brokers = new KafkaBrokers(env);
    const control = mskControlPlane(env, brokers);
    return {
      definition: control.definition,
      cors: true,
      reset: async () => {
        await control.reset();
        await brokers.reset();
      },
      close: async () => {
        await control.close();
        await brokers.close();
      },
      views: brokers.views(),
      frontDoors: { kafka: kafkaFrontDoor(brokers) },
      live: control.live,
      listen: async () => {
        const kafka = await brokers.listenDefault();
        await control.reopen();
        return kafka ? { kafka } : undefined;
      },
    };
  },
};
