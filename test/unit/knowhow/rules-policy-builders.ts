import type {
  AttachedPolicy,
  Bucket,
  EventRule,
  KmsKey,
  Pipe,
  Role,
  RuleTarget,
  Subscription,
  Sym,
} from '../../../src/knowhow/model.js';
import { base, ref } from '../../support/knowhow-model.js';

/** Builders for the policy rules' tests, on top of test/support/knowhow-model.ts. */

export function policy(from: string, statements: Sym[], line = 40): AttachedPolicy {
  return {
    document: { Version: '2012-10-17', Statement: statements },
    from,
    origin: { file: 'template.yaml', line },
  };
}

export function allow(service: string, action: Sym, resource: Sym, condition?: Sym): Sym {
  const statement: Record<string, Sym> = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: action,
    Resource: resource,
  };
  if (condition !== undefined) statement.Condition = condition;
  return statement;
}

export const sourceArn = (value: Sym): Sym => ({ ArnEquals: { 'aws:SourceArn': value } });

export function rule(id: string, targets: Partial<RuleTarget>[], fields: Partial<EventRule> = {}): EventRule {
  return {
    ...base(id, 'AWS::Events::Rule', 10),
    bus: 'default',
    hasPattern: true,
    hasSchedule: false,
    targets: targets.map((target, index) => ({ targetId: `T${index}`, arn: null, ...target })),
    ...fields,
  };
}

export function subscription(
  id: string,
  topic: string,
  endpoint: Sym,
  fields: Partial<Subscription> = {},
): Subscription {
  return {
    ...base(id, 'AWS::SNS::Subscription', 20),
    topic: ref(topic),
    protocol: 'sqs',
    endpoint,
    ...fields,
  };
}

export function bucket(
  id: string,
  notifications: Bucket['notifications'],
  fields: Partial<Bucket> = {},
): Bucket {
  return { ...base(id, 'AWS::S3::Bucket', 30), notifications, ...fields };
}

export function pipe(id: string, fields: Partial<Pipe> = {}): Pipe {
  return {
    ...base(id, 'AWS::Pipes::Pipe', 50),
    source: null,
    target: null,
    roleArn: ref('PipeRole', 'Arn'),
    ...fields,
  };
}

export function role(id: string, trust: Sym, policies: AttachedPolicy[] = []): Role {
  return { ...base(id, 'AWS::IAM::Role', 60), trust, policies };
}

export function trustFor(service: string, condition?: Sym): Sym {
  const statement: Record<string, Sym> = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
  };
  if (condition !== undefined) statement.Condition = condition;
  return { Version: '2012-10-17', Statement: [statement] };
}

export function key(id: string, policyDocument: Sym, aliases: string[] = []): KmsKey {
  return { ...base(id, 'AWS::KMS::Key', 70), policy: policyDocument, aliases };
}

/** The root-account statement every key policy starts with: it does not let services in. */
export const ROOT_STATEMENT: Sym = {
  Effect: 'Allow',
  Principal: { AWS: `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root` },
  Action: 'kms:*',
  Resource: '*',
};

/** `${AWS::AccountId}` as the readers keep it in strings. */
export const ACCOUNT_ID = `\${AWS::AccountId}`;
