// `npm run bench -- <suite>`: compiles, then runs one benchmark suite by name.
import { runEventsBench } from './events.js';
import { runFirehoseBench } from './firehose.js';
import { runKafkaBench } from './kafka.js';
import { runKinesisBench } from './kinesis.js';
import { installCleanup } from './lib/children.js';
import { runS3Bench } from './s3.js';
import { runSnsBench } from './sns.js';
import { runSqsBench } from './sqs.js';

const SUITES: Record<string, () => Promise<void>> = {
  sqs: runSqsBench,
  sns: runSnsBench,
  kinesis: runKinesisBench,
  events: runEventsBench,
  firehose: runFirehoseBench,
  s3: runS3Bench,
  kafka: runKafkaBench,
};

const name = process.argv[2];
const suite = name ? SUITES[name] : undefined;
if (!suite) {
  process.stderr.write(`usage: npm run bench -- <suite>   (suites: ${Object.keys(SUITES).join(', ')})\n`);
  process.exit(2);
}
installCleanup();
try {
  await suite();
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
}
