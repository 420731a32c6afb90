import { evaluatePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import type { QueueRecord, QueueStorage } from '../../storage/types.js';
import { sqsError } from './errors.js';
import { parseQueueUrl, queueUrl } from './queue-url.js';

/** Finds the queue a request names and admits the caller to it: every operation starts here. */
export class QueueAccess {
  constructor(private readonly storage: QueueStorage) {}

  /** The queue a URL names, once the caller may use it; at once when the storage can say at once. */
  resolve(url: string, ctx: RequestContext, action: string): QueueRecord | Promise<QueueRecord> {
    const address = parseQueueUrl(url);
    if (!address) throw sqsError.queueDoesNotExist();
    const region = address.region ?? ctx.caller.region;
    if (this.storage.getQueueNow) {
      return this.admit(this.storage.getQueueNow(address.account, region, address.name), ctx, action);
    }
    return this.storage
      .getQueue(address.account, region, address.name)
      .then((queue) => this.admit(queue, ctx, action));
  }

  private admit(queue: QueueRecord | undefined, ctx: RequestContext, action: string): QueueRecord {
    if (!queue) throw sqsError.queueDoesNotExist();
    if (queue.account !== ctx.caller.account) this.authorizeForeign(queue, ctx, action);
    return queue;
  }

  /** Another account reaches a queue only where its policy allows it. */
  authorizeForeign(queue: QueueRecord, ctx: RequestContext, action: string): void {
    const policy = queue.attributes.Policy;
    const decision = policy
      ? evaluatePolicy(policy, {
          principal: { kind: 'AWS', id: `arn:aws:iam::${ctx.caller.account}:root` },
          action: `sqs:${action}`,
          resource: queue.arn,
          context: {
            'aws:SourceAccount': ctx.caller.account,
            'aws:PrincipalAccount': ctx.caller.account,
            'aws:SecureTransport': String(ctx.secure),
          },
        })
      : 'ImplicitDeny';
    if (decision !== 'Allow') {
      ctx.log.warn(
        { queue: queue.arn, callerAccount: ctx.caller.account, action: `sqs:${action}` },
        policy
          ? 'denied: the queue policy does not allow this account'
          : 'denied: the queue belongs to another account and has no policy',
      );
      throw sqsError.accessDenied(`arn:aws:iam::${ctx.caller.account}:root`, `sqs:${action}`, queue.arn);
    }
  }

  urlOf(queue: QueueRecord, ctx: RequestContext): string {
    return queueUrl(ctx.baseUrl, queue.account, queue.name);
  }
}

/** Paging by name with an opaque token; without MaxResults AWS returns up to 1,000 and no token. */
export function pageOfQueues<T>(
  queues: QueueRecord[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  limit: number,
  shape: (page: QueueRecord[], next?: string) => T,
): T {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > limit)) {
    throw sqsError.invalidParameterValue(
      `Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${limit}.`,
    );
  }
  let start = 0;
  if (nextToken !== undefined) {
    const after = Buffer.from(nextToken, 'base64').toString('utf8');
    if (!after.startsWith('tw:')) throw sqsError.invalidParameterValue('Invalid NextToken value.');
    start = queues.findIndex((q) => q.arn > after.slice(3));
    if (start < 0) start = queues.length;
  }
  const size = maxResults ?? limit;
  const page = queues.slice(start, start + size);
  const more = maxResults !== undefined && start + size < queues.length;
  return shape(page, more ? Buffer.from(`tw:${page[page.length - 1].arn}`).toString('base64') : undefined);
}
