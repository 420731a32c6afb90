import { randomBytes } from 'node:crypto';

/** One version of a secret as stored: its value only as ciphertext (see vault.ts). */
export interface VersionRecord {
  id: string;
  createdAt: number;
  /** Midnight UTC of the last day it was read: AWS keeps the date only. */
  lastAccessedAt?: number;
  /** Staging labels in the order they were attached; none means deprecated. */
  stages: string[];
  kind: 'string' | 'binary';
  /** The value sealed with a data key (AES-256-GCM), base64. */
  sealed: string;
  /** The data key encrypted by KMS under the secret's key, base64. */
  dataKey: string;
  /** What ListSecretVersionIds shows: the customer key as given, or DefaultEncryptionKey. */
  keyLabel: string;
}

export interface RotationRecord {
  enabled: boolean;
  lambdaArn?: string;
  rules?: { AutomaticallyAfterDays?: number; Duration?: string; ScheduleExpression?: string };
  lastRotatedAt?: number;
  nextRotationAt?: number;
}

/** A secret, one journal row (table `secrets`), keyed by its ARN. */
export interface SecretRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  /** The customer key as the caller gave it (id, ARN, alias); absent for the AWS-managed key. */
  kmsKeyId?: string;
  /** The AWS service that made and manages the secret (`events` for EventBridge connections). */
  owningService?: string;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  /** DeleteSecret's time, and when the secret goes for good. */
  deletedAt?: number;
  deleteAfter?: number;
  /** Absent until the secret is first tagged: DescribeSecret then shows `Tags`, even empty. */
  tags?: { Key: string; Value: string }[];
  policy?: string;
  rotation?: RotationRecord;
  /** In creation order. */
  versions: VersionRecord[];
}

const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
export function secretArn(region: string, account: string, name: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const b of bytes) suffix += SUFFIX_CHARS[b % SUFFIX_CHARS.length];
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/** Names AWS accepts: letters, digits and -/_+=.@! */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]+$/;

/** Midnight UTC of the day `ms` falls in: AWS records LastAccessedDate as a date. */
export function dayOf(ms: number): number {
  return ms - (ms % 86_400_000);
}

/** The version holding a staging label, if any. */
export function holderOf(secret: SecretRecord, stage: string): VersionRecord | undefined {
  return secret.versions.find((v) => v.stages.includes(stage));
}

/** The map DescribeSecret and ListSecrets show: only versions that carry a label. */
export function stagesMap(secret: SecretRecord): Record<string, string[]> | undefined {
  const staged = secret.versions.filter((v) => v.stages.length > 0);
  if (staged.length === 0) return undefined;
  return Object.fromEntries(staged.map((v) => [v.id, [...v.stages]]));
}
