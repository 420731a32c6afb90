import { S3_OPERATIONS } from '../../protocols/models/s3.js';
import type { ScalarShape, StructureShape } from '../../protocols/shapes.js';
/**
 * S3's general purpose bucket naming rules: 3–63 characters of lower-case letters, digits, dots
 * and hyphens, beginning and ending with a letter or digit, no two adjacent dots, not shaped like
 * an IP address, and none of the prefixes and suffixes AWS reserves.
 */
export function validBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return false;
  if (['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => name.startsWith(p))) return false;
  if (['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((s) => name.endsWith(s))) return false;
  return true;
}

/** The regions a bucket may be created in: the model's BucketLocationConstraint values. */
export const BUCKET_REGIONS: ReadonlySet<string> = new Set(locationConstraintShape().enum ?? []);

function locationConstraintShape(): ScalarShape {
  const configuration = S3_OPERATIONS.CreateBucket.input.members.CreateBucketConfiguration!.shape;
  return (configuration as StructureShape).members.LocationConstraint!.shape as ScalarShape;
}
