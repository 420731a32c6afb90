#!/usr/bin/env node
// Generates src/protocols/models/<service>.ts from AWS's published service models: botocore's
// service-2.json (pinned version) merged with the schemas of the installed @aws-sdk/client-*
// packages. docs/models.md says which source gives what. Usage:
//   npm run models [-- [--any-botocore] [--botocore <dir>] [--out <dir>] [--check] <service>...]
// --check writes nothing and fails when a committed module differs from what would be generated.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { sdkModel } from './sdk-schema.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'src', 'protocols', 'models');
const BOTOCORE_VERSION = /^1\.43\.\d+$/;
const DEFAULT_BOTOCORE = '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore';
/** The services Tideway serves today. */
const DEFAULT_SERVICES = ['sqs', 'sns', 'kinesis', 'kms', 'secretsmanager', 'events', 'schemas', 'kafka'];
/** Where a service's botocore folder or SDK client is not named after it. */
const SDK_PACKAGE = { events: 'eventbridge', secretsmanager: 'secrets-manager' };

function parseArgs(argv) {
  const options = {
    anyBotocore: false,
    check: false,
    botocore: process.env.BOTOCORE_DIR ?? DEFAULT_BOTOCORE,
    out: OUT_DIR,
    services: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--any-botocore') options.anyBotocore = true;
    else if (arg === '--check') options.check = true;
    else if (arg === '--botocore') options.botocore = argv[++i];
    else if (arg === '--out') options.out = resolve(argv[++i]);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.services.push(arg);
  }
  if (options.services.length === 0) options.services = DEFAULT_SERVICES;
  return options;
}

function botocoreVersion(dir, anyVersion) {
  const match = /__version__ = '([^']+)'/.exec(readFileSync(join(dir, '__init__.py'), 'utf8'));
  if (!match) throw new Error(`no botocore version in ${dir}`);
  const version = match[1];
  if (!BOTOCORE_VERSION.test(version) && !anyVersion) {
    throw new Error(
      `botocore ${version} in ${dir}: the models are pinned to 1.43.x (--any-botocore to override)`,
    );
  }
  return version;
}

function loadBotocore(dir, service) {
  const serviceDir = join(dir, 'data', service);
  if (!existsSync(serviceDir))
    throw new Error(`botocore has no model named ${service} (see ${join(dir, 'data')})`);
  // The newest API version, where botocore keeps more than one (events: 2014-02-03 and 2015-10-07).
  const apiVersion = readdirSync(serviceDir).sort().at(-1);
  return JSON.parse(
    gunzipSync(readFileSync(join(serviceDir, apiVersion, 'service-2.json.gz'))).toString('utf8'),
  );
}

async function loadSdk(service) {
  const pkg = `@aws-sdk/client-${SDK_PACKAGE[service] ?? service}`;
  const require = createRequire(join(ROOT, 'package.json'));
  let entry;
  try {
    entry = require.resolve(pkg);
  } catch {
    console.warn(`${pkg} is not installed: ${service} is generated from botocore alone`);
    return undefined;
  }
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const exports = await import(pathToFileURL(entry).href);
  return { pkg, version, model: sdkModel(exports) };
}

// ---------------------------------------------------------------------------
// Merging: botocore is the base; the SDK adds what botocore does not carry.

