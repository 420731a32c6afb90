// Which HTTP endpoint URLs CreateDeliveryStream takes: AWS's model allows only `https://.*`;
// Tideway also takes http:// to a loopback address so a local receiver needs no certificate
// (docs/firehose/integrations.md), and answers any other http:// URL with AWS's violation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { uniqueName } from '../support/tideway.js';
import { BUCKET, firehoseRejects, ROLE, withFirehoseServer } from './api-helpers.js';

const suite = withFirehoseServer();

function httpStream(name: string, url: string) {
  return new CreateDeliveryStreamCommand({
    DeliveryStreamName: name,
    HttpEndpointDestinationConfiguration: {
      EndpointConfiguration: { Url: url, Name: 'receiver' },
      S3Configuration: { RoleARN: ROLE, BucketARN: BUCKET },
    },
  });
}

describe('Firehose HTTP endpoint URLs', () => {
  it('takes https:// anywhere and http:// to a loopback address', async () => {
    for (const url of ['https://example.com/in', 'http://127.0.0.1:8080/in', 'http://localhost/in']) {
      const name = uniqueName('url');
      await suite.firehose.send(httpStream(name, url));
      const described = await suite.firehose.send(
        new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }),
      );
      const endpoint =
        described.DeliveryStreamDescription?.Destinations?.[0]?.HttpEndpointDestinationDescription;
      assert.equal(endpoint?.EndpointConfiguration?.Url, url);
    }
  });

  it("refuses http:// to any other host with AWS's pattern violation", async () => {
    await firehoseRejects(
      suite.firehose.send(httpStream(uniqueName('url'), 'http://example.com/in')),
      'ValidationException',
      /Member must satisfy regular expression pattern: https:\/\/\.\*/,
    );
  });
});
