import { randomUUID } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import type { RecordStore } from '../../storage/types.js';
import { snsError } from './errors.js';
import { paginate } from './paging.js';

export interface PlatformApplication {
  arn: string;
  account: string;
  region: string;
  name: string;
  platform: string;
  attributes: Record<string, string>;
}

export interface PlatformEndpoint {
  arn: string;
  applicationArn: string;
  attributes: Record<string, string>;
}

// Push services SNS knows (SNS API Reference, CreatePlatformApplication).
const PLATFORMS = new Set([
  'ADM',
  'APNS',
  'APNS_SANDBOX',
  'APNS_VOIP',
  'APNS_VOIP_SANDBOX',
  'BAIDU',
  'GCM',
  'MACOS',
  'MACOS_SANDBOX',
  'MPNS',
  'WNS',
]);
const APPLICATION_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
// Credentials are write-only: AWS never returns them.
const SECRET = new Set(['PlatformCredential', 'PlatformPrincipal']);
const APPLICATION_ATTRIBUTES = new Set([
  'PlatformCredential',
  'PlatformPrincipal',
  'EventEndpointCreated',
  'EventEndpointDeleted',
  'EventEndpointUpdated',
  'EventDeliveryFailure',
  'SuccessFeedbackRoleArn',
  'FailureFeedbackRoleArn',
  'SuccessFeedbackSampleRate',
  'ApplePlatformTeamID',
  'ApplePlatformBundleID',
  'AuthenticationMethod',
  'Enabled',
]);
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);

/** Mobile push: applications and their device endpoints; what would be pushed goes to the outbox. */
export class PlatformService {
  constructor(
    private readonly applications: RecordStore<PlatformApplication>,
    private readonly endpoints: RecordStore<PlatformEndpoint>,
  ) {}

  private application(arn: string | undefined, ctx: RequestContext): PlatformApplication {
    if (!arn || !parseArn(arn)) throw snsError.invalidParameter('PlatformApplicationArn');
    const app = this.applications.get(arn);
    if (!app || app.account !== ctx.caller.account)
      throw snsError.notFound('PlatformApplication does not exist');
    return app;
  }

  endpoint(arn: string | undefined, ctx: RequestContext): PlatformEndpoint {
    if (!arn || !parseArn(arn)) throw snsError.invalidParameter('EndpointArn');
    const endpoint = this.endpoints.get(arn);
    if (!endpoint || parseArn(arn)?.account !== ctx.caller.account)
      throw snsError.notFound('Endpoint does not exist');
    return endpoint;
  }

  async createPlatformApplication(
    input: Sns.CreatePlatformApplicationInput,
    ctx: RequestContext,
  ): Promise<Sns.CreatePlatformApplicationResponse> {
    const name = input.Name ?? '';
    if (!APPLICATION_NAME.test(name)) throw snsError.invalidParameter('Name');
    const platform = input.Platform ?? '';
    if (!PLATFORMS.has(platform)) throw snsError.invalidParameter('Platform');
    const attributes = { ...(input.Attributes ?? {}) };
    checkApplicationAttributes(attributes);
    if (platform !== 'APNS' && platform !== 'APNS_SANDBOX' && !attributes.PlatformCredential) {
      throw snsError.invalidParameter('Attributes', 'PlatformCredential attribute is required');
    }
    const arn = `arn:aws:sns:${ctx.caller.region}:${ctx.caller.account}:app/${platform}/${name}`;
    await this.applications.put(arn, {
      arn,
      account: ctx.caller.account,
      region: ctx.caller.region,
      name,
      platform,
      attributes: { Enabled: 'true', ...attributes },
    });
    return { PlatformApplicationArn: arn };
  }

  getPlatformApplicationAttributes(
    input: Sns.GetPlatformApplicationAttributesInput,
    ctx: RequestContext,
  ): Sns.GetPlatformApplicationAttributesResponse {
    return { Attributes: visible(this.application(input.PlatformApplicationArn, ctx).attributes) };
  }

  async setPlatformApplicationAttributes(
    input: Sns.SetPlatformApplicationAttributesInput,
    ctx: RequestContext,
  ): Promise<void> {
    const app = this.application(input.PlatformApplicationArn, ctx);
    const attributes = { ...(input.Attributes ?? {}) };
    checkApplicationAttributes(attributes);
    await this.applications.put(app.arn, { ...app, attributes: { ...app.attributes, ...attributes } });
  }

