import type { Entity, EventRule, Model } from '../model.js';
import { arnFields } from './policy-values.js';

/** The AWS service an entity of the model belongs to, by the list that holds it. */
export type EntityService = 'sqs' | 'sns' | 'events' | 's3' | 'pipes' | 'iam' | 'kms' | 'other';

export function serviceOf(model: Model, entity: Entity): EntityService {
  if ((model.queues as Entity[]).includes(entity)) return 'sqs';
  if ((model.topics as Entity[]).includes(entity)) return 'sns';
  if ((model.rules as Entity[]).includes(entity) || (model.buses as Entity[]).includes(entity))
    return 'events';
  if ((model.buckets as Entity[]).includes(entity)) return 's3';
  if ((model.pipes as Entity[]).includes(entity)) return 'pipes';
  if ((model.roles as Entity[]).includes(entity)) return 'iam';
  if ((model.keys as Entity[]).includes(entity)) return 'kms';
  return 'other';
}

// Written as CloudFormation pseudo parameters, as the readers keep them in strings.
const IN_STACK = `arn:${'${'}AWS::Partition}`;
const REGION_ACCOUNT = `${'${'}AWS::Region}:${'${'}AWS::AccountId}`;

/**
 * The entity's ARN: the one the reader knows, or the one AWS will give it when its name is a
 * literal (pseudo parameters stand for this stack's partition, region and account). Undefined when
 * the name is generated at deploy time.
 */
export function entityArn(model: Model, entity: Entity): string | undefined {
  if (entity.arn) return entity.arn;
  const name = entity.name;
  if (typeof name !== 'string' || name === '') return undefined;
  switch (serviceOf(model, entity)) {
    case 'sqs':
      return `${IN_STACK}:sqs:${REGION_ACCOUNT}:${name}`;
    case 'sns':
      return `${IN_STACK}:sns:${REGION_ACCOUNT}:${name}`;
    case 's3':
      return `${IN_STACK}:s3:::${name}`;
    case 'events': {
      const bus = (entity as EventRule).bus;
      if ((model.buses as Entity[]).includes(entity))
        return `${IN_STACK}:events:${REGION_ACCOUNT}:event-bus/${name}`;
      // Rules on the default bus have `rule/<name>`; on another bus `rule/<bus>/<name>`.
      if (bus === undefined || bus === null || bus === 'default') {
        return `${IN_STACK}:events:${REGION_ACCOUNT}:rule/${name}`;
      }
      if (typeof bus === 'string' && !bus.startsWith('arn:')) {
        return `${IN_STACK}:events:${REGION_ACCOUNT}:rule/${bus}/${name}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The service field of a literal ARN (`sqs`, `sns`, `events`, `s3`…). */
export function arnService(arn: string): string | undefined {
  return arnFields(arn)?.[2];
}
