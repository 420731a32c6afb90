import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestServiceError } from '../../../src/protocols/rest-dispatch.js';
import {
  destinations,
  destinationTakes,
  eventMatches,
  generatedId,
  normaliseConfiguration,
  notificationError,
  parsableArn,
} from '../../../src/services/s3/notification-config.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t';

function refused(
  fn: () => unknown,
  code: string,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RestServiceError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    assert.deepEqual(err.fields, fields);
    return true;
  });
}

describe('S3 notification configuration', () => {
  it('keeps the document, with an Id on every configuration and filter rule names capitalised', () => {
    const ids = ['generated-1', 'generated-2'];
    const config = normaliseConfiguration(
      {
        QueueConfigurations: [
          {
            QueueArn: QUEUE,
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'suffix' as never, Value: '.txt' },
                  { Name: 'PREFIX' as never, Value: 'notif-' },
                ],
              },
            },
          },
        ],
        TopicConfigurations: [{ Id: 'mine', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:Delete'] }],
        EventBridgeConfiguration: {},
      },
      () => ids.shift()!,
    );
    assert.deepEqual(config, {
      TopicConfigurations: [{ Id: 'mine', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:Delete'] }],
      QueueConfigurations: [
        {
          Id: 'generated-1',
          QueueArn: QUEUE,
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'Suffix', Value: '.txt' },
                { Name: 'Prefix', Value: 'notif-' },
              ],
            },
          },
        },
      ],
      EventBridgeConfiguration: {},
    });
  });

  it('keeps an empty filter value, as S3 does', () => {
    const config = normaliseConfiguration({
      QueueConfigurations: [
        {
          Id: 'a',
          QueueArn: QUEUE,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix' as never, Value: '' }] } },
        },
      ],
    });
    assert.deepEqual(config.QueueConfigurations?.[0].Filter, {
      Key: { FilterRules: [{ Name: 'Suffix', Value: '' }] },
    });
  });

  it('generates opaque base64 Ids, different each time', () => {
    const a = generatedId();
    const b = generatedId();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]+=*$/);
  });

  it('refuses an ARN it cannot parse, naming the element as S3 does', () => {
    refused(
      () =>
        normaliseConfiguration({
          QueueConfigurations: [{ QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }],
        }),
      'InvalidArgument',
      'The ARN could not be parsed',
      { ArgumentName: 'Queue', ArgumentValue: 'invalid-queue' },
    );
    refused(
      () =>
        normaliseConfiguration({
          TopicConfigurations: [{ TopicArn: 'invalid-topic', Events: ['s3:ObjectCreated:*'] }],
        }),
      'InvalidArgument',
      'The ARN could not be parsed',
      { ArgumentName: 'Topic', ArgumentValue: 'invalid-topic' },
    );
    refused(
      () =>
        normaliseConfiguration({
          LambdaFunctionConfigurations: [
            { LambdaFunctionArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] },
          ],
        }),
      'InvalidArgument',
      'The ARN could not be parsed',
      { ArgumentName: 'CloudFunction', ArgumentValue: 'invalid-queue' },
    );
    assert.equal(parsableArn(QUEUE), true);
    assert.equal(parsableArn('arn:aws:sqs:us-east-1:000000000000'), false);
    assert.equal(parsableArn('arn:aws:lambda:us-east-1:000000000000:function:f'), true);
  });

  it('refuses an event S3 does not notify about', () => {
    refused(
      () =>
        normaliseConfiguration({
          QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:Bogus' as never] }],
        }),
      'InvalidArgument',
      'The event is not supported for notifications',
      { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Bogus' },
    );
  });

  it('refuses filter rules other than one prefix and one suffix, and rules missing a part', () => {
    const withRules = (rules: unknown[]) => () =>
      normaliseConfiguration({
        QueueConfigurations: [
          {
            QueueArn: QUEUE,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: rules as never } },
          },
        ],
      });
    refused(
      withRules([{ Name: 'INVALID', Value: 'x' }]),
      'InvalidArgument',
      'filter rule name must be either prefix or suffix',
      {
        ArgumentName: 'FilterRule.Name',
        ArgumentValue: 'INVALID',
      },
    );
    refused(
      withRules([
        { Name: 'prefix', Value: 'a' },
        { Name: 'Prefix', Value: 'b' },
      ]),
      'InvalidArgument',
      'Cannot specify more than one prefix rule in a filter.',
      { ArgumentName: 'FilterRule.Name', ArgumentValue: 'Prefix' },
    );
    const malformed =
      'The XML you provided was not well-formed or did not validate against our published schema';
    refused(withRules([{}]), 'MalformedXML', malformed);
    refused(withRules([{ Name: 'prefix' }]), 'MalformedXML', malformed);
    refused(withRules([{ Value: 'test' }]), 'MalformedXML', malformed);
  });

  it('refuses two configurations that share an event type without filters to tell them apart', () => {
    refused(
      () =>
        normaliseConfiguration({
          QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] }],
          TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectRemoved:Delete'] }],
        }),
      'InvalidArgument',
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
      { ArgumentName: 'Event', ArgumentValue: 's3:ObjectRemoved:Delete, s3:ObjectRemoved:*' },
    );
    refused(
      () =>
        normaliseConfiguration({
          QueueConfigurations: [
            {
              QueueArn: QUEUE,
              Events: ['s3:ObjectCreated:Put'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/' }] } },
            },
            {
              QueueArn: QUEUE,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/2024/' }] } },
            },
          ],
        }),
      'InvalidArgument',
      'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
      { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Put, s3:ObjectCreated:*' },
    );
  });

  it('accepts configurations that share events but not keys, or keys but not events', () => {
    const config = normaliseConfiguration({
      QueueConfigurations: [
        {
          Id: 'images',
          QueueArn: QUEUE,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } },
        },
        {
          Id: 'logs',
          QueueArn: QUEUE,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/' }] } },
        },
        {
          Id: 'jpg',
          QueueArn: QUEUE,
          Events: ['s3:ObjectTagging:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
        },
        {
          Id: 'png',
          QueueArn: QUEUE,
          Events: ['s3:ObjectTagging:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.png' }] } },
        },
      ],
      TopicConfigurations: [{ Id: 't', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }],
    });
    assert.deepEqual(
      destinations(config).map((d) => [d.kind, d.id]),
      [
        ['topic', 't'],
        ['queue', 'images'],
        ['queue', 'logs'],
        ['queue', 'jpg'],
        ['queue', 'png'],
      ],
    );
  });

  it('matches events by name and wildcard, and keys by prefix and suffix', () => {
    assert.equal(eventMatches('s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload'), true);
    assert.equal(eventMatches('s3:ObjectCreated:*', 'ObjectRemoved:Delete'), false);
    assert.equal(eventMatches('s3:ObjectRemoved:Delete', 'ObjectRemoved:Delete'), true);
    assert.equal(eventMatches('s3:ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated'), false);
    assert.equal(eventMatches('s3:ObjectTagging:*', 'ObjectTagging:Put'), true);
    const [filtered] = destinations(
      normaliseConfiguration({
        QueueConfigurations: [
          {
            Id: 'f',
            QueueArn: QUEUE,
            Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'Prefix' as never, Value: 'testupload/' },
                  { Name: 'Suffix' as never, Value: 'testfile.txt' },
                ],
              },
            },
          },
        ],
      }),
    );
    assert.equal(destinationTakes(filtered, 'ObjectCreated:Put', 'testupload/dir1/testfile.txt'), true);
    assert.equal(destinationTakes(filtered, 'ObjectRemoved:Delete', 'testupload/testfile.txt'), true);
    assert.equal(destinationTakes(filtered, 'ObjectCreated:Put', '/testdata'), false);
    assert.equal(destinationTakes(filtered, 'ObjectCreated:Put', 'testupload/other.txt'), false);
    assert.equal(destinationTakes(filtered, 'ObjectCreated:Put', 'TESTUPLOAD/dir/testfile.txt'), false);
    assert.equal(destinationTakes(filtered, 'ObjectTagging:Put', 'testupload/testfile.txt'), false);
  });

  it('numbers the destinations S3 could not validate', () => {
    const err = notificationError.unvalidated([
      { name: 'arn:aws:sqs:us-east-1:000000000000:my-queue', value: 'The destination queue does not exist' },
      {
        name: 'arn:aws:sqs:us-east-1:000000000000:my-queue-2',
        value: 'The destination queue does not exist',
      },
    ]);
    assert.equal(err.code, 'InvalidArgument');
    assert.equal(err.status, 400);
    assert.equal(err.message, 'Unable to validate the following destination configurations');
    assert.deepEqual(err.fields, {
      ArgumentName1: 'arn:aws:sqs:us-east-1:000000000000:my-queue',
      ArgumentValue1: 'The destination queue does not exist',
      ArgumentName2: 'arn:aws:sqs:us-east-1:000000000000:my-queue-2',
      ArgumentValue2: 'The destination queue does not exist',
    });
  });
});
