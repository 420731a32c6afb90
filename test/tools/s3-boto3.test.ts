import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningTideway, startServer } from '../support/tideway.js';
import { boto3Python, randomFile, run, type Scratch, scratch, sha256, toolEnv } from './s3-tools.js';

// boto3's managed transfer (S3Transfer: upload_file / download_file) against Tideway: above the
// multipart threshold it uploads parts in parallel threads and downloads by ranged GETs.

const tool = boto3Python();

const SCRIPT = `
import sys, boto3
from boto3.s3.transfer import TransferConfig
endpoint, bucket, source, target = sys.argv[1:5]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
s3.create_bucket(Bucket=bucket)
s3.upload_file(source, bucket, 'transfers/big.bin', Config=config)
head = s3.head_object(Bucket=bucket, Key='transfers/big.bin')
print(head['ETag'])
print(head['ContentLength'])
s3.download_file(bucket, 'transfers/big.bin', target, Config=config)
`;

describe('S3 through boto3 managed transfer', { skip: tool.absent }, () => {
  let server: RunningTideway;
  let work: Scratch;

  before(async () => {
    server = await startServer();
    work = scratch('tideway-s3-boto3-');
  });
  after(async () => {
    work?.remove();
    await server?.stop();
  });

  it('upload_file of 17 MiB goes in parts (ETag -4) and download_file brings the same bytes back', async () => {
    const data = randomFile(17 * 1024 * 1024 + 5);
    const source = path.join(work.dir, 'big.bin');
    const target = path.join(work.dir, 'back.bin');
    const script = path.join(work.dir, 'transfer.py');
    writeFileSync(source, data);
    writeFileSync(script, SCRIPT);
    const result = await run(
      tool.command!,
      [script, server.endpoint, 'boto3-transfers', source, target],
      toolEnv(work.dir),
    );
    assert.equal(result.code, 0, result.stderr);
    const [etag, length] = result.stdout.trim().split('\n');
    assert.match(etag, /^"[0-9a-f]{32}-4"$/, 'four 5 MiB parts (the last one shorter)');
    assert.equal(Number(length), data.length);
    assert.equal(sha256(readFileSync(target)), sha256(data));
  });
});
