import type { Model } from '../model.js';
import { TemplateError } from './cloudformation.js';
import { mapIam } from './terraform-iam.js';
import { mapIntegrations } from './terraform-integrations.js';
import { mapMessaging } from './terraform-messaging.js';
import { TerraformPlan } from './terraform-plan.js';
import { PlanModel } from './terraform-resources.js';

/**
 * The JSON of `terraform show -json <plan>` (or of a state, which has `values` in place of
 * `planned_values`); `file` is the path reported in findings. Entities are named by their resource
 * addresses; plans carry no line numbers. Throws `TemplateError` when the input is not a plan.
 */
export function readTerraformPlan(json: unknown, file: string): Model {
  const plan = typeof json === 'string' ? parse(json, file) : json;
  if (!isPlan(plan)) {
    throw new TemplateError(
      `${file} is not the JSON of \`terraform show -json\` (no format_version and planned_values)`,
    );
  }
  const version = String(plan.format_version);
  if (!/^[01]\./.test(version)) {
    throw new TemplateError(`${file} has Terraform JSON format_version ${version}; lint reads 0.x and 1.x`);
  }
  try {
    const reader = new PlanModel(new TerraformPlan(plan), file);
    // Keys before the resources that name them, roles before the functions that assume them.
    mapIam(reader);
    mapMessaging(reader);
    mapIntegrations(reader);
    return reader.model;
  } catch (error) {
    // A plan whose parts do not have the shapes Terraform writes: one file unread, not a crash.
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`${file} is a malformed plan: ${(error as Error).message}`);
  }
}

/** True for a parsed `terraform show -json` output of a plan or a state. */
export function isPlan(json: unknown): json is Record<string, unknown> & { format_version: unknown } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const record = json as Record<string, unknown>;
  if (record.format_version === undefined) return false;
  return ['planned_values', 'resource_changes', 'values', 'configuration'].some(
    (key) => typeof record[key] === 'object' && record[key] !== null,
  );
}

function parse(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${file} is not JSON: ${(error as Error).message}`);
  }
}
