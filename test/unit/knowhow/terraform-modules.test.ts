import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { lookup, type Model } from '../../../src/knowhow/model.js';
import { TemplateError } from '../../../src/knowhow/templates/cloudformation.js';
import { readTerraformPlan } from '../../../src/knowhow/templates/terraform.js';
import { parseReference, parseResourceAddress } from '../../../src/knowhow/templates/terraform-address.js';

const FILE = 'test/fixtures/terraform/modules-count.plan.json';
const read = (): Model =>
  readTerraformPlan(JSON.parse(readFileSync(new URL(`../../../../${FILE}`, import.meta.url), 'utf8')), FILE);

describe('Terraform reader: modules, count and for_each', () => {
  const model = read();

  it('names entities by their full addresses, with instance keys', () => {
    assert.deepEqual(model.queues.map((queue) => queue.id).sort(), [
      'aws_sqs_queue.tenant["a"]',
      'aws_sqs_queue.tenant["b"]',
      'aws_sqs_queue.worker[0]',
      'aws_sqs_queue.worker[1]',
      'module.orders.aws_sqs_queue.this',
      'module.shards[0].aws_sqs_queue.this',
      'module.shards[1].aws_sqs_queue.this',
    ]);
  });

  it('resolves a module input variable to the root resource passed in', () => {
    const subscription = model.subscriptions.find(
      (s) => s.id === 'module.orders.aws_sns_topic_subscription.this',
    )!;
    assert.equal(lookup(model, subscription.topic)?.id, 'aws_sns_topic.events');
    assert.equal(lookup(model, subscription.endpoint)?.id, 'module.orders.aws_sqs_queue.this');
    const queue = model.queues.find((queue) => queue.id === 'module.orders.aws_sqs_queue.this')!;
    const statement = (queue.policies[0]!.document as { Statement: Record<string, unknown>[] }).Statement[0]!;
    assert.deepEqual(statement.Resource, [{ $ref: 'module.orders.aws_sqs_queue.this', $attr: 'arn' }]);
    assert.deepEqual(statement.Condition, {
      ArnEquals: { 'aws:SourceArn': [{ $ref: 'aws_sns_topic.events', $attr: 'arn' }] },
    });
  });

  it('resolves module outputs, with or without an instance key', () => {
    const [rule] = model.rules;
    assert.deepEqual(rule!.targets[0]!.arn, { $ref: 'module.orders.aws_sqs_queue.this', $attr: 'arn' });
    const shard = model.subscriptions.find((s) => s.id === 'aws_sns_topic_subscription.shard1')!;
    assert.equal(lookup(model, shard.endpoint)?.id, 'module.shards[1].aws_sqs_queue.this');
  });

  it('matches count.index and each.key to the instance with the same key', () => {
    for (const index of [0, 1]) {
      const queue = model.queues.find((queue) => queue.id === `aws_sqs_queue.worker[${index}]`)!;
      assert.match(queue.policyUnknown ?? '', new RegExp(`aws_sqs_queue_policy\\.worker\\[${index}\\]`));
    }
    for (const key of ['a', 'b']) {
      const subscription = model.subscriptions.find(
        (s) => s.id === `aws_sns_topic_subscription.tenant["${key}"]`,
      )!;
      assert.equal(lookup(model, subscription.endpoint)?.id, `aws_sqs_queue.tenant["${key}"]`);
    }
  });
});

describe('Terraform addresses', () => {
  it('parses module paths and instance keys, including keys with dots', () => {
    assert.deepEqual(parseResourceAddress('module.a["x.y"].module.b[2].data.aws_iam_policy_document.p'), {
      modulePrefix: 'module.a["x.y"].module.b[2]',
      moduleCalls: ['a', 'b'],
      mode: 'data',
      type: 'aws_iam_policy_document',
      name: 'p',
      key: undefined,
    });
    assert.equal(parseResourceAddress('aws_sqs_queue.q["k"]')?.key, 'k');
    assert.equal(parseResourceAddress('module.m'), undefined);
  });

  it('parses references of every kind', () => {
    assert.deepEqual(parseReference('aws_sqs_queue.q[0].arn'), {
      kind: 'resource',
      mode: 'managed',
      type: 'aws_sqs_queue',
      name: 'q',
      key: 0,
      attr: 'arn',
    });
    assert.deepEqual(parseReference('var.password'), { kind: 'var', name: 'password' });
    assert.deepEqual(parseReference('module.m["k"].out'), {
      kind: 'module',
      call: 'm',
      key: 'k',
      output: 'out',
    });
    assert.deepEqual(parseReference('each.key'), { kind: 'instance', name: 'each.key' });
    assert.equal(parseReference('local.tags').kind, 'other');
  });
});

