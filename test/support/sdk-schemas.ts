import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ValidationErrors } from '../../src/protocols/shapes.js';

/** Plain errors for unit tests that run a codec without a service behind it. */
export const plainErrors: ValidationErrors = {
  missing: (path) => new Error(`missing ${path}`),
  invalidType: (path, value, expected) => new Error(`${path}: ${String(value)} is not a ${expected}`),
  malformed: (detail) => new Error(`malformed: ${detail}`),
};

/** The operations an installed `@aws-sdk/client-*` package has a command for, sorted. */
export function sdkCommandNames(sdkPackage: string): string[] {
  const root = dirname(createRequire(import.meta.url).resolve(sdkPackage));
  return readdirSync(join(root, '..', 'dist-types', 'commands'))
    .filter((f) => f.endsWith('Command.d.ts'))
    .map((f) => f.slice(0, -'Command.d.ts'.length))
    .sort();
}

/** The SDK schemas' codes for simple types, as the shape tests name them. */
export const SIMPLE: Record<number, string> = {
  0: 'string',
  1: 'number',
  2: 'boolean',
  4: 'timestamp',
  21: 'blob',
};
