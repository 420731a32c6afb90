import { randomUUID } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { S3_OPERATIONS } from '../../protocols/models/s3.js';
import type { ListShape, ScalarShape, StructureShape } from '../../protocols/shapes.js';
import { s3Error, s3Failure } from './errors.js';

// PutBucketNotificationConfiguration's document as S3 checks and keeps it: destination ARNs that
// parse, events S3 knows, prefix/suffix filter rules (names normalised to `Prefix`/`Suffix`),
// an Id on every configuration, and no two configurations claiming the same object for one event.

export type NotificationConfiguration = S3.NotificationConfiguration;

/** The three destination kinds, with the member that names the target and the name errors use for it. */
export const DESTINATION_KINDS = [
  { list: 'TopicConfigurations', arn: 'TopicArn', argument: 'Topic', kind: 'topic' },
  { list: 'QueueConfigurations', arn: 'QueueArn', argument: 'Queue', kind: 'queue' },
  {
    list: 'LambdaFunctionConfigurations',
    arn: 'LambdaFunctionArn',
    argument: 'CloudFunction',
    kind: 'lambda',
  },
] as const;

export type DestinationKind = (typeof DESTINATION_KINDS)[number]['kind'];

/** One configuration of any destination kind, as the rest of the notification code reads it. */
export interface Destination {
  kind: DestinationKind;
  id: string;
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

/** Every event name S3 accepts in a notification configuration: the model's `Event` enum. */
export const NOTIFICATION_EVENTS: readonly string[] = eventShape().enum ?? [];

function eventShape(): ScalarShape {
  const configuration = S3_OPERATIONS.PutBucketNotificationConfiguration.input.members
    .NotificationConfiguration!.shape as StructureShape;
  const queues = configuration.members.QueueConfigurations!.shape as ListShape;
  const events = (queues.member as StructureShape).members.Events!.shape as ListShape;
  return events.member as ScalarShape;
}

const KNOWN_EVENTS = new Set(NOTIFICATION_EVENTS);

export const notificationError = {
  unparsableArn: (argument: string, arn: string) =>
    s3Error.invalidArgument('The ARN could not be parsed', argument, arn),
  unknownEvent: (event: string) =>
    s3Error.invalidArgument('The event is not supported for notifications', 'Event', event),
  filterRuleName: (name: string) =>
    s3Error.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', name),
  repeatedFilterRule: (name: string, rule: 'prefix' | 'suffix') =>
    s3Error.invalidArgument(
      `Cannot specify more than one ${rule} rule in a filter.`,
      'FilterRule.Name',
      name,
    ),
  overlap: (events: string) =>
    s3Error.invalidArgument(
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
      'Event',
      events,
    ),
  ambiguous: (events: string) =>
    s3Error.invalidArgument(
      'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
      'Event',
      events,
    ),
  /** Destinations S3 could not deliver its test event to, numbered as S3 numbers them. */
  unvalidated: (failures: ReadonlyArray<{ name: string; value: string }>) =>
    s3Failure(
      'InvalidArgument',
      400,
      'Unable to validate the following destination configurations',
      Object.fromEntries(
        failures.flatMap((failure, i) => [
          [`ArgumentName${i + 1}`, failure.name],
          [`ArgumentValue${i + 1}`, failure.value],
        ]),
      ),
    ),
};

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, as far as S3 parses it. */
export function parsableArn(arn: string | undefined): boolean {
  if (typeof arn !== 'string') return false;
  const parts = arn.split(':');
  return (
    parts.length >= 6 &&
    parts[0] === 'arn' &&
    parts[1] !== '' &&
    parts[2] !== '' &&
    parts.slice(5).join(':') !== ''
  );
}

/** A notification Id as S3 makes one when the request gives none: opaque base64. */
export function generatedId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/**
 * Checks the configuration as S3 does before it looks at any destination, and returns what S3
 * keeps: the same document with every Id set and filter rule names as `Prefix`/`Suffix`.
 * Throws S3's InvalidArgument (or MalformedXML for a filter rule without a name or value).
 */
export function normaliseConfiguration(
  input: NotificationConfiguration | undefined,
  newId: () => string = generatedId,
): NotificationConfiguration {
  const config: NotificationConfiguration = {};
  if (!input) return config;
  const out = config as Record<string, unknown>;
  for (const { list, arn, argument } of DESTINATION_KINDS) {
    const entries = input[list] as Array<Record<string, unknown>> | undefined;
    if (!entries || entries.length === 0) continue;
    out[list] = entries.map((entry) => {
      const target = entry[arn] as string | undefined;
      if (!parsableArn(target)) throw notificationError.unparsableArn(argument, String(target ?? ''));
      const events = (entry.Events as string[] | undefined) ?? [];
      for (const event of events) if (!KNOWN_EVENTS.has(event)) throw notificationError.unknownEvent(event);
      const normalised: Record<string, unknown> = {
        Id: typeof entry.Id === 'string' && entry.Id !== '' ? entry.Id : newId(),
        [arn]: target,
        Events: events,
      };
      const filter = normaliseFilter(entry.Filter as S3.NotificationConfigurationFilter | undefined);
      if (filter) normalised.Filter = filter;
      return normalised;
    });
  }
  if (input.EventBridgeConfiguration) config.EventBridgeConfiguration = {};
  checkOverlaps(destinations(config));
  return config;
}

function normaliseFilter(
  filter: S3.NotificationConfigurationFilter | undefined,
): S3.NotificationConfigurationFilter | undefined {
  if (!filter) return undefined;
  const rules = filter.Key?.FilterRules;
  if (!filter.Key) return {};
  if (!rules) return { Key: {} };
  const seen = new Set<string>();
  return {
    Key: {
      FilterRules: rules.map((rule) => {
        if (typeof rule.Name !== 'string' || typeof rule.Value !== 'string') throw s3Error.malformedXml();
        const lower = rule.Name.toLowerCase();
        if (lower !== 'prefix' && lower !== 'suffix') throw notificationError.filterRuleName(rule.Name);
        if (seen.has(lower)) throw notificationError.repeatedFilterRule(rule.Name, lower);
        seen.add(lower);
        // S3 answers the names capitalised, outside the model's lower-case enum.
        const name = (lower === 'prefix' ? 'Prefix' : 'Suffix') as S3.FilterRuleName;
        return { Name: name, Value: rule.Value };
      }),
    },
  };
}

/** The stored configuration's destinations, topics then queues then functions, as S3 lists them. */
export function destinations(config: NotificationConfiguration | undefined): Destination[] {
  if (!config) return [];
  const found: Destination[] = [];
  for (const { list, arn, kind } of DESTINATION_KINDS) {
    for (const entry of (config[list] as Array<Record<string, unknown>> | undefined) ?? []) {
      const rules = (entry.Filter as S3.NotificationConfigurationFilter | undefined)?.Key?.FilterRules ?? [];
      const destination: Destination = {
        kind,
        id: String(entry.Id ?? ''),
        arn: String(entry[arn] ?? ''),
        events: (entry.Events as string[] | undefined) ?? [],
      };
      for (const rule of rules) {
        if (rule.Name?.toLowerCase() === 'prefix') destination.prefix = rule.Value ?? '';
        else if (rule.Name?.toLowerCase() === 'suffix') destination.suffix = rule.Value ?? '';
      }
      found.push(destination);
    }
  }
  return found;
}

/** The concrete event names a configured one stands for (`s3:ObjectCreated:*` → Put, Post…). */
function expand(event: string): string[] {
  if (!event.endsWith(':*')) return [event];
  const family = event.slice(0, -1);
  return NOTIFICATION_EVENTS.filter((name) => name.startsWith(family) && !name.endsWith('*'));
}

/**
 * Two configurations may not both claim one object for one event: they overlap when they share
 * an event type and neither their prefixes nor their suffixes tell them apart.
 */
function checkOverlaps(all: Destination[]): void {
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      const shared = sharedEvents(a.events, b.events);
      if (!shared) continue;
      if (!affixesOverlap(a.prefix, b.prefix, (x, y) => x.startsWith(y))) continue;
      if (!affixesOverlap(a.suffix, b.suffix, (x, y) => x.endsWith(y))) continue;
      const filtered = [a.prefix, a.suffix, b.prefix, b.suffix].some((v) => v !== undefined && v !== '');
      throw filtered ? notificationError.ambiguous(shared) : notificationError.overlap(shared);
    }
  }
}

