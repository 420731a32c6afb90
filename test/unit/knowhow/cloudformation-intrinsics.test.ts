import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LambdaFunction, Sym } from '../../../src/knowhow/model.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';

// Each case is one environment variable of a function: the reader keeps the variables as symbols,
// so they show how every intrinsic resolves without involving a rule.
const YAML_TEMPLATE = `
Parameters:
  Stage:
    Type: String
  Secret:
    Type: String
    NoEcho: true
Mappings:
  Sizes:
    small:
      Timeout: 30
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          REF_RESOURCE: !Ref Queue
          REF_PARAMETER: !Ref Stage
          REF_NOECHO: !Ref Secret
          REF_PSEUDO: !Ref AWS::AccountId
          GETATT_DOT: !GetAtt Queue.Arn
          GETATT_LIST: !GetAtt [Queue, QueueName]
          SUB_PSEUDO: !Sub arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:jobs
          SUB_LONE: !Sub \${Queue.Arn}
          SUB_LONE_REF: !Sub '\${Queue}'
          SUB_MIXED: !Sub 'url=\${Queue}&arn=\${Queue.Arn}'
          SUB_PARAMETER: !Sub 'user:\${Secret}@host'
          SUB_LIST: !Sub ['\${Name}-\${AWS::Region}', { Name: orders }]
          SUB_LITERAL: !Sub 'keep \${!Literal}'
          JOIN_LITERAL: !Join ['', ['arn:aws:sqs:', !Ref AWS::Region, ':', '123456789012:q']]
          JOIN_REF: !Join ['', [!GetAtt Queue.Arn]]
          JOIN_PARAMETER: !Join ['-', [a, !Ref Stage]]
          IF: !If [IsProd, a, b]
          IF_SAME: !If [IsProd, same, same]
          SELECT: !Select [1, [a, b, c]]
          SPLIT_SELECT: !Select [2, !Split [':', 'arn:aws:sqs']]
          FIND_IN_MAP: !FindInMap [Sizes, small, Timeout]
          FIND_IN_MAP_REGION: !FindInMap [Sizes, !Ref AWS::Region, Timeout]
          IMPORT: !ImportValue shared-queue-arn
          AZS: !Select [0, !GetAZs '']
          BASE64: !Base64 hello
          DYNAMIC: '{{resolve:secretsmanager:broker:SecretString:password}}'
          NO_VALUE: !Ref AWS::NoValue
          TO_JSON: !ToJsonString { a: 1 }
          LENGTH: !Length [a, b]
          CIDR: !Select [0, !Cidr ['10.0.0.0/16', 2, 8]]
          NESTED:
            Fn::Join: ['/', [{ Ref: Stage }, x]]
`;

function variables(text: string): Record<string, Sym> {
  const model = readCloudFormation(text, 'template.yaml');
  const fn = model.functions.find((candidate) => candidate.id === 'Fn') as LambdaFunction;
  return fn.environment;
}

