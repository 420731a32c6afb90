import type * as SM from '@aws-sdk/client-secrets-manager';
import type { RequestContext } from '../../protocols/service.js';
import { smError } from './errors.js';
import { holderOf } from './records.js';
import { moveStage, type Secrets } from './secrets.js';

/** UpdateSecretVersionStage: labels move between versions with AWS's checks, in its order. */
export class Stages {
  constructor(private readonly secrets: Secrets) {}

  async updateSecretVersionStage(
    input: SM.UpdateSecretVersionStageRequest,
    ctx: RequestContext,
  ): Promise<SM.UpdateSecretVersionStageResponse> {
    const secret = await this.secrets.live(input.SecretId!, ctx);
    const stage = input.VersionStage!;
    const holder = holderOf(secret, stage);
    const target =
      input.MoveToVersionId === undefined
        ? undefined
        : secret.versions.find((v) => v.id === input.MoveToVersionId);
    if (input.MoveToVersionId !== undefined && !target) throw smError.versionNotFound(input.MoveToVersionId);
    if (input.RemoveFromVersionId !== undefined) {
      const from = secret.versions.find((v) => v.id === input.RemoveFromVersionId);
      if (!from) throw smError.versionNotFound(input.RemoveFromVersionId);
      if (holder !== from) {
        throw smError.invalidParameter(
          `The staging label ${stage} is not currently attached to version ${input.RemoveFromVersionId}, so you can't remove it.`,
        );
      }
    }
    if (target && holder && holder !== target && input.RemoveFromVersionId === undefined) {
      throw smError.invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (!target && stage === 'AWSCURRENT' && holder) {
      throw smError.invalidParameter(
        "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.",
      );
    }
    if (target) {
      if (!target.stages.includes(stage) && target.stages.length >= 20) {
        throw smError.limitExceeded('A version can have at most 20 staging labels.');
      }
      moveStage(secret, stage, target);
    } else if (holder) {
      holder.stages = holder.stages.filter((s) => s !== stage);
    }
    secret.lastChangedAt = this.secrets.clock.now();
    await this.secrets.save(secret);
    return { ARN: secret.arn, Name: secret.name };
  }
}
