import type { Member, StructureShape } from '../shapes.js';

/**
 * Sets a generated structure's members once every shape of the model exists: the models declare all
 * shapes first and join them after, so recursive shapes need nothing special.
 */
export function fill(shape: StructureShape, members: Record<string, Member>): void {
  shape.members = members;
  shape.memberList = Object.entries(members);
}
