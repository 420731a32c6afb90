import { eventsError } from './errors.js';

/**
 * The texts of rules, targets and tags. Where AWS's recorded answers hold one (LocalStack's
 * AWS-validated snapshots, or AWS's answers quoted in public issues) it is AWS's word for word;
 * docs/eventbridge/rules.md lists the few Tideway had to word itself.
 */
export const ruleError = {
  busNotFound: (bus: string) => eventsError.notFound(`Event bus ${bus} does not exist.`),
  ruleNotFound: (rule: string, bus: string) =>
    eventsError.notFound(`Rule ${rule} does not exist on EventBus ${bus}.`),
  patternOrSchedule: () =>
    eventsError.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.'),
  scheduleOnCustomBus: () =>
    eventsError.validation('ScheduleExpression is supported only on the default event bus.'),
  hasTargets: () => eventsError.validation("Rule can't be deleted since it has targets."),
  managed: (rule: string) =>
    eventsError.managedRule(`${rule} is a managed rule. Set 'force' parameter to true to override.`),
  /** AWS answers one text for every count quota of rules and targets. */
  limitExceeded: () =>
    eventsError.limitExceeded('The requested resource exceeds the maximum number allowed.'),
  badArn: (arn: string) =>
    eventsError.validation(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`),
  sqsParametersRequired: (id: string) =>
    eventsError.validation(`Parameter(s) SqsParameters must be specified for target: ${id}.`),
  parameterNotValidForTarget: (parameter: string, id: string) =>
    eventsError.validation(`Parameter ${parameter} is not valid for target ${id}.`),
  // Tideway's wording: no recorded answer holds AWS's.
  deadLetterNotQueue: (id: string) =>
    eventsError.validation(
      `Parameter DeadLetterConfig.Arn is not valid for target ${id}. Reason: the dead-letter queue must be an Amazon SQS queue.`,
    ),
};
