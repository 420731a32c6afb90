import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  credentialSource,
  embeddedCredential,
  isCredentialName,
  isDynamicReference,
  isSecretArn,
} from '../../../src/knowhow/rules/credentials.js';

describe('credential recognition', () => {
  it('tells dynamic references and secret ARNs', () => {
    assert.ok(isDynamicReference('{{resolve:secretsmanager:mq:SecretString:password}}'));
    assert.ok(isDynamicReference('{{resolve:ssm-secure:/db/password:3}}'));
    assert.ok(!isDynamicReference('resolve:secretsmanager'));
    assert.ok(isSecretArn('arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation pseudo parameters
    assert.ok(isSecretArn('arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:x'));
    assert.ok(!isSecretArn('arn:aws:ssm:us-east-1:1:parameter/x'));
  });

  it('classifies where a value comes from', () => {
    assert.deepEqual(credentialSource('hunter2'), { kind: 'literal', text: 'hunter2' });
    assert.equal(credentialSource('').kind, 'safe');
    assert.equal(credentialSource(undefined).kind, 'safe');
    assert.equal(credentialSource({ $ref: 'Secret' }).kind, 'safe');
    assert.equal(credentialSource({ $unknown: 'parameter P', param: 'P', noEcho: true }).kind, 'safe');
    assert.deepEqual(credentialSource({ $unknown: 'parameter P', param: 'P' }), {
      kind: 'visible-parameter',
      param: 'P',
    });
    assert.equal(credentialSource({ $unknown: 'Fn::Sub with parameter P', param: 'P' }).kind, 'unknown');
  });

  it('knows credential names from pointers to them', () => {
    for (const name of [
      'PASSWORD',
      'db_password',
      'KAFKA_SASL_PASSWORD',
      'MQ_PASS',
      'clientSecret',
      'JAAS_CONFIG',
      'AMQP_CREDENTIALS',
    ])
      assert.ok(isCredentialName(name), name);
    for (const name of [
      'SECRET_ARN',
      'SECRET_NAME',
      'PASSWORD_PARAMETER',
      'PWD',
      'USERNAME',
      'QUEUE_URL',
      'SASL_MECHANISM',
    ])
      assert.ok(!isCredentialName(name), name);
  });

  it('finds passwords in connection strings and says which kind, never the password', () => {
    assert.equal(embeddedCredential('amqps://u:p4ss@host:5671'), 'a password in the amqps:// URL');
    assert.equal(
      embeddedCredential('sasl.jaas.config=ScramLoginModule required username="u" password="p";'),
      'a password in a JAAS login configuration',
    );
    assert.equal(
      embeddedCredential('failover:(ssl://a:61617)?jms.password=p'),
      'a jms.password option in a connection string',
    );
    assert.equal(embeddedCredential('amqps://host:5671'), undefined);
    assert.equal(embeddedCredential('amqps://u:<password>@host'), undefined);
    assert.equal(embeddedCredential('password=""'), undefined);
  });
});
