import type * as EB from '@aws-sdk/client-eventbridge';
import { formatArn, parseArn } from '../../core/arn.js';
import { newMessageId } from '../../core/ids.js';
import { compileEventPattern, EventPatternError } from '../../core/patterns/event-pattern.js';
import type { RequestContext } from '../../protocols/service.js';
import { pageOf } from './archive-pages.js';
import { managedRulePattern, trimArchive } from './archiving.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import type { ArchiveRecord, BusRecord, RuleRecord } from './records.js';
import { replayHandlers } from './replays.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

/** Who manages an archive's rule, as ListRules and DescribeRule show it. */
export const ARCHIVE_RULE_MANAGER = 'prod.vhs.events.aws.internal';

export function archiveArn(account: string, region: string, name: string): string {
  return formatArn('events', region, account, `archive/${name}`);
}

/**
 * The bus an ARN names in the caller's account and region (the default bus exists from first
 * use); none when there is no such bus there, and `invalid()` thrown when the ARN names no bus at all.
 */
export function busByArn(
  state: EventsState,
  ctx: RequestContext,
  arn: string,
  invalid: () => Error,
): { name: string; bus?: BusRecord } {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'events' || !parsed.resource.startsWith('event-bus/')) throw invalid();
  const name = parsed.resource.slice('event-bus/'.length);
  const { account, region } = ctx.caller;
  // Archives and replays stay within the caller's account and region: another's bus is not found.
  if (parsed.account !== account || parsed.region !== region) return { name };
  return { name, bus: state.bus(account, region, name) };
}

const notAnEventBus = () =>
  eventsError.validation('Parameter EventSourceArn is not valid. Reason: Must contain an event bus ARN.');

/** Archive names are unique per account and region, whatever their bus. */
function findArchive(state: EventsState, ctx: RequestContext, name: string): ArchiveRecord {
  const archive = state.archives.get(archiveArn(ctx.caller.account, ctx.caller.region, name));
  if (!archive) throw eventsError.notFound(`Archive ${name} does not exist.`);
  return trimArchive(state, archive);
}

