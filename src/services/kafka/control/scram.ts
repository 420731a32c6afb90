import type * as K from '@aws-sdk/client-kafka';
import type { RequestContext } from '../../../protocols/service.js';
import { mskError } from './errors.js';
import { page } from './paging.js';
import type { ClusterRecord } from './records.js';
import { type MskState, scramUser } from './state.js';

/** Secrets per Batch(Dis)associateScramSecret call. */
const PER_CALL = 10;
/** SCRAM users per cluster. */
const PER_CLUSTER = 1000;
const PREFIX = 'AmazonMSK_';
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/** AWS's texts for refused secrets (ErrorCode InvalidSecretArn); docs/msk.md marks Tideway's own. */
export const SCRAM_MESSAGES = {
  prefix:
    "The provided secret arn cannot be used with Amazon MSK. Secret names must have the prefix 'AmazonMSK_'",
  access: "Amazon MSK wasn't able to access the provided secret.",
  defaultKey:
    'The provided secret arn cannot be used with Amazon MSK. Secrets encrypted with the default AWS KMS key (aws/secretsmanager) cannot be associated: use a customer managed key.',
  elsewhere:
    'The provided secret arn cannot be used with Amazon MSK. The secret must be in the same account and Region as the cluster.',
  value:
    'The provided secret arn cannot be used with Amazon MSK. Its value must be a JSON object with a username and a password.',
  notAssociated: 'The provided secret is not associated with the cluster.',
} as const;

interface Unprocessed {
  ErrorCode: string;
  ErrorMessage: string;
  SecretArn: string;
}

/** SASL/SCRAM users from Secrets Manager secrets, with MSK's rules for which secrets may be used. */
export function scramOperations(state: MskState) {
  const scramCluster = (ctx: RequestContext, arn: string): ClusterRecord => {
    const cluster = state.cluster(arn, ctx.caller);
    if (!cluster.clientAuthentication.scram)
      throw mskError.badRequest('SASL/SCRAM authentication is not enabled for this cluster.', 'clusterArn');
    if (cluster.state === 'DELETING' || cluster.state === 'FAILED') throw mskError.clusterBusy(cluster.state);
    return cluster;
  };
  const checkList = (list: string[] | undefined): string[] => {
    if (!list || list.length === 0)
      throw mskError.badRequest('secretArnList must name at least one secret.', 'secretArnList');
    if (list.length > PER_CALL)
      throw mskError.badRequest(
        `secretArnList can name at most ${PER_CALL} secrets per call.`,
        'secretArnList',
      );
    return list;
  };

  /** Why MSK cannot use a secret for this cluster, if it cannot. */
  const refusal = async (cluster: ClusterRecord, arn: string): Promise<string | undefined> => {
    const match = SECRET_ARN.exec(arn);
    if (!match) return SCRAM_MESSAGES.access;
    const [, region, account, nameWithSuffix] = match as unknown as [string, string, string, string];
    if (region !== cluster.region || account !== cluster.account) return SCRAM_MESSAGES.elsewhere;
    if (!nameWithSuffix.startsWith(PREFIX)) return SCRAM_MESSAGES.prefix;
    const secrets = state.deps.secrets();
    const facts = secrets?.describe(arn);
    if (!secrets || !facts || facts.deleted) return SCRAM_MESSAGES.access;
    if (facts.kmsKeyId === undefined) return SCRAM_MESSAGES.defaultKey;
    const key = state.deps.kms()?.describe(facts.kmsKeyId, { account, region });
    if (!key?.ok) return SCRAM_MESSAGES.access;
    if (key.manager === 'AWS') return SCRAM_MESSAGES.defaultKey;
    let value: string;
    try {
      value = await secrets.read(arn);
    } catch {
      return SCRAM_MESSAGES.access;
    }
    return scramUser(arn, value) ? undefined : SCRAM_MESSAGES.value;
  };

  return {
    async BatchAssociateScramSecret(input: K.BatchAssociateScramSecretRequest, ctx: RequestContext) {
      const cluster = scramCluster(ctx, input.ClusterArn!);
      const list = checkList(input.SecretArnList);
      const fresh = new Set(list.filter((arn) => !cluster.scramSecrets.includes(arn)));
      if (cluster.scramSecrets.length + fresh.size > PER_CLUSTER)
        throw mskError.badRequest(
          `A cluster can have at most ${PER_CLUSTER} SCRAM secrets associated; it has ${cluster.scramSecrets.length}.`,
          'secretArnList',
        );
      const unprocessed: Unprocessed[] = [];
      for (const arn of new Set(list)) {
        const why = await refusal(cluster, arn);
        if (why) unprocessed.push({ ErrorCode: 'InvalidSecretArn', ErrorMessage: why, SecretArn: arn });
        else if (!cluster.scramSecrets.includes(arn)) cluster.scramSecrets.push(arn);
      }
      await state.clusters.put(cluster.arn, cluster);
      state.watchSecrets();
      await state.refreshUsers(cluster.arn);
      return { ClusterArn: cluster.arn, UnprocessedScramSecrets: unprocessed };
    },
    async BatchDisassociateScramSecret(input: K.BatchDisassociateScramSecretRequest, ctx: RequestContext) {
      const cluster = scramCluster(ctx, input.ClusterArn!);
      const list = checkList(input.SecretArnList);
      const unprocessed: Unprocessed[] = [];
      for (const arn of new Set(list)) {
        const at = cluster.scramSecrets.indexOf(arn);
        if (at < 0)
          unprocessed.push({
            ErrorCode: 'InvalidSecretArn',
            ErrorMessage: SCRAM_MESSAGES.notAssociated,
            SecretArn: arn,
          });
        else cluster.scramSecrets.splice(at, 1);
      }
      await state.clusters.put(cluster.arn, cluster);
      await state.refreshUsers(cluster.arn);
      return { ClusterArn: cluster.arn, UnprocessedScramSecrets: unprocessed };
    },
    ListScramSecrets(input: K.ListScramSecretsRequest, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      const { items, nextToken } = page(cluster.scramSecrets, input.MaxResults, input.NextToken);
      return { SecretArnList: items, NextToken: nextToken };
    },
  };
}
