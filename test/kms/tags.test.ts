import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

// KMS API Reference: TagResource, UntagResource, ListResourceTags (TagException texts recorded
// against real KMS).
describe('KMS tags', () => {
  const t = withKmsServer();

  it('tags at creation, adds, replaces and removes tags', async () => {
    const { KeyMetadata } = await t.kms.send(
      new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'payments' }] }),
    );
    const keyId = KeyMetadata!.KeyId!;
    await t.kms.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'team', TagValue: 'billing' },
          { TagKey: 'env', TagValue: 'test' },
        ],
      }),
    );
    const listed = await t.kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.deepEqual(
      listed.Tags,
      [
        { TagKey: 'team', TagValue: 'billing' },
        { TagKey: 'env', TagValue: 'test' },
      ].sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1)),
    );
    assert.equal(listed.Truncated, false);
    await t.kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['team', 'absent'] }));
    assert.deepEqual((await t.kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [
      { TagKey: 'env', TagValue: 'test' },
    ]);
  });

  it('refuses reserved, duplicate, too long and too many tags', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await kmsRejects(
      t.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'AWS:x', TagValue: 'y' }] })),
      'TagException',
      'Tags beginning with aws: are reserved',
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })),
      'TagException',
      'Tags beginning with aws: are reserved',
    );
    await kmsRejects(
      t.kms.send(
        new TagResourceCommand({
          KeyId: keyId,
          Tags: [
            { TagKey: 'a', TagValue: '1' },
            { TagKey: 'a', TagValue: '2' },
          ],
        }),
      ),
      'TagException',
      'Duplicate tag keys',
    );
    const long = 'a'.repeat(129);
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: long, TagValue: 'v' }] })),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    await kmsRejects(
      t.kms.send(
        new CreateKeyCommand({
          Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })),
        }),
      ),
      'TagException',
      'Too many tags',
    );
  });

  it('pages ListResourceTags', async () => {
    const { KeyMetadata } = await t.kms.send(
      new CreateKeyCommand({
        Tags: Array.from({ length: 5 }, (_, i) => ({ TagKey: `k${i}`, TagValue: `v${i}` })),
      }),
    );
    const first = await t.kms.send(new ListResourceTagsCommand({ KeyId: KeyMetadata!.KeyId, Limit: 3 }));
    assert.equal(first.Tags?.length, 3);
    assert.equal(first.Truncated, true);
    const rest = await t.kms.send(
      new ListResourceTagsCommand({ KeyId: KeyMetadata!.KeyId, Limit: 3, Marker: first.NextMarker }),
    );
    assert.deepEqual(
      [...first.Tags!, ...rest.Tags!].map((t) => t.TagKey),
      ['k0', 'k1', 'k2', 'k3', 'k4'],
    );
    assert.equal(rest.Truncated, false);
    assert.equal(rest.NextMarker, undefined);
  });
});
