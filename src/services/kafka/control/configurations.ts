import type * as K from '@aws-sdk/client-kafka';
import type { RequestContext } from '../../../protocols/service.js';
import { configurationView, revisionView } from './describe.js';
import { mskError } from './errors.js';
import { page } from './paging.js';
import { parseServerProperties } from './properties.js';
import type { ConfigurationRecord } from './records.js';
import type { MskState } from './state.js';
import { versionEntry } from './versions.js';

const CONFIGURATION_NAME = /^[0-9A-Za-z][0-9A-Za-z-]{0,}$/;

/** The server.properties text of a request: a blob, base64 on the wire. */
function propertiesText(value: Uint8Array | string | undefined): string {
  if (value === undefined)
    throw mskError.badRequest('serverProperties is a required parameter.', 'serverProperties');
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  parseServerProperties(text);
  return text;
}

/** MSK configurations: server.properties texts with numbered revisions. */
export function configurationOperations(state: MskState) {
  const usedBy = (configuration: ConfigurationRecord) =>
    state.clusters.values().filter((c) => c.configuration?.arn === configuration.arn);
  return {
    async CreateConfiguration(input: K.CreateConfigurationRequest, ctx: RequestContext) {
      const name = input.Name!;
      if (!CONFIGURATION_NAME.test(name))
        throw mskError.badRequest(
          'The configuration name must start with a letter or digit and hold only letters, digits and hyphens.',
          'name',
        );
      for (const version of input.KafkaVersions ?? [])
        if (!versionEntry(version))
          throw mskError.badRequest(`Kafka version ${version} is not supported.`, 'kafkaVersions');
      const serverProperties = propertiesText(input.ServerProperties);
      const { account, region } = ctx.caller;
      if (
        state.configurations
          .values()
          .some((c) => c.account === account && c.region === region && c.name === name)
      )
        throw mskError.conflict(`A configuration named ${name} already exists.`, 'name');
      const now = state.clock.now();
      const configuration: ConfigurationRecord = {
        arn: state.configurationArn(account, region, name),
        name,
        account,
        region,
        description: input.Description,
        kafkaVersions: input.KafkaVersions ?? [],
        createdAt: now,
        state: 'ACTIVE',
        revisions: [{ revision: 1, description: input.Description, createdAt: now, serverProperties }],
      };
      await state.configurations.put(configuration.arn, configuration);
      const view = configurationView(configuration);
      return {
        Arn: view.Arn,
        CreationTime: view.CreationTime,
        LatestRevision: view.LatestRevision,
        Name: view.Name,
        State: view.State,
      };
    },
    DescribeConfiguration(input: K.DescribeConfigurationRequest, ctx: RequestContext) {
      return configurationView(state.configuration(input.Arn!, ctx.caller));
    },
    DescribeConfigurationRevision(input: K.DescribeConfigurationRevisionRequest, ctx: RequestContext) {
      const configuration = state.configuration(input.Arn!, ctx.caller);
      const revision = configuration.revisions.find((r) => r.revision === Number(input.Revision));
      if (!revision)
        throw mskError.notFound(
          `The configuration ${configuration.arn} has no revision ${input.Revision}.`,
          'revision',
        );
      return {
        Arn: configuration.arn,
        CreationTime: new Date(revision.createdAt),
        Description: revision.description,
        Revision: revision.revision,
        ServerProperties: Buffer.from(revision.serverProperties, 'utf8'),
      };
    },
    ListConfigurations(input: K.ListConfigurationsRequest, ctx: RequestContext) {
      const all = state.configurations
        .values()
        .filter((c) => c.account === ctx.caller.account && c.region === ctx.caller.region)
        .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
      const { items, nextToken } = page(all, input.MaxResults, input.NextToken);
      return { Configurations: items.map(configurationView), NextToken: nextToken };
    },
    ListConfigurationRevisions(input: K.ListConfigurationRevisionsRequest, ctx: RequestContext) {
      const configuration = state.configuration(input.Arn!, ctx.caller);
      const { items, nextToken } = page(configuration.revisions, input.MaxResults, input.NextToken);
      return { Revisions: items.map(revisionView), NextToken: nextToken };
    },
    async UpdateConfiguration(input: K.UpdateConfigurationRequest, ctx: RequestContext) {
      const configuration = state.configuration(input.Arn!, ctx.caller);
      const serverProperties = propertiesText(input.ServerProperties);
      const revision = {
        revision: configuration.revisions.length + 1,
        description: input.Description,
        createdAt: state.clock.now(),
        serverProperties,
      };
      configuration.revisions.push(revision);
      await state.configurations.put(configuration.arn, configuration);
      return { Arn: configuration.arn, LatestRevision: revisionView(revision) };
    },
    async DeleteConfiguration(input: K.DeleteConfigurationRequest, ctx: RequestContext) {
      const configuration = state.configuration(input.Arn!, ctx.caller);
      if (usedBy(configuration).length > 0)
        throw mskError.badRequest(
          `The configuration ${configuration.arn} is in use by a cluster: it cannot be deleted.`,
          'arn',
        );
      await state.configurations.delete(configuration.arn);
      return { Arn: configuration.arn, State: 'DELETING' };
    },
  };
}
