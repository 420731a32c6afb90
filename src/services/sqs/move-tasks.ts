import type * as Sqs from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../protocols/service.js';
import type { MoveTask, QueueRecord, QueueStorage } from '../../storage/types.js';
import { parseRedrivePolicy } from './attributes.js';
import { sqsError } from './errors.js';
import { pageOfQueues, type QueueAccess } from './queue-access.js';

/** Dead-letter queues seen from their sources, and the tasks that move messages back out of them. */
export class MoveTaskOperations {
  constructor(
    private readonly storage: QueueStorage,
    private readonly access: QueueAccess,
  ) {}

  async listDeadLetterSourceQueues(
    input: Sqs.ListDeadLetterSourceQueuesRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ListDeadLetterSourceQueuesResult> {
    const queue = await this.access.resolve(input.QueueUrl!, ctx, 'ListDeadLetterSourceQueues');
    const sources = (await this.storage.listQueues(queue.account, queue.region))
      .filter((q) => {
        if (!q.attributes.RedrivePolicy) return false;
        try {
          return parseRedrivePolicy(q.attributes.RedrivePolicy).deadLetterTargetArn === queue.arn;
        } catch {
          return false;
        }
      })
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    return pageOfQueues(sources, input.MaxResults, input.NextToken, 1000, (page, next) => ({
      queueUrls: page.map((q) => this.access.urlOf(q, ctx)),
      NextToken: next,
    }));
  }

  private async queueByArn(arn: string, ctx: RequestContext, parameter: string): Promise<QueueRecord> {
    const queue = await this.storage.getQueueByArn(arn);
    if (!queue || queue.account !== ctx.caller.account) {
      throw sqsError.resourceNotFound(
        `The resource that you specified for the ${parameter} parameter doesn't exist.`,
      );
    }
    return queue;
  }

  async startMessageMoveTask(
    input: Sqs.StartMessageMoveTaskRequest,
    ctx: RequestContext,
  ): Promise<Sqs.StartMessageMoveTaskResult> {
    const source = await this.queueByArn(input.SourceArn!, ctx, 'SourceArn');
    const destination = input.DestinationArn
      ? await this.queueByArn(input.DestinationArn, ctx, 'DestinationArn')
      : undefined;
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (rate < 1 || rate > 500)) {
      throw sqsError.invalidValue(
        'MaxNumberOfMessagesPerSecond',
        rate,
        'Must be between 1 and 500, if provided.',
      );
    }
    const isDeadLetterQueue = (await this.storage.listQueues(source.account, source.region)).some((q) => {
      try {
        return (
          !!q.attributes.RedrivePolicy &&
          parseRedrivePolicy(q.attributes.RedrivePolicy).deadLetterTargetArn === source.arn
        );
      } catch {
        return false;
      }
    });
    if (!isDeadLetterQueue) {
      throw sqsError.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    if (destination && destination.fifo !== source.fifo) {
      throw sqsError.invalidParameterValue(
        'The source queue and destination queue must be of the same queue type.',
      );
    }
    if ((await this.storage.listMoveTasks(source)).some((t) => t.status === 'RUNNING')) {
      throw sqsError.invalidParameterValue(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const task = await this.storage.startMoveTask(source, destination, rate);
    return { TaskHandle: taskHandle(task) };
  }

  async listMessageMoveTasks(
    input: Sqs.ListMessageMoveTasksRequest,
    ctx: RequestContext,
  ): Promise<Sqs.ListMessageMoveTasksResult> {
    const source = await this.queueByArn(input.SourceArn!, ctx, 'SourceArn');
    const max = input.MaxResults ?? 1;
    if (max < 1 || max > 10)
      throw sqsError.invalidValue('MaxResults', max, 'Must be between 1 and 10, if provided.');
    const tasks = (await this.storage.listMoveTasks(source)).slice(0, max);
    return { Results: tasks.map(toTaskEntry) };
  }

  async cancelMessageMoveTask(
    input: Sqs.CancelMessageMoveTaskRequest,
    ctx: RequestContext,
  ): Promise<Sqs.CancelMessageMoveTaskResult> {
    const handle = input.TaskHandle!;
    const named = parseTaskHandle(handle);
    if (!named) throw sqsError.invalidParameterValue('Value for parameter TaskHandle is invalid.');
    const source = await this.queueByArn(named.sourceArn, ctx, 'SourceArn');
    const known = (await this.storage.listMoveTasks(source)).some((t) => t.taskHandle === named.taskId);
    const task = known ? await this.storage.cancelMoveTask(named.taskId) : undefined;
    if (!task) throw sqsError.resourceNotFound('Task does not exist.');
    if (task.status !== 'CANCELLED') {
      throw sqsError.invalidParameterValue(
        `Task ${handle} is ${task.status} and can no longer be cancelled.`,
      );
    }
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }
}

/**
 * AWS's task handles are base64 of {"taskId","sourceArn"}: a handle names its source queue, which
 * CancelMessageMoveTask looks up (ResourceNotFoundException) before the task.
 */
function taskHandle(task: MoveTask): string {
  return Buffer.from(JSON.stringify({ taskId: task.taskHandle, sourceArn: task.sourceArn })).toString(
    'base64',
  );
}

function parseTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (typeof parsed?.taskId === 'string' && typeof parsed.sourceArn === 'string') {
      return { taskId: parsed.taskId, sourceArn: parsed.sourceArn };
    }
  } catch {
    // not base64 of JSON: the same answer as any other malformed handle
  }
  return undefined;
}

function toTaskEntry(task: MoveTask): Sqs.ListMessageMoveTasksResultEntry {
  return {
    TaskHandle: task.status === 'RUNNING' ? taskHandle(task) : undefined,
    Status: task.status,
    SourceArn: task.sourceArn,
    DestinationArn: task.destinationArn,
    MaxNumberOfMessagesPerSecond: task.maxPerSecond,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    FailureReason: task.failureReason,
    StartedTimestamp: task.startedAt,
  };
}
