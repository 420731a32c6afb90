import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REQUESTS } from '../../src/protocols/models/kafka-protocol.js';
import { brokerApis } from '../../src/services/kafka/broker/apis.js';

const page = readFileSync(new URL('../../../docs/kafka.md', import.meta.url), 'utf8');

interface Row {
  key: number;
  name: string;
  versions: string;
}

/** The rows of the API table in docs/kafka.md: `| key | name | versions | notes |`. */
function tableRows(): Row[] {
  const from = page.indexOf('<!-- kafka-apis:begin -->');
  const to = page.indexOf('<!-- kafka-apis:end -->');
  assert.ok(from >= 0 && to > from, 'docs/kafka.md has the API table markers');
  return page
    .slice(from, to)
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const [key, name, versions] = line
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim()) as [string, string, string];
      return { key: Number(key), name, versions };
    });
}

// The page is the front door for Kafka users: a version it promises that the broker does not
// advertise (or the reverse) would send them debugging the wrong side.
describe('docs/kafka.md', () => {
  it("lists every API the broker registers, with the versions it advertises and Kafka's name", () => {
    const rows = tableRows();
    const apis = brokerApis();
    assert.ok(apis.size > 0, 'the broker registers APIs');
    for (const [key, api] of apis) {
      const row = rows.find((r) => r.key === key);
      assert.ok(row, `API ${key} (${REQUESTS[key]?.name}) is registered but not in docs/kafka.md`);
      assert.equal(row.versions, `${api.minVersion}–${api.maxVersion}`, `versions of API ${key}`);
    }
    for (const row of rows) {
      assert.equal(row.name, REQUESTS[row.key]?.name.replace(/Request$/, ''), `name of API ${row.key}`);
      assert.ok(
        apis.has(row.key),
        `docs/kafka.md lists API ${row.key} (${row.name}), which the broker does not serve`,
      );
    }
    const keys = rows.map((r) => r.key);
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => a - b),
      'rows in key order',
    );
  });

  it('links only to pages that exist', () => {
    for (const [, target] of page.matchAll(/\]\(([a-z0-9/._-]+\.md)(?:#[a-z0-9-]+)?\)/g)) {
      assert.doesNotThrow(() => readFileSync(new URL(`../../../docs/${target}`, import.meta.url)), target);
    }
  });
});
