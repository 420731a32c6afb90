import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ADVICE_RULES, PATTERN_RULES, WORKLOAD_DIMENSIONS } from '../../src/knowhow/advise/index.js';

// docs/advise.md describes the same dimensions and integrations as the code: this keeps them from
// drifting apart.
const page = fs.readFileSync(new URL('../../../docs/advise.md', import.meta.url), 'utf8');

describe('docs/advise.md', () => {
  it('lists every dimension with its JSON field, flag and values', () => {
    for (const dim of WORKLOAD_DIMENSIONS) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${dim.name}\` |`));
      assert.ok(row, `a row for ${dim.name}`);
      assert.ok(row.includes(`\`--${dim.flag}`), `${dim.name}'s flag`);
      if (dim.kind === 'choice')
        for (const value of dim.values!) assert.ok(row.includes(`\`${value}\``), value);
    }
  });

  it('names every integration id the rules can produce, and no other', () => {
    const ids = new Set(
      [...PATTERN_RULES, ...ADVICE_RULES].flatMap((rule) => (rule.integrations ?? []).map((i) => i.id)),
    );
    const section = page.slice(page.indexOf('- `integrations[]`'), page.indexOf('- `settings[]`'));
    const listed = new Set(
      [...section.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]).filter((id) => id !== 'services'),
    );
    assert.deepEqual([...listed].sort(), [...ids].sort());
  });
});
