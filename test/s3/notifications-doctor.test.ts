import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { runDoctor } from '../../src/knowhow/doctor.js';
import { withClientServer } from '../support/suite.js';
import { sqsClient, uniqueName } from '../support/tideway.js';
import { allowing, fromBucket, queue, s3Client } from './notifications-fixtures.js';

// tideway doctor reads each bucket's notification destinations from the running S3, so the
// delivery rules judge the queue and topic policies S3 needs as they judge a template's.

describe('doctor on S3 notifications', () => {
  const suite = withClientServer('s3', s3Client);

  it('flags a destination queue whose policy keeps S3 out, or lets it in unscoped, and not a scoped one', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const name = uniqueName('doctor-bucket').toLowerCase();
    await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    const closed = await queue(sqs);
    const unscoped = await queue(sqs, (arn) => allowing('s3.amazonaws.com', 'sqs:SendMessage', arn));
    const scoped = await queue(sqs, (arn) =>
      allowing('s3.amazonaws.com', 'sqs:SendMessage', arn, fromBucket(name)),
    );
    await suite.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        SkipDestinationValidation: true,
        NotificationConfiguration: {
          QueueConfigurations: [
            { Id: 'closed', QueueArn: closed.arn, Events: ['s3:ObjectCreated:*'] },
            { Id: 'unscoped', QueueArn: unscoped.arn, Events: ['s3:ObjectRemoved:*'] },
            { Id: 'scoped', QueueArn: scoped.arn, Events: ['s3:ObjectTagging:*'] },
          ],
        },
      }),
    );
    const { findings } = await runDoctor({ endpoint: suite.server.endpoint });
    const about = (arn: string) => findings.filter((f) => f.resource === arn || f.message.includes(arn));
    const missing = about(closed.arn).filter((f) => f.rule === 'target-policy-missing');
    assert.equal(missing.length, 1, JSON.stringify(about(closed.arn)));
    assert.match(missing[0].message, new RegExp(name));
    assert.ok(
      about(unscoped.arn).some((f) => f.rule === 'service-principal-unscoped'),
      JSON.stringify(about(unscoped.arn)),
    );
    assert.deepEqual(
      about(scoped.arn).filter(
        (f) => f.rule === 'target-policy-missing' || f.rule === 'service-principal-unscoped',
      ),
      [],
    );
  });
});
