import type { Finding, KnowHowRule } from '../findings.js';
import { findingOn, label } from './finding-site.js';
import { resolve } from './relations.js';

const ID = 'sns-firehose-double-newline';
const PROCESSOR = 'AppendDelimiterToRecord';

/**
 * SNS already ends every record it puts into a Firehose stream with a newline; a stream that also
 * appends a delimiter writes an empty line after every message in S3, which breaks line-oriented
 * readers (Athena's JSON SerDe, jq -c, most log shippers).
 */
export const snsFirehoseDoubleNewlineRule: KnowHowRule = {
  id: ID,
  severity: 'warning',
  title: 'An SNS firehose subscription whose delivery stream appends a second newline',
  check(model, context) {
    const findings: Finding[] = [];
    for (const subscription of model.subscriptions) {
      if (typeof subscription.protocol !== 'string' || subscription.protocol.toLowerCase() !== 'firehose')
        continue;
      const resolved = resolve(model, subscription.endpoint);
      if (resolved.kind !== 'entity') {
        context.explain({
          resource: subscription.id,
          origin: subscription.origin,
          message:
            `${ID}: the delivery stream of ${subscription.id} is ` +
            (resolved.kind === 'unknown' ? `not known (${resolved.reason}).` : 'not in this template.'),
        });
        continue;
      }
      const stream = model.deliveryStreams.find((each) => each === resolved.entity);
      if (!stream?.processingEnabled || !stream.processors.includes(PROCESSOR)) continue;
      const finding = findingOn(
        model,
        context,
        ID,
        'warning',
        subscription,
        {
          message:
            `Subscription ${label(subscription)} delivers to Firehose stream ${label(stream)}, which has the ` +
            `${PROCESSOR} processor. SNS already separates the records it sends to Firehose with a newline, ` +
            'so the objects in S3 get an empty line after every message.',
          fix:
            `Remove the ${PROCESSOR} processor from ${stream.id}'s ProcessingConfiguration ` +
            '(Terraform: the processors block of processing_configuration), or feed it only from sources ' +
            'that do not add their own newline.',
        },
        [stream],
      );
      if (finding) findings.push(finding);
    }
    return findings;
  },
};
