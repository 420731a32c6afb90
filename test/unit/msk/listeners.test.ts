import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listenerKinds, resolveAuthentication } from '../../../src/services/kafka/control/listeners.js';
import { parseServerProperties } from '../../../src/services/kafka/control/properties.js';
import { upgradeTargets } from '../../../src/services/kafka/control/versions.js';

describe('MSK listeners', () => {
  const kinds = (
    auth: Parameters<typeof resolveAuthentication>[0],
    broker: 'TLS' | 'TLS_PLAINTEXT' | 'PLAINTEXT',
  ) => listenerKinds(resolveAuthentication(auth), broker);

  it('opens the ports MSK opens for each authentication and encryption in transit', () => {
    assert.deepEqual(kinds(undefined, 'TLS'), ['TLS']);
    assert.deepEqual(kinds(undefined, 'TLS_PLAINTEXT'), ['PLAINTEXT', 'TLS']);
    assert.deepEqual(kinds(undefined, 'PLAINTEXT'), ['PLAINTEXT']);
    assert.deepEqual(kinds({ Sasl: { Scram: { Enabled: true } } }, 'TLS'), ['SASL_SCRAM']);
    assert.deepEqual(kinds({ Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } } }, 'TLS'), [
      'SASL_SCRAM',
      'SASL_IAM',
    ]);
    assert.deepEqual(
      kinds(
        {
          Tls: {
            CertificateAuthorityArnList: ['arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/abc'],
          },
        },
        'TLS',
      ),
      ['TLS'],
    );
  });

  it('refuses SASL and mutual TLS without TLS in transit, and no authentication at all', () => {
    assert.throws(() => kinds({ Sasl: { Scram: { Enabled: true } } }, 'PLAINTEXT'), /require TLS encryption/);
    assert.throws(() => kinds({ Tls: { Enabled: true } }, 'PLAINTEXT'), /require TLS encryption/);
    assert.throws(
      () => kinds({ Unauthenticated: { Enabled: false } }, 'TLS'),
      /At least one client authentication/,
    );
  });
});

describe('MSK server.properties', () => {
  it('reads the editable properties, with comments and both separators', () => {
    assert.deepEqual(
      parseServerProperties('# c\n! c\n\nauto.create.topics.enable = true\nnum.partitions: 3\r\n'),
      {
        'auto.create.topics.enable': 'true',
        'num.partitions': '3',
      },
    );
    assert.deepEqual(parseServerProperties('log.cleanup.policy=compact,delete'), {
      'log.cleanup.policy': 'compact,delete',
    });
  });

  it('refuses managed and unknown properties and values of the wrong type', () => {
    assert.throws(() => parseServerProperties('listeners=PLAINTEXT://:9092'), /listeners cannot be set/);
    assert.throws(() => parseServerProperties('log.retention.hours=forever'), /not valid/);
    assert.throws(() => parseServerProperties('log.cleanup.policy=keep'), /not valid/);
    assert.throws(() => parseServerProperties('delete.topic.enable='), /not valid/);
  });
});

describe('MSK Kafka versions', () => {
  it('upgrades to newer versions in the same metadata mode', () => {
    assert.deepEqual(upgradeTargets('3.6.0'), ['3.7.x', '3.8.x', '3.9.x']);
    assert.deepEqual(upgradeTargets('3.7.x.kraft'), ['3.8.x.kraft', '3.9.x.kraft', '4.0.x.kraft']);
    assert.deepEqual(upgradeTargets('4.0.x.kraft'), []);
  });
});
