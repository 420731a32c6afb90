import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import {
  evaluatePolicyDetailed,
  type PolicyDocument,
  PolicyError,
  type PolicyStatement,
  parsePolicy,
} from '../../core/policy.js';
import { ServiceError } from '../../protocols/errors.js';
import type { RequestContext } from '../../protocols/service.js';
import type { StreamRecord, StreamStorage } from '../../storage/types.js';
import { CONSUMER_ARN, ISSUED_STREAM_ARN } from './arns.js';
import { liveConsumers } from './consumers.js';
import { kinesisError } from './errors.js';

// Resource policies on streams and enhanced fan-out consumers (Kinesis guide, "Controlling access",
// section "Share your data stream with another account"): the owner attaches one, and another
// account may then call the operations it allows, naming the stream or consumer by ARN.

/**
 * What a resource policy may grant. The guide's table lists the stream actions but DescribeStream,
 * which its Lambda walkthrough ("Share access using resource-based policies") says to include.
 */
const STREAM_ACTIONS = new Set([
  'DescribeStream',
  'DescribeStreamSummary',
  'GetRecords',
  'GetShardIterator',
  'ListShards',
  'PutRecord',
  'PutRecords',
]);
const CONSUMER_ACTIONS = new Set(['DescribeStreamConsumer', 'SubscribeToShard']);
/** Guide, "Policy limits": a policy is at most 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;
/** Accounts, and IAM users, roles and role sessions of an account; never a wildcard. */
const AWS_PRINCIPAL = /^(\d{12}|arn:aws:(iam|sts)::\d{12}:[^*?]+)$/;
/** GetResourcePolicy's answer for a resource without a policy. */
const NO_POLICY = '{}';

// ---- enforcement ---------------------------------------------------------------------------------

function callerPrincipal(ctx: RequestContext): string {
  return `arn:aws:iam::${ctx.caller.account}:root`;
}

