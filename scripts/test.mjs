#!/usr/bin/env node
// Runs the compiled tests once per storage engine: every file in memory, then the wire suites
// again with --data-dir (the SQLite journal), since both engines must answer alike. The engine
// reaches the suites through TIDEWAY_TEST_ENGINE, read by test/support/engine.ts for startServer
// and startCli.
//
//   node scripts/test.mjs [--engine memory|data-dir] [path prefix…] [-- node --test options…]
//
// Path prefixes (e.g. dist/test/sqs) narrow the files; --engine runs one engine only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../dist/test/', import.meta.url));

const ENGINES = ['memory', 'data-dir'];

// The one place that says which tests hold for one engine only, and why. Everything else (the
// wire suites: test/sqs, test/sns, test/kinesis, test/server, and any new folder) runs under both.
const SINGLE_ENGINE = {
  // Pure logic: no server, so no engine.
  'unit/': 'memory',
  // Brings its own data dirs, restarts and kills, and checks that memory mode writes nothing.
  'persistence/': 'memory',
  // The CLI's flags, a process spawned per test: a second engine adds time, not coverage.
  'server/cli.test.js': 'memory',
  'kafka/broker-cli.test.js': 'memory',
  // Builds its brokers on an in-memory environment of its own: no server, so no engine.
  'kafka/broker-clusters.test.js': 'memory',
  // The know-how commands, spawned per test: advise and lint need no server, and mcp's and
  // doctor's CLI runs read a server whose engine adds nothing to what they check.
  'cli/': 'memory',
  'mcp/': 'memory',
  // The Kafka tool helpers, the docs table and the bench helpers start no server.
  'kafka/clients-tools.test.js': 'memory',
  'kafka/clients-docs.test.js': 'memory',
  'kafka/clients-bench.test.js': 'memory',
};

function parseArgs(argv) {
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const nodeOptions = dashes === -1 ? [] : argv.slice(dashes + 1);
  let engines = ENGINES;
  const prefixes = [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (arg === '--engine' || arg.startsWith('--engine=')) {
      const name = arg === '--engine' ? own[++i] : arg.slice('--engine='.length);
      if (!ENGINES.includes(name)) usage(`unknown engine ${name}`);
      engines = [name];
    } else if (arg.startsWith('-')) {
      usage(`unknown option ${arg}`);
    } else {
      prefixes.push(path.resolve(arg));
    }
  }
  return { engines, prefixes, nodeOptions };
}

function usage(problem) {
  console.error(
    `${problem}\nusage: node scripts/test.mjs [--engine memory|data-dir] [path…] [-- node options…]`,
  );
  process.exit(2);
}

function testFiles() {
  if (!fs.existsSync(ROOT)) usage(`no compiled tests in ${ROOT}: build first (npx tsc -p tsconfig.json)`);
  return fs
    .readdirSync(ROOT, { recursive: true })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

function runsUnder(engine, file) {
  const rule = Object.keys(SINGLE_ENGINE).find((prefix) => file.startsWith(prefix));
  return rule === undefined || SINGLE_ENGINE[rule] === engine;
}

// Node's reporters end with lines such as `ℹ pass 735` (spec) or `# pass 735` (tap).
const SUMMARY = /^(?:ℹ|#) (tests|pass|fail|cancelled|skipped|todo) (\d+)\s*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes of the spec reporter
const COLOUR = /\u001b\[[0-9;]*m/g;

function runEngine(engine, files, nodeOptions) {
  const counts = {};
  const reporter = process.stdout.isTTY ? ['--test-reporter=spec'] : [];
  const child = spawn(
    process.execPath,
    ['--test', '--test-concurrency=2', ...reporter, ...nodeOptions, ...files],
    {
      env: {
        ...process.env,
        TIDEWAY_TEST_ENGINE: engine,
        ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let pending = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      const match = SUMMARY.exec(line.replace(COLOUR, ''));
      if (match) counts[match[1]] = Number(match[2]);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ engine, code: code ?? 1, signal, counts }));
  });
}

const { engines, prefixes, nodeOptions } = parseArgs(process.argv.slice(2));
const all = testFiles().filter(
  (file) => prefixes.length === 0 || prefixes.some((p) => path.join(ROOT, file).startsWith(p)),
);
const results = [];
for (const engine of engines) {
  const files = all.filter((file) => runsUnder(engine, file)).map((file) => path.join(ROOT, file));
  if (files.length === 0) continue;
  console.log(`\n# engine ${engine}: ${files.length} files`);
  results.push(await runEngine(engine, files, nodeOptions));
}
if (results.length === 0) usage('no test files match');

const failed = results.some((r) => r.code !== 0);
const parts = results.map(
  ({ engine, counts, signal }) =>
    `${engine} ${counts.pass ?? '?'}/${counts.tests ?? '?'} pass, ${counts.fail ?? '?'} fail` +
    (signal ? ` (${signal})` : ''),
);
console.log(`\n# ${failed ? 'FAIL' : 'ok'}: ${parts.join('; ')}`);
process.exitCode = failed ? 1 : 0;