describe('intrinsic functions (YAML short forms)', () => {
  const env = variables(YAML_TEMPLATE);

  it('Ref: a resource becomes a reference, a parameter an unknown naming it, a pseudo parameter its placeholder', () => {
    assert.deepEqual(env.REF_RESOURCE, { $ref: 'Queue' });
    assert.deepEqual(env.REF_PARAMETER, { $unknown: 'parameter Stage', param: 'Stage' });
    assert.deepEqual(env.REF_NOECHO, { $unknown: 'parameter Secret', param: 'Secret', noEcho: true });
    assert.equal(env.REF_PSEUDO, `\${AWS::AccountId}`);
  });

  it('GetAtt in both short forms', () => {
    assert.deepEqual(env.GETATT_DOT, { $ref: 'Queue', $attr: 'Arn' });
    assert.deepEqual(env.GETATT_LIST, { $ref: 'Queue', $attr: 'QueueName' });
  });

  it('Sub keeps pseudo parameters, turns a lone placeholder into its reference, keeps placeholders mixed with text', () => {
    assert.equal(env.SUB_PSEUDO, `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:jobs`);
    assert.deepEqual(env.SUB_LONE, { $ref: 'Queue', $attr: 'Arn' });
    assert.deepEqual(env.SUB_LONE_REF, { $ref: 'Queue' });
    assert.equal(env.SUB_MIXED, `url=\${Queue}&arn=\${Queue.Arn}`);
    assert.equal(env.SUB_LIST, `orders-\${AWS::Region}`);
    assert.equal(env.SUB_LITERAL, `keep \${Literal}`);
  });

  it('Sub with a parameter inside text is unknown and still says which (NoEcho) parameter', () => {
    const value = env.SUB_PARAMETER as { $unknown: string; param: string; noEcho: boolean };
    assert.equal(value.param, 'Secret');
    assert.equal(value.noEcho, true);
    assert.match(value.$unknown, /parameter Secret/);
  });

  it('Join of known strings is a string; of one reference, the reference; with a parameter, unknown', () => {
    assert.equal(env.JOIN_LITERAL, `arn:aws:sqs:\${AWS::Region}:123456789012:q`);
    assert.deepEqual(env.JOIN_REF, { $ref: 'Queue', $attr: 'Arn' });
    assert.equal((env.JOIN_PARAMETER as { param: string }).param, 'Stage');
    assert.equal((env.NESTED as { param: string }).param, 'Stage');
  });

  it('If is unknown unless both branches agree', () => {
    assert.match((env.IF as { $unknown: string }).$unknown, /IsProd/);
    assert.equal(env.IF_SAME, 'same');
  });

  it('Select, Split and FindInMap over literals resolve; keyed by region they do not', () => {
    assert.equal(env.SELECT, 'b');
    assert.equal(env.SPLIT_SELECT, 'sqs');
    assert.equal(env.FIND_IN_MAP, 30);
    assert.match((env.FIND_IN_MAP_REGION as { $unknown: string }).$unknown, /FindInMap/);
  });

  it('ImportValue, GetAZs and Cidr are unknown with their reason', () => {
    assert.match((env.IMPORT as { $unknown: string }).$unknown, /ImportValue shared-queue-arn/);
    assert.match((env.AZS as { $unknown: string }).$unknown, /GetAZs|Select/);
    assert.ok('$unknown' in (env.CIDR as object));
  });

  it('Base64, ToJsonString and Length of literals; dynamic references stay literal; NoValue removes the key', () => {
    assert.equal(env.BASE64, Buffer.from('hello').toString('base64'));
    assert.equal(env.TO_JSON, '{"a":1}');
    assert.equal(env.LENGTH, 2);
    assert.equal(env.DYNAMIC, '{{resolve:secretsmanager:broker:SecretString:password}}');
    assert.equal('NO_VALUE' in env, false);
  });
});

describe('intrinsic functions (JSON long forms)', () => {
  const template = {
    Parameters: { Stage: { Type: 'String' } },
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              REF: { Ref: 'Queue' },
              GETATT: { 'Fn::GetAtt': ['Queue', 'Arn'] },
              SUB: { 'Fn::Sub': [`\${Q}`, { Q: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] },
              JOIN: { 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }]] },
              PARAM: { Ref: 'Stage' },
              SELECT: { 'Fn::Select': ['0', { 'Fn::Split': [',', 'x,y'] }] },
              MISSING: { Ref: 'Nowhere' },
            },
          },
        },
      },
    },
  };
  const env = variables(JSON.stringify(template, null, 2));

  it('resolves the same way as the short forms', () => {
    assert.deepEqual(env.REF, { $ref: 'Queue' });
    assert.deepEqual(env.GETATT, { $ref: 'Queue', $attr: 'Arn' });
    assert.deepEqual(env.SUB, { $ref: 'Queue', $attr: 'Arn' });
    assert.equal(env.JOIN, `a:\${AWS::Region}`);
    assert.equal((env.PARAM as { param: string }).param, 'Stage');
    assert.equal(env.SELECT, 'x');
    assert.match((env.MISSING as { $unknown: string }).$unknown, /Nowhere/);
  });
});
