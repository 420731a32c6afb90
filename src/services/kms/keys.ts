import type { KeyState } from './front-door.js';

/** One KMS key as stored: a row of `kmsKeys`, keyed by its ARN. Material is wrapped (master-key.ts). */
export interface KeyRecord {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  createdAt: number;
  description: string;
  keyUsage: 'ENCRYPT_DECRYPT';
  keySpec: 'SYMMETRIC_DEFAULT';
  origin: 'AWS_KMS';
  manager: 'AWS' | 'CUSTOMER';
  /** For an AWS-managed key: the service it belongs to (`sqs`). */
  service?: string;
  multiRegion: boolean;
  state: KeyState;
  /** Epoch ms, while PendingDeletion. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  policy: string;
  tags: Array<{ TagKey: string; TagValue: string }>;
  material: string;
  materialId: string;
  rotation?: { enabled: boolean; periodInDays: number; enabledAt: number };
}

/** An alias: a row of `kmsAliases`, keyed by its ARN. */
export interface AliasRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export function keyArn(region: string, account: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

export function aliasArn(region: string, account: string, name: string): string {
  return `arn:aws:kms:${region}:${account}:${name}`;
}

export const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MRK_KEY_ID = /^mrk-[0-9a-f]{32}$/;

/** `arn:aws:kms:<region>:<account>:key/<id>` or `…:alias/<name>`, split; undefined when it is neither. */
export function parseKmsArn(
  arn: string,
): { region: string; account: string; kind: 'key' | 'alias'; rest: string } | undefined {
  const m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, account: m[2]!, kind: m[3] as 'key' | 'alias', rest: m[4]! };
}

/**
 * The key policy KMS writes when CreateKey gets none: the account's root, which delegates to IAM
 * (Tideway has none, so the account's own credentials are allowed). Printed as KMS prints it.
 */
export function defaultKeyPolicy(account: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

/** AWS-managed keys Tideway knows: the service's alias suffix, its display name and the key's description. */
export const AWS_MANAGED: Record<string, { title: string; description: string }> = {
  sqs: {
    title: 'Simple Queue Service (SQS)',
    description: 'Default key that protects my SQS messages when no other key is defined',
  },
  sns: {
    title: 'Simple Notification Service (SNS)',
    description: 'Default master key that protects my SNS data when no other key is defined',
  },
  kinesis: {
    title: 'Amazon Kinesis',
    description: 'Default master key that protects my Kinesis data when no other key is defined',
  },
  secretsmanager: {
    title: 'AWS Secrets Manager',
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
  },
  firehose: {
    title: 'Amazon Kinesis Firehose',
    description: 'Default master key that protects my Kinesis Firehose data when no other key is defined',
  },
  events: {
    title: 'Amazon EventBridge',
    description: 'Default key that protects my EventBridge data when no other key is defined',
  },
};

/**
 * The policy of an AWS-managed key: the service may use it for any principal of the account that
 * calls through it (kms:ViaService, kms:CallerAccount); the account may only read its metadata.
 */
export function awsManagedKeyPolicy(service: string, account: string, region: string): string {
  const title = AWS_MANAGED[service]?.title ?? service;
  const policy = {
    Version: '2012-10-17',
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: `Allow access through ${title} for all principals in the account that are authorized to use ${title}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:CreateGrant',
          'kms:DescribeKey',
        ],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': account,
            'kms:ViaService': `${service}.${region}.amazonaws.com`,
          },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  };
  return JSON.stringify(policy, null, 2);
}
