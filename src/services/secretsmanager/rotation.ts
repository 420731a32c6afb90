import type * as SM from '@aws-sdk/client-secrets-manager';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import { holderOf, type RotationRecord, type SecretRecord } from './records.js';
import type { Secrets } from './secrets.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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
 * RotateSecret and CancelRotateSecret. Every rotation runs a Lambda function (even with
 * RotateImmediately false, AWS runs its testSecret step first), and Tideway has no Lambda: no
 * function exists here, so RotateSecret answers what AWS answers for a function that does not
 * exist (its recorded answer, the configuration left unrecorded) once the request itself passes
 * AWS's checks.
 */
export class Rotation {
  constructor(private readonly secrets: Secrets) {}

  async rotateSecret(input: SM.RotateSecretRequest, ctx: RequestContext): Promise<SM.RotateSecretResponse> {
    if (
      input.ExternalSecretRotationMetadata !== undefined ||
      input.ExternalSecretRotationRoleArn !== undefined
    )
      throw smError.notSupported('managed external secret rotation (ExternalSecretRotation*)');
    // RotateSecret's refusal of a missing token is InvalidParameterException, and comes before
    // the secret is looked up (AWS's recorded answer, for a secret that does not exist).
    if (!input.ClientRequestToken) throw smError.invalidParameter(smError.tokenRequired().message);
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const lambdaArn = input.RotationLambdaARN || secret.rotation?.lambdaArn;
    if (!lambdaArn) throw smError.noRotationLambda();
    if (input.RotationRules) checkRules(input.RotationRules);
    const current = holderOf(secret, 'AWSCURRENT');
    const pending = holderOf(secret, 'AWSPENDING');
    if (pending && pending !== current && pending.id !== input.ClientRequestToken) {
      throw smError.invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
    }
    throw smError.accessDenied(
      'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
    );
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
