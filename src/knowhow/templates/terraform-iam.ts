import type { KmsKey, Role, Sym } from '../model.js';
import { isRef } from '../model.js';
import type { PlanResource } from './terraform-plan.js';
import { policyAt } from './terraform-policies.js';
import { describe, type PlanModel } from './terraform-resources.js';

/** Roles with their trust and identity policies, KMS keys with their policy and aliases. */
export function mapIam(reader: PlanModel): void {
  const { plan, model } = reader;
  for (const resource of plan.ofType('aws_kms_key')) {
    const key: KmsKey = { ...reader.entity(resource), policy: null, aliases: [] };
    const keyId = plan.literal(resource, ['key_id']);
    if (typeof keyId === 'string') reader.keyIds.set(keyId, key.id);
    if (reader.configured(resource, 'policy')) {
      const policy = policyAt(plan, resource, ['policy']);
      if (policy && 'document' in policy) key.policy = policy.document;
      else if (policy) {
        key.policy = { $unknown: policy.unknown };
        reader.note(resource, policy.unknown);
      }
    }
    model.keys.push(key);
  }
  for (const resource of plan.ofType('aws_kms_alias')) {
    const name = plan.literal(resource, ['name']);
    const key = reader.find(model.keys, reader.value(resource, 'target_key_id'));
    if (key && typeof name === 'string') key.aliases.push(name);
  }

  for (const resource of plan.ofType('aws_iam_role')) model.roles.push(role(reader, resource));
  for (const resource of plan.ofType('aws_iam_role_policy')) {
    const owner = findRole(reader, resource, reader.value(resource, 'role'));
    if (owner) addPolicy(reader, owner, resource, ['policy']);
  }
  for (const resource of plan.ofType('aws_iam_role_policy_attachment')) {
    const owner = findRole(reader, resource, reader.value(resource, 'role'));
    if (owner) attachManaged(reader, owner, reader.value(resource, 'policy_arn'));
  }
  for (const resource of plan.ofType('aws_iam_policy_attachment')) {
    const names = plan.listAt(resource, ['roles']) ?? [];
    for (const name of names) {
      const owner = findRole(reader, resource, name);
      if (owner) attachManaged(reader, owner, reader.value(resource, 'policy_arn'));
    }
  }
}

function role(reader: PlanModel, resource: PlanResource): Role {
  const role: Role = { ...reader.entity(resource, 'name'), trust: null, policies: [] };
  const trust = policyAt(reader.plan, resource, ['assume_role_policy']);
  if (trust && 'document' in trust) role.trust = trust.document;
  else if (trust) {
    role.trust = { $unknown: trust.unknown };
    reader.note(resource, trust.unknown);
  }
  // inline_policy is also computed from aws_iam_role_policy resources: only what is written here.
  const inline = reader.configured(resource, 'inline_policy') ? reader.blocks(resource, 'inline_policy') : 0;
  for (let i = 0; i < inline; i++) {
    addPolicy(reader, role, resource, ['inline_policy', i, 'policy']);
  }
  const managed = reader.plan.listAt(resource, ['managed_policy_arns']);
  if (reader.configured(resource, 'managed_policy_arns') && managed) {
    for (const arn of managed) attachManaged(reader, role, arn);
  }
  return role;
}

function addPolicy(reader: PlanModel, owner: Role, resource: PlanResource, path: (string | number)[]): void {
  const { policy, unknown } = reader.attach(resource, path);
  if (policy) owner.policies.push(policy);
  if (unknown) owner.policyUnknown ??= unknown;
}

function findRole(reader: PlanModel, resource: PlanResource, value: Sym | undefined): Role | undefined {
  const owner = reader.find(reader.model.roles, value);
  if (!owner)
    reader.note(resource, `${resource.address} applies to role ${describe(value)}, which is not in the plan`);
  return owner;
}

/** A managed policy: its document when the plan declares it, else the role's policies are partial. */
function attachManaged(reader: PlanModel, owner: Role, arn: Sym | undefined): void {
  const declared =
    isRef(arn) && reader.plan.get(arn.$ref)?.type === 'aws_iam_policy'
      ? reader.plan.get(arn.$ref)
      : reader.plan
          .ofType('aws_iam_policy')
          .find((policy) => typeof arn === 'string' && reader.plan.literal(policy, ['arn']) === arn);
  if (declared) {
    const { policy, unknown } = reader.attach(declared, ['policy']);
    if (policy) owner.policies.push(policy);
    if (unknown) owner.policyUnknown ??= unknown;
    return;
  }
  const reason = `${owner.id} has the managed policy ${describe(arn)}, which is not in the plan`;
  owner.policyUnknown ??= reason;
  reader.model.notes.push({ resource: owner.id, origin: owner.origin, message: reason });
}
