import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { keyPolicy, kmsClient, kmsRejects } from '../support/kms.js';
import { type RunningCli, startCli } from '../support/server.js';
import { type RunningTideway, startServer } from '../support/tideway.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-kms-'));
  dirs.push(dir);
  return dir;
}
const clis: RunningCli[] = [];
after(async () => {
  for (const cli of clis) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function journalRows(dir: string): string[] {
  const db = new Database(path.join(dir, 'tideway.sqlite'), { readonly: true });
  try {
    return (
      db.prepare("SELECT data FROM resources WHERE tbl LIKE 'kms%'").all() as Array<{ data: string }>
    ).map((r) => r.data);
  } finally {
    db.close();
  }
}

// With --data-dir an acknowledged write survives kill -9 (README, "Persistence"): keys with their
// state, policy, tags and rotation, aliases, grants, and the key material — wrapped under the
// master key in <dataDir>/kms-master.key, never in clear in the journal.
describe('KMS persistence', () => {
  it('brings back keys, aliases, grants, policies, tags and states after kill -9', async () => {
    const dir = dataDir();
    const launch = async () => {
      const cli = await startCli(['--port', '0', '--log-level', 'warn', '--data-dir', dir]);
      clis.push(cli);
      return { cli, kms: kmsClient(cli.endpoint) };
    };
    let { cli, kms } = await launch();
    const key = (
      await kms.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 't', TagValue: 'v' }] }))
    ).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: key.KeyId }));
    const policy = keyPolicy();
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policy }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 180 }));
    const grant = await kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: 'sns.amazonaws.com',
        Operations: ['Decrypt'],
      }),
    );
    const sealed = await kms.send(
      new EncryptCommand({
        KeyId: 'alias/kept',
        Plaintext: Buffer.from('durable'),
        EncryptionContext: { k: 'v' },
      }),
    );
    const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const doomed = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }),
    );
    const managed = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' })))
      .KeyMetadata!;

    cli.child.kill('SIGKILL');
    await cli.exited;
    kms.destroy();
    ({ cli, kms } = await launch());
    try {
      const back = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!;
      assert.equal(back.Arn, key.Arn);
      assert.equal(back.Description, 'kept');
      assert.equal(back.CreationDate?.getTime(), key.CreationDate?.getTime());
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, policy);
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [
        { TagKey: 't', TagValue: 'v' },
      ]);
      const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
      assert.equal(rotation.RotationPeriodInDays, 180);
      assert.deepEqual(
        (await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants?.map((g) => g.GrantId),
        [grant.GrantId],
      );
      const opened = await kms.send(
        new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { k: 'v' } }),
      );
      assert.equal(Buffer.from(opened.Plaintext!).toString(), 'durable');
      assert.equal(
        (await kms.send(new DescribeKeyCommand({ KeyId: disabled.KeyId }))).KeyMetadata?.KeyState,
        'Disabled',
      );
      const pending = (await kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId }))).KeyMetadata!;
      assert.equal(pending.KeyState, 'PendingDeletion');
      assert.equal(pending.DeletionDate?.getTime(), scheduled.DeletionDate?.getTime());
      const managedBack = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' })))
        .KeyMetadata!;
      assert.equal(managedBack.Arn, managed.Arn);
      const aliases = await kms.send(new ListAliasesCommand({ KeyId: managed.KeyId }));
      assert.deepEqual(
        aliases.Aliases?.map((a) => a.AliasName),
        ['alias/aws/secretsmanager'],
      );
    } finally {
      kms.destroy();
      cli.child.kill('SIGKILL');
      await cli.exited;
    }

    const masterFile = path.join(dir, 'kms-master.key');
    assert.equal(fs.statSync(masterFile).mode & 0o777, 0o600);
    const rows = journalRows(dir);
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      const record = JSON.parse(row) as { material?: string };
      // 12-byte IV, 16-byte tag and the 32 wrapped bytes: never the 32 bytes themselves.
      if (record.material !== undefined) assert.equal(Buffer.from(record.material, 'base64').length, 60);
    }
  });

  it('takes the master key from TIDEWAY_KMS_MASTER_KEY, and cannot use keys wrapped under another', async () => {
    const dir = dataDir();
    const master = randomBytes(32).toString('base64');
    const start = (env: NodeJS.ProcessEnv) =>
      withEnv(env, () => startServer({ dataDir: dir })) as Promise<RunningTideway>;
    let server = await start({ TIDEWAY_KMS_MASTER_KEY: master });
    let kms: KMSClient = kmsClient(server.endpoint);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const sealed = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const signer = (
      await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    const signed = await kms.send(
      new SignCommand({ KeyId: signer.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    kms.destroy();
    await server.stop();
    assert.equal(
      fs.existsSync(path.join(dir, 'kms-master.key')),
      false,
      'no file when the key comes from the env',
    );

    server = await start({ TIDEWAY_KMS_MASTER_KEY: master });
    kms = kmsClient(server.endpoint);
    await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    const verified = await kms.send(
      new VerifyCommand({
        KeyId: signer.KeyId,
        Message: Buffer.from('m'),
        Signature: signed.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    assert.equal(verified.SignatureValid, true, 'an asymmetric key keeps its private key across a restart');
    kms.destroy();
    await server.stop();

    server = await start({ TIDEWAY_KMS_MASTER_KEY: randomBytes(32).toString('base64') });
    kms = kmsClient(server.endpoint);
    try {
      await kmsRejects(
        kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
        'KeyUnavailableException',
      );
    } finally {
      kms.destroy();
      await server.stop();
    }
  });
});

async function withEnv<T>(env: NodeJS.ProcessEnv, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
