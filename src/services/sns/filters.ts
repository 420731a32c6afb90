import {
  type FilterPolicy,
  FilterPolicyError,
  type FilterPolicyScope,
  matchesAttributes,
  matchesBody,
  parseFilterPolicy,
} from '../../core/patterns/filter-policy.js';
import type { SubscriptionRecord } from '../../storage/types.js';
import { snsError } from './errors.js';
import { jsonParseFailure } from './json-syntax.js';
import type { Publication } from './publication.js';

/** Subscription filter policies, compiled once per text and kept by subscription. */
export class SubscriptionFilters {
  private readonly compiled = new Map<string, { source: string; policy: FilterPolicy }>();

  /** Subscribe words its errors "Attributes Reason: FilterPolicy: …", SetSubscriptionAttributes "FilterPolicy: …". */
  compile(sub: Pick<SubscriptionRecord, 'attributes'>, subscribing = false): FilterPolicy | undefined {
    const source = sub.attributes.FilterPolicy;
    if (!source) return undefined;
    const scope = (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
    try {
      return parseFilterPolicy(source, scope);
    } catch (err) {
      if (!(err instanceof FilterPolicyError)) throw err;
      // The shared parser says only that the JSON is bad; SNS adds its parser's words for where.
      const reason = err.message === 'failed to parse JSON.' ? jsonParseFailure(source) : err.message;
      if (!err.underFilterPolicy) throw snsError.invalidParameterText(`Invalid parameter: ${reason}`);
      throw snsError.invalidParameter(
        subscribing ? `Attributes Reason: FilterPolicy: ${reason}` : `FilterPolicy: ${reason}`,
      );
    }
  }

  private of(sub: SubscriptionRecord): FilterPolicy | undefined {
    // Most subscriptions have no filter: nothing to look up on every publication.
    if (!sub.attributes.FilterPolicy) return undefined;
    const source = `${sub.attributes.FilterPolicyScope ?? ''}|${sub.attributes.FilterPolicy ?? ''}`;
    const cached = this.compiled.get(sub.arn);
    if (cached && cached.source === source) return cached.policy;
    const policy = this.compile(sub);
    if (policy) this.compiled.set(sub.arn, { source, policy });
    else this.compiled.delete(sub.arn);
    return policy;
  }

  matches(sub: SubscriptionRecord, p: Publication): boolean {
    const policy = this.of(sub);
    if (!policy) return true;
    return (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') === 'MessageBody'
      ? matchesBody(policy, p.message)
      : matchesAttributes(policy, p.attributes);
  }

  forget(subscriptionArn: string): void {
    this.compiled.delete(subscriptionArn);
  }

  clear(): void {
    this.compiled.clear();
  }
}
