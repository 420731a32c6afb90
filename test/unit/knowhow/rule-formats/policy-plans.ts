import { type TfResource, tfRef } from './support.js';

/**
 * Terraform resources for the policy rules: an `aws_iam_policy_document` deferred to apply (its
 * ARNs are new), the way most modules write queue and topic policies.
 */

export interface Grant {
  service: string;
  action: string;
  /** The reference the policy's Resource names. */
  resource: string;
  /** `aws:SourceArn` as a reference; no condition when absent. */
  sourceArn?: string;
}

export function policyDocument(name: string, grants: Grant[]): TfResource {
  return {
    address: `data.aws_iam_policy_document.${name}`,
    values: {
      statement: grants.map((grant) => ({
        effect: 'Allow',
        actions: [grant.action],
        resources: [tfRef(grant.resource)],
        principals: [{ type: 'Service', identifiers: [grant.service] }],
        ...(grant.sourceArn
          ? {
              condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [tfRef(grant.sourceArn)] }],
            }
          : {}),
      })),
    },
  };
}

/** An `aws_sqs_queue_policy` on `queue` whose document is `data.aws_iam_policy_document.<name>`. */
export function queuePolicy(queue: string, name: string): TfResource {
  return {
    address: `aws_sqs_queue_policy.${name}`,
    values: {
      queue_url: tfRef(`aws_sqs_queue.${queue}.id`),
      policy: tfRef(`data.aws_iam_policy_document.${name}.json`),
    },
  };
}

/**
 * A queue policy that lets `service` send to `aws_sqs_queue.<queue>` (from `sourceArn`, a
 * reference, when given): the document and the policy resource, both named after the queue.
 */
export function queueAllowing(queue: string, service: string, sourceArn?: string): TfResource[] {
  const grant: Grant = { service, action: 'sqs:SendMessage', resource: `aws_sqs_queue.${queue}.arn` };
  if (sourceArn !== undefined) grant.sourceArn = sourceArn;
  return [policyDocument(queue, [grant]), queuePolicy(queue, queue)];
}