/** AccessDeniedException as Kinesis sends it (HTTP 400), in IAM's words. */
export function accessDenied(ctx: RequestContext, action: string, resource: string, explicit = false) {
  const why = explicit
    ? 'with an explicit deny in a resource-based policy'
    : `because no resource-based policy allows the ${action} action`;
  return new ServiceError(
    'AccessDeniedException',
    `User: ${callerPrincipal(ctx)} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  );
}

/**
 * Lets a call on `stream` through, or throws AccessDeniedException. Another account needs a
 * statement allowing the operation on the stream; for the owner only an explicit Deny matters.
 * Consumer operations are decided on the consumer, once it is found (authorizeConsumerAccess), so
 * that one that does not exist answers ResourceNotFoundException.
 */
export function authorizeStreamAccess(stream: StreamRecord, ctx: RequestContext): void {
  const foreign = stream.account !== ctx.caller.account;
  if (!foreign && stream.resourcePolicy === undefined) return;
  const operation = ctx.operation;
  if (CONSUMER_ACTIONS.has(operation)) return;
  if (!STREAM_ACTIONS.has(operation)) {
    // Nothing but the listed actions can be granted, so no policy lets another account in.
    if (foreign) throw denied(ctx, stream, operation, stream.arn, 'the operation cannot be shared');
    return;
  }
  decide(ctx, stream, stream.arn, stream.resourcePolicy, foreign);
}

/** The consumer side of authorizeStreamAccess: DescribeStreamConsumer and SubscribeToShard. */
export function authorizeConsumerAccess(
  stream: StreamRecord,
  consumerArn: string,
  ctx: RequestContext,
): void {
  const foreign = stream.account !== ctx.caller.account;
  const policy = stream.consumerPolicies?.[consumerArn];
  if (!foreign && policy === undefined) return;
  if (!CONSUMER_ACTIONS.has(ctx.operation)) {
    if (foreign) throw denied(ctx, stream, ctx.operation, consumerArn, 'the operation cannot be shared');
    return;
  }
  decide(ctx, stream, consumerArn, policy, foreign);
}

function decide(
  ctx: RequestContext,
  stream: StreamRecord,
  resource: string,
  policy: string | undefined,
  foreign: boolean,
): void {
  const operation = ctx.operation;
  if (policy === undefined) {
    if (foreign) throw denied(ctx, stream, operation, resource, 'the resource has no policy');
    return;
  }
  const { decision, reason } = evaluatePolicyDetailed(parsed(policy), {
    principal: { kind: 'AWS', id: callerPrincipal(ctx) },
    action: `kinesis:${operation}`,
    resource,
    context: { 'aws:SecureTransport': String(ctx.secure) },
  });
  if (decision === 'ExplicitDeny') {
    ctx.log.warn({ resource, callerAccount: ctx.caller.account, reason }, 'denied by the resource policy');
    throw accessDenied(ctx, `kinesis:${operation}`, resource, true);
  }
  if (decision !== 'Allow' && foreign) throw denied(ctx, stream, operation, resource, reason);
}

/**
 * Why the stream's resource policy keeps a delivery from another service out, or undefined when it
 * lets it in. AWS services write to a stream through an IAM role of the account they act for
 * (EventBridge's and Firehose's RoleArn), and Kinesis resource policies name only AWS principals:
 * the delivery is decided as that role's call, with aws:SourceArn and aws:SourceAccount set, so a
 * same-account role is kept out only by an explicit Deny and another account's needs an Allow.
 */
export function deliveryDenial(
  stream: StreamRecord,
  action: 'PutRecord' | 'PutRecords',
  origin: { principal: string; sourceArn: string; sourceAccount: string; roleArn?: string },
): string | undefined {
  const role = origin.roleArn ?? `arn:aws:iam::${origin.sourceAccount}:root`;
  const roleAccount = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(role)?.[1] ?? origin.sourceAccount;
  const foreign = roleAccount !== stream.account;
  const policy = stream.resourcePolicy;
  const needed = `the stream's resource policy needs a statement allowing {"AWS":"${role}"} to "kinesis:${action}" on ${stream.arn}`;
  if (policy === undefined) return foreign ? `the stream has no resource policy; ${needed}` : undefined;
  try {
    const { decision, reason } = evaluatePolicyDetailed(parsed(policy), {
      principal: { kind: 'AWS', id: role },
      action: `kinesis:${action}`,
      resource: stream.arn,
      context: {
        'aws:SourceArn': origin.sourceArn,
        'aws:SourceAccount': origin.sourceAccount,
        'aws:SecureTransport': 'true',
      },
    });
    if (decision === 'ExplicitDeny')
      return `the stream's resource policy denies ${origin.principal} acting as ${role}: ${reason}`;
    if (decision !== 'Allow' && foreign) return `${reason}; ${needed}`;
    return undefined;
  } catch {
    return `the stream's resource policy cannot be read: ${needed}`;
  }
}

/** Policies parsed once, not on every call they decide: they change rarely, calls are many. */
const parsedPolicies = new Map<string, PolicyDocument>();
const MAX_PARSED = 1000;

function parsed(policy: string): PolicyDocument {
  let doc = parsedPolicies.get(policy);
  if (doc === undefined) {
    if (parsedPolicies.size >= MAX_PARSED) parsedPolicies.clear();
    doc = parsePolicy(policy);
    parsedPolicies.set(policy, doc);
  }
  return doc;
}

function denied(
  ctx: RequestContext,
  stream: StreamRecord,
  operation: string,
  resource: string,
  reason: string,
) {
  ctx.log.warn(
    {
      resource,
      owner: stream.account,
      callerAccount: ctx.caller.account,
      action: `kinesis:${operation}`,
      reason,
    },
    'denied: the resource belongs to another account',
  );
  return accessDenied(ctx, `kinesis:${operation}`, resource);
}

// ---- validation ------------------------------------------------------------------------------------

type ResourceKind = 'stream' | 'consumer';

function invalid(message: string): ServiceError {
  return kinesisError.invalidArgument(`Invalid resource policy: ${message}`);
}

/**
 * Checks a policy against the guide's "Policy limits": AWS principals named outright (no
 * wildcards, no service, federated or canonical-user principals), only the actions that can be
 * shared for the resource, the resource itself, and at most 20 KB.
 */
export function checkResourcePolicy(text: string, resourceArn: string, kind: ResourceKind): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw invalid(`the policy is larger than ${MAX_POLICY_BYTES} bytes.`);
  }
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(text);
  } catch (err) {
    if (err instanceof PolicyError) throw invalid(`${err.message}.`);
    throw err;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (statements.length === 0) throw invalid('the policy has no statements.');
  statements.forEach((statement, index) => {
    checkStatement(statement, `statement ${index}`, resourceArn, kind);
  });
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]) as string[];
}