function mergeSdk(model, sdk) {
  const merged = new Set();

  /** Copies an SDK shape (and what it references) under its name, unless botocore has one. */
  function adopt(name) {
    if (model.shapes[name]) {
      overlay(name, name);
      return;
    }
    const shape = structuredClone(sdk.shapes[name]);
    model.shapes[name] = shape;
    for (const ref of refsOf(shape)) adopt(ref.shape);
  }

  /** Adds the SDK's traits and members to botocore's shape `bcName` from SDK shape `sdkName`. */
  function overlay(bcName, sdkName) {
    const key = `${bcName}|${sdkName}`;
    if (merged.has(key)) return;
    merged.add(key);
    const mine = model.shapes[bcName];
    const theirs = sdk.shapes[sdkName];
    if (!theirs || !mine || mine.type !== theirs.type) return;
    if (mine.type === 'list') {
      overlayRef(mine.member, theirs.member);
    } else if (mine.type === 'map') {
      overlayRef(mine.key, theirs.key);
      overlayRef(mine.value, theirs.value);
    } else if (mine.type === 'structure') {
      overlayStructure(mine, theirs);
    }
  }

  function overlayRef(mine, theirs) {
    if (theirs.xmlName !== undefined && mine.locationName === undefined) mine.xmlName = theirs.xmlName;
    if (theirs.flattened) mine.flattened = true;
    overlay(mine.shape, theirs.shape);
  }

  function overlayStructure(mine, theirs) {
    if (theirs.xmlName !== undefined && mine.locationName === undefined) mine.xmlName = theirs.xmlName;
    if (theirs.sdkError) {
      const { fault, httpError, query } = theirs.sdkError;
      if (!mine.error) {
        mine.error = {
          httpStatusCode: httpError ?? (fault === 'server' ? 500 : 400),
          senderFault: fault !== 'server',
        };
      }
      if (query) mine.queryError = { code: query[0], httpStatusCode: query[1] };
    }
    // The SDK's model is the newer where they differ (Kinesis's PartitionKey became optional).
    mine.required = [...(theirs.required ?? [])];
    const members = Object.entries(mine.members);
    let added = false;
    theirs.sdkOrder.forEach((name, i) => {
      const ref = theirs.members[name];
      if (mine.members[name]) {
        overlayRef(mine.members[name], ref);
        return;
      }
      // A member newer than botocore: placed after the one the SDK lists before it.
      const previous = theirs.sdkOrder[i - 1];
      const at = previous === undefined ? 0 : members.findIndex(([n]) => n === previous) + 1;
      members.splice(at, 0, [name, structuredClone(ref)]);
      adopt(ref.shape);
      added = true;
    });
    if (added) mine.members = Object.fromEntries(members);
  }

  for (const [name, op] of Object.entries(sdk.operations)) {
    const existing = model.operations[name];
    if (existing) {
      overlay(existing.input.shape, op.input.shape);
      if (existing.output && op.output) overlay(existing.output.shape, op.output.shape);
      continue;
    }
    model.operations[name] = { ...op, http: op.http ?? { method: 'POST', requestUri: '/' }, errors: [] };
    adopt(op.input.shape);
    if (op.output) adopt(op.output.shape);
  }
  for (const [name, shape] of Object.entries(sdk.shapes)) {
    if (shape.sdkError && model.shapes[name]) overlay(name, name);
  }
}

/**
 * botocore marks some streaming payloads on the member (S3's `Body`) rather than on the blob shape;
 * such a member gets a streaming copy of its shape, so the flag lives where the codecs read it.
 */
function streamingMembersToShapes(model) {
  for (const shape of Object.values(model.shapes)) {
    for (const ref of refsOf(shape)) {
      if (!ref.streaming || model.shapes[ref.shape].streaming) continue;
      const name = `${ref.shape}Stream`;
      if (model.shapes[name] && !model.shapes[name].streaming)
        throw new Error(`${name} exists and does not stream`);
      model.shapes[name] ??= { ...model.shapes[ref.shape], streaming: true, modelName: ref.shape };
      ref.shape = name;
    }
  }
}

/** An XML root name or namespace botocore gives on the operation's input goes onto the input structure. */
function inputRootsToShapes(model) {
  for (const op of Object.values(model.operations)) {
    const input = op.input && model.shapes[op.input.shape];
    if (!input) continue;
    if (op.input.locationName !== undefined) input.xmlName = op.input.locationName;
    if (op.input.xmlNamespace !== undefined) input.xmlNamespace = op.input.xmlNamespace;
  }
}

