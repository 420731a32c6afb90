import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inlineBrokerCredentialsRule } from '../../../src/knowhow/rules/inline-broker-credentials.js';
import { context, model, ref } from '../../support/knowhow-model.js';
import { broker, cluster, fn, mapping, secret } from './rules-builders.js';

const check = (m: ReturnType<typeof model>, c = context()) => inlineBrokerCredentialsRule.check(m, c);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mq-creds-AbCdEf';
const DYNAMIC_USER = '{{resolve:secretsmanager:mq_secret_01:SecretString:username::}}';

describe('inline-broker-credentials: Amazon MQ users', () => {
  it('fires on a literal password (corpus v02), naming the broker', () => {
    const findings = check(
      model({
        brokers: [
          broker('MQBroker', [{ username: DYNAMIC_USER, password: 'MqAdminPassw0rd-2024' }], {
            origin: { file: 'v02.yaml', line: 51 },
          }),
        ],
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'inline-broker-credentials');
    assert.equal(findings[0]?.severity, 'error');
    assert.equal(findings[0]?.resource, 'MQBroker');
    assert.equal(findings[0]?.line, 51);
    assert.match(findings[0]?.message ?? '', /MQBroker: user #1 has a password written in the template/);
    assert.doesNotMatch(findings[0]?.message ?? '', /MqAdminPassw0rd/);
    assert.match(findings[0]?.fix ?? '', /resolve:secretsmanager/);
  });

  it('fires on a parameter that is not NoEcho, or a Terraform variable that is not sensitive', () => {
    const findings = check(
      model({
        brokers: [
          broker('B', [
            { username: 'admin', password: { $unknown: 'parameter MqPassword', param: 'MqPassword' } },
            {
              username: 'ops',
              password: { $unknown: 'variable mq_password', param: 'mq_password', noEcho: false },
            },
          ]),
        ],
      }),
    );
    assert.equal(findings.length, 2);
    assert.match(
      findings[0]?.message ?? '',
      /user admin has the password of parameter MqPassword, which is not NoEcho/,
    );
  });

  it('does not fire on a dynamic reference, a NoEcho parameter or a reference (the activemq-lambda sample)', () => {
    const c = context();
    const findings = check(
      model({
        brokers: [
          broker('B', [
            {
              username: DYNAMIC_USER,
              password: '{{resolve:secretsmanager:mq_secret_01:SecretString:password::}}',
            },
            { username: 'a', password: '{{resolve:ssm-secure:/mq/password:1}}' },
            { username: 'b', password: { $unknown: 'parameter Pw', param: 'Pw', noEcho: true } },
            { username: 'c', password: ref('GeneratedPassword', 'Result') },
            // What the reader makes of !Sub '{{resolve:secretsmanager:${SecretName}:…}}' with a parameter.
            {
              username: 'd',
              password: { $unknown: 'Fn::Sub with parameter SecretName', param: 'SecretName' },
            },
          ]),
        ],
      }),
      c,
    );
    assert.deepEqual(findings, []);
    assert.match(c.notes[0]?.message ?? '', /password of user d of broker B is not known/);
  });
});

describe('inline-broker-credentials: event source mappings', () => {
  it('fires on an MQ mapping without a BASIC_AUTH secret, reported on the SAM function', () => {
    const findings = check(
      model({
        brokers: [broker('Broker', [])],
        mappings: [mapping('FnMQEvent', { source: ref('Broker', 'Arn'), generatedBy: 'Fn' })],
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'Fn');
    assert.match(findings[0]?.message ?? '', /Amazon MQ broker without a BASIC_AUTH secret/);
  });

  it('recognises an MQ broker outside the template by its ARN', () => {
    const findings = check(
      model({
        mappings: [mapping('M', { source: 'arn:aws:mq:us-east-1:123456789012:broker:orders:b-1234' })],
      }),
    );
    assert.equal(findings.length, 1);
  });

  it('does not fire when the secret is a Secret of the template, a secret ARN or a parameter (corpus v02 mapping)', () => {
    const m = model({
      brokers: [broker('Broker', [])],
      secrets: [secret('MqSecret')],
      mappings: [
        mapping('A', {
          source: ref('Broker', 'Arn'),
          sourceAccess: [{ type: 'BASIC_AUTH', uri: ref('MqSecret') }],
        }),
        mapping('B', {
          source: ref('Broker', 'Arn'),
          sourceAccess: [{ type: 'BASIC_AUTH', uri: SECRET_ARN }],
        }),
        mapping('C', {
          source: ref('Broker', 'Arn'),
          sourceAccess: [
            { type: 'BASIC_AUTH', uri: { $unknown: 'parameter SecretARN', param: 'SecretARN' } },
          ],
        }),
      ],
    });
    assert.deepEqual(check(m), []);
  });

  it('fires when the URI of an auth entry is not a secret', () => {
    const findings = check(
      model({
        brokers: [broker('Broker', [])],
        mappings: [
          mapping('M', {
            source: ref('Broker', 'Arn'),
            sourceAccess: [{ type: 'BASIC_AUTH', uri: 'admin:hunter2' }],
          }),
        ],
      }),
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /BASIC_AUTH URI is not a Secrets Manager secret ARN/);
  });

  it('fires on a SASL/SCRAM MSK cluster read without a secret, not when IAM auth is also on or a secret is given', () => {
    const m = model({
      clusters: [
        cluster('Scram', { scram: true }),
        cluster('Both', { scram: true, iam: true }),
        cluster('Iam'),
      ],
      mappings: [
        mapping('ToScram', { source: ref('Scram') }),
        mapping('ToBoth', { source: ref('Both') }),
        mapping('ToIam', { source: ref('Iam') }),
        mapping('ToScramWithSecret', {
          source: ref('Scram'),
          sourceAccess: [{ type: 'SASL_SCRAM_512_AUTH', uri: SECRET_ARN }],
        }),
      ],
    });
    const findings = check(m);
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['ToScram'],
    );
    assert.match(findings[0]?.message ?? '', /SASL\/SCRAM, without a SASL_SCRAM_512_AUTH secret/);
  });

  it('explains an MSK cluster outside the template read without a secret', () => {
    const c = context();
    const findings = check(
      model({
        mappings: [mapping('M', { source: 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1' })],
      }),
      c,
    );
    assert.deepEqual(findings, []);
    assert.match(c.notes[0]?.message ?? '', /outside the template; its authentication is not known/);
  });

  it('self-managed Kafka: fires on credentials in the bootstrap servers or a non-secret URI, not without auth', () => {
    const m = model({
      mappings: [
        mapping('Creds', { selfManagedKafka: true, bootstrapServers: 'kafka://app:s3cret@broker1:9096' }),
        mapping('Literal', {
          selfManagedKafka: true,
          bootstrapServers: 'broker1:9096',
          sourceAccess: [{ type: 'SASL_SCRAM_256_AUTH', uri: 'app:s3cret' }],
        }),
        mapping('NoAuth', {
          selfManagedKafka: true,
          bootstrapServers: 'broker1:9092',
          sourceAccess: [{ type: 'VPC_SUBNET', uri: 'subnet:subnet-1' }],
        }),
        mapping('WithSecret', {
          selfManagedKafka: true,
          bootstrapServers: 'broker1:9096',
          sourceAccess: [{ type: 'SASL_SCRAM_512_AUTH', uri: SECRET_ARN }],
        }),
      ],
    });
    assert.deepEqual(
      check(m).map((f) => f.resource),
      ['Creds', 'Literal'],
    );
  });
});

describe('inline-broker-credentials: function environment', () => {
  it('fires on a literal SASL password (corpus v10), not on the user name', () => {
    const findings = check(
      model({
        functions: [
          fn('TopicConsumerFunction', {
            environment: { KAFKA_SASL_USERNAME: 'test-user', KAFKA_SASL_PASSWORD: 'kafka-Client-S3cret-42' },
          }),
        ],
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'TopicConsumerFunction');
    assert.match(findings[0]?.message ?? '', /environment variable KAFKA_SASL_PASSWORD holds a credential/);
    assert.doesNotMatch(findings[0]?.message ?? '', /S3cret/);
  });

  it('fires on the usual credential names', () => {
    const environment = {
      PASSWORD: 'a',
      DB_PASSWD: 'b',
      MQ_PASS: 'c',
      clientSecret: 'd',
      BROKER_CREDENTIALS: 'u:p',
      RABBIT_PWD: 'e',
    };
    const findings = check(model({ functions: [fn('F', { environment })] }));
    assert.equal(findings.length, Object.keys(environment).length);
  });

  it('does not fire on pointers to secrets, empty values, references, dynamic references or settings', () => {
    const c = context();
    const environment = {
      SECRET_ARN: SECRET_ARN,
      SECRET_NAME: 'mq_secret_01',
      DB_PASSWORD_PARAM: '/app/db/password',
      SASL_PASSWORD: '',
      MQ_PASSWORD: ref('MqSecret'),
      KAFKA_PASSWORD: '{{resolve:secretsmanager:kafka:SecretString:password}}',
      PASSWORD_ROTATION_ENABLED: 'true',
      PWD: '/var/task',
      SECRETS_MANAGER_ENDPOINT: 'https://secretsmanager.us-east-1.amazonaws.com',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      BROKER_PASSWORD: { $unknown: 'Fn::If' },
    };
    assert.deepEqual(check(model({ functions: [fn('F', { environment })] }), c), []);
    assert.match(c.notes[0]?.message ?? '', /BROKER_PASSWORD in F's environment is not known/);
  });

  it('fires on credentials in connection strings, whatever the variable name', () => {
    const environment = {
      BROKER_URL: 'amqps://orders:Sup3rSecret@b-1234.mq.us-east-1.amazonaws.com:5671',
      STOMP: 'stomp+ssl://app:pw1@b-1.mq.us-east-1.amazonaws.com:61614',
      MQTT: 'mqtt://device:pw2@broker:1883',
      KAFKA_JAAS:
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="pw3";',
      FAILOVER: 'failover:(ssl://b-1:61617,ssl://b-2:61617)?jms.password=pw4&jms.userName=app',
    };
    const findings = check(model({ functions: [fn('F', { environment })] }));
    assert.deepEqual(
      findings.map((f) => /variable (\w+)/.exec(f.message)?.[1]),
      Object.keys(environment),
    );
    assert.match(findings[0]?.message ?? '', /a password in the amqps:\/\/ URL/);
  });

  it('does not fire on connection strings without a password or with a placeholder', () => {
    const environment = {
      BROKER_URL: 'amqps://b-1234.mq.us-east-1.amazonaws.com:5671',
      WITH_USER: 'amqps://orders@b-1234.mq.us-east-1.amazonaws.com:5671',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder filled in at run time
      TEMPLATE: 'amqps://${MQ_USER}:${MQ_PASSWORD}@b-1234.mq.us-east-1.amazonaws.com:5671',
      HTTP: 'https://example.com:8443/path?x=1',
    };
    assert.deepEqual(check(model({ functions: [fn('F', { environment })] })), []);
  });

  it('honours Metadata ignore on the function', () => {
    const findings = check(
      model({
        functions: [fn('F', { environment: { PASSWORD: 'x' }, ignore: ['inline-broker-credentials'] })],
      }),
    );
    assert.deepEqual(findings, []);
  });
});
