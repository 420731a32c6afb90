import type * as EB from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../../protocols/service.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByName } from './paging.js';
import type { PartnerSourceRecord } from './records.js';
import type { EventsState } from './state.js';

/**
 * Partner event sources: a SaaS partner account creates one for a customer account
 * (CreatePartnerEventSource); the customer sees it PENDING until it creates the matching partner
 * bus or activates it, and a source left PENDING for two weeks expires, as AWS documents.
 */

/** How long a PENDING source waits for its customer before it expires. */
const PENDING_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

const sourceNotFound = (name: string) => eventsError.notFound(`Event source ${name} does not exist.`);

function sourceKey(account: string, region: string, name: string): string {
  return `${account}/${region}/${name}`;
}

/** The state the customer sees now: an expired PENDING source counts as DELETED. */
function currentState(state: EventsState, source: PartnerSourceRecord): EB.EventSourceState {
  if (source.state === 'PENDING' && source.expiresAt !== undefined && source.expiresAt <= state.clock.now()) {
    return 'DELETED';
  }
  return source.state;
}

/** The source offered to the account in the region, unless it was deleted or has expired. */
export function livePartnerSource(
  state: EventsState,
  account: string,
  region: string,
  name: string,
): PartnerSourceRecord | undefined {
  const source = state.partnerSources.get(sourceKey(account, region, name));
  return source && currentState(state, source) !== 'DELETED' ? source : undefined;
}

/** CreateEventBus made the source's partner bus: the source is ACTIVE and no longer expires. */
export async function partnerSourceActivated(
  state: EventsState,
  account: string,
  region: string,
  name: string,
): Promise<void> {
  const source = livePartnerSource(state, account, region, name);
  if (!source) return;
  await state.partnerSources.put(source.key, { ...source, state: 'ACTIVE', expiresAt: undefined });
}

/** The source's partner bus was deleted: the source waits again for a bus, and expires if none comes. */
export async function partnerSourceReleased(
  state: EventsState,
  account: string,
  region: string,
  name: string,
): Promise<void> {
  const source = livePartnerSource(state, account, region, name);
  if (!source) return;
  await state.partnerSources.put(source.key, {
    ...source,
    state: 'PENDING',
    expiresAt: state.clock.now() + PENDING_LIFETIME_MS,
  });
}

