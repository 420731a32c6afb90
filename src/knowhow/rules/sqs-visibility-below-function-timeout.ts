import type { Finding, KnowHowRule } from '../findings.js';
import { findingOn, label } from './finding-site.js';
import { functionOf, queueOf, seconds } from './relations.js';

const ID = 'sqs-visibility-below-function-timeout';
const DEFAULT_VISIBILITY = 30;
const DEFAULT_FUNCTION_TIMEOUT = 3;

/**
 * Lambda refuses to create an SQS event source mapping when the function's timeout exceeds the
 * queue's visibility timeout (the message would reappear while still being processed). AWS asks
 * for at least six times the function timeout, so that retries of a throttled batch fit.
 */
export const sqsVisibilityBelowFunctionTimeoutRule: KnowHowRule = {
  id: ID,
  severity: 'error',
  title: 'A queue visibility timeout is below the timeout of the function that consumes it',
  check(model, context) {
    const findings: Finding[] = [];
    for (const mapping of model.mappings) {
      const queue = queueOf(model, mapping.source);
      if (!queue) continue;
      const target = functionOf(model, mapping);
      if (!target.fn) {
        context.explain({
          resource: mapping.id,
          origin: mapping.origin,
          message:
            `${ID}: the function of ${mapping.id} is ` +
            (target.kind === 'unknown' ? `not known (${target.reason}).` : 'not in the template.'),
        });
        continue;
      }
      const fn = target.fn;
      const visibility = seconds(queue.visibilityTimeoutSeconds, DEFAULT_VISIBILITY);
      const timeout = seconds(fn.timeoutSeconds, DEFAULT_FUNCTION_TIMEOUT);
      if ('unknown' in visibility || 'unknown' in timeout) {
        context.explain({
          resource: queue.id,
          origin: queue.origin,
          message:
            `${ID}: ` +
            ('unknown' in visibility
              ? `the visibility timeout of ${queue.id} is not known (${visibility.unknown}).`
              : `the timeout of ${fn.id} is not known (${(timeout as { unknown: string }).unknown}).`),
        });
        continue;
      }
      const v = visibility.value;
      const t = timeout.value;
      const written = (value: number, set: boolean, fallback: number) =>
        set
          ? `${value} s`
          : `${value} s (default ${fallback === DEFAULT_VISIBILITY ? 'of SQS' : 'of Lambda'})`;
      const vText = written(v, queue.visibilityTimeoutSeconds !== undefined, DEFAULT_VISIBILITY);
      const tText = written(t, fn.timeoutSeconds !== undefined, DEFAULT_FUNCTION_TIMEOUT);
      const fix =
        `Set VisibilityTimeout on ${queue.id} to at least ${6 * t} (six times the function timeout; ` +
        `Terraform visibility_timeout_seconds = ${6 * t}), or lower the function's Timeout.`;
      let finding: Finding | undefined;
      if (v < t) {
        finding = findingOn(model, context, ID, 'error', queue, {
          message:
            `Queue ${label(queue)} has a visibility timeout of ${vText}, below the ${tText} timeout of ` +
            `${label(fn)}, which consumes it: Lambda refuses to create the event source mapping.`,
          fix,
        });
      } else if (v < 6 * t) {
        finding = findingOn(model, context, ID, 'warning', queue, {
          message:
            `Queue ${label(queue)} has a visibility timeout of ${vText}, less than six times the ${tText} ` +
            `timeout of ${label(fn)}, which consumes it: a batch retried after throttling can reappear ` +
            'while it is still being processed, and be handled twice.',
          fix,
        });
      }
      if (finding) findings.push(finding);
    }
    return findings;
  },
};
