import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

const ARN_PREFIX = 'arn:aws:kms:us-east-1:000000000000';

// KMS API Reference: CreateAlias, UpdateAlias, DeleteAlias, ListAliases; Developer Guide, "AWS
// managed keys" (alias/aws/<service>, created when first used).
describe('KMS aliases', () => {
  const t = withKmsServer();

  async function newKey(): Promise<string> {
    return (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  }

  it('creates, moves and deletes an alias', async () => {
    const first = await newKey();
    const second = await newKey();
    await t.kms.send(
      new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: `${ARN_PREFIX}:key/${first}` }),
    );
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: second })),
      'AlreadyExistsException',
      `An alias with the name ${ARN_PREFIX}:alias/app already exists`,
    );
    const listed = await t.kms.send(new ListAliasesCommand({ KeyId: first }));
    assert.equal(listed.Aliases?.length, 1);
    const alias = listed.Aliases![0]!;
    assert.equal(alias.AliasName, 'alias/app');
    assert.equal(alias.AliasArn, `${ARN_PREFIX}:alias/app`);
    assert.equal(alias.TargetKeyId, first);
    assert.ok(alias.CreationDate instanceof Date);
    assert.ok(alias.LastUpdatedDate instanceof Date);

    await t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: second }));
    assert.equal(
      (await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata?.KeyId,
      second,
    );
    assert.deepEqual((await t.kms.send(new ListAliasesCommand({ KeyId: first }))).Aliases, []);

    await t.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' })),
      'NotFoundException',
      `Alias ${ARN_PREFIX}:alias/app is not found.`,
    );
    await kmsRejects(
      t.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' })),
      'NotFoundException',
      `Alias ${ARN_PREFIX}:alias/app is not found.`,
    );
  });

  it('checks alias names and targets', async () => {
    const key = await newKey();
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: key })),
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/has space', TargetKeyId: key })),
      'ValidationException',
      "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    );
    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/target', TargetKeyId: key }));
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/second', TargetKeyId: 'alias/target' })),
      'ValidationException',
      'Aliases must refer to keys. Not aliases',
    );
    const doomed = await newKey();
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: doomed })),
      'KMSInvalidStateException',
      `${ARN_PREFIX}:key/${doomed} is pending deletion.`,
    );
  });

  it('shows AWS-managed aliases, creates their key when DescribeKey names one, and keeps users off them', async () => {
    const before = await t.kms.send(new ListAliasesCommand({}));
    const sqs = before.Aliases?.find((a) => a.AliasName === 'alias/aws/sqs');
    assert.ok(sqs, 'alias/aws/sqs is listed before its key exists');
    assert.equal(sqs.TargetKeyId, undefined);
    assert.equal(sqs.AliasArn, `${ARN_PREFIX}:alias/aws/sqs`);

    const described = await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/sqs' }));
    const meta = described.KeyMetadata!;
    assert.equal(meta.KeyManager, 'AWS');
    assert.equal(meta.Description, 'Default key that protects my SQS messages when no other key is defined');
    assert.equal(meta.KeyState, 'Enabled');
    const again = await t.kms.send(new DescribeKeyCommand({ KeyId: `${ARN_PREFIX}:alias/aws/sqs` }));
    assert.equal(again.KeyMetadata?.KeyId, meta.KeyId);
    const after = await t.kms.send(new ListAliasesCommand({ KeyId: meta.KeyId }));
    assert.deepEqual(
      after.Aliases?.map((a) => [a.AliasName, a.TargetKeyId]),
      [['alias/aws/sqs', meta.KeyId]],
    );

    const key = await newKey();
    for (const call of [
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: key })),
      t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/sqs', TargetKeyId: key })),
      t.kms.send(new DeleteAliasCommand({ AliasName: 'alias/aws/sqs' })),
    ]) {
      await kmsRejects(call, 'NotAuthorizedException');
    }
    await kmsRejects(
      t.kms.send(new CreateAliasCommand({ AliasName: 'alias/to-managed', TargetKeyId: meta.KeyId })),
      'AccessDeniedException',
      `User: arn:aws:iam::000000000000:root is not authorized to perform: kms:CreateAlias on resource: ${meta.Arn} because no resource-based policy allows the kms:CreateAlias action`,
    );
  });

  it('pages ListAliases with Limit and Marker', async () => {
    const key = await newKey();
    for (let i = 0; i < 5; i++) {
      await t.kms.send(new CreateAliasCommand({ AliasName: `alias/page-${i}`, TargetKeyId: key }));
    }
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await t.kms.send(new ListAliasesCommand({ KeyId: key, Limit: 2, Marker: marker }));
      assert.ok((page.Aliases?.length ?? 0) <= 2);
      seen.push(...(page.Aliases ?? []).map((a) => a.AliasName!));
      assert.equal(page.Truncated, page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(seen, ['alias/page-0', 'alias/page-1', 'alias/page-2', 'alias/page-3', 'alias/page-4']);
    await kmsRejects(t.kms.send(new ListAliasesCommand({ Marker: 'garbage!' })), 'InvalidMarkerException');
  });
});