/** A minimal plan of one module, as `terraform show -json` writes it, from the parts a test needs. */
function plan(parts: {
  resources: { address: string; type: string; values?: object; unknown?: object; expressions?: object }[];
  variables?: object;
}): object {
  const split = (address: string) => address.split('.');
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: {
      root_module: {
        resources: parts.resources.map((r) => ({
          address: r.address,
          mode: 'managed',
          type: r.type,
          name: split(r.address)[1],
          values: r.values ?? {},
          sensitive_values: {},
        })),
      },
    },
    resource_changes: parts.resources.map((r) => ({
      address: r.address,
      mode: 'managed',
      type: r.type,
      name: split(r.address)[1],
      change: { actions: ['create'], before: null, after: r.values ?? {}, after_unknown: r.unknown ?? {} },
    })),
    configuration: {
      root_module: {
        resources: parts.resources.map((r) => ({
          address: r.address,
          mode: 'managed',
          type: r.type,
          name: split(r.address)[1],
          expressions: r.expressions ?? {},
        })),
        variables: parts.variables,
      },
    },
  };
}

const queue = (name: string) => ({
  address: `aws_sqs_queue.${name}`,
  type: 'aws_sqs_queue',
  values: { name },
  unknown: { arn: true, id: true, url: true, policy: true },
  expressions: { name: { constant_value: name } },
});

describe('Terraform reader: what a plan cannot tell', () => {
  it('marks every queue when a queue policy applies to a queue it cannot name', () => {
    const model = readTerraformPlan(
      plan({
        resources: [
          queue('a'),
          queue('b'),
          {
            address: 'aws_sqs_queue_policy.p',
            type: 'aws_sqs_queue_policy',
            values: { policy: '{"Version":"2012-10-17","Statement":[]}' },
            unknown: { queue_url: true },
            expressions: {
              queue_url: { references: ['local.queue_url'] },
              policy: {},
            },
          },
        ],
      }),
      'plan.json',
    );
    assert.ok(model.queues.every((q) => /known only after apply/.test(q.policyUnknown ?? '')));
    assert.ok(model.queues.every((q) => q.policies.length === 0));
    assert.equal(model.notes[0]!.resource, 'aws_sqs_queue_policy.p');
  });

  it('says why a policy is unknown: not JSON, or from a variable', () => {
    const model = readTerraformPlan(
      plan({
        resources: [
          {
            ...queue('a'),
            values: { name: 'a', policy: 'not json' },
            expressions: { policy: { constant_value: 'not json' } },
            unknown: {},
          },
          {
            address: 'aws_sns_topic.t',
            type: 'aws_sns_topic',
            values: { name: 't' },
            unknown: { policy: true },
            expressions: { policy: { references: ['var.topic_policy'] } },
          },
        ],
        variables: { topic_policy: { sensitive: true } },
      }),
      'plan.json',
    );
    assert.match(model.queues[0]!.policyUnknown ?? '', /not valid JSON/);
    assert.match(model.topics[0]!.policyUnknown ?? '', /variable topic_policy/);
  });

  it('reads a policy document whose condition key is unknown as unknown, not as unconditioned', () => {
    const json = plan({
      resources: [
        queue('a'),
        {
          address: 'aws_sqs_queue_policy.p',
          type: 'aws_sqs_queue_policy',
          unknown: { policy: true, queue_url: true },
          expressions: {
            queue_url: { references: ['aws_sqs_queue.a.id', 'aws_sqs_queue.a'] },
            policy: { references: ['data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d'] },
          },
        },
      ],
    }) as {
      planned_values: { root_module: { resources: object[] } };
      configuration: { root_module: { resources: object[] } };
      resource_changes: object[];
    };
    json.planned_values.root_module.resources.push({
      address: 'data.aws_iam_policy_document.d',
      mode: 'data',
      type: 'aws_iam_policy_document',
      name: 'd',
      values: {
        statement: [
          {
            actions: ['sqs:SendMessage'],
            principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
            condition: [{ test: 'ArnEquals', values: ['arn:aws:events:us-east-1:123456789012:rule/r'] }],
          },
        ],
      },
      sensitive_values: {},
    });
    json.configuration.root_module.resources.push({
      address: 'data.aws_iam_policy_document.d',
      mode: 'data',
      type: 'aws_iam_policy_document',
      name: 'd',
      expressions: {
        statement: [
          { condition: [{ test: { constant_value: 'ArnEquals' }, variable: { references: ['var.key'] } }] },
        ],
      },
    });
    json.resource_changes.push({
      address: 'data.aws_iam_policy_document.d',
      mode: 'data',
      type: 'aws_iam_policy_document',
      name: 'd',
      change: {
        actions: ['read'],
        after_unknown: { json: true, statement: [{ condition: [{ variable: true }] }] },
      },
    });
    const model = readTerraformPlan(json, 'plan.json');
    assert.match(model.queues[0]!.policyUnknown ?? '', /condition of data\.aws_iam_policy_document\.d/);
    assert.deepEqual(model.queues[0]!.policies, []);
  });

  it('reads a state (`values` in place of `planned_values`) with everything known', () => {
    const model = readTerraformPlan(
      {
        format_version: '1.0',
        terraform_version: '1.11.4',
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_sqs_queue.q',
                mode: 'managed',
                type: 'aws_sqs_queue',
                name: 'q',
                values: {
                  name: 'q',
                  arn: 'arn:aws:sqs:us-east-1:123456789012:q',
                  url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
                  receive_wait_time_seconds: 0,
                  policy: '',
                },
              },
            ],
          },
        },
      },
      'state.json',
    );
    assert.equal(model.queues[0]!.arn, 'arn:aws:sqs:us-east-1:123456789012:q');
    assert.equal(model.queues[0]!.url, 'https://sqs.us-east-1.amazonaws.com/123456789012/q');
    assert.deepEqual(model.queues[0]!.policies, []);
  });

  it('accepts the plan as text', () => {
    const model = readTerraformPlan(JSON.stringify(plan({ resources: [queue('a')] })), 'plan.json');
    assert.equal(model.queues[0]!.id, 'aws_sqs_queue.a');
    assert.equal(model.source, 'template');
  });

  it('throws TemplateError for what is not a plan', () => {
    const notPlans: unknown[] = [
      [],
      {},
      'not json at all',
      { AWSTemplateFormatVersion: '2010-09-09', Resources: {} },
      { format_version: '2.0', planned_values: {} },
      { planned_values: { root_module: {} } },
    ];
    for (const input of notPlans) {
      assert.throws(() => readTerraformPlan(input, 'x.json'), TemplateError, JSON.stringify(input));
    }
  });
});

