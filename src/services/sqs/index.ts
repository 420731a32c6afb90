import type { Clock } from '../../core/clock.js';
import { sqsSource } from '../../knowhow/live/collect.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import { SQS_OPERATIONS, type SqsOperationName } from '../../protocols/models/sqs.js';
import { operationTable, type RequestContext, type ServiceDefinition } from '../../protocols/service.js';
import type { QueueStorage } from '../../storage/types.js';
import type { ServiceFactory } from '../registry.js';
import { sqsError, sqsValidation } from './errors.js';
import { type EncryptionSetup, SqsService } from './service.js';

export const SQS_QUERY_VERSION = '2012-11-05';

/** Older query clients post to the queue URL and leave QueueUrl out (SQS guide: "Making query API requests"). */
function fillQueueUrl(params: Map<string, string>, ctx: RequestContext): void {
  if (!params.has('QueueUrl') && /^\/\d{12}\/[^/]+$/.test(ctx.path)) params.set('QueueUrl', ctx.path);
}

export interface SqsDefinition extends ServiceDefinition {
  sqs: SqsService;
}

export function createSqs(
  storage: QueueStorage,
  clock: Clock,
  encryption?: EncryptionSetup,
  hints?: HintRecorder,
): SqsDefinition {
  const sqs = new SqsService(storage, clock, encryption, hints);
  type Handler = (input: any, ctx: RequestContext) => unknown;
  const handlers: Record<SqsOperationName, Handler> = {
    AddPermission: (i, c) => sqs.queues.addPermission(i, c),
    CancelMessageMoveTask: (i, c) => sqs.moveTasks.cancelMessageMoveTask(i, c),
    ChangeMessageVisibility: (i, c) => sqs.messages.changeMessageVisibility(i, c),
    ChangeMessageVisibilityBatch: (i, c) => sqs.messages.changeMessageVisibilityBatch(i, c),
    CreateQueue: (i, c) => sqs.queues.createQueue(i, c),
    DeleteMessage: (i, c) => sqs.messages.deleteMessage(i, c),
    DeleteMessageBatch: (i, c) => sqs.messages.deleteMessageBatch(i, c),
    DeleteQueue: (i, c) => sqs.queues.deleteQueue(i, c),
    GetQueueAttributes: (i, c) => sqs.queues.getQueueAttributes(i, c),
    GetQueueUrl: (i, c) => sqs.queues.getQueueUrl(i, c),
    ListDeadLetterSourceQueues: (i, c) => sqs.moveTasks.listDeadLetterSourceQueues(i, c),
    ListMessageMoveTasks: (i, c) => sqs.moveTasks.listMessageMoveTasks(i, c),
    ListQueueTags: (i, c) => sqs.queues.listQueueTags(i, c),
    ListQueues: (i, c) => sqs.queues.listQueues(i, c),
    PurgeQueue: (i, c) => sqs.queues.purgeQueue(i, c),
    ReceiveMessage: (i, c) => sqs.messages.receiveMessage(i, c),
    RemovePermission: (i, c) => sqs.queues.removePermission(i, c),
    SendMessage: (i, c) => sqs.messages.sendMessage(i, c),
    SendMessageBatch: (i, c) => sqs.messages.sendMessageBatch(i, c),
    SetQueueAttributes: (i, c) => sqs.queues.setQueueAttributes(i, c),
    StartMessageMoveTask: (i, c) => sqs.moveTasks.startMessageMoveTask(i, c),
    TagQueue: (i, c) => sqs.queues.tagQueue(i, c),
    UntagQueue: (i, c) => sqs.queues.untagQueue(i, c),
  };
  const operations = operationTable(SQS_OPERATIONS, handlers);
  return {
    name: 'sqs',
    signingName: 'sqs',
    json: {
      targetPrefix: 'AmazonSQS',
      contentType: 'application/x-amz-json-1.0',
      errorNamespace: 'com.amazonaws.sqs#',
      queryCompatible: true,
    },
    query: {
      version: SQS_QUERY_VERSION,
      xmlNamespace: `http://queue.amazonaws.com/doc/${SQS_QUERY_VERSION}/`,
    },
    operations,
    validation: sqsValidation,
    unknownOperation: (protocol, name) =>
      protocol === 'query' ? sqsError.invalidAction(name) : sqsError.unknownOperation(),
    queryParamsFromPath: fillQueueUrl,
    sqs,
  };
}

/** SQS as the server builds it: the queue engine is its store, KMS its keys for SSE-KMS. */
export const sqsModule: ServiceFactory = {
  name: 'sqs',
  create: ({ queues, clock, log, journal, frontDoors, hints }) => {
    // Bodies are sealed only where they are written down: with --data-dir.
    const definition = createSqs(
      queues,
      clock,
      {
        kms: frontDoors.kms,
        log,
        sealAtRest: journal !== undefined,
      },
      hints,
    );
    return {
      definition,
      cors: true,
      frontDoors: { sqs: definition.sqs },
      live: sqsSource(queues),
      reset: async () => {
        await queues.reset();
        definition.sqs.reset();
      },
      close: () => undefined,
    };
  },
};
