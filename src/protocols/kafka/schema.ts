/** A version range, both ends included; 32767 stands for "and every later version". */
export type VersionRange = readonly [min: number, max: number];

export type KafkaPrimitive =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'bool'
  | 'uuid'
  | 'records';

/**
 * One field of a message as Kafka's JSON definitions give it, with short keys (the generated
 * module holds a few hundred of them).
 */
export interface KafkaField {
  /** The field's name in camelCase. */
  n: string;
  t: KafkaPrimitive | 'struct' | 'array';
  /** An array's element type. */
  e?: KafkaPrimitive | 'struct';
  /** The versions that carry it. */
  v: VersionRange | null;
  /** The versions in which it may be null. */
  nv?: VersionRange;
  /** Its tag, for a tagged field, and the versions it is tagged in. */
  tag?: number;
  tv?: VersionRange | null;
  /** Versions in which it is written in the flexible (compact) form, when not the message's. */
  fv?: VersionRange | null;
  /** Its default, as the definition writes it ("null", "-1", "false"…). */
  d?: string;
  /** A struct's (or an array of structs') fields. */
  f?: KafkaField[];
}

export interface KafkaMessageSchema {
  apiKey?: number;
  name: string;
  valid: VersionRange | null;
  flexible: VersionRange | null;
  fields: KafkaField[];
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range !== null && range !== undefined && version >= range[0] && version <= range[1];
}