describe('Terraform reader: a plan without resource_changes', () => {
  it('takes a value missing from planned_values as unknown and follows its references', () => {
    const json = plan({
      resources: [
        queue('q'),
        {
          address: 'aws_sns_topic_subscription.s',
          type: 'aws_sns_topic_subscription',
          values: { protocol: 'sqs' },
          expressions: {
            protocol: { constant_value: 'sqs' },
            endpoint: { references: ['aws_sqs_queue.q.arn', 'aws_sqs_queue.q'] },
            topic_arn: { references: ['var.topic_arn'] },
          },
        },
      ],
      variables: { topic_arn: {} },
    }) as Record<string, unknown>;
    delete json.resource_changes;
    json.variables = { topic_arn: { value: 'arn:aws:sns:us-east-1:123456789012:t' } };
    const [subscription] = readTerraformPlan(json, 'plan.json').subscriptions;
    assert.deepEqual(subscription!.endpoint, { $ref: 'aws_sqs_queue.q', $attr: 'arn' });
    assert.equal(subscription!.topic, 'arn:aws:sns:us-east-1:123456789012:t');
    assert.equal(subscription!.protocol, 'sqs');
  });
});

describe('Terraform reader: parts not shaped as Terraform writes them', () => {
  it('reads what it can and leaves the rest unknown', () => {
    const model = readTerraformPlan(
      {
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [{ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', values: 'odd' }, null],
          },
        },
        configuration: {
          root_module: {
            resources: [{ address: 'aws_sqs_queue.q', expressions: { name: { references: [7] } } }],
            module_calls: 'odd',
          },
        },
        resource_changes: [{ address: 'aws_sqs_queue.q', change: { after_unknown: { name: true } } }],
      },
      'plan.json',
    );
    assert.deepEqual(
      model.queues.map((queue) => [queue.id, queue.name]),
      [['aws_sqs_queue.q', { $unknown: 'known only after apply' }]],
    );
  });
});

