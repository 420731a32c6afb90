import type * as K from '@aws-sdk/client-kafka';
import type { RequestContext } from '../../../protocols/service.js';
import { operationInfo, operationSummaryV2, operationV2 } from './describe.js';
import { mskError } from './errors.js';
import { page } from './paging.js';
import type { ClusterRecord, OperationRecord } from './records.js';
import type { MskState } from './state.js';
import { KAFKA_VERSIONS, upgradeTargets } from './versions.js';

/** UpdateClusterConfiguration, the operations it and the lifecycle leave, and the version lists. */
export function clusterChangeOperations(state: MskState) {
  const findOperation = (ctx: RequestContext, arn: string): [ClusterRecord, OperationRecord] => {
    for (const cluster of state.clusters.values()) {
      if (cluster.account !== ctx.caller.account || cluster.region !== ctx.caller.region) continue;
      const operation = cluster.operations.find((o) => o.arn === arn);
      if (operation) return [cluster, operation];
    }
    throw mskError.operationNotFound(arn);
  };
  const newestFirst = (cluster: ClusterRecord) =>
    [...cluster.operations].sort((a, b) => b.createdAt - a.createdAt);
  return {
    async UpdateClusterConfiguration(input: K.UpdateClusterConfigurationRequest, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      if (cluster.type === 'SERVERLESS')
        throw mskError.badRequest('This operation is not available for serverless clusters.', 'clusterArn');
      if (input.CurrentVersion !== cluster.currentVersion) throw mskError.versionMismatch();
      if (cluster.state !== 'ACTIVE') throw mskError.clusterBusy(cluster.state);
      const ref = input.ConfigurationInfo!;
      const configuration = state.configuration(ref.Arn ?? '', ctx.caller);
      if (!configuration.revisions.some((r) => r.revision === ref.Revision))
        throw mskError.badRequest(
          `The configuration ${ref.Arn} has no revision ${ref.Revision}.`,
          'configurationInfo',
        );
      if (
        configuration.kafkaVersions.length > 0 &&
        !configuration.kafkaVersions.includes(cluster.kafkaVersion)
      )
        throw mskError.badRequest(
          `The configuration ${ref.Arn} is not for Kafka version ${cluster.kafkaVersion}.`,
          'configurationInfo',
        );
      cluster.state = 'UPDATING';
      const operation = await state.begin(cluster, 'UPDATE_CLUSTER_CONFIGURATION', {
        source: cluster.configuration,
        target: { arn: configuration.arn, revision: ref.Revision! },
      });
      return { ClusterArn: cluster.arn, ClusterOperationArn: operation.arn };
    },
    ListClusterOperations(input: K.ListClusterOperationsRequest, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      const { items, nextToken } = page(newestFirst(cluster), input.MaxResults, input.NextToken);
      return { ClusterOperationInfoList: items.map((o) => operationInfo(cluster, o)), NextToken: nextToken };
    },
    ListClusterOperationsV2(input: K.ListClusterOperationsV2Request, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      const { items, nextToken } = page(newestFirst(cluster), input.MaxResults, input.NextToken);
      return {
        ClusterOperationInfoList: items.map((o) => operationSummaryV2(cluster, o)),
        NextToken: nextToken,
      };
    },
    DescribeClusterOperation(input: K.DescribeClusterOperationRequest, ctx: RequestContext) {
      const [cluster, operation] = findOperation(ctx, input.ClusterOperationArn!);
      return { ClusterOperationInfo: operationInfo(cluster, operation) };
    },
    DescribeClusterOperationV2(input: K.DescribeClusterOperationV2Request, ctx: RequestContext) {
      const [cluster, operation] = findOperation(ctx, input.ClusterOperationArn!);
      return { ClusterOperationInfo: operationV2(cluster, operation) };
    },
    ListKafkaVersions(input: K.ListKafkaVersionsRequest) {
      const { items, nextToken } = page(KAFKA_VERSIONS, input.MaxResults, input.NextToken);
      return {
        KafkaVersions: items.map((v) => ({ Version: v.version, Status: v.status })),
        NextToken: nextToken,
      };
    },
    GetCompatibleKafkaVersions(input: K.GetCompatibleKafkaVersionsRequest, ctx: RequestContext) {
      if (input.ClusterArn !== undefined) {
        const cluster = state.cluster(input.ClusterArn, ctx.caller);
        if (cluster.type === 'SERVERLESS')
          throw mskError.badRequest('This operation is not available for serverless clusters.', 'clusterArn');
        return {
          CompatibleKafkaVersions: [
            { SourceVersion: cluster.kafkaVersion, TargetVersions: upgradeTargets(cluster.kafkaVersion) },
          ],
        };
      }
      return {
        CompatibleKafkaVersions: KAFKA_VERSIONS.map((v) => ({
          SourceVersion: v.version,
          TargetVersions: upgradeTargets(v.version),
        })),
      };
    },
  };
}
