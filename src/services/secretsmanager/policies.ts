import type * as SM from '@aws-sdk/client-secrets-manager';
import { type PolicyDocument, PolicyError, type PolicyStatement, parsePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import type { Secrets } from './secrets.js';

const SYNTAX = 'This resource policy contains a syntax error.';

/** The policy's problem in words, or the document when it has none. */
function parse(text: string): PolicyDocument | PolicyError {
  try {
    return parsePolicy(text);
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
}

function principalIsAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object' && 'AWS' in principal) {
    const aws = (principal as { AWS: unknown }).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

/**
 * Broad access as BlockPublicPolicy means it: an Allow for any principal that no condition narrows.
 * (AWS asks Zelkova; a wildcard principal without conditions is the case it reports.)
 */
function isPublic(policy: PolicyDocument): boolean {
  const statements: PolicyStatement[] = Array.isArray(policy.Statement)
    ? policy.Statement
    : [policy.Statement];
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      (principalIsAnyone(s.Principal) || s.NotPrincipal !== undefined) &&
      (s.Condition === undefined || Object.keys(s.Condition).length === 0),
  );
}

/** A secret here has one unnamed policy; named policies (ListResourcePolicies) are not kept. */
function namedPolicy(name: string | undefined): void {
  if (name !== undefined) throw smError.notSupported('named resource policies (PolicyName)');
}

/** GetResourcePolicy, PutResourcePolicy, DeleteResourcePolicy, ValidateResourcePolicy. */
export class Policies {
  constructor(private readonly secrets: Secrets) {}

  async get(input: SM.GetResourcePolicyRequest, ctx: RequestContext): Promise<SM.GetResourcePolicyResponse> {
    namedPolicy(input.PolicyName);
    const secret = await this.secrets.resolve(input.SecretId!, ctx);
    return { ARN: secret.arn, Name: secret.name, ResourcePolicy: secret.policy };
  }

  async put(input: SM.PutResourcePolicyRequest, ctx: RequestContext): Promise<SM.PutResourcePolicyResponse> {
    namedPolicy(input.PolicyName);
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const policy = parse(input.ResourcePolicy!);
    if (policy instanceof PolicyError) throw smError.malformedPolicy(SYNTAX);
    if (input.BlockPublicPolicy && isPublic(policy)) throw smError.publicPolicy();
    secret.policy = input.ResourcePolicy;
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name };
  }

  async delete(
    input: SM.DeleteResourcePolicyRequest,
    ctx: RequestContext,
  ): Promise<SM.DeleteResourcePolicyResponse> {
    namedPolicy(input.PolicyName);
    const secret = await this.secrets.live(input.SecretId!, ctx);
    if (secret.policy !== undefined) {
      secret.policy = undefined;
      await this.secrets.save(secret);
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  async validate(
    input: SM.ValidateResourcePolicyRequest,
    ctx: RequestContext,
  ): Promise<SM.ValidateResourcePolicyResponse> {
    if (input.SecretId !== undefined) await this.secrets.resolve(input.SecretId, ctx);
    const policy = parse(input.ResourcePolicy!);
    if (policy instanceof PolicyError) {
      if (policy.message.startsWith('Policy is not valid JSON')) throw smError.malformedPolicy(SYNTAX);
      return {
        PolicyValidationPassed: false,
        ValidationErrors: [{ CheckName: 'SYNTAX_ERROR', ErrorMessage: policy.message }],
      };
    }
    return { PolicyValidationPassed: true, ValidationErrors: [] };
  }
}
