import type * as SM from '@aws-sdk/client-secrets-manager';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import { holderOf, type RotationRecord, type SecretRecord } from './records.js';
import { moveStage, type Secrets } from './secrets.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;
const RATE = /^rate\((\d+) (hours?|days?)\)$/;
const CRON = /^cron\((\S+ ){5}\S+\)$/;

/** How often the rules rotate, when they say it as an interval (cron schedules do not). */
function interval(rules: RotationRecord['rules']): number | undefined {
  if (rules?.AutomaticallyAfterDays !== undefined) return rules.AutomaticallyAfterDays * DAY;
  const rate = rules?.ScheduleExpression ? RATE.exec(rules.ScheduleExpression) : null;
  if (!rate) return undefined;
  return Number(rate[1]) * (rate[2]!.startsWith('hour') ? HOUR : DAY);
}

/** RotationRules as AWS checks them: one way of saying the schedule, a window shorter than it. */
function checkRules(rules: SM.RotationRulesType): void {
  if (rules.AutomaticallyAfterDays !== undefined && rules.ScheduleExpression !== undefined) {
    throw smError.invalidParameter(
      'You cannot specify both rotation frequency and schedule expression together.',
    );
  }
  if (rules.ScheduleExpression !== undefined) {
    const expression = rules.ScheduleExpression;
    const rate = RATE.exec(expression);
    if (rate) {
      const n = Number(rate[1]);
      const hours = rate[2]!.startsWith('hour');
      if ((hours && (n < 4 || n > 23)) || (!hours && (n < 1 || n > 999))) {
        throw smError.invalidParameter(`Invalid rate expression: ${expression}`);
      }
    } else if (!CRON.test(expression)) {
      throw smError.invalidParameter(`Invalid schedule expression: ${expression}`);
    }
  }
  if (rules.Duration !== undefined) {
    const hours = Number(rules.Duration.slice(0, -1));
    if (hours < 1 || hours > 24)
      throw smError.invalidParameter('The rotation window Duration must be between 1h and 24h.');
    const every = interval(rules);
    if (every !== undefined && hours * HOUR > every) {
      throw smError.invalidParameter(
        'The rotation window Duration must be shorter than the rotation interval.',
      );
    }
  }
}

/**
 * RotateSecret and CancelRotateSecret. Tideway runs no rotation function: a rotation records the
 * configuration, and when it is immediate it does what a successful function's four steps leave
 * behind — a new version (a copy of the current value) staged AWSPENDING, then AWSCURRENT moved to
 * it and AWSPREVIOUS to the version before.
 */
export class Rotation {
  constructor(private readonly secrets: Secrets) {}

  async rotateSecret(input: SM.RotateSecretRequest, ctx: RequestContext): Promise<SM.RotateSecretResponse> {
    // RotateSecret's refusal of a missing token is InvalidParameterException, and comes before
    // the secret is looked up (AWS's recorded answer, for a secret that does not exist).
    if (!input.ClientRequestToken) throw smError.invalidParameter(smError.tokenRequired().message);
    if (
      input.ExternalSecretRotationMetadata !== undefined ||
      input.ExternalSecretRotationRoleArn !== undefined
    )
      throw smError.notSupported('managed external secret rotation (ExternalSecretRotation*)');
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const lambdaArn = input.RotationLambdaARN || secret.rotation?.lambdaArn;
    if (!lambdaArn) throw smError.noRotationLambda();
    if (!LAMBDA_ARN.test(lambdaArn)) {
      throw smError.accessDenied(
        'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
      );
    }
    const rules = input.RotationRules ?? secret.rotation?.rules;
    if (input.RotationRules) checkRules(input.RotationRules);
    const current = holderOf(secret, 'AWSCURRENT');
    const pending = holderOf(secret, 'AWSPENDING');
    if (pending && pending !== current && pending.id !== input.ClientRequestToken) {
      throw smError.invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
    }
    const now = this.secrets.clock.now();
    const immediately = input.RotateImmediately ?? true;
    let versionId: string | undefined;
    if (immediately) {
      if (!current) throw smError.stageNotFound('AWSCURRENT');
      const existing = secret.versions.find((v) => v.id === input.ClientRequestToken);
      const version =
        existing ??
        this.secrets.addVersion(
          secret,
          input.ClientRequestToken,
          this.secrets.open(secret, current, ctx.caller),
          ['AWSPENDING'],
          ctx.caller,
        );
      moveStage(secret, 'AWSCURRENT', version);
      version.stages = version.stages.filter((s) => s !== 'AWSPENDING');
      versionId = version.id;
    }
    const rotation: RotationRecord = {
      enabled: true,
      lambdaArn,
      rules: rules ? { ...rules } : undefined,
      lastRotatedAt: immediately ? now : secret.rotation?.lastRotatedAt,
    };
    const every = interval(rotation.rules);
    if (every !== undefined) rotation.nextRotationAt = (rotation.lastRotatedAt ?? now) + every;
    secret.rotation = rotation;
    secret.lastChangedAt = now;
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
  }

  async cancelRotateSecret(
    input: SM.CancelRotateSecretRequest,
    ctx: RequestContext,
  ): Promise<SM.CancelRotateSecretResponse> {
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const pending = pendingVersion(secret);
    if (secret.rotation) {
      secret.rotation = { ...secret.rotation, enabled: false, nextRotationAt: undefined };
      secret.lastChangedAt = this.secrets.clock.now();
      await this.secrets.save(secret);
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: pending?.id };
  }
}

/** A rotation in progress: AWSPENDING on a version that is not the current one. */
function pendingVersion(secret: SecretRecord) {
  const pending = holderOf(secret, 'AWSPENDING');
  return pending && pending !== holderOf(secret, 'AWSCURRENT') ? pending : undefined;
}
