#!/usr/bin/env node
// Generates src/protocols/models/kafka-protocol.ts from Apache Kafka's own protocol definitions:
// the JSON message specs (clients/src/main/resources/common/message/*.json) for the APIs Tideway
// reads and writes, and the error codes with their default messages (Errors.java). Usage:
//   npm run models:kafka [-- [--kafka <checkout or bare git dir>] [--check]]
// The source defaults to $KAFKA_SOURCE, else the tool library's mirror of apache/kafka. --check
// writes nothing and fails when the committed module differs from what would be generated.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'src', 'protocols', 'models', 'kafka-protocol.ts');
const DEFAULT_SOURCE = '/work/.mirror/apache+kafka/repo';
const MESSAGES = 'clients/src/main/resources/common/message';
const ERRORS = 'clients/src/main/java/org/apache/kafka/common/protocol/Errors.java';

/** The APIs whose messages Tideway's broker and its tests read or write. */
const APIS = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'Heartbeat',
  'LeaveGroup',
  'SyncGroup',
  'DescribeGroups',
  'ListGroups',
  'SaslHandshake',
  'ApiVersions',
  'CreateTopics',
  'DeleteTopics',
  'DeleteRecords',
  'InitProducerId',
  'OffsetForLeaderEpoch',
  'DescribeConfigs',
  'AlterConfigs',
  'SaslAuthenticate',
  'CreatePartitions',
  'DeleteGroups',
  'IncrementalAlterConfigs',
  'OffsetDelete',
  'DescribeCluster',
  'DescribeProducers',
];

export function parseArgs(argv) {
  const options = { check: false, source: process.env.KAFKA_SOURCE ?? DEFAULT_SOURCE };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') options.check = true;
    else if (argv[i] === '--kafka') options.source = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

/** Reads a file of the Kafka source: a checkout, or a bare git repository (the mirror). */
function sourceReader(source) {
  if (existsSync(join(source, MESSAGES))) return (path) => readFileSync(join(source, path), 'utf8');
  if (existsSync(join(source, 'HEAD'))) {
    return (path) => execFileSync('git', ['--git-dir', source, 'show', `HEAD:${path}`], { encoding: 'utf8' });
  }
  throw new Error(`no Kafka source at ${source} (a checkout or a bare git repository of apache/kafka)`);
}

/** The specs are JSON with // comments. */
function parseSpec(text) {
  const withoutComments = text
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '"' && line[i - 1] !== '\\') inString = !inString;
        if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
  return JSON.parse(withoutComments);
}

const OPEN_MAX = 32767;

/** "0+", "3-5", "7", "none" as [min, max], or null for none. */
function versionRange(text) {
  if (text === undefined || text === 'none' || text === '') return null;
  if (text.endsWith('+')) return [Number(text.slice(0, -1)), OPEN_MAX];
  const dash = text.indexOf('-');
  if (dash > 0) return [Number(text.slice(0, dash)), Number(text.slice(dash + 1))];
  return [Number(text), Number(text)];
}

function camel(name) {
  return name[0].toLowerCase() + name.slice(1);
}

const PRIMITIVES = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint16',
  'float64',
  'string',
  'bytes',
  'bool',
  'uuid',
  'records',
]);

function convertFields(fields, structs) {
  return fields.map((field) => convertField(field, structs));
}

function convertField(field, structs) {
  const out = { n: camel(field.name) };
  let type = field.type;
  const isArray = type.startsWith('[]');
  if (isArray) type = type.slice(2);
  const nested = field.fields ?? (PRIMITIVES.has(type) ? undefined : structs.get(type)?.fields);
  if (!PRIMITIVES.has(type) && !nested) throw new Error(`unknown type ${field.type} of ${field.name}`);
  if (isArray) {
    out.t = 'array';
    out.e = PRIMITIVES.has(type) ? type : 'struct';
  } else {
    out.t = PRIMITIVES.has(type) ? type : 'struct';
  }
  out.v = versionRange(field.versions);
  const nullable = versionRange(field.nullableVersions);
  if (nullable) out.nv = nullable;
  if (field.tag !== undefined) {
    out.tag = field.tag;
    out.tv = versionRange(field.taggedVersions);
  }
  if (field.flexibleVersions !== undefined) out.fv = versionRange(field.flexibleVersions);
  if (field.default !== undefined) out.d = String(field.default);
  if (nested) out.f = convertFields(nested, structs);
  return out;
}

