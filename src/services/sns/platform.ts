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
    if (!arn) throw snsError.invalidParameter('PlatformApplicationArn');
    if (!parseArn(arn)) throw snsError.shortArn('PlatformApplicationArn', arn);
    const app = this.applications.get(arn);
    if (!app || app.account !== ctx.caller.account)
      throw snsError.notFound('PlatformApplication does not exist');
    return app;
  }

  endpoint(arn: string | undefined, ctx: RequestContext): PlatformEndpoint {
    if (!arn) throw snsError.invalidParameter('EndpointArn');
    const parsed = parseArn(arn);
    if (!parsed) throw snsError.shortArn('EndpointArn', arn);
    // endpoint/<platform>/<application>/<id>
    if (parsed.resource.split('/').length !== 4)
      throw snsError.invalidParameter(
        'EndpointArn',
        'Wrong number of slashes in relative portion of the ARN.',
      );
    const endpoint = this.findEndpoint(arn, ctx);
    if (!endpoint) throw snsError.notFound('Endpoint does not exist');
    return endpoint;
  }

  /** The caller's endpoint with this ARN, if there is one. */
  findEndpoint(arn: string, ctx: RequestContext): PlatformEndpoint | undefined {
    const endpoint = this.endpoints.get(arn);
    return endpoint && parseArn(arn)?.account === ctx.caller.account ? endpoint : undefined;
  }

  async createPlatformApplication(
    input: Sns.CreatePlatformApplicationInput,
    ctx: RequestContext,
  ): Promise<Sns.CreatePlatformApplicationResponse> {
    const name = input.Name ?? '';
    checkApplicationName(name);
    const platform = input.Platform ?? '';
    if (!PLATFORMS.has(platform)) throw snsError.invalidParameter('Platform', `${platform} is not supported`);
    const attributes = { ...(input.Attributes ?? {}) };
    checkApplicationAttributes(attributes);
    checkCredentialPair(platform, attributes);
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
    if (!arn) throw snsError.invalidParameter('PlatformApplicationArn');
    if (!parseArn(arn)) throw snsError.shortArn('PlatformApplicationArn', arn);
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
    checkEndpointAttributes(attributes);
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
    checkEndpointAttributes(attributes);
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

const MAX_CUSTOM_USER_DATA_BYTES = 2048;

function checkEndpointAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!ENDPOINT_ATTRIBUTES.has(name))
      throw snsError.invalidParameter('Attributes', `Invalid attribute name: ${name}`);
    if (name === 'Enabled' && value !== 'true' && value !== 'false') {
      throw snsError.invalidParameter('Attributes', 'Enabled must be true or false');
    }
    if (name === 'CustomUserData' && Buffer.byteLength(value) > MAX_CUSTOM_USER_DATA_BYTES) {
      throw snsError.invalidParameter(
        'Attributes',
        `Invalid value for attribute: CustomUserData: must be at most ${MAX_CUSTOM_USER_DATA_BYTES} bytes long in UTF-8 encoding`,
      );
    }
  }
}

/** AWS names the name itself as the parameter in these texts. */
function checkApplicationName(name: string): void {
  if (name === '') throw snsError.invalidParameter('', 'cannot be empty');
  if (name.length > 256) throw snsError.invalidParameter(name, 'must be at most 256 characters long');
  if (!APPLICATION_NAME.test(name)) {
    throw snsError.invalidParameter(
      name,
      "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'",
    );
  }
}

/** Every platform but FCM (GCM) authenticates with a principal and a credential, given together. */
function checkCredentialPair(platform: string, attributes: Record<string, string>): void {
  const { PlatformPrincipal: principal, PlatformCredential: credential } = attributes;
  if (principal !== undefined && credential === undefined) {
    throw snsError.invalidParameter(
      'Attributes',
      'PlatformPrincipal attribute provided without PlatformCredential',
    );
  }
  if (credential !== undefined && principal === undefined && platform !== 'GCM') {
    throw snsError.invalidParameter(
      'Attributes',
      'PlatformCredential attribute provided without PlatformPrincipal',
    );
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
