import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CDK_FILE,
  json,
  lineOf,
  lineOfKey,
  lintCdkOut,
  lintIgnoring,
  lintPlan,
  lintPlanIgnoring,
  lintTemplate,
  samFunction,
  suppressedBy,
  type TfResource,
  tfPlan,
  tfRef,
} from './support.js';

const RULE = 'inline-broker-credentials';

const YAML = `Parameters:
  AdminPassword:
    Type: String
    NoEcho: true
Resources:
  Written:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: written
      EngineType: ACTIVEMQ
      EngineVersion: '5.18'
      HostInstanceType: mq.t3.micro
      DeploymentMode: SINGLE_INSTANCE
      PubliclyAccessible: false
      Users:
        - Username: admin
          Password: hunter2hunter2
  Resolved:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: resolved
      EngineType: RABBITMQ
      EngineVersion: '3.13'
      HostInstanceType: mq.t3.micro
      DeploymentMode: SINGLE_INSTANCE
      PubliclyAccessible: false
      Users:
        - Username: '{{resolve:secretsmanager:mq-admin:SecretString:username}}'
          Password: '{{resolve:secretsmanager:mq-admin:SecretString:password}}'
        - Username: ops
          Password: !Ref AdminPassword
  Consumer:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/consumer
      Code: { ZipFile: x }
      Environment:
        Variables:
          BROKER_URL: !Sub 'amqps://admin:hunter2hunter2@\${Resolved}.mq.\${AWS::Region}.amazonaws.com:5671'
          SECRET_ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:mq-admin-AbCdEf
`;

/** A Lambda mapping on an Amazon MQ broker, by ARN, without and with its BASIC_AUTH secret. */
const JSON_TEMPLATE = {
  Resources: {
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: {} } },
    Bare: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:orders:b-1234',
        FunctionName: 'consumer',
        Queues: ['orders'],
      },
    },
    Authenticated: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:orders:b-1234',
        FunctionName: 'consumer',
        Queues: ['orders'],
        SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: { Ref: 'Secret' } }],
      },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: a literal broker password and one in a URL; resolve, NoEcho and ARNs pass', async () => {
    const result = await lintTemplate('mq.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Written', 'mq.yaml', lineOf(YAML, 'Written')],
      [RULE, 'error', 'Consumer', 'mq.yaml', lineOf(YAML, 'Consumer')],
    ]);
    const written = result.findings.find((finding) => finding.resource === 'Written');
    assert.match(written?.message ?? '', /admin/);
    assert.ok(!result.findings.some((finding) => finding.message.includes('hunter2')), 'never the password');
  });

  it('CloudFormation JSON: an MQ mapping without a BASIC_AUTH secret', async () => {
    const text = json(JSON_TEMPLATE);
    assert.deepEqual((await lintTemplate('esm.json', text)).rows(RULE), [
      [RULE, 'error', 'Bare', 'esm.json', lineOf(text, 'Bare')],
    ]);
  });

  it('SAM: MQ with a secret passes; MSK on a SCRAM cluster without one, and SASL in the bootstrap servers, fire', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
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
${samFunction('Fn')}      Events:
        Broker:
          Type: MQ
          Properties:
            Broker: arn:aws:mq:us-east-1:123456789012:broker:orders:b-1234
            Queues: [orders]
            SourceAccessConfigurations:
              - Type: BASIC_AUTH
                URI: !Ref Secret
        Stream:
          Type: MSK
          Properties:
            Stream: !Ref Cluster
            Topics: [orders]
            StartingPosition: LATEST
        External:
          Type: SelfManagedKafka
          Properties:
            KafkaBootstrapServers: ['svc:s3cr3t@kafka.example.com:9096']
            Topics: [orders]
            SourceAccessConfigurations:
              - Type: VPC_SUBNET
                URI: subnet:subnet-1
`;
    const result = await lintTemplate('sam.yaml', text);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Fn', 'sam.yaml', lineOfKey(text, 'Stream')],
      [RULE, 'error', 'Fn', 'sam.yaml', lineOfKey(text, 'External')],
    ]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    assert.deepEqual((await lintCdkOut(JSON_TEMPLATE)).rows(RULE), [
      [RULE, 'error', 'Bare', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Bare')],
    ]);
  });

  const broker = (password: TfResource['values']['password']): TfResource => ({
    address: 'aws_mq_broker.orders',
    values: {
      broker_name: 'orders',
      engine_type: 'ActiveMQ',
      engine_version: '5.18',
      host_instance_type: 'mq.t3.micro',
      user: [{ username: 'admin', password }],
    },
  });
  const plan: TfResource[] = [
    { address: 'random_password.mq', values: { length: 24 } },
    broker('hunter2hunter2'),
    {
      address: 'aws_lambda_function.consumer',
      values: {
        function_name: 'consumer',
        role: 'arn:aws:iam::123456789012:role/consumer',
        environment: [{ variables: { MQ_PASSWORD: 'hunter2hunter2', MQ_USER: 'admin' } }],
      },
    },
  ];

  it('Terraform plan: a constant broker password and a password variable of a function', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan))).rows(RULE), [
      [RULE, 'error', 'aws_lambda_function.consumer', 'plan.json'],
      [RULE, 'error', 'aws_mq_broker.orders', 'plan.json'],
    ]);
  });

  it('Terraform plan: a generated password is not written in the code', async () => {
    const generated = [plan[0], broker(tfRef('random_password.mq.result'))];
    assert.deepEqual((await lintPlan(tfPlan(generated))).rows(RULE), []);
  });

  it('Terraform plan: self-managed Kafka with user:password@ in its servers fires; a SASL secret passes', async () => {
    const kafka = (servers: string, access: TfResource['values'][]): TfResource => ({
      address: 'aws_lambda_event_source_mapping.kafka',
      values: {
        function_name: 'consumer',
        topics: ['orders'],
        self_managed_event_source: [{ endpoints: { KAFKA_BOOTSTRAP_SERVERS: servers } }],
        source_access_configuration: access,
      },
    });
    const secret: TfResource = { address: 'aws_secretsmanager_secret.kafka', values: { name: 'kafka' } };
    const written = [secret, kafka('b1.example.com:9092,app:s3cr3t@b2.example.com:9096', [])];
    assert.deepEqual((await lintPlan(tfPlan(written))).rows(RULE), [
      [RULE, 'error', 'aws_lambda_event_source_mapping.kafka', 'plan.json'],
    ]);
    const stored = [
      secret,
      kafka('b1.example.com:9096,b2.example.com:9096', [
        { type: 'SASL_SCRAM_512_AUTH', uri: tfRef('aws_secretsmanager_secret.kafka.arn') },
      ]),
    ];
    assert.deepEqual((await lintPlan(tfPlan(stored))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('e.json', JSON_TEMPLATE, 'Bare', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Bare']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_mq_broker.orders', RULE);
    assert.deepEqual(planIgnored.rows(RULE), [[RULE, 'error', 'aws_lambda_function.consumer', 'plan.json']]);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_mq_broker.orders']);
    assert.deepEqual((await lintTemplate('mq.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});