/** An empty string clears a field, as AWS takes it. */
function given(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function checkPattern(text: string | undefined): void {
  if (text === undefined) return;
  try {
    compileEventPattern(text);
  } catch (err) {
    if (err instanceof EventPatternError) throw eventsError.invalidEventPattern(err.message);
    throw err;
  }
}

function checkKey(state: EventsState, ctx: RequestContext, keyId: string | undefined): void {
  if (keyId === undefined) return;
  const kms = state.frontDoors.kms;
  const found = kms?.describe(keyId, { account: ctx.caller.account, region: ctx.caller.region });
  if (!found?.ok) {
    throw eventsError.validation(
      'The provided KMS key does not exist. Please ensure that the key identifier is correct and your key exists in the same region as the event source.',
    );
  }
}

/** The rule AWS keeps on the archive's bus (`Events-Archive-<name>`), with the target that feeds the archive. */
function managedRule(state: EventsState, archive: ArchiveRecord, busName: string, now: number): RuleRecord {
  const name = `Events-Archive-${archive.name}`;
  const existing = archive.ruleArn ? state.rules.get(archive.ruleArn) : undefined;
  // The target names the archive's incarnation: a re-created archive of the same name is another one.
  const template = `{"archive-arn": "${archive.arn}:${newMessageId()}","event": <aws.events.event.json>,"ingestion-time": <aws.events.event.ingestion-time>}`;
  return {
    arn: state.ruleArn(archive.account, archive.region, busName, name),
    name,
    busName,
    busArn: archive.sourceArn,
    account: archive.account,
    region: archive.region,
    eventPattern: managedRulePattern(archive.eventPattern),
    state: 'ENABLED',
    managedBy: ARCHIVE_RULE_MANAGER,
    createdBy: archive.account,
    targets: existing?.targets ?? [
      {
        Id: name,
        Arn: `arn:aws:events:${archive.region}:::`,
        InputTransformer: { InputPathsMap: {}, InputTemplate: template },
      },
    ],
    tags: [],
    createdAt: existing?.createdAt ?? now,
  };
}

function busNameOf(sourceArn: string): string {
  return parseArn(sourceArn)?.resource.slice('event-bus/'.length) ?? DEFAULT_BUS;
}

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

function summary(archive: ArchiveRecord): EB.Archive {
  return {
    ArchiveName: archive.name,
    EventSourceArn: archive.sourceArn,
    State: archive.state,
    StateReason: archive.stateReason,
    RetentionDays: archive.retentionDays,
    SizeBytes: archive.sizeBytes,
    EventCount: archive.eventCount,
    CreationTime: seconds(archive.createdAt),
  };
}

/** Handlers of: CreateArchive DeleteArchive DescribeArchive ListArchives UpdateArchive, and the replays'. */
export function archiveHandlers(state: EventsState): EventsHandlers {
  return {
    CreateArchive: async (input: EB.CreateArchiveRequest, ctx: RequestContext) => {
      const { account, region } = ctx.caller;
      const name = input.ArchiveName as string;
      const arn = archiveArn(account, region, name);
      const source = busByArn(state, ctx, input.EventSourceArn as string, notAnEventBus);
      if (state.archives.get(arn)) throw eventsError.alreadyExists(`Archive ${name} already exists.`);
      if (!source.bus) throw eventsError.notFound(`Event bus ${source.name} does not exist.`);
      const eventPattern = given(input.EventPattern);
      checkPattern(eventPattern);
      const kmsKeyIdentifier = given(input.KmsKeyIdentifier);
      checkKey(state, ctx, kmsKeyIdentifier);
      const quota = state.quota('archives-per-account');
      if (quota !== undefined) {
        const owned = state.archives.values().filter((a) => a.account === account && a.region === region);
        if (owned.length >= quota) {
          throw eventsError.limitExceeded('The requested resource exceeds the maximum number allowed.');
        }
      }
      const now = state.clock.now();
      const archive: ArchiveRecord = {
        arn,
        name,
        account,
        region,
        sourceArn: source.bus.arn,
        description: given(input.Description),
        eventPattern,
        retentionDays: input.RetentionDays ?? 0,
        kmsKeyIdentifier,
        state: 'ENABLED',
        createdAt: now,
        eventCount: 0,
        sizeBytes: 0,
      };
      const rule = managedRule(state, archive, source.bus.name, now);
      archive.ruleArn = rule.arn;
      await state.archives.put(arn, archive);
      await state.putRule(rule);
      return { ArchiveArn: arn, State: archive.state, CreationTime: seconds(archive.createdAt) };
    },

    DescribeArchive: (input: EB.DescribeArchiveRequest, ctx: RequestContext) => {
      const archive = findArchive(state, ctx, input.ArchiveName as string);
      return {
        ArchiveArn: archive.arn,
        ArchiveName: archive.name,
        EventSourceArn: archive.sourceArn,
        Description: archive.description,
        EventPattern: archive.eventPattern,
        State: archive.state,
        StateReason: archive.stateReason,
        KmsKeyIdentifier: archive.kmsKeyIdentifier,
        RetentionDays: archive.retentionDays,
        SizeBytes: archive.sizeBytes,
        EventCount: archive.eventCount,
        CreationTime: seconds(archive.createdAt),
      };
    },

    UpdateArchive: async (input: EB.UpdateArchiveRequest, ctx: RequestContext) => {
      if (
        input.Description === undefined &&
        input.EventPattern === undefined &&
        input.RetentionDays === undefined &&
        input.KmsKeyIdentifier === undefined
      ) {
        throw eventsError.validation(
          'At least one of EventPattern, RetentionDays or Description must be provided.',
        );
      }
      const archive = findArchive(state, ctx, input.ArchiveName as string);
      if (input.EventPattern !== undefined) checkPattern(given(input.EventPattern));
      if (input.KmsKeyIdentifier !== undefined) checkKey(state, ctx, given(input.KmsKeyIdentifier));
      // An update puts the managed rule back as it should be, even one deleted by force, while its bus stands.
      const busStands = state.buses.get(archive.sourceArn) !== undefined;
      const updated: ArchiveRecord = busStands
        ? { ...archive, state: 'ENABLED', stateReason: undefined }
        : { ...archive };
      if (input.Description !== undefined) updated.description = given(input.Description);
      if (input.EventPattern !== undefined) updated.eventPattern = given(input.EventPattern);
      if (input.RetentionDays !== undefined) updated.retentionDays = input.RetentionDays;
      if (input.KmsKeyIdentifier !== undefined) updated.kmsKeyIdentifier = given(input.KmsKeyIdentifier);
      const rule = managedRule(state, updated, busNameOf(archive.sourceArn), state.clock.now());
      if (busStands) updated.ruleArn = rule.arn;
      await state.archives.put(archive.arn, updated);
      if (busStands) await state.putRule(rule);
      const result = updated;
      return {
        ArchiveArn: result.arn,
        State: result.state,
        StateReason: result.stateReason,
        CreationTime: seconds(result.createdAt),
      };
    },

    DeleteArchive: async (input: EB.DeleteArchiveRequest, ctx: RequestContext) => {
      const archive = findArchive(state, ctx, input.ArchiveName as string);
      // The archive goes first, so the managed rule's deletion is not taken for a forced one.
      await state.archives.delete(archive.arn);
      if (archive.ruleArn && state.rules.get(archive.ruleArn)) await state.deleteRule(archive.ruleArn);
      await Promise.all(
        state.archivedEvents
          .values()
          .filter((e) => e.archiveArn === archive.arn)
          .map((e) => state.archivedEvents.delete(e.key)),
      );
      return {};
    },

    ListArchives: (input: EB.ListArchivesRequest, ctx: RequestContext) => {
      const filters = [input.NamePrefix, input.EventSourceArn, input.State].filter((f) => f !== undefined);
      if (filters.length > 1) {
        throw eventsError.validation(
          'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.',
        );
      }
      const { account, region } = ctx.caller;
      let sourceArn: string | undefined;
      if (input.EventSourceArn !== undefined) {
        const source = busByArn(state, ctx, input.EventSourceArn, notAnEventBus);
        if (!source.bus) throw eventsError.notFound(`Event bus ${source.name} does not exist.`);
        sourceArn = source.bus.arn;
      }
      const archives = state.archives
        .values()
        .filter((a) => a.account === account && a.region === region)
        .filter((a) => input.NamePrefix === undefined || a.name.startsWith(input.NamePrefix))
        .filter((a) => sourceArn === undefined || a.sourceArn === sourceArn)
        .filter((a) => input.State === undefined || a.state === input.State)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((a) => trimArchive(state, a));
      const filter = `${input.NamePrefix ?? ''}|${input.EventSourceArn ?? ''}|${input.State ?? ''}`;
      const page = pageOf(archives, input.Limit, input.NextToken, filter);
      return { Archives: page.items.map(summary), NextToken: page.nextToken };
    },

    ...replayHandlers(state),
  };
}
