import { randomUUID } from 'node:crypto';
import { compileEventPattern, EventPatternIndex } from '../../core/patterns/event-pattern.js';
import type { JsonValue } from '../../core/patterns/operators.js';
import { EVENTS_PRINCIPAL, sendToBusDeadLetter } from './dead-letters.js';
import { renderTargetInput } from './input.js';
import type { BusEvent, BusRecord, RuleRecord } from './records.js';
import { TargetDeliveries } from './retries.js';
import {
  DEFAULT_BUS,
  type EventRouter,
  type EventsState,
  type RouteOptions,
  type ServiceEvent,
} from './state.js';

/** The enabled pattern rules of one bus, indexed together; rebuilt when any rule changes. */
interface BusRules {
  index: EventPatternIndex<string>;
  rules: Map<string, RuleRecord>;
  /** The bus's rules version it was built from. */
  version: number;
}

/** The envelope's time: ISO 8601 to the second, as AWS writes it (`2026-12-07T18:00:00Z`). */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Routes each accepted event: observers (archives, schema discovery) first, then the bus's enabled
 * rules whose pattern matches, then each rule's targets with the input rendered for that target,
 * delivered under its retry policy (retries.ts). A bus encrypted with a customer managed key must
 * be able to use it: an event it cannot encrypt goes to the bus's dead-letter queue instead.
 */
export class Router implements EventRouter {
  readonly deliveries: TargetDeliveries;
  private readonly byBus = new Map<string, BusRules>();

  constructor(private readonly state: EventsState) {
    this.deliveries = new TargetDeliveries(state);
  }

  route(bus: BusRecord, event: BusEvent, options: RouteOptions = {}): void {
    if (bus.kmsKeyIdentifier && !this.keyUsable(bus, event, options.traceHeader)) return;
    const routed: BusEvent =
      options.replayName === undefined ? event : { ...event, 'replay-name': options.replayName };
    for (const observer of this.state.observers) {
      try {
        observer(bus, routed);
      } catch (err) {
        this.state.log.error({ err, bus: bus.arn }, 'an EventBridge observer failed');
      }
    }
    for (const rule of this.rulesFor(bus, routed, options))
      this.deliverToTargets(rule, routed, options.traceHeader);
  }

  putServiceEvent(account: string, region: string, event: ServiceEvent): void {
    const bus = this.state.bus(account, region, DEFAULT_BUS)!;
    this.route(bus, {
      version: '0',
      id: randomUUID(),
      'detail-type': event['detail-type'],
      source: event.source,
      account,
      time: eventTime(this.state.clock.now()),
      region,
      resources: event.resources,
      detail: event.detail as JsonValue,
    });
  }

  stop(): void {
    this.deliveries.stop();
  }

  private rulesFor(bus: BusRecord, event: BusEvent, options: RouteOptions): RuleRecord[] {
    const only = options.ruleArns && new Set(options.ruleArns);
    if (options.direct) {
      return (options.ruleArns ?? [])
        .map((arn) => this.state.rules.get(arn))
        .filter((rule): rule is RuleRecord => rule !== undefined && rule.state !== 'DISABLED');
    }
    const busRules = this.busRules(bus.arn);
    const matched: RuleRecord[] = [];
    for (const arn of busRules.index.match(event as unknown as JsonValue)) {
      if (only && !only.has(arn)) continue;
      const rule = busRules.rules.get(arn)!;
      // A replay never feeds an archive's own rule, or the archive would keep its events twice.
      if (options.replayName !== undefined && rule.managedBy !== undefined) continue;
      matched.push(rule);
    }
    return matched;
  }

  private busRules(busArn: string): BusRules {
    const version = this.state.rulesVersionOf(busArn);
    let found = this.byBus.get(busArn);
    if (!found || found.version !== version) {
      found = { index: new EventPatternIndex(), rules: new Map(), version };
      for (const rule of this.state.rulesOf(busArn)) {
        if (rule.state === 'DISABLED' || rule.eventPattern === undefined) continue;
        try {
          found.index.add(rule.arn, compileEventPattern(rule.eventPattern));
          found.rules.set(rule.arn, rule);
        } catch (err) {
          this.state.log.warn({ err, rule: rule.arn }, 'a rule whose pattern no longer compiles is skipped');
        }
      }
      this.byBus.set(busArn, found);
    }
    return found;
  }

  private deliverToTargets(rule: RuleRecord, event: BusEvent, traceHeader: string | undefined): void {
    const lenient = this.state.settings.lenientPolicies ?? false;
    for (const target of rule.targets) {
      let payload: string;
      try {
        payload = renderTargetInput(target, event, rule);
      } catch (err) {
        this.state.log.warn(
          { err, rule: rule.arn, target: target.Id },
          'the target input could not be rendered',
        );
        this.deliveries.fail(
          { rule, target, event, payload: '', traceHeader, lenient },
          { kind: 'failed', errorCode: 'INVALID_JSON', errorMessage: (err as Error).message },
        );
        continue;
      }
      this.deliveries.deliver({ rule, target, event, payload, traceHeader, lenient });
    }
  }

  /** Whether the bus can encrypt the event under its key now; when not, the event goes to the bus's DLQ. */
  private keyUsable(bus: BusRecord, event: BusEvent, traceHeader: string | undefined): boolean {
    const kms = this.state.frontDoors.kms;
    if (!kms || !bus.kmsKeyIdentifier) return true;
    const checked = kms.check(
      bus.kmsKeyIdentifier,
      'kms:GenerateDataKey',
      {
        account: bus.account,
        region: bus.region,
        principal: EVENTS_PRINCIPAL,
        sourceArn: bus.arn,
        sourceAccount: bus.account,
      },
      { 'aws:events:event-bus:arn': bus.arn },
    );
    if (checked.ok) return true;
    void sendToBusDeadLetter(this.state, bus, event, checked.code, checked.message, traceHeader);
    return false;
  }
}

/** Installs the router as `state.router`; returns how to stop it (pending retries are dropped). */
export function installRouter(state: EventsState): () => void {
  const router = new Router(state);
  state.router = router;
  return () => {
    router.stop();
    if (state.router === router) state.router = undefined;
  };
}
