import type { Finding, KnowHowRule } from '../findings.js';
import { findingOn, label } from './finding-site.js';
import { queueRelations, seconds } from './relations.js';

const ID = 'sqs-short-polling';

/**
 * A queue that code polls with ReceiveMessageWaitTimeSeconds 0 answers every ReceiveMessage at
 * once, most often empty, from a sample of its servers (false empties): more requests, more
 * cost, no faster delivery. Lambda event source mappings and Pipes long-poll whatever the queue
 * says, and a dead-letter queue is read by hand or redriven, so those are left alone.
 */
export const sqsShortPollingRule: KnowHowRule = {
  id: ID,
  severity: 'warning',
  title: 'A queue that code polls uses short polling (ReceiveMessageWaitTimeSeconds 0)',
  check(model, context) {
    const relations = queueRelations(model);
    const findings: Finding[] = [];
    for (const queue of model.queues) {
      const wait = seconds(queue.receiveWaitTimeSeconds, 0);
      if ('unknown' in wait) {
        context.explain({
          resource: queue.id,
          origin: queue.origin,
          message: `${ID}: ReceiveMessageWaitTimeSeconds of ${queue.id} is not known (${wait.unknown}).`,
        });
        continue;
      }
      if (wait.value > 0) continue;
      if (relations.lambdaConsumers.has(queue) || relations.pipeConsumers.has(queue)) continue;
      if (relations.deadLetterUses.has(queue)) continue;
      const unresolved = [...relations.unresolvedConsumers, ...relations.unresolvedDeadLetters];
      if (unresolved.length > 0) {
        const first = unresolved[0]!;
        context.explain({
          resource: queue.id,
          origin: queue.origin,
          message:
            `${ID}: no finding on ${queue.id}: ${first.from.id} has a ${first.what} that is not known ` +
            `(${first.reason}); it may be a Lambda or Pipe consumer, or a dead-letter use, of this queue.`,
        });
        continue;
      }
      const setting =
        queue.receiveWaitTimeSeconds === undefined
          ? 'does not set ReceiveMessageWaitTimeSeconds (default 0)'
          : 'sets ReceiveMessageWaitTimeSeconds to 0';
      const finding = findingOn(model, context, ID, 'warning', queue, {
        message:
          `Queue ${label(queue)} ${setting}, and no Lambda event source mapping or Pipe ${model.source === 'live' ? 'in this account' : 'declared with it'} ` +
          'reads it, so code polls it: every ReceiveMessage returns at once, ' +
          'often empty or falsely empty, and consumers pay for the empty receives.',
        fix:
          'Turn on long polling: ReceiveMessageWaitTimeSeconds: 20 (Terraform receive_wait_time_seconds = 20), ' +
          'or pass WaitTimeSeconds=20 on every ReceiveMessage. Keep the SDK read timeout above the wait.',
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};
