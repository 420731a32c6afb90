import type { Constraints, OperationShapes, Shape, StructureShape } from '../../protocols/shapes.js';

/** A member's constraints and those of what it holds, keyed as the model names them. */
export interface ConstraintTree extends Constraints {
  /** The model's shape name of a structure (AWS prints it with the structure's value). */
  name?: string;
  members?: Record<string, ConstraintTree>;
  member?: ConstraintTree;
  key?: Constraints;
  value?: ConstraintTree;
}

/**
 * The hand-declared shapes with the model's constraints put on their inputs. The scalars those
 * shapes share (`string`, `integer`) are copied, never changed, where a member gets constraints.
 * Goes with input-constraints.ts when the shapes are generated from the service models.
 */
export function withInputConstraints<T extends Record<string, OperationShapes>>(
  shapes: T,
  constraints: Record<string, Record<string, ConstraintTree>>,
): T {
  const out: Record<string, OperationShapes> = {};
  for (const [operation, shape] of Object.entries(shapes)) {
    const members = constraints[operation];
    out[operation] = members
      ? { ...shape, input: constrain(shape.input, { members }) as StructureShape }
      : shape;
  }
  return out as T;
}

function bounds(tree: ConstraintTree): Constraints {
  const c: Constraints = {};
  if (tree.min !== undefined) c.min = tree.min;
  if (tree.max !== undefined) c.max = tree.max;
  if (tree.pattern !== undefined) c.pattern = tree.pattern;
  if (tree.enum !== undefined) c.enum = tree.enum;
  return c;
}

function constrain(shape: Shape, tree: ConstraintTree): Shape {
  switch (shape.type) {
    case 'structure': {
      const members = { ...shape.members };
      for (const [name, sub] of Object.entries(tree.members ?? {})) {
        const member = members[name];
        if (member) members[name] = { ...member, shape: constrain(member.shape, sub) };
      }
      return { ...shape, members, memberList: Object.entries(members), name: tree.name ?? shape.name };
    }
    case 'list':
      return {
        ...shape,
        ...bounds(tree),
        member: tree.member ? constrain(shape.member, tree.member) : shape.member,
      };
    case 'map':
      return {
        ...shape,
        ...bounds(tree),
        key: tree.key ? { type: 'string', ...tree.key } : shape.key,
        value: tree.value ? constrain(shape.value, tree.value) : shape.value,
      };
    default:
      return { ...shape, ...bounds(tree) };
  }
}
