import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CDK_FILE,
  json,
  lineOf,
  lintCdkOut,
  lintIgnoring,
  lintPlan,
  lintPlanIgnoring,
  lintTemplate,
  suppressedBy,
  type TfResource,
  tfPlan,
  tfRef,
} from './support.js';

const RULE = 'msk-scram-secret';

const YAML = `Resources:
  Key:
    Type: AWS::KMS::Key
  Cluster:
    Type: AWS::MSK::Cluster
    Properties:
      ClusterName: orders
      KafkaVersion: 3.6.0
      NumberOfBrokerNodes: 2
      BrokerNodeGroupInfo:
        InstanceType: kafka.t3.small
        ClientSubnets: [subnet-1, subnet-2]
      ClientAuthentication:
        Sasl:
          Scram: { Enabled: true }
  Unprefixed:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: orders-producer
      KmsKeyId: !Ref Key
  DefaultKey:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: AmazonMSK_consumer
  Proper:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: AmazonMSK_admin
      KmsKeyId: !GetAtt Key.Arn
  Users:
    Type: AWS::MSK::BatchScramSecret
    Properties:
      ClusterArn: !Ref Cluster
      SecretArnList: [!Ref Unprefixed, !Ref DefaultKey, !Ref Proper]
`;

const JSON_TEMPLATE = {
  Resources: {
    Users: {
      Type: 'AWS::MSK::BatchScramSecret',
      Properties: {
        ClusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd-1234',
        SecretArnList: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-producer-AbCdEf'],
      },
    },
    Admins: {
      Type: 'AWS::MSK::BatchScramSecret',
      Properties: {
        ClusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd-1234',
        SecretArnList: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_admin-AbCdEf'],
      },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: a secret without the prefix, one with the default key; a proper one passes', async () => {
    const result = await lintTemplate('msk.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Unprefixed', 'msk.yaml', lineOf(YAML, 'Unprefixed')],
      [RULE, 'error', 'DefaultKey', 'msk.yaml', lineOf(YAML, 'DefaultKey')],
    ]);
    for (const finding of result.findings.filter((each) => each.rule === RULE)) {
      assert.match(finding.message, /Cluster/);
    }
  });

  it('CloudFormation YAML: the default key named as alias/aws/secretsmanager fires too', async () => {
    const text = YAML.replace(
      '      Name: AmazonMSK_admin\n      KmsKeyId: !GetAtt Key.Arn',
      '      Name: AmazonMSK_admin\n      KmsKeyId: alias/aws/secretsmanager',
    );
    assert.deepEqual(
      (await lintTemplate('msk.yaml', text)).rows(RULE).map((row) => row[2]),
      ['Unprefixed', 'DefaultKey', 'Proper'],
    );
  });

  it('CloudFormation JSON: a literal secret ARN without the prefix, on the association', async () => {
    const text = json(JSON_TEMPLATE);
    assert.deepEqual((await lintTemplate('msk.json', text)).rows(RULE), [
      [RULE, 'error', 'Users', 'msk.json', lineOf(text, 'Users')],
    ]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    assert.deepEqual((await lintCdkOut(JSON_TEMPLATE)).rows(RULE), [
      [RULE, 'error', 'Users', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Users')],
    ]);
  });

  const plan = (secret: TfResource['values']): TfResource[] => [
    { address: 'aws_kms_key.msk', values: { description: 'msk' } },
    {
      address: 'aws_msk_cluster.orders',
      values: {
        cluster_name: 'orders',
        kafka_version: '3.6.0',
        number_of_broker_nodes: 2,
        client_authentication: [{ sasl: [{ scram: true, iam: false }] }],
      },
    },
    { address: 'aws_secretsmanager_secret.users', values: secret },
    {
      address: 'aws_msk_scram_secret_association.orders',
      values: {
        cluster_arn: tfRef('aws_msk_cluster.orders.arn'),
        secret_arn_list: [tfRef('aws_secretsmanager_secret.users.arn')],
      },
    },
  ];
  const wrong = plan({ name: 'orders-users' });

  it('Terraform plan: an unprefixed secret with the default key fires on the secret', async () => {
    assert.deepEqual((await lintPlan(tfPlan(wrong))).rows(RULE), [
      [RULE, 'error', 'aws_secretsmanager_secret.users', 'plan.json'],
    ]);
  });

  it('Terraform plan: AmazonMSK_ with a key of the plan passes', async () => {
    const right = plan({ name: 'AmazonMSK_users', kms_key_id: tfRef('aws_kms_key.msk.key_id') });
    assert.deepEqual((await lintPlan(tfPlan(right))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('m.json', JSON_TEMPLATE, 'Users', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Users']);
    const planIgnored = await lintPlanIgnoring(wrong, 'aws_secretsmanager_secret.users', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_secretsmanager_secret.users']);
    assert.deepEqual((await lintTemplate('msk.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});