function convertMessage(spec) {
  const structs = new Map((spec.commonStructs ?? []).map((s) => [s.name, s]));
  return {
    name: spec.name,
    valid: versionRange(spec.validVersions),
    flexible: versionRange(spec.flexibleVersions),
    fields: convertFields(spec.fields, structs),
  };
}

/** Errors.java: NAME(code, "default message", …) with messages possibly split over lines. */
function parseErrors(javaText) {
  const errors = [];
  const body = javaText.slice(javaText.indexOf('public enum Errors'));
  const entry = /^\s{4}([A-Z][A-Z0-9_]*)\((-?\d+),\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+|null)/gm;
  for (let m = entry.exec(body); m; m = entry.exec(body)) {
    const message =
      m[3] === 'null'
        ? null
        : [...m[3].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => JSON.parse(`"${p[1]}"`)).join('');
    errors.push([m[1], Number(m[2]), message]);
  }
  if (errors.length < 100) throw new Error(`only ${errors.length} error codes read from ${ERRORS}`);
  return errors;
}

export function generate(source) {
  const read = sourceReader(source);
  const requests = {};
  const responses = {};
  for (const api of APIS) {
    const request = parseSpec(read(`${MESSAGES}/${api}Request.json`));
    const response = parseSpec(read(`${MESSAGES}/${api}Response.json`));
    requests[request.apiKey] = { apiKey: request.apiKey, ...convertMessage(request) };
    responses[response.apiKey] = { apiKey: response.apiKey, ...convertMessage(response) };
  }
  const requestHeader = convertMessage(parseSpec(read(`${MESSAGES}/RequestHeader.json`)));
  const responseHeader = convertMessage(parseSpec(read(`${MESSAGES}/ResponseHeader.json`)));
  const errors = parseErrors(read(ERRORS));
  const lines = [
    "// Generated by `npm run models:kafka` (scripts/models/kafka-protocol.mjs) from Apache Kafka's",
    '// message definitions and Errors.java. Do not edit.',
    "import type { KafkaMessageSchema } from '../kafka/schema.js';",
    '',
    `export const REQUEST_HEADER: KafkaMessageSchema = ${JSON.stringify(requestHeader)};`,
    '',
    `export const RESPONSE_HEADER: KafkaMessageSchema = ${JSON.stringify(responseHeader)};`,
    '',
    '/** Request schemas by API key. */',
    'export const REQUESTS: Readonly<Record<number, KafkaMessageSchema>> = {',
    ...Object.values(requests).map((m) => `  ${m.apiKey}: ${JSON.stringify(m)},`),
    '};',
    '',
    '/** Response schemas by API key. */',
    'export const RESPONSES: Readonly<Record<number, KafkaMessageSchema>> = {',
    ...Object.values(responses).map((m) => `  ${m.apiKey}: ${JSON.stringify(m)},`),
    '};',
    '',
    "/** Kafka's error codes and their default messages, by name. */",
    'export const ERRORS = {',
    ...errors.map(([name, code, message]) => `  ${name}: [${code}, ${JSON.stringify(message)}],`),
    '} as const;',
    '',
  ];
  // Formatted as Biome formats it in place, so that the check compares like with like.
  return execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', `--stdin-file-path=${OUT}`], {
    input: lines.join('\n'),
    encoding: 'utf8',
    cwd: ROOT,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const text = generate(options.source);
  if (options.check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${OUT} differs from what scripts/models/kafka-protocol.mjs generates\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    process.stdout.write(`wrote ${OUT}\n`);
  }
}
