import { parseArn } from '../../core/arn.js';
import { checkTargetInput } from './input.js';
import type { TargetRecord } from './records.js';
import { ruleError } from './rule-errors.js';

const TARGET_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

// A target-specific parameter belongs to the targets of its own services; on any other target
// AWS refuses it ("Parameter RunCommandParameters is not valid for target …", quoted in public issues).
const PARAMETER_SERVICES: Record<string, (service: string, resource: string) => boolean> = {
  SqsParameters: (service) => service === 'sqs',
  KinesisParameters: (service) => service === 'kinesis',
  HttpParameters: (service, resource) =>
    service === 'execute-api' || (service === 'events' && resource.startsWith('api-destination/')),
  RunCommandParameters: (service) => service === 'ssm' || service === 'ec2',
  EcsParameters: (service) => service === 'ecs',
  BatchParameters: (service) => service === 'batch',
  RedshiftDataParameters: (service) => service === 'redshift' || service === 'redshift-serverless',
  SageMakerPipelineParameters: (service) => service === 'sagemaker',
  AppSyncParameters: (service) => service === 'appsync',
};

/**
 * PutTargets' checks of one target, each a whole-call ValidationException as AWS answers them
 * (the recorded answers hold no per-entry FailedEntries for a target AWS refuses).
 */
export function checkTarget(target: TargetRecord): void {
  const id = target.Id!;
  const arnText = target.Arn!;
  const arn = TARGET_ARN.test(arnText) ? parseArn(arnText) : undefined;
  if (!arn) throw ruleError.badArn(arnText);
  for (const [parameter, fits] of Object.entries(PARAMETER_SERVICES)) {
    if (target[parameter as keyof TargetRecord] !== undefined && !fits(arn.service, arn.resource)) {
      throw ruleError.parameterNotValidForTarget(parameter, id);
    }
  }
  // A FIFO queue takes no message without a group: AWS wants the group named up front.
  if (arn.service === 'sqs' && arn.resource.endsWith('.fifo') && !target.SqsParameters?.MessageGroupId) {
    throw ruleError.sqsParametersRequired(id);
  }
  const deadLetter = target.DeadLetterConfig?.Arn;
  if (deadLetter !== undefined) {
    const queue = TARGET_ARN.test(deadLetter) ? parseArn(deadLetter) : undefined;
    if (!queue) throw ruleError.badArn(deadLetter);
    if (queue.service !== 'sqs') throw ruleError.deadLetterNotQueue(id);
  }
  checkTargetInput(target);
}
