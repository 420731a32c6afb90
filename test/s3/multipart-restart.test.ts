import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { scratchDataDir } from '../support/engine.js';
import { startServer } from '../support/tideway.js';
import { s3Client, s3Rejects } from './objects-client.js';

/** With --data-dir, an upload in progress outlives a restart with its parts, and its end is kept too. */
describe('S3 multipart uploads across a restart', () => {
  const { dataDir, remove } = scratchDataDir();
  after(remove);

  async function withServer<T>(run: (s3: ReturnType<typeof s3Client>) => Promise<T>): Promise<T> {
    const server = await startServer({ dataDir });
    const s3 = s3Client(server.endpoint);
    try {
      return await run(s3);
    } finally {
      s3.destroy();
      await server.stop();
    }
  }

  it('keeps the upload, its settings and its parts', async () => {
    const Bucket = 'restart-mpu';
    const { UploadId, etags } = await withServer(async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket }));
      const created = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket,
          Key: 'k',
          ChecksumAlgorithm: 'SHA1',
          ContentType: 'text/plain',
        }),
      );
      const etags = [];
      for (const [n, text] of [
        [1, 'first'],
        [2, 'second'],
      ] as const) {
        etags.push(
          (
            await s3.send(
              new UploadPartCommand({
                Bucket,
                Key: 'k',
                UploadId: created.UploadId,
                PartNumber: n,
                Body: text,
                ChecksumAlgorithm: 'SHA1',
              }),
            )
          ).ETag,
        );
      }
      return { UploadId: created.UploadId as string, etags };
    });
    await withServer(async (s3) => {
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
      assert.deepEqual(
        uploads.Uploads?.map((u) => [u.Key, u.UploadId, u.ChecksumAlgorithm, u.ChecksumType]),
        [['k', UploadId, 'SHA1', 'COMPOSITE']],
      );
      const parts = await s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId }));
      assert.deepEqual(
        parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]),
        [
          [1, etags[0], 5],
          [2, etags[1], 6],
        ],
      );
      await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'k', UploadId }));
    });
    await withServer(async (s3) => {
      await s3Rejects(s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId })), {
        code: 'NoSuchUpload',
        status: 404,
      });
      assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads, undefined);
    });
  });
});
