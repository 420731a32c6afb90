import {
  blob,
  boolean,
  flat,
  integer,
  list,
  long,
  map,
  type OperationShapes,
  type StructureShape,
  string,
  structure,
} from '../../protocols/shapes.js';

// Shapes of the Amazon SQS API (2012-11-05), after the Smithy model the
// official SDKs are generated from, including its awsQuery names.

const stringList = list(string, 'StringListValue');
const binaryList = list(blob, 'BinaryListValue');

const messageAttributeValue = structure(
  {
    DataType: string,
    StringValue: string,
    BinaryValue: blob,
    StringListValues: flat(stringList, 'StringListValue'),
    BinaryListValues: flat(binaryList, 'BinaryListValue'),
  },
  ['DataType'],
);

const messageAttributes = map(messageAttributeValue, 'Name', 'Value');
const queueAttributes = map(string, 'Name', 'Value');
const tags = map(string, 'Key', 'Value');

const sendEntry = structure(
  {
    Id: string,
    MessageBody: string,
    DelaySeconds: integer,
    MessageAttributes: flat(messageAttributes, 'MessageAttribute'),
    MessageSystemAttributes: flat(messageAttributes, 'MessageSystemAttribute'),
    MessageDeduplicationId: string,
    MessageGroupId: string,
  },
  ['Id', 'MessageBody'],
);

const batchError = structure({ Id: string, SenderFault: boolean, Code: string, Message: string });
const idOnly = structure({ Id: string });

const message = structure({
  MessageId: string,
  ReceiptHandle: string,
  MD5OfBody: string,
  Body: string,
  Attributes: flat(queueAttributes, 'Attribute'),
  MD5OfMessageAttributes: string,
  MessageAttributes: flat(messageAttributes, 'MessageAttribute'),
});

const moveTaskEntry = structure({
  TaskHandle: string,
  Status: string,
  SourceArn: string,
  DestinationArn: string,
  MaxNumberOfMessagesPerSecond: integer,
  ApproximateNumberOfMessagesMoved: long,
  ApproximateNumberOfMessagesToMove: long,
  FailureReason: string,
  StartedTimestamp: long,
});

function batchResult(entry: StructureShape, entryName: string): StructureShape {
  return structure({
    Successful: flat(list(entry), entryName),
    Failed: flat(list(batchError), 'BatchResultErrorEntry'),
  });
}

