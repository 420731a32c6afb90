import type { Finding, KnowHowRule } from '../findings.js';
import { findingOn, label } from './finding-site.js';
import { queueRelations } from './relations.js';

const ID = 'missing-dlq';

/**
 * Without a dead-letter queue, a message that keeps failing is retried until it expires (a queue
 * consumed by Lambda blocks the batch that holds it, over and over), and an event or notification
 * that cannot be delivered after EventBridge's or SNS's retries is dropped without a trace.
 */
export const missingDlqRule: KnowHowRule = {
  id: ID,
  severity: 'warning',
  title: 'A Lambda-consumed queue, rule target or SNS subscription without a dead-letter queue',
  check(model, context) {
    const relations = queueRelations(model);
    const findings: Finding[] = [];
    for (const queue of model.queues) {
      const consumers = relations.lambdaConsumers.get(queue);
      if (!consumers || queue.redriveDlq !== undefined) continue;
      if (relations.deadLetterUses.has(queue)) continue;
      const finding = findingOn(model, context, ID, 'warning', queue, {
        message:
          `Queue ${label(queue)} is consumed by Lambda (${consumers.map(label).join(', ')}) and has no redrive ` +
          'policy: a message that keeps failing comes back after every visibility timeout until its ' +
          'retention period ends, and is then lost.',
        fix:
          'Add a dead-letter queue: RedrivePolicy: { deadLetterTargetArn: !GetAtt <Dlq>.Arn, maxReceiveCount: 5 } ' +
          '(Terraform redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.<dlq>.arn, maxReceiveCount = 5 })), ' +
          "and turn on ReportBatchItemFailures. A function's own DeadLetterConfig does not apply to SQS events.",
      });
      if (finding) findings.push(finding);
    }
    for (const rule of model.rules) {
      for (const target of rule.targets) {
        if (target.dlq !== undefined && target.dlq !== null) continue;
        const id = typeof target.targetId === 'string' ? target.targetId : '(id not known)';
        const finding = findingOn(model, context, ID, 'warning', rule, {
          message:
            `Rule ${label(rule)}: target ${id} has no dead-letter queue, so an event that EventBridge cannot ` +
            'deliver after its retries (24 hours by default) is dropped without a trace.',
          fix:
            `Give target ${id} a DeadLetterConfig: { Arn: !GetAtt <Dlq>.Arn } (Terraform dead_letter_config { arn = ... }), ` +
            'with a queue policy that lets events.amazonaws.com send to it from this rule.',
        });
        if (finding) findings.push(finding);
      }
    }
    for (const subscription of model.subscriptions) {
      if (subscription.dlq !== undefined && subscription.dlq !== null) continue;
      const protocol = typeof subscription.protocol === 'string' ? ` (${subscription.protocol})` : '';
      const finding = findingOn(model, context, ID, 'warning', subscription, {
        message:
          `Subscription ${label(subscription)}${protocol} has no dead-letter queue, so a message that SNS ` +
          'cannot deliver after its retries is dropped without a trace.',
        fix:
          // A topic's inline Subscription property takes only Endpoint and Protocol.
          (subscription.type === 'AWS::SNS::Topic.Subscription'
            ? 'Move the inline subscription to an AWS::SNS::Subscription resource (the Subscription property of a topic takes no RedrivePolicy), and set '
            : 'Set ') +
          'RedrivePolicy: { deadLetterTargetArn: !GetAtt <Dlq>.Arn } on the subscription (Terraform ' +
          'redrive_policy), with a queue policy that lets sns.amazonaws.com send to it from this topic.',
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};