/** `<event of a>, <event of b>` for the first pair that shares an event type. */
function sharedEvents(a: string[], b: string[]): string | undefined {
  for (const x of a) {
    const xs = new Set(expand(x));
    for (const y of b) if (expand(y).some((name) => xs.has(name))) return `${x}, ${y}`;
  }
  return undefined;
}

function affixesOverlap(
  a: string | undefined,
  b: string | undefined,
  covers: (longer: string, shorter: string) => boolean,
): boolean {
  const x = a ?? '';
  const y = b ?? '';
  return covers(x, y) || covers(y, x);
}

/** Whether a configured event (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`) takes this one (`ObjectCreated:Put`). */
export function eventMatches(configured: string, name: string): boolean {
  const full = `s3:${name}`;
  if (configured.endsWith(':*')) return full.startsWith(configured.slice(0, -1));
  return configured === full;
}

/** Whether the destination takes an event on this key: one of its events, and its prefix and suffix. */
export function destinationTakes(destination: Destination, name: string, key: string): boolean {
  if (!destination.events.some((configured) => eventMatches(configured, name))) return false;
  if (destination.prefix !== undefined && !key.startsWith(destination.prefix)) return false;
  if (destination.suffix !== undefined && !key.endsWith(destination.suffix)) return false;
  return true;
}