/** Handlers of: ActivateEventSource DeactivateEventSource CreatePartnerEventSource DeletePartnerEventSource DescribeEventSource DescribePartnerEventSource ListEventSources ListPartnerEventSourceAccounts ListPartnerEventSources. */
export function partnerHandlers(state: EventsState): EventsHandlers {
  /** The customer's view: the source offered to the caller's account in the caller's region. */
  const customerSource = (ctx: RequestContext, name: string): PartnerSourceRecord => {
    const source = state.partnerSources.get(sourceKey(ctx.caller.account, ctx.caller.region, name));
    if (!source) throw sourceNotFound(name);
    return source;
  };

  /** The partner's view: every customer copy of the sources the caller created in its region. */
  const partnerSources = (ctx: RequestContext): PartnerSourceRecord[] =>
    state.partnerSources
      .values()
      .filter((s) => s.partnerAccount === ctx.caller.account && s.region === ctx.caller.region);

  const described = (source: PartnerSourceRecord) => {
    const current = currentState(state, source);
    return {
      Arn: source.arn,
      CreatedBy: source.createdBy,
      CreationTime: new Date(source.createdAt),
      ExpirationTime:
        current === 'PENDING' && source.expiresAt !== undefined ? new Date(source.expiresAt) : undefined,
      Name: source.name,
      State: current,
    };
  };

  const setState = async (ctx: RequestContext, name: string, to: 'ACTIVE' | 'PENDING'): Promise<void> => {
    const source = customerSource(ctx, name);
    const current = currentState(state, source);
    if (current === 'DELETED') {
      throw eventsError.invalidState(`Event source ${name} is in state DELETED and cannot be changed.`);
    }
    if (current === to) return;
    const expiresAt = to === 'PENDING' ? state.clock.now() + PENDING_LIFETIME_MS : undefined;
    await state.partnerSources.put(source.key, { ...source, state: to, expiresAt });
  };

  return {
    CreatePartnerEventSource: async (input: EB.CreatePartnerEventSourceRequest, ctx) => {
      const name = input.Name as string;
      const account = input.Account as string;
      const { region } = ctx.caller;
      const key = sourceKey(account, region, name);
      const existing = state.partnerSources.get(key);
      if (existing && currentState(state, existing) !== 'DELETED') {
        throw eventsError.alreadyExists(`Event source ${name} already exists.`);
      }
      const now = state.clock.now();
      const source: PartnerSourceRecord = {
        key,
        name,
        arn: `arn:aws:events:${region}::event-source/${name}`,
        partnerAccount: ctx.caller.account,
        account,
        region,
        state: 'PENDING',
        // The partner's name: the segment after `aws.partner/` (e.g. `example.com`).
        createdBy: name.split('/')[1] ?? name,
        createdAt: now,
        expiresAt: now + PENDING_LIFETIME_MS,
      };
      await state.partnerSources.put(key, source);
      return { EventSourceArn: source.arn };
    },

    DeletePartnerEventSource: async (input: EB.DeletePartnerEventSourceRequest, ctx) => {
      const source = state.partnerSources.get(
        sourceKey(input.Account as string, ctx.caller.region, input.Name as string),
      );
      // AWS lists no ResourceNotFoundException for this call: deleting is idempotent.
      if (!source || source.partnerAccount !== ctx.caller.account || source.state === 'DELETED') return {};
      await state.partnerSources.put(source.key, { ...source, state: 'DELETED', expiresAt: undefined });
      return {};
    },

    DescribeEventSource: (input: EB.DescribeEventSourceRequest, ctx) =>
      described(customerSource(ctx, input.Name as string)),

    DescribePartnerEventSource: (input: EB.DescribePartnerEventSourceRequest, ctx) => {
      const source = partnerSources(ctx).find(
        (s) => s.name === input.Name && currentState(state, s) !== 'DELETED',
      );
      if (!source) throw sourceNotFound(input.Name as string);
      return { Arn: source.arn, Name: source.name };
    },

    ListEventSources: (input: EB.ListEventSourcesRequest, ctx) => {
      const prefix = input.NamePrefix ?? '';
      const mine = state.partnerSources
        .values()
        .filter(
          (s) =>
            s.account === ctx.caller.account && s.region === ctx.caller.region && s.name.startsWith(prefix),
        );
      const page = pageByName(mine, (s) => s.name, input.Limit, input.NextToken);
      return { EventSources: page.items.map(described), NextToken: page.nextToken };
    },

    ListPartnerEventSourceAccounts: (input: EB.ListPartnerEventSourceAccountsRequest, ctx) => {
      const copies = partnerSources(ctx).filter((s) => s.name === input.EventSourceName);
      if (copies.length === 0) throw sourceNotFound(input.EventSourceName as string);
      const page = pageByName(copies, (s) => s.account, input.Limit, input.NextToken);
      return {
        PartnerEventSourceAccounts: page.items.map((source) => {
          const { ExpirationTime, CreationTime, State } = described(source);
          return { Account: source.account, CreationTime, ExpirationTime, State };
        }),
        NextToken: page.nextToken,
      };
    },

    ListPartnerEventSources: (input: EB.ListPartnerEventSourcesRequest, ctx) => {
      const prefix = input.NamePrefix as string;
      const byName = new Map<string, PartnerSourceRecord>();
      for (const source of partnerSources(ctx)) {
        if (source.name.startsWith(prefix) && currentState(state, source) !== 'DELETED')
          byName.set(source.name, source);
      }
      const page = pageByName([...byName.values()], (s) => s.name, input.Limit, input.NextToken);
      return {
        PartnerEventSources: page.items.map((s) => ({ Arn: s.arn, Name: s.name })),
        NextToken: page.nextToken,
      };
    },

    ActivateEventSource: async (input: EB.ActivateEventSourceRequest, ctx) => {
      await setState(ctx, input.Name as string, 'ACTIVE');
      return {};
    },

    DeactivateEventSource: async (input: EB.DeactivateEventSourceRequest, ctx) => {
      await setState(ctx, input.Name as string, 'PENDING');
      return {};
    },
  };
}
