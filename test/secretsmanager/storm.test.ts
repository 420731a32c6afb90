import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { SECRETSMANAGER_OPERATIONS } from '../../src/protocols/models/secretsmanager.js';
import { Failures } from '../fuzz/answers.js';
import { Fuzz, jsonBody, mangle, SEED_OFFSET } from '../fuzz/fuzz.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { type RunningTideway, startServer } from '../support/tideway.js';
import { smClient } from './support.js';

const OPERATIONS = Object.keys(SECRETSMANAGER_OPERATIONS);
const TOKEN = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';

// A bounded, seeded storm of malformed Secrets Manager requests, as test/fuzz/front-door.test.ts
// runs for the other services: whatever comes in, the answer is an AWS error or a success in a
// well-formed JSON body, never a 5xx.
describe('a storm of malformed Secrets Manager requests', () => {
  let server: RunningTideway;
  let agent: http.Agent;
  const ids: string[] = ['storm', 'storm-deleted'];

  before(async () => {
    server = await startServer({ logLevel: 'error' });
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sm = smClient(server.endpoint);
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'storm', SecretString: 'x' }));
    ids.push(ARN!, ARN!.slice(0, -7));
    await sm.send(
      new PutResourcePolicyCommand({
        SecretId: 'storm',
        ResourcePolicy: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: '*', Resource: '*' }],
        }),
      }),
    );
    await sm.send(new CreateSecretCommand({ Name: 'storm-deleted', SecretString: 'y' }));
    sm.destroy();
  });
  after(async () => {
    agent.destroy();
    await server.stop();
  });

  function members(f: Fuzz): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const gen: Record<string, () => unknown> = {
      SecretId: () => (f.chance(0.7) ? mangle(f, f.pick(ids)) : f.pick(ids)),
      Name: () => f.pick(['storm', f.text(30), 'a/b_c+d=e.f@g!h', '']),
      SecretString: () => f.pick([f.text(50), '', 'x']),
      SecretBinary: () => f.pick(['eA==', '!!notbase64', '', f.text(8)]),
      ClientRequestToken: () => f.pick([TOKEN, f.text(40), 'short']),
      VersionId: () => f.pick([TOKEN, f.text(40)]),
      VersionStage: () => f.pick(['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING', f.text(10)]),
      VersionStages: () => f.pick([['AWSCURRENT'], [], [f.text(5)], 'x']),
      MoveToVersionId: () => f.pick([TOKEN, f.text(40)]),
      RemoveFromVersionId: () => f.pick([TOKEN, f.text(40)]),
      RecoveryWindowInDays: () => f.pick([7, 30, 0, -1, 31, 1.5, 'x']),
      ForceDeleteWithoutRecovery: () => f.pick([true, false, 'yes']),
      KmsKeyId: () => f.pick(['', 'alias/aws/secretsmanager', 'alias/none', f.text(20)]),
      Description: () => f.text(40),
      Tags: () => f.pick([[{ Key: 'k', Value: 'v' }], [{ Key: 'aws:x' }], [{}], 'x']),
      TagKeys: () => f.pick([['k'], [], [''], 3]),
      Filters: () =>
        f.pick([
          [{ Key: 'name', Values: ['st', '!x'] }],
          [{ Key: 'bogus' }],
          [{ Key: 'all', Values: [f.text(10)] }],
          {},
        ]),
      SecretIdList: () => f.pick([ids, [], [f.text(10)], 'x']),
      MaxResults: () => f.pick([1, 20, 100, 0, 101, -5, 'x']),
      NextToken: () => f.pick([f.text(20), 'dGlkZXdheS1zbTo1', '']),
      ResourcePolicy: () =>
        f.pick([
          '{}',
          '{"Statement":[]}',
          '{"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}',
          f.text(30),
        ]),
      BlockPublicPolicy: () => f.pick([true, false]),
      RotationLambdaARN: () => f.pick(['arn:aws:lambda:us-east-1:000000000000:function:f', f.text(20)]),
      RotationRules: () =>
        f.pick([
          { AutomaticallyAfterDays: 1 },
          { ScheduleExpression: 'rate(4 hours)', Duration: '2h' },
          { ScheduleExpression: f.text(12) },
          { Duration: '99h' },
          'x',
        ]),
      RotateImmediately: () => f.pick([true, false]),
      IncludeDeprecated: () => f.pick([true, false]),
      IncludePlannedDeletion: () => f.pick([true, false]),
      SortOrder: () => f.pick(['asc', 'desc', 'up']),
      SortBy: () => f.pick(['name', 'created-date', 'x']),
      PasswordLength: () => f.pick([1, 32, 4096, 0, 5000, 'x']),
      ExcludeCharacters: () => f.text(20),
      ExcludeNumbers: () => f.pick([true, false]),
      ExcludePunctuation: () => f.pick([true, false]),
      ExcludeUppercase: () => f.pick([true, false]),
      ExcludeLowercase: () => f.pick([true, false]),
      IncludeSpace: () => f.pick([true, false]),
      RequireEachIncludedType: () => f.pick([true, false]),
      AddReplicaRegions: () => f.pick([[{ Region: 'eu-west-1' }], []]),
    };
    for (const [name, make] of Object.entries(gen)) if (f.chance(0.25)) out[name] = make();
    if (f.chance(0.8)) out.SecretId = gen.SecretId!();
    if (f.chance(0.1)) out[f.text(8)] = f.value();
    return out;
  }

  it('every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed5 + SEED_OFFSET);
    for (let i = 0; i < 800; i++) {
      const operation = f.pick(OPERATIONS);
      const body = jsonBody(f, () => members(f));
      const headers: Record<string, string> = {
        'content-type': f.chance(0.9) ? 'application/x-amz-json-1.1' : f.pick(['application/json', '']),
        'x-amz-target': f.chance(0.95)
          ? `secretsmanager.${operation}`
          : f.text(20).replace(/[^\t\x20-\x7e]/g, ''),
        authorization: sigv4('secretsmanager', 'us-east-1', f.chance(0.2) ? '111122223333' : 'test'),
      };
      const res = await rawRequest(server.endpoint, { headers, body, agent });
      failures.note(`sm #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
  });
});