export const SQS_SHAPES = {
  AddPermission: {
    input: structure(
      {
        QueueUrl: string,
        Label: string,
        AWSAccountIds: flat(list(string), 'AWSAccountId'),
        Actions: flat(list(string), 'ActionName'),
      },
      ['QueueUrl', 'Label', 'AWSAccountIds', 'Actions'],
    ),
  },
  CancelMessageMoveTask: {
    input: structure({ TaskHandle: string }, ['TaskHandle']),
    output: structure({ ApproximateNumberOfMessagesMoved: long }),
  },
  ChangeMessageVisibility: {
    input: structure({ QueueUrl: string, ReceiptHandle: string, VisibilityTimeout: integer }, [
      'QueueUrl',
      'ReceiptHandle',
      'VisibilityTimeout',
    ]),
  },
  ChangeMessageVisibilityBatch: {
    input: structure(
      {
        QueueUrl: string,
        Entries: flat(
          list(
            structure({ Id: string, ReceiptHandle: string, VisibilityTimeout: integer }, [
              'Id',
              'ReceiptHandle',
            ]),
          ),
          'ChangeMessageVisibilityBatchRequestEntry',
        ),
      },
      ['QueueUrl', 'Entries'],
    ),
    output: batchResult(idOnly, 'ChangeMessageVisibilityBatchResultEntry'),
  },
  CreateQueue: {
    input: structure(
      {
        QueueName: string,
        Attributes: flat(queueAttributes, 'Attribute'),
        tags: flat(tags, 'Tag'),
      },
      ['QueueName'],
    ),
    output: structure({ QueueUrl: string }),
  },
  DeleteMessage: {
    input: structure({ QueueUrl: string, ReceiptHandle: string }, ['QueueUrl', 'ReceiptHandle']),
  },
  DeleteMessageBatch: {
    input: structure(
      {
        QueueUrl: string,
        Entries: flat(
          list(structure({ Id: string, ReceiptHandle: string }, ['Id', 'ReceiptHandle'])),
          'DeleteMessageBatchRequestEntry',
        ),
      },
      ['QueueUrl', 'Entries'],
    ),
    output: batchResult(idOnly, 'DeleteMessageBatchResultEntry'),
  },
  DeleteQueue: { input: structure({ QueueUrl: string }, ['QueueUrl']) },
  GetQueueAttributes: {
    input: structure({ QueueUrl: string, AttributeNames: flat(list(string), 'AttributeName') }, ['QueueUrl']),
    output: structure({ Attributes: flat(queueAttributes, 'Attribute') }),
  },
  GetQueueUrl: {
    input: structure({ QueueName: string, QueueOwnerAWSAccountId: string }, ['QueueName']),
    output: structure({ QueueUrl: string }),
  },
  ListDeadLetterSourceQueues: {
    input: structure({ QueueUrl: string, NextToken: string, MaxResults: integer }, ['QueueUrl']),
    output: structure({ queueUrls: flat(list(string), 'QueueUrl'), NextToken: string }),
  },
  ListMessageMoveTasks: {
    input: structure({ SourceArn: string, MaxResults: integer }, ['SourceArn']),
    output: structure({ Results: flat(list(moveTaskEntry), 'ListMessageMoveTasksResultEntry') }),
  },
  ListQueueTags: {
    input: structure({ QueueUrl: string }, ['QueueUrl']),
    output: structure({ Tags: flat(tags, 'Tag') }),
  },
  ListQueues: {
    input: structure({ QueueNamePrefix: string, NextToken: string, MaxResults: integer }),
    output: structure({ QueueUrls: flat(list(string), 'QueueUrl'), NextToken: string }),
  },
  PurgeQueue: { input: structure({ QueueUrl: string }, ['QueueUrl']) },
  ReceiveMessage: {
    input: structure(
      {
        QueueUrl: string,
        AttributeNames: flat(list(string), 'AttributeName'),
        // The model gives this list the same query name as AttributeNames.
        MessageSystemAttributeNames: flat(list(string), 'AttributeName'),
        MessageAttributeNames: flat(list(string), 'MessageAttributeName'),
        MaxNumberOfMessages: integer,
        VisibilityTimeout: integer,
        WaitTimeSeconds: integer,
        ReceiveRequestAttemptId: string,
      },
      ['QueueUrl'],
    ),
    output: structure({ Messages: flat(list(message), 'Message') }),
  },
  RemovePermission: { input: structure({ QueueUrl: string, Label: string }, ['QueueUrl', 'Label']) },
  SendMessage: {
    input: structure(
      {
        QueueUrl: string,
        MessageBody: string,
        DelaySeconds: integer,
        MessageAttributes: flat(messageAttributes, 'MessageAttribute'),
        MessageSystemAttributes: flat(messageAttributes, 'MessageSystemAttribute'),
        MessageDeduplicationId: string,
        MessageGroupId: string,
      },
      ['QueueUrl', 'MessageBody'],
    ),
    output: structure({
      MD5OfMessageBody: string,
      MD5OfMessageAttributes: string,
      MD5OfMessageSystemAttributes: string,
      MessageId: string,
      SequenceNumber: string,
    }),
  },
  SendMessageBatch: {
    input: structure({ QueueUrl: string, Entries: flat(list(sendEntry), 'SendMessageBatchRequestEntry') }, [
      'QueueUrl',
      'Entries',
    ]),
    output: batchResult(
      structure({
        Id: string,
        MessageId: string,
        MD5OfMessageBody: string,
        MD5OfMessageAttributes: string,
        MD5OfMessageSystemAttributes: string,
        SequenceNumber: string,
      }),
      'SendMessageBatchResultEntry',
    ),
  },
  SetQueueAttributes: {
    input: structure({ QueueUrl: string, Attributes: flat(queueAttributes, 'Attribute') }, [
      'QueueUrl',
      'Attributes',
    ]),
  },
  StartMessageMoveTask: {
    input: structure({ SourceArn: string, DestinationArn: string, MaxNumberOfMessagesPerSecond: integer }, [
      'SourceArn',
    ]),
    output: structure({ TaskHandle: string }),
  },
  TagQueue: { input: structure({ QueueUrl: string, Tags: flat(tags, 'Tag') }, ['QueueUrl', 'Tags']) },
  UntagQueue: {
    input: structure({ QueueUrl: string, TagKeys: flat(list(string), 'TagKey') }, ['QueueUrl', 'TagKeys']),
  },
} satisfies Record<string, OperationShapes>;

export type SqsOperationName = keyof typeof SQS_SHAPES;