describe('Terraform reader: targets on a custom bus', () => {
  it('attaches a target naming its rule and bus literally to a rule that references the bus', () => {
    const model = readTerraformPlan(
      plan({
        resources: [
          {
            address: 'aws_cloudwatch_event_bus.b',
            type: 'aws_cloudwatch_event_bus',
            values: { name: 'orders' },
            unknown: { arn: true },
            expressions: { name: { constant_value: 'orders' } },
          },
          {
            address: 'aws_cloudwatch_event_rule.r',
            type: 'aws_cloudwatch_event_rule',
            values: { name: 'placed', event_pattern: '{"source":["shop"]}' },
            unknown: { arn: true, event_bus_name: true },
            expressions: {
              name: { constant_value: 'placed' },
              event_bus_name: {
                references: ['aws_cloudwatch_event_bus.b.arn', 'aws_cloudwatch_event_bus.b'],
              },
            },
          },
          {
            address: 'aws_cloudwatch_event_target.t',
            type: 'aws_cloudwatch_event_target',
            values: { rule: 'placed', event_bus_name: 'orders', arn: 'arn:aws:sqs:us-east-1:123456789012:q' },
            expressions: {
              rule: { constant_value: 'placed' },
              event_bus_name: { constant_value: 'orders' },
              arn: { constant_value: 'arn:aws:sqs:us-east-1:123456789012:q' },
            },
          },
          {
            address: 'aws_cloudwatch_event_target.other_bus',
            type: 'aws_cloudwatch_event_target',
            values: { rule: 'placed', arn: 'arn:aws:sqs:us-east-1:123456789012:other' },
            expressions: { rule: { constant_value: 'placed' } },
          },
        ],
      }),
      'plan.json',
    );
    const [rule] = model.rules;
    assert.deepEqual(rule!.bus, { $ref: 'aws_cloudwatch_event_bus.b', $attr: 'arn' });
    assert.deepEqual(
      rule!.targets.map((target) => target.arn),
      ['arn:aws:sqs:us-east-1:123456789012:q'],
    );
    // The other target names a rule `placed` on the default bus, which the plan does not hold.
    assert.ok(model.notes.some((note) => note.resource === 'aws_cloudwatch_event_target.other_bus'));
  });
});

describe('Terraform reader: attributes computed from other resources', () => {
  it('does not count a role policy twice through the computed inline_policy of an existing role', () => {
    const document =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}';
    const model = readTerraformPlan(
      plan({
        resources: [
          {
            address: 'aws_iam_role.r',
            type: 'aws_iam_role',
            values: {
              name: 'r',
              assume_role_policy: '{"Version":"2012-10-17","Statement":[]}',
              inline_policy: [{ name: 'send', policy: document }],
            },
            expressions: { name: { constant_value: 'r' }, assume_role_policy: {} },
          },
          {
            address: 'aws_iam_role_policy.send',
            type: 'aws_iam_role_policy',
            values: { name: 'send', role: 'r', policy: document },
            expressions: { role: { references: ['aws_iam_role.r.name', 'aws_iam_role.r'] }, policy: {} },
          },
        ],
      }),
      'plan.json',
    );
    assert.deepEqual(
      model.roles[0]!.policies.map((policy) => policy.from),
      ['aws_iam_role_policy.send'],
    );
  });
});

describe('Terraform reader: policies of existing resources', () => {
  it('attaches a known aws_sqs_queue_policy to the queue its literal URL names', () => {
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: 'arn:aws:sqs:us-east-1:123456789012:q',
        },
      ],
    });
    const model = readTerraformPlan(
      plan({
        resources: [
          {
            address: 'aws_sqs_queue.q',
            type: 'aws_sqs_queue',
            values: { name: 'q', url, id: url, arn: 'arn:aws:sqs:us-east-1:123456789012:q', policy },
            expressions: { name: { constant_value: 'q' } },
          },
          {
            address: 'aws_sqs_queue_policy.p',
            type: 'aws_sqs_queue_policy',
            values: { queue_url: url, policy },
            expressions: { queue_url: { references: ['aws_sqs_queue.q.id', 'aws_sqs_queue.q'] }, policy: {} },
          },
        ],
      }),
      'plan.json',
    );
    const [queue] = model.queues;
    // The queue's own `policy` is computed from the policy resource: read once, from the resource.
    assert.deepEqual(
      queue!.policies.map((attached) => attached.from),
      ['aws_sqs_queue_policy.p'],
    );
    assert.deepEqual(queue!.policies[0]!.document, JSON.parse(policy));
    assert.equal(queue!.policyUnknown, undefined);
  });
});
