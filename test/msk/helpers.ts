import assert from 'node:assert/strict';
import {
  BatchAssociateScramSecretCommand,
  CreateClusterCommand,
  GetBootstrapBrokersCommand,
  type GetBootstrapBrokersCommandOutput,
  KafkaClient,
} from '@aws-sdk/client-kafka';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { sdkRejects } from '../support/rejects.js';
import { credentials, uniqueName } from '../support/tideway.js';

const config = (endpoint: string, accessKeyId: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { ...credentials, accessKeyId },
  maxAttempts: 1,
});

/** An SDK v3 MSK client for the server at `endpoint`, in the account of `accessKeyId`. */
export function mskClient(endpoint: string, accessKeyId = credentials.accessKeyId): KafkaClient {
  return new KafkaClient(config(endpoint, accessKeyId));
}

export function secretsClient(endpoint: string, accessKeyId = credentials.accessKeyId): SecretsManagerClient {
  return new SecretsManagerClient(config(endpoint, accessKeyId));
}

export function kmsClient(endpoint: string, accessKeyId = credentials.accessKeyId): KMSClient {
  return new KMSClient(config(endpoint, accessKeyId));
}

/** The SDK error a call fails with: its name, HTTP status and (when given) its text. */
export async function mskRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  status = code === 'NotFoundException' ? 404 : code === 'ConflictException' ? 409 : 400,
): Promise<Error> {
  const err = await sdkRejects(call, code, message);
  if (err.$metadata?.httpStatusCode !== status)
    throw new Error(`expected HTTP ${status} for ${code}, got ${err.$metadata?.httpStatusCode}`);
  return err;
}

export const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'];

/** A provisioned cluster's CreateCluster input; `extra` overrides its fields. */
export function provisioned(name: string, extra: Record<string, unknown> = {}) {
  return {
    ClusterName: name,
    KafkaVersion: '3.6.0',
    NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: SUBNETS },
    ...extra,
  };
}

/** A customer managed KMS key of the account (its ARN). */
export async function customerKey(kms: KMSClient): Promise<string> {
  const key = await kms.send(new CreateKeyCommand({ Description: 'msk scram' }));
  return key.KeyMetadata!.Arn!;
}

/** A secret holding a SCRAM user, under `kmsKeyId` (the default key when absent); answers its ARN. */
export async function scramSecret(
  sm: SecretsManagerClient,
  name: string,
  user: { username: string; password: string },
  kmsKeyId?: string,
): Promise<string> {
  const secret = await sm.send(
    new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(user), KmsKeyId: kmsKeyId }),
  );
  return secret.ARN!;
}

export interface ScramCluster {
  msk: KafkaClient;
  sm: SecretsManagerClient;
  kms: KMSClient;
  /** The SCRAM user's secret, under a customer managed key. */
  secretArn: string;
  brokers: GetBootstrapBrokersCommandOutput;
  /** The CA served at /_tideway/kafka/ca.pem, which the TLS listeners' certificates chain to. */
  ca: string;
}

/**
 * A provisioned cluster authenticating as `clientAuthentication` says, with `user` associated as a
 * SCRAM user: its bootstrap brokers, the CA to trust, and the clients that made it (the caller
 * destroys them).
 */
export async function scramCluster(
  endpoint: string,
  name: string,
  user: { username: string; password: string },
  clientAuthentication: Record<string, unknown>,
): Promise<ScramCluster> {
  const msk = mskClient(endpoint);
  const sm = secretsClient(endpoint);
  const kms = kmsClient(endpoint);
  const created = await msk.send(
    new CreateClusterCommand(provisioned(uniqueName(name), { ClientAuthentication: clientAuthentication })),
  );
  const secretArn = await scramSecret(
    sm,
    uniqueName(`AmazonMSK_${user.username}`),
    user,
    await customerKey(kms),
  );
  const associated = await msk.send(
    new BatchAssociateScramSecretCommand({ ClusterArn: created.ClusterArn, SecretArnList: [secretArn] }),
  );
  assert.deepEqual(associated.UnprocessedScramSecrets, []);
  const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
  const res = await fetch(`${endpoint}/_tideway/kafka/ca.pem`);
  assert.equal(res.status, 200);
  return { msk, sm, kms, secretArn, brokers, ca: await res.text() };
}