  async deletePlatformApplication(
    input: Sns.DeletePlatformApplicationInput,
    ctx: RequestContext,
  ): Promise<void> {
    const arn = input.PlatformApplicationArn;
    if (!arn || !parseArn(arn)) throw snsError.invalidParameter('PlatformApplicationArn');
    if (!this.applications.get(arn)) return;
    this.application(arn, ctx);
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.applicationArn === arn) await this.endpoints.delete(endpoint.arn);
    }
    await this.applications.delete(arn);
  }

  listPlatformApplications(
    input: Sns.ListPlatformApplicationsInput,
    ctx: RequestContext,
  ): Sns.ListPlatformApplicationsResponse {
    const apps = this.applications
      .values()
      .filter((a) => a.account === ctx.caller.account && a.region === ctx.caller.region);
    const { page, next } = paginate(apps, input.NextToken);
    return {
      PlatformApplications: page.map((a) => ({
        PlatformApplicationArn: a.arn,
        Attributes: visible(a.attributes),
      })),
      NextToken: next,
    };
  }

  async createPlatformEndpoint(
    input: Sns.CreatePlatformEndpointInput,
    ctx: RequestContext,
  ): Promise<Sns.CreateEndpointResponse> {
    const app = this.application(input.PlatformApplicationArn, ctx);
    const token = input.Token ?? '';
    if (token === '') throw snsError.invalidParameter('Token');
    const attributes: Record<string, string> = { Enabled: 'true', Token: token, ...(input.Attributes ?? {}) };
    if (input.CustomUserData !== undefined) attributes.CustomUserData = input.CustomUserData;
    for (const name of Object.keys(attributes)) {
      if (!ENDPOINT_ATTRIBUTES.has(name))
        throw snsError.invalidParameter('Attributes', `Invalid attribute name: ${name}`);
    }
    // The same token again is the same endpoint, unless its attributes differ (SNS guide, "Creating a platform endpoint").
    const existing = this.endpoints
      .values()
      .find((e) => e.applicationArn === app.arn && e.attributes.Token === token);
    if (existing) {
      const same = Object.entries(attributes).every(([k, v]) => existing.attributes[k] === v);
      if (!same) {
        throw snsError.invalidParameter(
          'Token',
          `Endpoint ${existing.arn} already exists with the same Token, but different attributes.`,
        );
      }
      return { EndpointArn: existing.arn };
    }
    const arn = `arn:aws:sns:${app.region}:${app.account}:endpoint/${app.platform}/${app.name}/${randomUUID()}`;
    await this.endpoints.put(arn, { arn, applicationArn: app.arn, attributes });
    return { EndpointArn: arn };
  }

  getEndpointAttributes(
    input: Sns.GetEndpointAttributesInput,
    ctx: RequestContext,
  ): Sns.GetEndpointAttributesResponse {
    return { Attributes: { ...this.endpoint(input.EndpointArn, ctx).attributes } };
  }

  async setEndpointAttributes(input: Sns.SetEndpointAttributesInput, ctx: RequestContext): Promise<void> {
    const endpoint = this.endpoint(input.EndpointArn, ctx);
    const attributes = { ...(input.Attributes ?? {}) };
    for (const [name, value] of Object.entries(attributes)) {
      if (!ENDPOINT_ATTRIBUTES.has(name))
        throw snsError.invalidParameter('Attributes', `Invalid attribute name: ${name}`);
      if (name === 'Enabled' && value !== 'true' && value !== 'false') {
        throw snsError.invalidParameter('Attributes', 'Enabled must be true or false');
      }
    }
    await this.endpoints.put(endpoint.arn, {
      ...endpoint,
      attributes: { ...endpoint.attributes, ...attributes },
    });
  }

  async deleteEndpoint(input: Sns.DeleteEndpointInput, ctx: RequestContext): Promise<void> {
    const arn = input.EndpointArn;
    if (!arn || !parseArn(arn)) throw snsError.invalidParameter('EndpointArn');
    // Deleting an endpoint that is gone succeeds (SNS API Reference, DeleteEndpoint: "idempotent").
    if (!this.endpoints.get(arn)) return;
    this.endpoint(arn, ctx);
    await this.endpoints.delete(arn);
  }

  listEndpointsByPlatformApplication(
    input: Sns.ListEndpointsByPlatformApplicationInput,
    ctx: RequestContext,
  ): Sns.ListEndpointsByPlatformApplicationResponse {
    const app = this.application(input.PlatformApplicationArn, ctx);
    const endpoints = this.endpoints.values().filter((e) => e.applicationArn === app.arn);
    const { page, next } = paginate(endpoints, input.NextToken);
    return {
      Endpoints: page.map((e) => ({ EndpointArn: e.arn, Attributes: { ...e.attributes } })),
      NextToken: next,
    };
  }

  /** Whether a push to this endpoint may go out: a disabled endpoint or application refuses it. */
  checkDeliverable(endpoint: PlatformEndpoint): void {
    if (endpoint.attributes.Enabled === 'false') throw snsError.endpointDisabled();
    const app = this.applications.get(endpoint.applicationArn);
    if (app?.attributes.Enabled === 'false') {
      throw snsError.platformApplicationDisabled();
    }
  }

  async reset(): Promise<void> {
    await this.endpoints.clear();
    await this.applications.clear();
  }
}

function checkApplicationAttributes(attributes: Record<string, string>): void {
  for (const name of Object.keys(attributes)) {
    if (!APPLICATION_ATTRIBUTES.has(name))
      throw snsError.invalidParameter('Attributes', `Invalid attribute name: ${name}`);
  }
}

function visible(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !SECRET.has(k)));
}