function checkStatement(s: PolicyStatement, where: string, resourceArn: string, kind: ResourceKind): void {
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) {
    throw invalid(`${where} uses NotPrincipal, NotAction or NotResource, which are not supported.`);
  }
  const principal = s.Principal;
  if (principal === undefined) throw invalid(`${where} has no Principal.`);
  if (typeof principal !== 'object' || principal === null) {
    throw invalid(`${where}: wildcard (*) principals are not supported.`);
  }
  for (const [type, value] of Object.entries(principal)) {
    if (type !== 'AWS') {
      throw invalid(`${where}: ${type} principals are not supported; name AWS accounts, users or roles.`);
    }
    for (const id of list(value)) {
      if (!AWS_PRINCIPAL.test(id)) throw invalid(`${where}: principal ${id} is not supported.`);
    }
  }
  const allowed = kind === 'stream' ? STREAM_ACTIONS : CONSUMER_ACTIONS;
  for (const action of list(s.Action)) {
    const m = /^kinesis:(\w+)$/i.exec(action);
    const name = m && [...allowed].find((a) => a.toLowerCase() === m[1].toLowerCase());
    if (!name) {
      throw invalid(
        `${where}: action ${action} cannot be shared on a ${kind === 'stream' ? 'data stream' : 'consumer'}; use ${[...allowed].map((a) => `kinesis:${a}`).join(', ')}.`,
      );
    }
  }
  if (s.Resource === undefined) throw invalid(`${where} has no Resource.`);
  for (const resource of list(s.Resource)) {
    if (resource !== resourceArn) throw invalid(`${where}: resource ${resource} is not ${resourceArn}.`);
  }
}

// ---- the operations --------------------------------------------------------------------------------

interface Target {
  kind: ResourceKind;
  arn: string;
  streamArn: string;
  account: string;
}

function parseTarget(arn: string | undefined): Target {
  // The model's length and pattern were checked before the handler ran.
  const value = arn ?? '';
  const stream = ISSUED_STREAM_ARN.exec(value);
  if (stream) return { kind: 'stream', arn: value, streamArn: value, account: stream[2] };
  const consumer = CONSUMER_ARN.exec(value);
  if (consumer) return { kind: 'consumer', arn: value, streamArn: consumer[1], account: consumer[3] };
  throw kinesisError.invalidArgument(`ResourceARN ${value} is neither a data stream nor a consumer ARN.`);
}

/** Put/Get/DeleteResourcePolicy: only the owner's account manages a resource's policy. */
export class ResourcePolicies {
  constructor(
    private readonly streams: StreamStorage,
    private readonly clock: Clock,
    /** Finds a stream the caller may use, by name or ARN, with Kinesis's errors. */
    private readonly lookup: (input: { StreamARN?: string }, ctx: RequestContext) => StreamRecord,
  ) {}

  async put(input: K.PutResourcePolicyInput, ctx: RequestContext): Promise<void> {
    const { target, stream } = this.resolve(input.ResourceARN, ctx, 'PutResourcePolicy');
    const policy = input.Policy ?? '';
    checkResourcePolicy(policy, target.arn, target.kind);
    if (target.kind === 'stream') {
      await this.streams.updateStream({ ...stream, resourcePolicy: policy });
    } else {
      await this.streams.updateStream({
        ...stream,
        consumerPolicies: { ...this.liveConsumerPolicies(stream), [target.arn]: policy },
      });
    }
  }

  get(input: K.GetResourcePolicyInput, ctx: RequestContext): K.GetResourcePolicyOutput {
    const { target, stream } = this.resolve(input.ResourceARN, ctx, 'GetResourcePolicy');
    const policy = target.kind === 'stream' ? stream.resourcePolicy : stream.consumerPolicies?.[target.arn];
    return { Policy: policy ?? NO_POLICY };
  }

  async delete(input: K.DeleteResourcePolicyInput, ctx: RequestContext): Promise<void> {
    const { target, stream } = this.resolve(input.ResourceARN, ctx, 'DeleteResourcePolicy');
    if (target.kind === 'stream') {
      await this.streams.updateStream({ ...stream, resourcePolicy: undefined });
      return;
    }
    const { [target.arn]: _dropped, ...rest } = this.liveConsumerPolicies(stream);
    await this.streams.updateStream({
      ...stream,
      consumerPolicies: Object.keys(rest).length > 0 ? rest : undefined,
    });
  }

  private resolve(arn: string | undefined, ctx: RequestContext, operation: string) {
    const target = parseTarget(arn);
    if (target.account !== ctx.caller.account && this.streams.getStream(target.streamArn)) {
      throw accessDenied(ctx, `kinesis:${operation}`, target.arn);
    }
    const stream = this.lookup({ StreamARN: target.streamArn }, ctx);
    if (
      target.kind === 'consumer' &&
      !liveConsumers(stream, this.clock.now()).some((c) => c.arn === target.arn)
    ) {
      throw kinesisError.notFoundText(
        `Consumer ${target.arn} under stream ${stream.name} not found for account ${stream.account}.`,
      );
    }
    return { target, stream };
  }

  /** Policies of consumers still registered: a deregistered consumer's policy goes with it. */
  private liveConsumerPolicies(stream: StreamRecord): Record<string, string> {
    const live = new Set(liveConsumers(stream, this.clock.now()).map((c) => c.arn));
    return Object.fromEntries(Object.entries(stream.consumerPolicies ?? {}).filter(([arn]) => live.has(arn)));
  }
}
