import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KAFKA_OPERATIONS } from '../../src/protocols/models/kafka.js';

describe('docs/msk.md', () => {
  it('lists every operation of the MSK model with its status', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/msk.md', import.meta.url)), 'utf8');
    const rows = new Map<string, string>();
    for (const match of docs.matchAll(/^\|\s*([A-Za-z0-9 /]+?)\s*\|\s*(served|not supported)\s*\|/gm))
      for (const name of match[1]!.split('/')) rows.set(name.trim(), match[2]!);
    for (const name of Object.keys(KAFKA_OPERATIONS))
      assert.ok(rows.has(name), `docs/msk.md has no row for ${name}`);
    for (const name of rows.keys())
      assert.ok(name in KAFKA_OPERATIONS, `docs/msk.md lists ${name}, not in the model`);
  });
});