function refsOf(shape) {
  switch (shape.type) {
    case 'structure':
      return Object.values(shape.members ?? {});
    case 'list':
      return [shape.member];
    case 'map':
      return [shape.key, shape.value];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------
// Emitting TypeScript.

const SCALAR_TYPES = {
  string: 'string',
  character: 'string',
  integer: 'integer',
  short: 'integer',
  byte: 'integer',
  long: 'long',
  boolean: 'boolean',
  blob: 'blob',
  timestamp: 'timestamp',
  double: 'double',
  float: 'double',
};

const JSON_PROTOCOLS = new Set(['json', 'rest-json']);

function identifier(shapeName) {
  return `$${shapeName.replace(/[^A-Za-z0-9_$]/g, '_')}`;
}

function literal(value) {
  return JSON.stringify(value);
}

/** `{ a: 1, b: 'x' }` from the defined entries of `fields`, values given as code. */
function object(fields) {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${v}`).join(', ')} }`;
}

function namespace(ns) {
  if (!ns) return undefined;
  return object({ uri: literal(ns.uri), prefix: ns.prefix === undefined ? undefined : literal(ns.prefix) });
}

function constraintFields(shape) {
  return {
    min: shape.min === undefined ? undefined : literal(shape.min),
    max: shape.max === undefined ? undefined : literal(shape.max),
    pattern: shape.pattern === undefined ? undefined : literal(shape.pattern),
    enum: shape.enum === undefined ? undefined : literal(shape.enum),
  };
}

function emit(service, model, sources) {
  const { metadata, shapes } = model;
  const xmlWire = !JSON_PROTOCOLS.has(metadata.protocol) || metadata.awsQueryCompatible !== undefined;
  const jsonWire = JSON_PROTOCOLS.has(metadata.protocol);

  // Only the shapes the operations reach, so nothing unused is loaded.
  const used = new Set();
  const visit = (name) => {
    if (used.has(name)) return;
    const shape = shapes[name];
    if (!shape) throw new Error(`${service}: shape ${name} is referenced but not defined`);
    used.add(name);
    for (const ref of refsOf(shape)) visit(ref.shape);
  };
  const opNames = Object.keys(model.operations).sort();
  for (const name of opNames) {
    const op = model.operations[name];
    visit(op.input?.shape ?? ensureEmptyInput(model, name));
    if (op.output) visit(op.output.shape);
    for (const e of op.errors ?? []) visit(e.shape);
  }
  const names = [...used].sort();

  function memberCode(ref) {
    const target = shapes[ref.shape];
    const located = ref.location !== undefined && ref.location !== 'body';
    const listFlattened = target.type === 'list' && (target.flattened || ref.flattened);
    let xmlName;
    if (!located && xmlWire) {
      const listMemberName = listFlattened
        ? (target.member.locationName ?? target.member.xmlName)
        : undefined;
      xmlName = ref.xmlName ?? listMemberName ?? (jsonWire ? undefined : ref.locationName);
    }
    const flattened = ref.flattened || target.flattened;
    return object({
      shape: identifier(ref.shape),
      xmlName: xmlName === undefined ? undefined : literal(xmlName),
      flattened: flattened && (target.type === 'list' || target.type === 'map') ? 'true' : undefined,
      location: located ? literal(ref.location) : undefined,
      locationName: located && ref.locationName !== undefined ? literal(ref.locationName) : undefined,
      xmlAttribute: ref.xmlAttribute ? 'true' : undefined,
      xmlNamespace: namespace(ref.xmlNamespace),
      jsonName:
        ref.jsonName !== undefined
          ? literal(ref.jsonName)
          : jsonWire && !located && ref.locationName !== undefined
            ? literal(ref.locationName)
            : undefined,
      idempotencyToken: ref.idempotencyToken ? 'true' : undefined,
      timestampFormat: ref.timestampFormat === undefined ? undefined : literal(ref.timestampFormat),
    });
  }

  const lines = [];
  const push = (line) => lines.push(line);
  const scalars = names.filter((n) => SCALAR_TYPES[shapes[n].type]);
  const structures = names.filter((n) => shapes[n].type === 'structure');
  const containers = orderContainers(
    names.filter((n) => shapes[n].type === 'list' || shapes[n].type === 'map'),
    shapes,
  );

  for (const name of scalars) {
    const shape = shapes[name];
    const type = SCALAR_TYPES[shape.type];
    if (!type) throw new Error(`${service}: shape ${name} has unknown type ${shape.type}`);
    push(
      `const ${identifier(name)}: ScalarShape = ${object({
        type: literal(type),
        name: literal(shape.modelName ?? name),
        ...constraintFields(shape),
        timestampFormat: shape.timestampFormat === undefined ? undefined : literal(shape.timestampFormat),
        streaming: shape.streaming ? 'true' : undefined,
      })};`,
    );
  }
  for (const name of structures) {
    const shape = shapes[name];
    let error;
    if (shape.exception) {
      const status =
        shape.queryError?.httpStatusCode ?? shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
      error = object({
        code: literal(shape.queryError?.code ?? shape.error?.code ?? name),
        status: literal(status),
        senderFault: literal(shape.error?.senderFault ?? !shape.fault),
      });
    }
    push(
      `const ${identifier(name)}: StructureShape = ${object({
        type: literal('structure'),
        name: literal(name),
        members: '{}',
        memberList: '[]',
        required: literal(shape.required ?? []),
        payload: shape.payload === undefined ? undefined : literal(shape.payload),
        xmlName:
          (shape.xmlName ?? shape.locationName) === undefined
            ? undefined
            : literal(shape.xmlName ?? shape.locationName),
        xmlNamespace: namespace(shape.xmlNamespace),
        error,
        union: shape.union ? 'true' : undefined,
        eventStream: shape.eventstream ? 'true' : undefined,
      })};`,
    );
  }
  for (const name of containers) {
    const shape = shapes[name];
    if (shape.type === 'list') {
      const memberName = shape.member.locationName ?? shape.member.xmlName;
      push(
        `const ${identifier(name)}: ListShape = ${object({
          type: literal('list'),
          name: literal(name),
          member: identifier(shape.member.shape),
          memberName: xmlWire && memberName !== undefined ? literal(memberName) : undefined,
          ...constraintFields(shape),
        })};`,
      );
    } else {
      const keyName = shape.key.locationName ?? shape.key.xmlName;
      const valueName = shape.value.locationName ?? shape.value.xmlName;
      push(
        `const ${identifier(name)}: MapShape = ${object({
          type: literal('map'),
          name: literal(name),
          key: identifier(shape.key.shape),
          value: identifier(shape.value.shape),
          keyName: xmlWire && keyName !== undefined ? literal(keyName) : undefined,
          valueName: xmlWire && valueName !== undefined ? literal(valueName) : undefined,
          ...constraintFields(shape),
        })};`,
      );
    }
  }
  push('');
  // Members are set once every shape exists, so recursive shapes need no special case.
  for (const name of structures) {
    const members = Object.entries(shapes[name].members ?? {});
    if (members.length === 0) continue;
    push(
      `fill(${identifier(name)}, ${object(Object.fromEntries(members.map(([m, ref]) => [m, memberCode(ref)])))});`,
    );
  }

  const prefix = service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const typeName = `${service[0].toUpperCase()}${service.slice(1).replace(/[^A-Za-z0-9]/g, '')}OperationName`;
  push('');
  push(`export type ${typeName} = ${opNames.map(literal).join(' | ')};`);
  push('');
  push(
    `export const ${prefix}_METADATA: ServiceMetadata = ${object({
      apiVersion: literal(metadata.apiVersion),
      protocol: literal(metadata.protocol),
      signingName: literal(metadata.signingName ?? metadata.endpointPrefix),
      endpointPrefix: literal(metadata.endpointPrefix),
      serviceId: literal(metadata.serviceId),
      jsonVersion: metadata.jsonVersion === undefined ? undefined : literal(metadata.jsonVersion),
      targetPrefix: metadata.targetPrefix === undefined ? undefined : literal(metadata.targetPrefix),
      xmlNamespace: metadata.xmlNamespace === undefined ? undefined : literal(metadata.xmlNamespace),
      awsQueryCompatible: metadata.awsQueryCompatible === undefined ? undefined : 'true',
    })};`,
  );
  push('');
  push(`export const ${prefix}_OPERATIONS: Record<${typeName}, OperationShapes> = {`);
  for (const name of opNames) push(`  ${name}: ${operationCode(model, name)},`);
  push('};');
  push('');
  const errorNames = structures.filter((n) => shapes[n].exception);
  push(`/** Every error shape the operations declare, by shape name. */`);
  push(`export const ${prefix}_ERRORS: Record<string, StructureShape> = {`);
  for (const name of errorNames) push(`  ${name}: ${identifier(name)},`);
  push('};');

  const header = [
    `// Generated by \`npm run models\` (scripts/models/generate.mjs) from ${sources}. Do not edit.`,
    `import type { ListShape, MapShape, OperationShapes, ScalarShape, ServiceMetadata, StructureShape } from '../shapes.js';`,
    `import { fill } from './fill.js';`,
    '',
  ];
  return `${[...header, ...lines].join('\n')}\n`;
}

function ensureEmptyInput(model, opName) {
  // An operation without input still decodes one: an empty structure.
  const name = `${opName}__EmptyInput`;
  model.shapes[name] = { type: 'structure', members: {} };
  model.operations[opName].input = { shape: name };
  return name;
}

function operationCode(model, name) {
  const op = model.operations[name];
  const { shapes } = model;
  const output = op.output ? shapes[op.output.shape] : undefined;
  const streamMember = output
    ? Object.values(output.members ?? {}).find((ref) => shapes[ref.shape].eventstream)
    : undefined;
  let eventStream;
  if (streamMember) {
    const events = Object.entries(shapes[streamMember.shape].members).filter(
      ([, ref]) => !shapes[ref.shape].exception,
    );
    eventStream = object(Object.fromEntries(events.map(([n, ref]) => [n, identifier(ref.shape)])));
  }
  return object({
    http: op.http
      ? object({
          method: literal(op.http.method),
          requestUri: literal(op.http.requestUri),
          responseCode: op.http.responseCode === undefined ? undefined : literal(op.http.responseCode),
        })
      : undefined,
    errors: `[${(op.errors ?? []).map((e) => identifier(e.shape)).join(', ')}]`,
    input: identifier(op.input.shape),
    // An event-stream output is sent event by event (eventStream), never encoded as a whole.
    output: output && !streamMember ? identifier(op.output.shape) : undefined,
    eventStream,
  });
}

/** Lists and maps in an order where each one's element is declared before it. */
function orderContainers(names, shapes) {
  const pending = new Set(names);
  const ordered = [];
  const place = (name, stack = new Set()) => {
    if (!pending.has(name)) return;
    if (stack.has(name)) throw new Error(`${name}: a list or map that contains itself`);
    stack.add(name);
    for (const ref of refsOf(shapes[name])) place(ref.shape, stack);
    pending.delete(name);
    ordered.push(name);
  };
  for (const name of names) place(name);
  return ordered;
}

// ---------------------------------------------------------------------------

/** Formats a module as Biome would in its place under src/protocols/models/, wherever it is written. */
function format(service, code) {
  const biome = join(ROOT, 'node_modules', '.bin', 'biome');
  const path = join(OUT_DIR, `${service}.ts`);
  return execFileSync(biome, ['format', `--stdin-file-path=${path}`], {
    input: code,
    encoding: 'utf8',
    cwd: ROOT,
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const version = botocoreVersion(options.botocore, options.anyBotocore);
  const stale = [];
  for (const service of options.services) {
    const model = loadBotocore(options.botocore, service);
    const sdk = await loadSdk(service);
    if (sdk) mergeSdk(model, sdk.model);
    streamingMembersToShapes(model);
    inputRootsToShapes(model);
    const sources = `botocore ${version} (${service} ${model.metadata.apiVersion})${sdk ? ` and ${sdk.pkg} ${sdk.version}` : ''}`;
    const file = join(options.out, `${service}.ts`);
    const code = format(service, emit(service, model, sources));
    if (options.check) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== code) stale.push(file);
      continue;
    }
    writeFileSync(file, code);
    console.log(`${service}: ${Object.keys(model.operations).length} operations from ${sources}`);
  }
  if (stale.length > 0) {
    console.error(`not what \`npm run models\` generates: ${stale.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
