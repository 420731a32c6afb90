import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The committed Kafka protocol model is the generator's output from Apache Kafka's definitions,
// not hand edits. The source is the tool library's mirror of apache/kafka (or $KAFKA_SOURCE).
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SOURCE = process.env.KAFKA_SOURCE ?? '/work/.mirror/apache+kafka/repo';

it('src/protocols/models/kafka-protocol.ts is what `npm run models:kafka` generates', {
  skip: existsSync(SOURCE) ? false : `no Kafka source at ${SOURCE}`,
}, async () => {
  const run = promisify(execFile);
  const { stderr } = await run(
    process.execPath,
    [join(ROOT, 'scripts', 'models', 'kafka-protocol.mjs'), '--check', '--kafka', SOURCE],
    { cwd: ROOT },
  ).catch((err: { stderr: string }) => assert.fail(err.stderr));
  assert.equal(stderr, '');
});
