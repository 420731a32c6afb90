import type { KeyState } from './front-door.js';

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC' | 'SIGN_VERIFY';
export type KeySpec =
  | 'SYMMETRIC_DEFAULT'
  | 'HMAC_224'
  | 'HMAC_256'
  | 'HMAC_384'
  | 'HMAC_512'
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1';

/** The HMAC key specs: their material length in bytes and their one MAC algorithm. */
export const HMAC_SPECS: Record<string, { bytes: number; algorithm: string; hash: string }> = {
  HMAC_224: { bytes: 28, algorithm: 'HMAC_SHA_224', hash: 'sha224' },
  HMAC_256: { bytes: 32, algorithm: 'HMAC_SHA_256', hash: 'sha256' },
  HMAC_384: { bytes: 48, algorithm: 'HMAC_SHA_384', hash: 'sha384' },
  HMAC_512: { bytes: 64, algorithm: 'HMAC_SHA_512', hash: 'sha512' },
};

/** One KMS key as stored: a row of `kmsKeys`, keyed by its ARN. Material is wrapped (master-key.ts). */
export interface KeyRecord {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  createdAt: number;
  description: string;
  keyUsage: KeyUsage;
  keySpec: KeySpec;
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

/** A new alias of `targetKeyId`, created and last updated `now`. */
export function newAlias(
  name: string,
  account: string,
  region: string,
  targetKeyId: string,
  now: number,
): AliasRecord {
  return {
    arn: aliasArn(region, account, name),
    name,
    account,
    region,
    targetKeyId,
    createdAt: now,
    updatedAt: now,
  };
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
 * JSON as KMS prints the policies it writes (Jackson's pretty printer): `"key" : value`, two
 * spaces per object level, arrays on one line with their objects opened inline.
 */
export function printPolicy(value: unknown, depth = 0): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[ ]' : `[ ${value.map((v) => printPolicy(v, depth)).join(', ')} ]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    const pad = '  '.repeat(depth + 1);
    const members = entries.map(([k, v]) => `${pad}${JSON.stringify(k)} : ${printPolicy(v, depth + 1)}`);
    return `{\n${members.join(',\n')}\n${'  '.repeat(depth)}}`;
  }
  return JSON.stringify(value);
}

/**
 * The key policy KMS writes when CreateKey gets none: the account's root, which delegates to IAM
 * (Tideway has none, so the account's own credentials are allowed).
 */
export function defaultKeyPolicy(account: string): string {
  return printPolicy({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/**
 * The AWS-managed keys Tideway creates, by alias suffix: the description and key policy AWS gives
 * each. SNS's and Secrets Manager's are as AWS writes them (exported from real accounts); the
 * others follow the same pattern (docs/kms.md says which are not confirmed).
 */
interface ManagedKind {
  description: string;
  policyId: string;
  /** The service as the policy's statement names it. */
  title: string;
  actions: string[];
  /** Secrets Manager also lets its service generate data keys from any region. */
  anyRegionDataKeys?: boolean;
}

const USE = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
  'kms:DescribeKey',
];

export const AWS_MANAGED: Record<string, ManagedKind> = {
  sqs: {
    description: 'Default key that protects my SQS messages when no other key is defined',
    policyId: 'auto-sqs-2',
    title: 'SQS',
    actions: USE,
  },
  sns: {
    description: 'Default key that protects my SNS data when no other key is defined',
    policyId: 'auto-sns-1',
    title: 'SNS',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:DescribeKey'],
  },
  kinesis: {
    description: 'Default key that protects my Kinesis data when no other key is defined',
    policyId: 'auto-kinesis-2',
    title: 'Kinesis',
    actions: USE,
  },
  secretsmanager: {
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
    policyId: 'auto-secretsmanager-2',
    title: 'AWS Secrets Manager',
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:DescribeKey'],
    anyRegionDataKeys: true,
  },
  firehose: {
    description: 'Default key that protects my Kinesis Firehose data when no other key is defined',
    policyId: 'auto-firehose-2',
    title: 'Kinesis Firehose',
    actions: USE,
  },
  events: {
    description: 'Default key that protects my EventBridge data when no other key is defined',
    policyId: 'auto-events-2',
    title: 'EventBridge',
    actions: USE,
  },
};

/**
 * The policy of an AWS-managed key: any principal of the account may use it through the service
 * (kms:ViaService, kms:CallerAccount); the account itself may only read its metadata.
 */
export function awsManagedKeyPolicy(service: string, account: string, region: string): string {
  const kind = AWS_MANAGED[service];
  const title = kind?.title ?? service;
  const sid = `Allow access through ${title} for all principals in the account that are authorized to use ${title}`;
  const statements: object[] = [
    {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: kind?.actions ?? USE,
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:CallerAccount': account,
          'kms:ViaService': `${service}.${region}.amazonaws.com`,
        },
      },
    },
  ];
  if (kind?.anyRegionDataKeys) {
    statements.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': account },
        StringLike: { 'kms:ViaService': `${service}.*.amazonaws.com` },
      },
    });
  }
  statements.push({
    Sid: 'Allow direct access to key metadata to the account',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
    Resource: '*',
  });
  return printPolicy({
    Version: '2012-10-17',
    Id: kind?.policyId ?? `auto-${service}-2`,
    Statement: statements,
  });
}
