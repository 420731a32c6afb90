import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snsFirehoseDoubleNewlineRule } from '../../../src/knowhow/rules/sns-firehose-double-newline.js';
import { context, model, ref } from '../../support/knowhow-model.js';
import { deliveryStream, subscription } from './rules-builders.js';

const appending = () =>
  deliveryStream('DeliveryStream', { processingEnabled: true, processors: ['AppendDelimiterToRecord'] });

describe('sns-firehose-double-newline', () => {
  it('fires on a firehose subscription whose stream appends a delimiter (corpus v16)', () => {
    const m = model({
      deliveryStreams: [appending()],
      subscriptions: [
        subscription('SNSSubscription', {
          protocol: 'firehose',
          endpoint: ref('DeliveryStream', 'Arn'),
          origin: { file: 'v16.yaml', line: 52 },
        }),
      ],
    });
    const findings = snsFirehoseDoubleNewlineRule.check(m, context());
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'SNSSubscription');
    assert.equal(findings[0]?.severity, 'warning');
    assert.equal(findings[0]?.line, 52);
    assert.match(findings[0]?.message ?? '', /SNSSubscription.*DeliveryStream.*AppendDelimiterToRecord/);
    assert.match(findings[0]?.fix ?? '', /Remove the AppendDelimiterToRecord processor from DeliveryStream/);
  });

  it('finds the stream by a literal ARN too', () => {
    const arn = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/archive';
    const m = model({
      deliveryStreams: [{ ...appending(), name: 'archive' }],
      subscriptions: [subscription('S', { protocol: 'firehose', endpoint: arn })],
    });
    assert.equal(snsFirehoseDoubleNewlineRule.check(m, context()).length, 1);
  });

  it('does not fire without the processor, with processing disabled, or for other protocols', () => {
    const m = model({
      deliveryStreams: [
        deliveryStream('Plain', { processingEnabled: true, processors: ['Lambda'] }),
        deliveryStream('Disabled', { processingEnabled: false, processors: ['AppendDelimiterToRecord'] }),
        appending(),
      ],
      subscriptions: [
        subscription('A', { protocol: 'firehose', endpoint: ref('Plain', 'Arn') }),
        subscription('B', { protocol: 'firehose', endpoint: ref('Disabled', 'Arn') }),
        subscription('C', { protocol: 'sqs', endpoint: ref('DeliveryStream', 'Arn') }),
      ],
    });
    assert.deepEqual(snsFirehoseDoubleNewlineRule.check(m, context()), []);
  });

  it('makes no finding on an unknown stream and explains', () => {
    const c = context();
    const m = model({
      subscriptions: [subscription('S', { protocol: 'firehose', endpoint: { $unknown: 'Fn::ImportValue' } })],
    });
    assert.deepEqual(snsFirehoseDoubleNewlineRule.check(m, c), []);
    assert.match(c.notes[0]?.message ?? '', /delivery stream of S is not known \(Fn::ImportValue\)/);
  });

  it('is silenced by Metadata ignore on the subscription or on the stream', () => {
    const onStream = model({
      deliveryStreams: [{ ...appending(), ignore: ['sns-firehose-double-newline'] }],
      subscriptions: [subscription('S', { protocol: 'firehose', endpoint: ref('DeliveryStream', 'Arn') })],
    });
    assert.deepEqual(snsFirehoseDoubleNewlineRule.check(onStream, context()), []);
    const onSubscription = model({
      deliveryStreams: [appending()],
      subscriptions: [
        subscription('S', {
          protocol: 'firehose',
          endpoint: ref('DeliveryStream', 'Arn'),
          ignore: ['sns-firehose-double-newline'],
        }),
      ],
    });
    assert.deepEqual(snsFirehoseDoubleNewlineRule.check(onSubscription, context()), []);
  });
});
