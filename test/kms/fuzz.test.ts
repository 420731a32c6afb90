import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { Failures } from '../fuzz/answers.js';
import { Fuzz, jsonBody, mangle, SEED_OFFSET } from '../fuzz/fuzz.js';
import { kmsClient } from '../support/kms.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { type RunningTideway, startServer } from '../support/tideway.js';

// KMS's share of the storm (test/fuzz/front-door.test.ts): seeded malformed awsJson requests,
// each answered with a JSON error or a success, never a 5xx or a broken body.
describe('a storm of malformed KMS requests', () => {
  let server: RunningTideway;
  let agent: http.Agent;
  let keyArn: string;
  let blob: string;
  before(async () => {
    server = await startServer();
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const kms = kmsClient(server.endpoint);
    keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const sealed = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('fuzz') }));
    blob = Buffer.from(sealed.CiphertextBlob!).toString('base64');
    kms.destroy();
  });
  after(async () => {
    agent.destroy();
    await server.stop();
  });

  it('KMS awsJson: every answer is a JSON error or success, never a 5xx', async (t) => {
    const failures = new Failures();
    const f = new Fuzz(0x5eed7 + SEED_OFFSET);
    const operations = [
      'CreateKey',
      'DescribeKey',
      'Encrypt',
      'Decrypt',
      'ReEncrypt',
      'GenerateDataKey',
      'GenerateRandom',
      'CreateAlias',
      'UpdateAlias',
      'ListAliases',
      'ListKeys',
      'PutKeyPolicy',
      'CreateGrant',
      'RetireGrant',
      'TagResource',
      'ScheduleKeyDeletion',
      'Sign',
      'GenerateMac',
      'VerifyMac',
      'NoSuchOperation',
    ];
    const blobs = () => f.pick([blob, mangle(f, blob), '', '!!!', 'AAEC', f.text(20)]);
    for (let i = 0; i < 400; i++) {
      const operation = f.pick(operations);
      const members = () => {
        const m: Record<string, unknown> = {};
        if (f.chance(0.7))
          m.KeyId = f.pick([
            keyArn,
            mangle(f, keyArn),
            'alias/aws/sqs',
            `alias/${f.text(10)}`,
            f.text(40),
            f.value(),
          ]);
        if (f.chance(0.4)) m.Plaintext = f.pick(['AAEC', '', '!!!', f.text(10), 1, null]);
        if (f.chance(0.4)) m.CiphertextBlob = blobs();
        if (f.chance(0.3)) m.EncryptionContext = f.chance(0.7) ? { a: f.text(5) } : f.value();
        if (f.chance(0.2)) m.AliasName = f.pick(['alias/x', 'alias/aws/x', f.text(20)]);
        if (f.chance(0.2)) m.TargetKeyId = f.pick([keyArn, f.text(20)]);
        if (f.chance(0.2)) m.Policy = f.pick(['{}', '{"Statement":[]}', f.text(30), f.value()]);
        if (f.chance(0.2)) m.Operations = f.pick([['Decrypt'], ['Nope'], f.value()]);
        if (f.chance(0.2)) m.GranteePrincipal = f.text(20);
        if (f.chance(0.2)) m.MacAlgorithm = f.pick(['HMAC_SHA_256', 'HMAC_SHA_224', f.text(8)]);
        if (f.chance(0.2)) m.Message = f.pick(['AAEC', '', f.value()]);
        if (f.chance(0.2)) m.Mac = blobs();
        if (f.chance(0.2)) m.Tags = f.chance(0.5) ? [{ TagKey: f.text(5), TagValue: f.text(5) }] : f.value();
        for (let j = f.int(3); j > 0; j--)
          m[
            f.pick([
              'Limit',
              'Marker',
              'NumberOfBytes',
              'KeySpec',
              'PendingWindowInDays',
              'GrantToken',
              'DestinationKeyId',
            ])
          ] = f.value();
        return m;
      };
      const body = jsonBody(f, members);
      const res = await rawRequest(server.endpoint, {
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `TrentService.${operation}`,
          authorization: sigv4('kms'),
        },
        body,
        agent,
      });
      failures.note(`kms #${i} ${operation} ${body.subarray(0, 200).toString('utf8')}`, res);
    }
    t.diagnostic(failures.summary());
    failures.check();
    assert.ok(failures.answers.size > 5, 'the storm reaches past the first check');
  });

  it('sends the empty message of InvalidCiphertextException on the wire', async () => {
    const res = await rawRequest(server.endpoint, {
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Decrypt',
        authorization: sigv4('kms'),
      },
      body: Buffer.from(JSON.stringify({ CiphertextBlob: Buffer.from('not ours').toString('base64') })),
      agent,
    });
    assert.equal(res.status, 400);
    const answer = JSON.parse(res.body) as Record<string, unknown>;
    assert.equal(answer.__type, 'InvalidCiphertextException');
  });
});
