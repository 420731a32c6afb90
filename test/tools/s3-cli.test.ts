import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningTideway, startServer } from '../support/tideway.js';
import {
  debianAwsCli,
  pipAwsCli,
  randomFile,
  readTree,
  run,
  type Scratch,
  scratch,
  sha256,
  type Tool,
  toolEnv,
  writeTree,
} from './s3-tools.js';

// `aws s3 mb/cp/sync/ls/rm` from both AWS CLIs, as users run them against Tideway: single-part
// and multipart uploads (the CLI splits files above 8 MiB), downloads, listings and deletes,
// contents compared byte for byte.

for (const tool of [pipAwsCli(), debianAwsCli()]) {
  cliSuite(tool);
}

function cliSuite(tool: Tool): void {
  describe(`S3 through ${tool.name}`, { skip: tool.absent }, () => {
    let server: RunningTideway;
    let work: Scratch;
    let aws: (...args: string[]) => ReturnType<typeof run>;
    const bucket = `cli-${tool.command?.startsWith('/usr/bin') ? 'v2' : 'v1'}-bucket`;
    const files: Record<string, Buffer> = {
      'small.txt': Buffer.from('hello from the AWS CLI\n'),
      'nested/deeper/data.bin': randomFile(200_000),
      'with space & plus+.txt': Buffer.from('odd key'),
      'big.bin': randomFile(20 * 1024 * 1024 + 123),
    };

    before(async () => {
      server = await startServer();
      work = scratch('tideway-s3-cli-');
      writeTree(path.join(work.dir, 'src'), files);
      const env = toolEnv(work.dir);
      aws = (...args) => run(tool.command!, [...args, '--endpoint-url', server.endpoint], env);
    });
    after(async () => {
      work?.remove();
      await server?.stop();
    });

    const ok = async (...args: string[]) => {
      const result = await aws(...args);
      assert.equal(result.code, 0, `aws ${args.join(' ')}:\n${result.stderr}${result.stdout}`);
      return result.stdout;
    };

    it('mb, cp up (single part and multipart), ls, cp down', async () => {
      await ok('s3', 'mb', `s3://${bucket}`);
      assert.match(await ok('s3', 'ls'), new RegExp(`\\s${bucket}\\n`));
      await ok('s3', 'cp', path.join(work.dir, 'src', 'small.txt'), `s3://${bucket}/one/small.txt`);
      await ok('s3', 'cp', path.join(work.dir, 'src', 'big.bin'), `s3://${bucket}/one/big.bin`);
      const listing = await ok('s3', 'ls', `s3://${bucket}/one/`);
      assert.match(listing, /\s23 small\.txt\n/);
      assert.match(listing, new RegExp(`\\s${files['big.bin'].length} big\\.bin\\n`));
      await ok('s3', 'cp', `s3://${bucket}/one/big.bin`, path.join(work.dir, 'down', 'big.bin'));
      await ok('s3', 'cp', `s3://${bucket}/one/small.txt`, path.join(work.dir, 'down', 'small.txt'));
      assert.deepEqual(readTree(path.join(work.dir, 'down'), ['big.bin', 'small.txt']), {
        'big.bin': sha256(files['big.bin']),
        'small.txt': sha256(files['small.txt']),
      });
      assert.equal(await ok('s3', 'cp', `s3://${bucket}/one/small.txt`, '-'), 'hello from the AWS CLI\n');
    });

    it('sync up and back down reproduces the tree; a second sync copies nothing', async () => {
      const up = await ok('s3', 'sync', path.join(work.dir, 'src'), `s3://${bucket}/tree`);
      assert.equal((up.match(/upload:/g) ?? []).length, Object.keys(files).length, up);
      const again = await ok('s3', 'sync', path.join(work.dir, 'src'), `s3://${bucket}/tree`);
      assert.equal(again.trim(), '', 'nothing changed, nothing copied');
      const recursive = await ok('s3', 'ls', '--recursive', `s3://${bucket}/tree/`);
      for (const name of Object.keys(files))
        assert.ok(recursive.includes(`tree/${name}`), `${name} in\n${recursive}`);
      await ok('s3', 'sync', `s3://${bucket}/tree`, path.join(work.dir, 'back'));
      const names = Object.keys(files);
      assert.deepEqual(
        readTree(path.join(work.dir, 'back'), names),
        Object.fromEntries(names.map((n) => [n, sha256(files[n])])),
      );
    });

    it('rm --recursive empties the prefix and rb removes the bucket', async () => {
      await ok('s3', 'rm', '--recursive', `s3://${bucket}/`);
      assert.equal((await ok('s3', 'ls', '--recursive', `s3://${bucket}/`)).trim(), '');
      await ok('s3', 'rb', `s3://${bucket}`);
      const gone = await aws('s3', 'ls', `s3://${bucket}/`);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /NoSuchBucket/);
    });
  });
}
