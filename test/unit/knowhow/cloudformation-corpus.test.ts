import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Entity, entities, isObject, type Model, type Sym } from '../../../src/knowhow/model.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';

const CORPUS = fileURLToPath(new URL('../../../../test/fixtures/lint-corpus/', import.meta.url));

/** Every template of the corpus: all folders but terraform/ (plans) and the cdk.out folder (read whole elsewhere). */
function templates(dir = CORPUS): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name === 'terraform' || name === 'licenses' || name === 'cdk.out') continue;
      found.push(...templates(full));
    } else if (/\.(ya?ml|json)$/.test(name)) found.push(full);
  }
  return found;
}

const read = (relative: string): Model =>
  readCloudFormation(readFileSync(path.join(CORPUS, relative), 'utf8'), relative);

function byId<T extends Entity>(list: T[], id: string): T {
  const found = list.find((item) => item.id === id);
  assert.ok(found, `${id} is in the model`);
  return found;
}

function statementsOf(document: Sym): Record<string, Sym>[] {
  assert.ok(isObject(document));
  const statement = document.Statement;
  return (Array.isArray(statement) ? statement : [statement]) as Record<string, Sym>[];
}

describe('the lint corpus', () => {
  const files = templates();

  it('holds the templates this test reads', () => {
    assert.ok(files.length >= 50, `found ${files.length}`);
  });

  for (const file of files) {
    const relative = path.relative(CORPUS, file);
    it(`reads ${relative} into a model whose entities have a line and unique ids`, () => {
      const model = readCloudFormation(readFileSync(file, 'utf8'), relative);
      const all = entities(model);
      assert.ok(all.length > 0, 'some resource is mapped');
      assert.equal(new Set(all.map((entity) => entity.id)).size, all.length);
      for (const entity of all) {
        assert.equal(entity.origin.file, relative);
        assert.ok(
          typeof entity.origin.line === 'number' && entity.origin.line > 0,
          `${entity.id} has a line`,
        );
      }
    });
  }

  it('sns-sqs.yaml: the queue carries the policy allowing sns.amazonaws.com from the topic', () => {
    const model = read('serverless-patterns/sns-sqs.yaml');
    const queue = byId(model.queues, 'MySqsQueue');
    const [statement] = statementsOf(queue.policies[0].document);
    assert.deepEqual(statement.Principal, { Service: 'sns.amazonaws.com' });
    assert.deepEqual(statement.Condition, { ArnEquals: { 'aws:SourceArn': { $ref: 'MySnsTopic' } } });
    const [subscription] = model.subscriptions;
    assert.deepEqual(subscription.topic, { $ref: 'MySnsTopic' });
    assert.deepEqual(subscription.endpoint, { $ref: 'MySqsQueue', $attr: 'Arn' });
  });

  it('activemq-lambda.yaml: broker credentials are dynamic references, the mapping reads a parameter secret', () => {
    const model = read('serverless-patterns/activemq-lambda.yaml');
    const broker = byId(model.brokers, 'MQBroker');
    assert.match(String(broker.users[0].password), /^\{\{resolve:secretsmanager:/);
    const mapping = byId(model.mappings, 'MQListenerFunctionMQEvent');
    assert.equal(mapping.generatedBy, 'MQListenerFunction');
    assert.deepEqual(mapping.source, { $ref: 'MQBroker', $attr: 'Arn' });
    assert.equal(mapping.sourceAccess[0].type, 'BASIC_AUTH');
  });

  it('msk-cfn-sasl-lambda-MSKSampleStack.yml: SCRAM cluster, AmazonMSK_ secret with its own key, the association', () => {
    const model = read('serverless-patterns/msk-cfn-sasl-lambda-MSKSampleStack.yml');
    assert.equal(byId(model.clusters, 'MSKCluster').scram, true);
    const secret = byId(model.secrets, 'CredentialsSecret');
    assert.equal(secret.name, 'AmazonMSK_Credentials');
    assert.deepEqual(secret.kmsKey, { $ref: 'CredentialsKMSKey' });
    assert.deepEqual(byId(model.scramAssociations, 'SecretMSKAssociation').secrets, [
      { $ref: 'CredentialsSecret' },
    ]);
  });

  it('s3sqs-noArguments: CDK’s bucket notification custom resource names the queue', () => {
    const model = read('solutions-constructs/s3sqs-noArguments.template.json');
    const bucket = byId(model.buckets, 'tests3sqsS3BucketFF76CDA6');
    assert.deepEqual(bucket.notifications, [
      { kind: 'queue', target: { $ref: 'tests3sqsqueue810CCE19', $attr: 'Arn' } },
    ]);
  });

  it('sqslam-deployFunction: the function consumes the queue through its mapping', () => {
    const model = read('solutions-constructs/sqslam-deployFunction.template.json');
    const [mapping] = model.mappings;
    const queue = model.queues.find((candidate) => candidate.redriveDlq !== undefined);
    assert.ok(queue);
    assert.deepEqual(mapping.source, { $ref: queue.id, $attr: 'Arn' });
  });

  it('DataFirehoseDeliveryStream-based variant v01: an SNS firehose subscription to a stream that appends a delimiter', () => {
    const model = read('variants/v01.yaml');
    const [subscription] = model.subscriptions;
    assert.equal(subscription.protocol, 'firehose');
    const delivery = byId(model.deliveryStreams, 'DeliveryStream');
    assert.deepEqual(subscription.endpoint, { $ref: 'DeliveryStream', $attr: 'Arn' });
    assert.deepEqual(delivery.processors, ['AppendDelimiterToRecord']);
  });
});
