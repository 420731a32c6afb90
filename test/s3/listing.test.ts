import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucketName, s3Rejects, withS3Server } from './objects-client.js';

/** ListObjects v1 and v2 and ListObjectVersions through the SDK. */

const KEYS = ['a.txt', 'dir/one', 'dir/sub/deep', 'dir/two', 'sp ace/k+y', 'z', 'é-accent'];

async function filled(s3: S3Client, keys = KEYS): Promise<string> {
  const Bucket = bucketName('list');
  await s3.send(new CreateBucketCommand({ Bucket }));
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  return Bucket;
}

describe('S3 listings', () => {
  const suite = withS3Server();

  it('v2 lists every key in UTF-8 order with sizes, ETags, checksums and KeyCount', async () => {
    const Bucket = await filled(suite.s3);
    const out = await suite.s3.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(
      out.Contents?.map((c) => c.Key),
      KEYS,
    );
    assert.equal(out.KeyCount, KEYS.length);
    assert.equal(out.IsTruncated, false);
    assert.equal(out.MaxKeys, 1000);
    assert.equal(out.Prefix, '');
    const first = out.Contents![0];
    assert.equal(first.Size, 5);
    assert.equal(first.StorageClass, 'STANDARD');
    assert.match(first.ETag!, /^"[0-9a-f]{32}"$/);
    assert.deepEqual(first.ChecksumAlgorithm, ['CRC32']);
    assert.equal(first.Owner, undefined);
    const owned = await suite.s3.send(new ListObjectsV2Command({ Bucket, FetchOwner: true, MaxKeys: 1 }));
    assert.match(owned.Contents![0].Owner!.ID!, /^[0-9a-f]{64}$/);
  });

  it('v2 rolls keys into CommonPrefixes at the delimiter and pages with opaque tokens', async () => {
    const Bucket = await filled(suite.s3);
    const top = await suite.s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    assert.deepEqual(
      top.CommonPrefixes?.map((p) => p.Prefix),
      ['dir/', 'sp ace/'],
    );
    assert.deepEqual(
      top.Contents?.map((c) => c.Key),
      ['a.txt', 'z', 'é-accent'],
    );
    assert.equal(top.KeyCount, 5);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await suite.s3.send(
        new ListObjectsV2Command({
          Bucket,
          Prefix: 'dir/',
          Delimiter: '/',
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      assert.equal(page.KeyCount, 1);
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      if (token) assert.equal(page.ContinuationToken, token);
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
    } while (token);
    assert.deepEqual(seen, ['dir/one', 'dir/sub/', 'dir/two']);
    const after = await suite.s3.send(new ListObjectsV2Command({ Bucket, StartAfter: 'dir/two' }));
    assert.deepEqual(
      after.Contents?.map((c) => c.Key),
      ['sp ace/k+y', 'z', 'é-accent'],
    );
    assert.equal(after.StartAfter, 'dir/two');
    await s3Rejects(suite.s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'not-a-token' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'The continuation token provided is incorrect',
    });
  });

  it('MaxKeys 0 answers no keys; MaxKeys above 1000 still pages at 1000', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `k${String(i).padStart(5, '0')}`);
    const Bucket = bucketName('many');
    await suite.s3.send(new CreateBucketCommand({ Bucket }));
    await Promise.all(keys.map((Key) => suite.s3.send(new PutObjectCommand({ Bucket, Key, Body: '' }))));
    const none = await suite.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    assert.equal(none.Contents, undefined);
    assert.equal(none.KeyCount, 0);
    const big = await suite.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 5000 }));
    assert.equal(big.Contents?.length, 1000);
    assert.equal(big.IsTruncated, true);
    const rest = await suite.s3.send(
      new ListObjectsV2Command({ Bucket, ContinuationToken: big.NextContinuationToken }),
    );
    assert.deepEqual(
      rest.Contents?.map((c) => c.Key),
      keys.slice(1000),
    );
  });

  it('v1 pages with Marker, and names NextMarker only with a delimiter', async () => {
    const Bucket = await filled(suite.s3);
    const first = await suite.s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
    assert.deepEqual(
      first.Contents?.map((c) => c.Key),
      ['a.txt', 'dir/one'],
    );
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, undefined);
    assert.equal(first.Marker, '');
    assert.match(first.Contents![0].Owner!.ID!, /^[0-9a-f]{64}$/);
    const second = await suite.s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2, Marker: 'dir/one' }));
    assert.deepEqual(
      second.Contents?.map((c) => c.Key),
      ['dir/sub/deep', 'dir/two'],
    );
    const grouped = await suite.s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 2 }));
    assert.deepEqual(
      grouped.CommonPrefixes?.map((p) => p.Prefix),
      ['dir/'],
    );
    assert.equal(grouped.NextMarker, 'dir/');
    const next = await suite.s3.send(
      new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: grouped.NextMarker }),
    );
    assert.deepEqual(
      next.CommonPrefixes?.map((p) => p.Prefix),
      ['sp ace/'],
    );
    assert.deepEqual(
      next.Contents?.map((c) => c.Key),
      ['z', 'é-accent'],
    );
  });

  it('encoding-type=url encodes keys, prefixes and the delimiter as S3 does', async () => {
    const Bucket = await filled(suite.s3);
    const out = await suite.s3.send(
      new ListObjectsV2Command({ Bucket, EncodingType: 'url', Prefix: 'sp ace/', Delimiter: '+' }),
    );
    assert.equal(out.EncodingType, 'url');
    assert.equal(out.Prefix, 'sp+ace/');
    assert.equal(out.Delimiter, '%2B');
    assert.deepEqual(
      out.CommonPrefixes?.map((p) => p.Prefix),
      ['sp+ace/k%2B'],
    );
    const keys = await suite.s3.send(new ListObjectsCommand({ Bucket, EncodingType: 'url', Prefix: 'é' }));
    assert.deepEqual(
      keys.Contents?.map((c) => c.Key),
      ['%C3%A9-accent'],
    );
  });

  it('ListObjectVersions shows each key once, version "null", latest', async () => {
    const Bucket = await filled(suite.s3, ['one', 'two']);
    const out = await suite.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1 }));
    assert.deepEqual(
      out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]),
      [['one', 'null', true]],
    );
    assert.equal(out.IsTruncated, true);
    assert.equal(out.NextKeyMarker, 'one');
    assert.equal(out.NextVersionIdMarker, 'null');
    const rest = await suite.s3.send(
      new ListObjectVersionsCommand({
        Bucket,
        KeyMarker: out.NextKeyMarker,
        VersionIdMarker: out.NextVersionIdMarker,
      }),
    );
    assert.deepEqual(
      rest.Versions?.map((v) => v.Key),
      ['two'],
    );
    await s3Rejects(suite.s3.send(new ListObjectVersionsCommand({ Bucket, VersionIdMarker: 'null' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'A version-id marker cannot be specified without a key marker.',
    });
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    await s3Rejects(suite.s3.send(new ListObjectsV2Command({ Bucket: bucketName('nobody') })), {
      code: 'NoSuchBucket',
      status: 404,
    });
  });
});
