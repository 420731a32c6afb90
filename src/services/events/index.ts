import { eventsSource } from '../../knowhow/live/collect.js';
import type { ServiceDefinition } from '../../protocols/service.js';
import type { ServiceFactory } from '../registry.js';
import { eventsError, eventsValidation } from './errors.js';
import { type EventsFrontDoor, EventsState } from './state.js';

/**
 * Amazon EventBridge (events, awsJson 1.1). The state is built at start-up; the code that routes
 * and delivers (runtime.ts) starts with the first request, the first event from another service,
 * or at once when the journal holds scheduled rules to fire or replays to finish.
 */
export const eventsModule: ServiceFactory = {
  name: 'events',
  create: ({ clock, scheduler, log, journal, frontDoors, settings }) => {
    const state = new EventsState({ clock, scheduler, log, journal, frontDoors, settings });
    let stopRuntime: (() => void) | undefined;
    let running: Promise<void> | undefined;
    const startRuntime = (): Promise<void> => {
      running ??= import('./runtime.js').then(({ startEventsRuntime }) => {
        stopRuntime = startEventsRuntime(state);
      });
      return running;
    };
    let loading: Promise<void> | undefined;
    const definition: ServiceDefinition = {
      name: 'events',
      signingName: 'events',
      json: {
        targetPrefix: 'AWSEvents',
        contentType: 'application/x-amz-json-1.1',
        errorNamespace: '',
        queryCompatible: false,
      },
      operations: {},
      validation: eventsValidation,
      unknownOperation: () => eventsError.unknownOperation(),
      load: () => {
        loading ??= Promise.all([startRuntime(), import('./operations.js')]).then(
          ([, { eventsOperations }]) => {
            definition.operations = eventsOperations(state);
            definition.load = undefined;
          },
        );
        return loading;
      },
    };
    if (
      state.rules.values().some((rule) => rule.scheduleExpression !== undefined) ||
      state.replays.values().some((replay) => ['STARTING', 'RUNNING', 'CANCELLING'].includes(replay.state))
    ) {
      void startRuntime();
    }
    const frontDoor: EventsFrontDoor = {
      putServiceEvent: (account, region, event) => {
        void startRuntime().then(() => state.router?.putServiceEvent(account, region, event));
      },
      observe: (observer) => {
        state.observers.add(observer);
        return () => state.observers.delete(observer);
      },
      describeBus: (arn) => state.buses.get(arn),
    };
    return {
      definition,
      cors: true,
      reset: async () => {
        await state.clear();
        const [{ lambdaOutbox }, { deliveryDrops }] = await Promise.all([
          import('./outbox.js'),
          import('./drops.js'),
        ]);
        lambdaOutbox(state).clear();
        deliveryDrops(state).clear();
      },
      close: () => stopRuntime?.(),
      views: {
        'events/lambda-invocations': async (query) => {
          const { lambdaOutbox } = await import('./outbox.js');
          const invocations = lambdaOutbox(state).list({
            functionArn: query.get('functionArn') ?? undefined,
            ruleArn: query.get('ruleArn') ?? undefined,
          });
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ invocations }),
          };
        },
        'events/drops': async (query) => {
          const { deliveryDrops } = await import('./drops.js');
          const drops = deliveryDrops(state).list(query.get('ruleArn') ?? undefined);
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ drops }),
          };
        },
      },
      frontDoors: { events: frontDoor },
      live: eventsSource(
        () => state.buses.values(),
        () => state.rules.values(),
        async () => (await import('./drops.js')).deliveryDrops(state).list(),
      ),
    };
  },
};
