// SASL PLAIN on the default cluster, through real clients: any user and password gets in (the
// default cluster keeps no users), clients without SASL get in too, and a mechanism the listener
// does not enable is refused with the list it does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTopics, withKafkaServer } from '../support/kafka-suite.js';
import {
  kafkajs,
  kafkaPython,
  kcatConsume,
  kcatMetadata,
  kcatProduce,
  runChild,
} from '../support/kafka-tools.js';
import { uniqueName } from '../support/tideway.js';

const PLAIN = { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanisms': 'PLAIN' };

describe('SASL PLAIN on the default cluster', () => {
  const suite = withKafkaServer();

  it('takes kcat (librdkafka) with any user and password, and without SASL', async () => {
    const topic = uniqueName('auth-plain-kcat');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
    const config = { ...PLAIN, 'sasl.username': 'anyone', 'sasl.password': 'whatever' };
    const metadata = await kcatMetadata(suite.bootstrap, topic, { config });
    assert.equal(metadata.topics[0].topic, topic);
    await kcatProduce(suite.bootstrap, topic, [{ key: 'k', value: 'over SASL PLAIN' }], {
      config,
      partition: 0,
    });
    const got = await kcatConsume(suite.bootstrap, topic);
    assert.deepEqual(
      got.map((m) => m.value?.toString()),
      ['over SASL PLAIN'],
    );
  });

  it('takes KafkaJS with sasl plain', async () => {
    const topic = uniqueName('auth-plain-kjs');
    const kafka = kafkajs(suite.bootstrap, {
      sasl: { mechanism: 'plain', username: 'alice', password: 'x' },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      assert.ok((await admin.listTopics()).includes(topic));
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'from KafkaJS' }] });
    await producer.disconnect();
  });

  it('takes kafka-python, whose SaslHandshake v0 sends bare tokens', async () => {
    const topic = uniqueName('auth-plain-py');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
    const result = await kafkaPython('produce', {
      bootstrap: suite.bootstrap,
      topic,
      messages: [{ value: 'from kafka-python' }],
      config: {
        security_protocol: 'SASL_PLAINTEXT',
        sasl_mechanism: 'PLAIN',
        sasl_plain_username: 'bob',
        sasl_plain_password: 'pw',
      },
    });
    assert.deepEqual(result.reports, [{ error: null, partition: 0, offset: 0 }]);
  });

  it('refuses SCRAM, which the default cluster does not enable, naming PLAIN', async () => {
    const run = await runChild('kcat', [
      '-L',
      '-b',
      suite.bootstrap,
      '-m',
      '3',
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=SCRAM-SHA-512',
      '-X',
      'sasl.username=a',
      '-X',
      'sasl.password=b',
    ]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /SCRAM-SHA-512.*not supported by broker|broker's supported mechanisms: PLAIN/);
  });
});
