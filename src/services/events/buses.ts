import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../../core/arn.js';
import { PolicyError, parsePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import { permissionStatement, policyStatements, policyText } from './bus-policy.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByName } from './paging.js';
import { livePartnerSource, partnerSourceActivated, partnerSourceReleased } from './partners.js';
import type { BusRecord } from './records.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

// AWS's texts, as its recorded answers (LocalStack's validated snapshots) and real error reports show them.
const busNotFound = (name: string) => eventsError.notFound(`Event bus ${name} does not exist.`);
const LIMIT_TEXT = 'The requested resource exceeds the maximum number allowed.';
/** AWS's size limit on an event bus's resource policy. */
const MAX_POLICY_LENGTH = 10240;

/** Handlers of: CreateEventBus DeleteEventBus DescribeEventBus ListEventBuses UpdateEventBus PutPermission RemovePermission. */
export function busHandlers(state: EventsState): EventsHandlers {
  /**
   * The caller's bus by name or ARN (DescribeEventBus takes either); the default bus when none is
   * named. An ARN of another account's or region's bus is not the caller's to read.
   */
  const findBus = (ctx: RequestContext, nameOrArn: string | undefined): BusRecord => {
    const { account, region } = ctx.caller;
    let name = nameOrArn ?? DEFAULT_BUS;
    if (name.startsWith('arn:')) {
      const arn = parseArn(name);
      name = arn?.resource.replace(/^event-bus\//, '') ?? name;
      if (arn?.account !== account || arn.region !== region) throw busNotFound(name);
    }
    const bus = state.bus(account, region, name);
    if (!bus) throw busNotFound(name);
    return bus;
  };

  const save = async (bus: BusRecord): Promise<void> => {
    await state.buses.put(bus.arn, bus);
  };

  return {
    CreateEventBus: async (input: EB.CreateEventBusRequest, ctx) => {
      const { account, region } = ctx.caller;
      const name = input.Name as string;
      if (state.bus(account, region, name)) {
        throw eventsError.alreadyExists(`Event bus ${name} already exists.`);
      }
      const sourceName = input.EventSourceName;
      if (sourceName === undefined && name.includes('/')) {
        throw eventsError.validation("Event bus name must not contain '/'.");
      }
      if (sourceName !== undefined && sourceName !== name) {
        throw eventsError.validation('Event bus name must match event source name.');
      }
      if (sourceName !== undefined) {
        if (!livePartnerSource(state, account, region, sourceName)) {
          throw eventsError.notFound(`Event source ${sourceName} does not exist.`);
        }
      }
      const limit = state.quota('buses-per-account');
      if (limit !== undefined) {
        const owned = state.buses
          .values()
          .filter((b) => b.account === account && b.region === region && b.name !== DEFAULT_BUS).length;
        if (owned >= limit) throw eventsError.limitExceeded(LIMIT_TEXT);
      }
      const settings = busSettings(state, ctx, input);
      const now = state.clock.now();
      const bus: BusRecord = {
        arn: state.busArn(account, region, name),
        name,
        account,
        region,
        ...settings,
        eventSourceName: sourceName,
        createdAt: now,
        lastModifiedAt: now,
        tags: (input.Tags ?? []).map((t) => ({ Key: t.Key as string, Value: t.Value as string })),
      };
      await save(bus);
      if (sourceName !== undefined) await partnerSourceActivated(state, account, region, sourceName);
      return { EventBusArn: bus.arn, ...busConfiguration(bus) };
    },

    DeleteEventBus: async (input: EB.DeleteEventBusRequest, ctx) => {
      const { account, region } = ctx.caller;
      const name = input.Name as string;
      if (name === DEFAULT_BUS) throw eventsError.validation('Cannot delete event bus default.');
      const bus = state.buses.get(state.busArn(account, region, name));
      // AWS answers success for a bus that does not exist (recorded), so deleting is idempotent.
      if (!bus) return {};
      if (state.rulesOf(bus.arn).length > 0) {
        throw eventsError.validation("EventBus can't be deleted since it has rules.");
      }
      await state.buses.delete(bus.arn);
      if (bus.eventSourceName !== undefined)
        await partnerSourceReleased(state, account, region, bus.eventSourceName);
      return {};
    },

    DescribeEventBus: (input: EB.DescribeEventBusRequest, ctx) => {
      const bus = findBus(ctx, input.Name);
      return {
        Name: bus.name,
        Arn: bus.arn,
        ...busConfiguration(bus),
        Policy: bus.policy,
        CreationTime: new Date(bus.createdAt),
        LastModifiedTime: new Date(bus.lastModifiedAt),
      };
    },

    ListEventBuses: (input: EB.ListEventBusesRequest, ctx) => {
      const { account, region } = ctx.caller;
      state.bus(account, region, DEFAULT_BUS);
      const prefix = input.NamePrefix ?? '';
      const mine = state.buses
        .values()
        .filter((b) => b.account === account && b.region === region && b.name.startsWith(prefix));
      const page = pageByName(mine, (b) => b.name, input.Limit, input.NextToken);
      return {
        EventBuses: page.items.map((bus) => ({
          Name: bus.name,
          Arn: bus.arn,
          Description: bus.description,
          Policy: bus.policy,
          CreationTime: new Date(bus.createdAt),
          LastModifiedTime: new Date(bus.lastModifiedAt),
        })),
        NextToken: page.nextToken,
      };
    },

    UpdateEventBus: async (input: EB.UpdateEventBusRequest, ctx) => {
      const bus = findBus(ctx, input.Name);
      // UpdateEventBus sets the bus's whole configuration: a setting left out goes back to its
      // default (no KmsKeyIdentifier means the AWS owned key again, as AWS documents).
      const settings = busSettings(state, ctx, input);
      const updated: BusRecord = {
        ...bus,
        description: settings.description,
        kmsKeyIdentifier: settings.kmsKeyIdentifier,
        deadLetterArn: settings.deadLetterArn,
        logConfig: settings.logConfig,
        lastModifiedAt: state.clock.now(),
      };
      await save(updated);
      return { Arn: updated.arn, Name: updated.name, ...busConfiguration(updated) };
    },

    PutPermission: async (input: EB.PutPermissionRequest, ctx) => {
      const bus = findBus(ctx, input.EventBusName);
      let policy: string | undefined;
      if (input.Policy !== undefined) {
        policy = checkedPolicy(input.Policy);
      } else {
        const statement = permissionStatement(
          bus,
          requireStatementParts(input),
          input.Action as string,
          input.Principal as string,
          input.Condition as { Type: string; Key: string; Value: string } | undefined,
        );
        // A statement id already in the policy is replaced, as AWS does for a repeated PutPermission.
        const kept = policyStatements(bus.policy).filter((s) => s.Sid !== statement.Sid);
        policy = policyText([...kept, statement]);
      }
      if (policy !== undefined && policy.length > MAX_POLICY_LENGTH) {
        throw eventsError.policyLengthExceeded('The event bus policy is too long.');
      }
      await save({ ...bus, policy, lastModifiedAt: state.clock.now() });
      return {};
    },

    RemovePermission: async (input: EB.RemovePermissionRequest, ctx) => {
      const bus = findBus(ctx, input.EventBusName);
      if (input.RemoveAllPermissions) {
        if (bus.policy === undefined) throw eventsError.notFound('EventBus does not have a policy.');
        await save({ ...bus, policy: undefined, lastModifiedAt: state.clock.now() });
        return {};
      }
      if (input.StatementId === undefined) throw eventsError.validation('Parameter StatementId is required.');
      const statements = policyStatements(bus.policy);
      const kept = statements.filter((s) => s.Sid !== input.StatementId);
      if (kept.length === statements.length) {
        throw eventsError.notFound('Statement with the provided id does not exist.');
      }
      await save({ ...bus, policy: policyText(kept), lastModifiedAt: state.clock.now() });
      return {};
    },
  };
}

/** The settings CreateEventBus, DescribeEventBus and UpdateEventBus all answer with. */
function busConfiguration(bus: BusRecord) {
  return {
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterArn === undefined ? undefined : { Arn: bus.deadLetterArn },
    LogConfig: bus.logConfig,
  };
}

/** Description, KMS key and dead-letter queue as CreateEventBus/UpdateEventBus give them, checked. */
function busSettings(
  state: EventsState,
  ctx: RequestContext,
  input: EB.CreateEventBusRequest | EB.UpdateEventBusRequest,
): Pick<BusRecord, 'description' | 'kmsKeyIdentifier' | 'deadLetterArn' | 'logConfig'> {
  if (input.KmsKeyIdentifier !== undefined && input.KmsKeyIdentifier !== '') {
    checkKey(state, ctx, input.KmsKeyIdentifier);
  }
  const deadLetterArn = input.DeadLetterConfig?.Arn;
  if (deadLetterArn !== undefined) checkDeadLetterArn(deadLetterArn);
  return {
    description: input.Description,
    kmsKeyIdentifier: input.KmsKeyIdentifier === '' ? undefined : input.KmsKeyIdentifier,
    deadLetterArn,
    logConfig: input.LogConfig,
  };
}

/**
 * The customer managed key must exist for the caller and be usable: EventBridge calls
 * kms:DescribeKey with the caller's credentials when the bus is created or updated.
 */
function checkKey(state: EventsState, ctx: RequestContext, keyId: string): void {
  const kms = state.frontDoors.kms;
  const { account, region } = ctx.caller;
  const facts = kms?.check(keyId, 'kms:DescribeKey', {
    account,
    region,
    viaService: `events.${region}.amazonaws.com`,
  }) ?? { ok: false as const, code: 'NotFoundException' as const, message: `Invalid keyId '${keyId}'` };
  if (facts.ok) return;
  if (facts.code === 'AccessDeniedException') {
    throw eventsError.accessDenied(`Access to call kms:DescribeKey is denied. Reason: ${facts.message}`);
  }
  throw eventsError.validation(`Parameter KmsKeyIdentifier is not valid. Reason: ${facts.message}`);
}

/** The bus's dead-letter queue is an SQS queue, named by its ARN. */
function checkDeadLetterArn(arn: string): void {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'sqs' || !/^\d{12}$/.test(parsed.account) || parsed.resource === '') {
    throw eventsError.validation(
      'Parameter DeadLetterConfig.Arn is not valid. Reason: Provided Arn is not in correct format.',
    );
  }
}

/** PutPermission's Policy form replaces the whole policy; it must be a policy document. */
function checkedPolicy(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw eventsError.validation('This policy contains invalid Json');
  }
  try {
    return JSON.stringify(parsePolicy(text));
  } catch (err) {
    if (err instanceof PolicyError)
      throw eventsError.validation(`Parameter Policy is not valid. Reason: ${err.message}`);
    throw err;
  }
}

/** The statement form's parameters, in the order AWS checks them; returns the statement id. */
function requireStatementParts(input: EB.PutPermissionRequest): string {
  if (input.Principal === undefined) throw eventsError.validation('Parameter Principal must be specified.');
  if (input.Condition !== undefined && input.Principal !== '*') {
    throw eventsError.validation(
      "Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.",
    );
  }
  if (input.Condition !== undefined) {
    if (input.Condition.Type !== 'StringEquals') {
      throw eventsError.validation(
        'Parameter Condition.Type is not valid. Reason: Only StringEquals is supported.',
      );
    }
    if (input.Condition.Key !== 'aws:PrincipalOrgID') {
      throw eventsError.validation(
        'Parameter Condition.Key is not valid. Reason: Only aws:PrincipalOrgID is supported.',
      );
    }
  }
  if (input.Action !== 'events:PutEvents') {
    throw eventsError.validation("Provided value in parameter 'action' is not supported.");
  }
  if (input.StatementId === undefined)
    throw eventsError.validation('Parameter StatementId must be specified.');
  return input.StatementId;
}
