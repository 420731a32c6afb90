import {
  type AttachedPolicy,
  type Entity,
  emptyModel,
  isObject,
  isRef,
  isUnknown,
  type Model,
  type Sym,
} from '../model.js';
import type { Path, PlanResource, TerraformPlan } from './terraform-plan.js';
import { policyAt } from './terraform-policies.js';

/**
 * What the mappings of a plan share: the plan, the model being filled, and how a value that
 * names a resource (a reference, an ARN, a URL, a name) finds its entity.
 */
export class PlanModel {
  readonly model: Model = emptyModel('template');
  /** KMS key ids (not ARNs) of keys in the plan, to match `target_key_id`. */
  readonly keyIds = new Map<string, string>();

  constructor(
    readonly plan: TerraformPlan,
    readonly file: string,
  ) {}

  value(resource: PlanResource, ...path: Path): Sym | undefined {
    return this.plan.valueAt(resource, path);
  }

  /** Common fields: the address as id, the file without line, the ARN and name when known. */
  entity(resource: PlanResource, nameAttribute?: string): Entity {
    const entity: Entity = {
      id: resource.address,
      type: resource.type,
      origin: { file: this.file },
      ignore: [],
    };
    const arn = this.plan.literal(resource, ['arn']);
    if (typeof arn === 'string') entity.arn = arn;
    if (nameAttribute) {
      const name = this.value(resource, nameAttribute);
      if (name !== undefined) entity.name = name;
    }
    // Plans have no Metadata: suppression rides on a tag, which every taggable resource has.
    const tags = this.plan.literal(resource, ['tags']);
    const ignore =
      tags && typeof tags === 'object' && !Array.isArray(tags) ? tags['tideway:ignore'] : undefined;
    if (typeof ignore === 'string') entity.ignore = ignore.split(/[\s,]+/).filter(Boolean);
    return entity;
  }

  /**
   * The entity of `list` that a value designates: by reference, or a literal equal to its ARN,
   * URL, physical name, or (keys) key id.
   */
  find<T extends Entity>(list: T[], value: Sym | undefined): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (isRef(value)) return list.find((entity) => entity.id === value.$ref);
    if (typeof value !== 'string') return undefined;
    return list.find(
      (entity) =>
        entity.arn === value ||
        entity.id === value ||
        (entity as { url?: string }).url === value ||
        entity.name === value ||
        this.keyIds.get(value) === entity.id,
    );
  }

  /**
   * A KMS key setting. A reference to an `aws_kms_alias` becomes the alias name when the plan
   * knows it, which is how rules recognise `alias/aws/…` and how keys list their aliases.
   */
  kmsKey(resource: PlanResource, ...path: Path): Sym | undefined {
    const value = this.value(resource, ...path);
    if (value === '' || value === undefined) return undefined;
    if (isRef(value)) {
      const target = this.plan.get(value.$ref);
      if (target?.type === 'aws_kms_alias') {
        const name = this.plan.literal(target, ['name']);
        if (typeof name === 'string') return name;
      }
    }
    return value;
  }

  /** The policy at `path` as an attachment, or the reason it cannot be read (also noted). */
  attach(resource: PlanResource, path: Path): { policy?: AttachedPolicy; unknown?: string } {
    const policy = policyAt(this.plan, resource, path);
    if (!policy) return {};
    if ('unknown' in policy) {
      this.note(resource, policy.unknown);
      return { unknown: policy.unknown };
    }
    return { policy: { document: policy.document, from: resource.address, origin: { file: this.file } } };
  }

  /** True when the author set the attribute (a state file, without configuration, counts as set). */
  configured(resource: PlanResource, ...path: Path): boolean {
    if (resource.expressions === undefined) return true;
    // A block is configured as a list of blocks, which is no expression of its own.
    let node: unknown = resource.expressions;
    for (const key of path)
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    return Array.isArray(node) || this.plan.expression(resource, path) !== undefined;
  }

  note(resource: PlanResource | undefined, message: string): void {
    this.model.notes.push(
      resource ? { resource: resource.address, origin: { file: this.file }, message } : { message },
    );
  }

  /** How many blocks of a kind the resource has (0 when none or unknown). */
  blocks(resource: PlanResource, ...path: Path): number {
    const planned = this.plan.literal(resource, path);
    return Array.isArray(planned) ? planned.length : 0;
  }
}

/** A field of a JSON attribute (`redrive_policy`): parsed when known, the reference otherwise. */
export function jsonField(value: Sym | undefined, field: string): Sym | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as Sym;
      return isObject(parsed) ? parsed[field] : undefined;
    } catch {
      return undefined;
    }
  }
  if (isObject(value)) return value[field];
  // jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, … }) reads only that queue.
  if (isRef(value) || isUnknown(value)) return value;
  return undefined;
}

export function describe(value: Sym | undefined): string {
  if (value === undefined) return 'nothing';
  if (isRef(value)) return value.$attr ? `${value.$ref}.${value.$attr}` : value.$ref;
  if (isUnknown(value)) return value.param ? `variable ${value.param}` : value.$unknown;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
