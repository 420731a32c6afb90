import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import type { BusRecord, RuleRecord } from './records.js';
import { ruleError } from './rule-errors.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

/** Where an EventBusName (a name or a bus ARN) points: the account, region and name of the bus. */
export interface BusAddress {
  account: string;
  region: string;
  name: string;
}

export function busAddress(eventBusName: string | undefined, ctx: RequestContext): BusAddress {
  const { account, region } = ctx.caller;
  if (eventBusName === undefined) return { account, region, name: DEFAULT_BUS };
  if (eventBusName.startsWith('arn:')) {
    // The model's pattern already holds the ARN to `…:event-bus/<name>`.
    const arn = parseArn(eventBusName);
    if (arn)
      return { account: arn.account, region: arn.region, name: arn.resource.slice('event-bus/'.length) };
  }
  return { account, region, name: eventBusName };
}

/** The bus a rule operation names; the default bus exists from first use. */
export function findBus(state: EventsState, address: BusAddress): BusRecord {
  const bus = state.bus(address.account, address.region, address.name);
  if (!bus) throw ruleError.busNotFound(address.name);
  return bus;
}

export function findRule(state: EventsState, bus: BusRecord, name: string): RuleRecord | undefined {
  return state.rules.get(state.ruleArn(bus.account, bus.region, bus.name, name));
}

export function requireRule(state: EventsState, bus: BusRecord, name: string): RuleRecord {
  const rule = findRule(state, bus, name);
  if (!rule) throw ruleError.ruleNotFound(name, bus.name);
  return rule;
}

/** A rule or an event bus as TagResource and its kin name it by ARN. */
export type TaggedResource = { kind: 'bus'; bus: BusRecord } | { kind: 'rule'; rule: RuleRecord };

export function findTagged(state: EventsState, resourceArn: string): TaggedResource {
  const arn = parseArn(resourceArn);
  if (arn?.service !== 'events' || !/^\d{12}$/.test(arn.account)) throw ruleError.badArn(resourceArn);
  // Partner buses' names hold slashes (`aws.partner/<partner>/<source>`): a rule is the last part.
  const [type, ...rest] = arn.resource.split('/');
  if (rest.length === 0 || !rest.every(Boolean)) throw ruleError.badArn(resourceArn);
  if (type === 'event-bus') {
    return {
      kind: 'bus',
      bus: findBus(state, { account: arn.account, region: arn.region, name: rest.join('/') }),
    };
  }
  if (type === 'rule') {
    const busName = rest.length > 1 ? rest.slice(0, -1).join('/') : DEFAULT_BUS;
    const bus = findBus(state, { account: arn.account, region: arn.region, name: busName });
    return { kind: 'rule', rule: requireRule(state, bus, rest[rest.length - 1]) };
  }
  throw ruleError.badArn(resourceArn);
}
