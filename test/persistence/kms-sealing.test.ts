import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { startCli } from '../support/server.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  advance,
  assertAwsError,
  credentials,
  errorOf,
  receive,
  sqsClient,
  startServer,
} from '../support/tideway.js';

const ACCOUNT = '000000000000';

// With --data-dir, a queue with a KMS key has its bodies sealed (AES-256-GCM under the data key,
// the key's KMS blob beside them) before they reach the journal; they read back after a restart.
describe('message bodies of encrypted queues at rest', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-sealed-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Every byte the data dir holds, the journal and its write-ahead log alike. */
  function everything(): Buffer {
    return Buffer.concat(
      fs
        .readdirSync(dir)
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .map((f) => fs.readFileSync(path.join(dir, f))),
    );
  }

  it('writes no body of an encrypted queue in clear, and reads them back after a restart', async () => {
    let server = await startServer({ dataDir: dir });
    let keyArn: string;
    try {
      const sqs = sqsClient(server.endpoint);
      const kms = new KMSClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      const sns = snsClient(server.endpoint);
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                Resource: '*',
              },
            ],
          }),
        }),
      );
      keyArn = KeyMetadata!.Arn!;
      const sealed = (
        await sqs.send(
          new CreateQueueCommand({ QueueName: 'sealed', Attributes: { KmsMasterKeyId: keyArn } }),
        )
      ).QueueUrl!;
      const plain = (await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: sealed, MessageBody: 'SECRET-SINGLE-7f3a' }));
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: sealed,
          Entries: [
            { Id: 'a', MessageBody: 'SECRET-BATCH-A-91c2' },
            { Id: 'b', MessageBody: 'SECRET-BATCH-B-5d0e' },
          ],
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'PLAIN-BODY-44be' }));
      // A sealed body redriven after the restart to a dead-letter queue without a key.
      const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'dead' }))).QueueUrl!;
      const redriven = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: 'redriven',
            Attributes: {
              KmsMasterKeyId: keyArn,
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dead`,
                maxReceiveCount: 1,
              }),
            },
          }),
        )
      ).QueueUrl!;
      assert.ok(dlq);
      await sqs.send(new SendMessageCommand({ QueueUrl: redriven, MessageBody: 'SECRET-REDRIVEN-e410' }));
      // SNS's delivery goes through the same front door, so its copy is sealed too.
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'news' }));
      const fanned = await subscribableQueue(sqs, 'fanned', TopicArn, { KmsMasterKeyId: keyArn });
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: fanned.arn,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      await sns.send(new PublishCommand({ TopicArn, Message: 'SECRET-FANNED-0b77' }));
    } finally {
      await server.stop();
    }

    const db = new Database(path.join(dir, 'tideway.sqlite'), { readonly: true });
    const rows = (db.prepare('SELECT entries FROM log').all() as Array<{ entries: string }>)
      .map((r) => r.entries)
      .join('\n');
    db.close();
    assert.match(rows, /PLAIN-BODY-44be/, 'an unencrypted queue keeps its body in clear (the probe works)');
    assert.doesNotMatch(rows, /SECRET-/);
    assert.equal(
      everything().includes('SECRET-'),
      false,
      'no file of the data dir holds a sealed body in clear',
    );

    server = await startServer({ dataDir: dir });
    try {
      const sqs = sqsClient(server.endpoint);
      const url = (name: string) =>
        sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((r) => r.QueueUrl!);
      const got = await receive(sqs, await url('sealed'), { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
      assert.deepEqual(got.map((m) => m.Body).sort(), [
        'SECRET-BATCH-A-91c2',
        'SECRET-BATCH-B-5d0e',
        'SECRET-SINGLE-7f3a',
      ]);
      for (const m of got) assert.equal(m.MD5OfBody, createHash('md5').update(m.Body!).digest('hex'));
      const [fanned] = await receive(sqs, await url('fanned'));
      assert.equal(fanned.Body, 'SECRET-FANNED-0b77');
      const redriven = await url('redriven');
      const [first] = await receive(sqs, redriven, { VisibilityTimeout: 0 });
      assert.equal(first.Body, 'SECRET-REDRIVEN-e410');
      assert.deepEqual(
        await receive(sqs, redriven),
        [],
        'the second receive moves it to the dead-letter queue',
      );
      const [dead] = await receive(sqs, await url('dead'));
      assert.equal(dead.Body, 'SECRET-REDRIVEN-e410');
      // The key disabled, a receive past the reuse period cannot open the bodies.
      const kms = new KMSClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      await kms.send(new DisableKeyCommand({ KeyId: keyArn }));
      await advance(server, 301);
      const sealedUrl = await url('sealed');
      assertAwsError(await errorOf(() => receive(sqs, sealedUrl)), {
        name: 'KmsDisabled',
        code: 'KMS.DisabledException',
      });
    } finally {
      await server.stop();
    }
  });

  it('keeps acknowledged sends to encrypted queues through kill -9, the AWS managed key made in passing included', async () => {
    const killed = path.join(dir, 'killed');
    fs.mkdirSync(killed);
    const first = await startCli(['--port', '0', '--log-level', 'warn', '--data-dir', killed]);
    try {
      const sqs = sqsClient(first.endpoint);
      const kms = new KMSClient({
        endpoint: first.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      // alias/aws/sqs makes the AWS managed key during the first send: it must be journaled with it.
      const managed = (
        await sqs.send(
          new CreateQueueCommand({ QueueName: 'managed', Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } }),
        )
      ).QueueUrl!;
      const custom = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: 'custom',
            Attributes: { KmsMasterKeyId: KeyMetadata!.KeyId! },
          }),
        )
      ).QueueUrl!;
      for (let i = 0; i < 5; i++) {
        await sqs.send(new SendMessageCommand({ QueueUrl: managed, MessageBody: `SECRET-MANAGED-${i}` }));
        await sqs.send(new SendMessageCommand({ QueueUrl: custom, MessageBody: `SECRET-CUSTOM-${i}` }));
      }
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const files = fs.readdirSync(killed).map((f) => fs.readFileSync(path.join(killed, f)));
    assert.equal(Buffer.concat(files).includes('SECRET-'), false);

    const second = await startCli(['--port', '0', '--log-level', 'warn', '--data-dir', killed]);
    try {
      const sqs = sqsClient(second.endpoint);
      for (const [name, prefix] of [
        ['managed', 'SECRET-MANAGED-'],
        ['custom', 'SECRET-CUSTOM-'],
      ]) {
        const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        const got = await receive(sqs, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 60 });
        assert.deepEqual(
          got.map((m) => m.Body).sort(),
          [0, 1, 2, 3, 4].map((i) => `${prefix}${i}`),
        );
      }
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  });
});
