import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateRegistryCommand, CreateSchemaCommand } from '@aws-sdk/client-schemas';
import { schemasClient } from '../support/events.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { type RunningTideway, startServer } from '../support/tideway.js';
import { Failures } from './answers.js';
import { Fuzz, jsonBody, mangle, SEED_OFFSET } from './fuzz.js';

// The schema registry's REST front door under a seeded storm: templates with odd labels, query
// values and bodies. Every answer must be a restJson1 error (or a success) in a well-formed body,
// never a 5xx. (OPTIONS is the server's CORS preflight, tested in test/server/cors.test.ts.)

const TEMPLATES = [
  ['POST', '/v1/registries/name/{r}'],
  ['GET', '/v1/registries/name/{r}'],
  ['PUT', '/v1/registries/name/{r}'],
  ['DELETE', '/v1/registries/name/{r}'],
  ['GET', '/v1/registries'],
  ['POST', '/v1/registries/name/{r}/schemas/name/{s}'],
  ['PUT', '/v1/registries/name/{r}/schemas/name/{s}'],
  ['GET', '/v1/registries/name/{r}/schemas/name/{s}'],
  ['DELETE', '/v1/registries/name/{r}/schemas/name/{s}/version/{v}'],
  ['GET', '/v1/registries/name/{r}/schemas/name/{s}/versions'],
  ['GET', '/v1/registries/name/{r}/schemas/name/{s}/export'],
  ['GET', '/v1/registries/name/{r}/schemas'],
  ['GET', '/v1/registries/name/{r}/schemas/search'],
  ['POST', '/v1/discoverers'],
  ['GET', '/v1/discoverers/id/{d}'],
  ['POST', '/v1/discoverers/id/{d}/stop'],
  ['POST', '/v1/discover'],
  ['PUT', '/v1/policy'],
  ['GET', '/v1/policy'],
  ['POST', '/tags/{arn}'],
  ['GET', '/tags/{arn}'],
  ['DELETE', '/tags/{arn}'],
  ['GET', '/v1/registries/name/{r}/schemas/name/{s}/language/{l}/source'],
] as const;

const QUERY_KEYS = [
  'limit',
  'nextToken',
  'scope',
  'type',
  'schemaVersion',
  'keywords',
  'registryName',
  'tagKeys',
];

describe('a storm of malformed schema-registry requests', () => {
  let server: RunningTideway;
  let agent: http.Agent;
  before(async () => {
    server = await startServer({ logLevel: 'error' });
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const schemas = schemasClient(server.endpoint);
    await schemas.send(new CreateRegistryCommand({ RegistryName: 'fuzz' }));
    await schemas.send(
      new CreateSchemaCommand({
        RegistryName: 'fuzz',
        SchemaName: 'fuzz@Event',
        Type: 'JSONSchemaDraft4',
        Content: '{"type":"object"}',
      }),
    );
    schemas.destroy();
  });
  after(async () => {
    agent.destroy();
    await server.stop();
  });

  it('restJson1: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5c4e3a + SEED_OFFSET);
    const label = (value: string) =>
      encodeURIComponent(mangle(f, value).replace(/[\ud800-\udfff]/g, '?')).replace(
        /%2F/g,
        f.pick(['/', '%2F']),
      );
    for (let i = 0; i < 800; i++) {
      const [method, template] = f.pick(TEMPLATES);
      const path = template
        .replace('{r}', label(f.pick(['fuzz', 'aws.events', 'discovered-schemas', 'nope'])))
        .replace('{s}', label(f.pick(['fuzz@Event', 'aws.ec2@EC2InstanceStateChangeNotification'])))
        .replace('{v}', label('1'))
        .replace('{d}', label('events-event-bus-default'))
        .replace('{l}', label('Java8'))
        .replace('{arn}', label('arn:aws:schemas:us-east-1:000000000000:registry/fuzz'));
      const query = new URLSearchParams();
      for (let q = f.int(3); q > 0; q--)
        query.append(
          f.pick(QUERY_KEYS),
          mangle(f, f.pick(['1', '0', '-1', 'LOCAL', 'JSONSchemaDraft4', 'x'])),
        );
      const body = jsonBody(f, () => ({
        Description: f.chance(0.5) ? f.text() : 'd'.repeat(f.int(400)),
        Content: f.chance(0.5) ? JSON.stringify(f.value()) : f.text(),
        Type: f.pick(['OpenApi3', 'JSONSchemaDraft4', 'Avro', 1]),
        SourceArn: f.pick(['arn:aws:events:us-east-1:000000000000:event-bus/default', f.text(), 5]),
        Events: f.chance(0.5)
          ? [JSON.stringify({ source: 's', 'detail-type': 'd', detail: f.value() })]
          : f.value(),
        Policy: f.chance(0.5) ? '{"Statement":[]}' : f.value(),
        tags: f.chance(0.5) ? { k: f.text() } : f.value(),
        CrossAccount: f.pick([true, 'yes', null]),
      }));
      const headers: Record<string, string> = {
        'content-type': f.pick(['application/json', 'text/plain', '']),
        authorization: sigv4('schemas'),
      };
      const target = `${path}${query.size > 0 ? `?${query}` : ''}`;
      const verb = f.chance(0.95) ? method : f.pick(['PATCH', 'HEAD']);
      const res = await rawRequest(server.endpoint, {
        method: verb,
        path: target,
        headers,
        body: method === 'GET' || method === 'DELETE' ? undefined : body,
        agent,
      });
      // A HEAD answer and a 204 carry no body: only their status can be wrong.
      if (verb === 'HEAD' || res.status === 204) {
        if (res.status >= 500) failures.seen.push(`schemas #${i} ${verb} ${target}: status ${res.status}`);
        continue;
      }
      failures.note(
        `schemas #${i} ${verb} ${target} -> ${res.status} ${body.subarray(0, 200).toString('utf8')}`,
        res,
      );
    }
    t.diagnostic(failures.summary());
    failures.check();
  });
});
