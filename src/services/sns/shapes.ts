import {
  blob,
  boolean,
  integer,
  list,
  map,
  type OperationShapes,
  type StructureShape,
  string,
  structure,
  timestamp,
} from '../../protocols/shapes.js';

// Shapes of the Amazon SNS API (2010-03-31), after the Smithy model the
// official SDKs are generated from. SNS speaks awsQuery only and flattens
// nothing: lists travel as `Name.member.N`, maps as `Name.entry.N.key/value`,
// except MessageAttributeMap, whose key and value carry the xmlNames `Name`
// and `Value`. Members are listed in the model's order, which is also the
// order of the elements in the XML responses.

const stringList = list(string);
// TopicAttributesMap, SubscriptionAttributesMap, MapStringToString: string to string.
const attributes = map(string);

const messageAttributeValue = structure({ DataType: string, StringValue: string, BinaryValue: blob }, [
  'DataType',
]);
const messageAttributes = map(messageAttributeValue, 'Name', 'Value');

const tag = structure({ Key: string, Value: string }, ['Key', 'Value']);
const tagList = list(tag);

const subscription = structure({
  SubscriptionArn: string,
  Owner: string,
  Protocol: string,
  Endpoint: string,
  TopicArn: string,
});

const endpoint = structure({ EndpointArn: string, Attributes: attributes });
const platformApplication = structure({ PlatformApplicationArn: string, Attributes: attributes });

const phoneNumberInformation = structure({
  CreatedAt: timestamp,
  PhoneNumber: string,
  Status: string,
  Iso2CountryCode: string,
  RouteType: string,
  NumberCapabilities: stringList,
});

const smsSandboxPhoneNumber = structure({ PhoneNumber: string, Status: string });

const publishBatchRequestEntry = structure(
  {
    Id: string,
    Message: string,
    Subject: string,
    MessageStructure: string,
    MessageAttributes: messageAttributes,
    MessageDeduplicationId: string,
    MessageGroupId: string,
  },
  ['Id', 'Message'],
);

const publishBatchResultEntry = structure({ Id: string, MessageId: string, SequenceNumber: string });

const batchResultErrorEntry = structure({ Id: string, Code: string, Message: string, SenderFault: boolean }, [
  'Id',
  'Code',
  'SenderFault',
]);

/** Operations whose model output is an empty structure answer `<NameResult/>`; Unit outputs answer nothing. */
const empty = (): StructureShape => structure({});

export const SNS_SHAPES = {
  AddPermission: {
    input: structure(
      {
        TopicArn: string,
        Label: string,
        AWSAccountId: stringList,
        ActionName: stringList,
      },
      ['TopicArn', 'Label', 'AWSAccountId', 'ActionName'],
    ),
  },
  CheckIfPhoneNumberIsOptedOut: {
    input: structure({ phoneNumber: string }, ['phoneNumber']),
    output: structure({ isOptedOut: boolean }),
  },
  ConfirmSubscription: {
    input: structure({ TopicArn: string, Token: string, AuthenticateOnUnsubscribe: string }, [
      'TopicArn',
      'Token',
    ]),
    output: structure({ SubscriptionArn: string }),
  },
  CreatePlatformApplication: {
    input: structure({ Name: string, Platform: string, Attributes: attributes }, [
      'Name',
      'Platform',
      'Attributes',
    ]),
    output: structure({ PlatformApplicationArn: string }),
  },
  CreatePlatformEndpoint: {
    input: structure(
      { PlatformApplicationArn: string, Token: string, CustomUserData: string, Attributes: attributes },
      ['PlatformApplicationArn', 'Token'],
    ),
    output: structure({ EndpointArn: string }),
  },
  CreateSMSSandboxPhoneNumber: {
    input: structure({ PhoneNumber: string, LanguageCode: string }, ['PhoneNumber']),
    output: empty(),
  },
  CreateTopic: {
    input: structure({ Name: string, Attributes: attributes, Tags: tagList, DataProtectionPolicy: string }, [
      'Name',
    ]),
    output: structure({ TopicArn: string }),
  },
  DeleteEndpoint: { input: structure({ EndpointArn: string }, ['EndpointArn']) },
  DeletePlatformApplication: {
    input: structure({ PlatformApplicationArn: string }, ['PlatformApplicationArn']),
  },
  DeleteSMSSandboxPhoneNumber: {
    input: structure({ PhoneNumber: string }, ['PhoneNumber']),
    output: empty(),
  },
  DeleteTopic: { input: structure({ TopicArn: string }, ['TopicArn']) },
  GetDataProtectionPolicy: {
    input: structure({ ResourceArn: string }, ['ResourceArn']),
    output: structure({ DataProtectionPolicy: string }),
  },
  GetEndpointAttributes: {
    input: structure({ EndpointArn: string }, ['EndpointArn']),
    output: structure({ Attributes: attributes }),
  },
  GetPlatformApplicationAttributes: {
    input: structure({ PlatformApplicationArn: string }, ['PlatformApplicationArn']),
    output: structure({ Attributes: attributes }),
  },
  GetSMSAttributes: {
    input: structure({ attributes: stringList }),
    output: structure({ attributes: attributes }),
  },
  GetSMSSandboxAccountStatus: {
    input: structure({}),
    output: structure({ IsInSandbox: boolean }, ['IsInSandbox']),
  },
  GetSubscriptionAttributes: {
    input: structure({ SubscriptionArn: string }, ['SubscriptionArn']),
    output: structure({ Attributes: attributes }),
  },
  GetTopicAttributes: {
    input: structure({ TopicArn: string }, ['TopicArn']),
    output: structure({ Attributes: attributes }),
  },
  ListEndpointsByPlatformApplication: {
    input: structure({ PlatformApplicationArn: string, NextToken: string }, ['PlatformApplicationArn']),
    output: structure({ Endpoints: list(endpoint), NextToken: string }),
  },
  ListOriginationNumbers: {
    input: structure({ NextToken: string, MaxResults: integer }),
    output: structure({ NextToken: string, PhoneNumbers: list(phoneNumberInformation) }),
  },
  ListPhoneNumbersOptedOut: {
    input: structure({ nextToken: string }),
    output: structure({ phoneNumbers: stringList, nextToken: string }),
  },
  ListPlatformApplications: {
    input: structure({ NextToken: string }),
    output: structure({ PlatformApplications: list(platformApplication), NextToken: string }),
  },
  ListSMSSandboxPhoneNumbers: {
    input: structure({ NextToken: string, MaxResults: integer }),
    output: structure({ PhoneNumbers: list(smsSandboxPhoneNumber), NextToken: string }, ['PhoneNumbers']),
  },
  ListSubscriptions: {
    input: structure({ NextToken: string }),
    output: structure({ Subscriptions: list(subscription), NextToken: string }),
  },
  ListSubscriptionsByTopic: {
    input: structure({ TopicArn: string, NextToken: string }, ['TopicArn']),
    output: structure({ Subscriptions: list(subscription), NextToken: string }),
  },
  ListTagsForResource: {
    input: structure({ ResourceArn: string }, ['ResourceArn']),
    output: structure({ Tags: tagList }),
  },
  ListTopics: {
    input: structure({ NextToken: string }),
    output: structure({ Topics: list(structure({ TopicArn: string })), NextToken: string }),
  },
  OptInPhoneNumber: {
    input: structure({ phoneNumber: string }, ['phoneNumber']),
    output: empty(),
  },
  Publish: {
    input: structure(
      {
        TopicArn: string,
        TargetArn: string,
        PhoneNumber: string,
        Message: string,
        Subject: string,
        MessageStructure: string,
        MessageAttributes: messageAttributes,
        MessageDeduplicationId: string,
        MessageGroupId: string,
      },
      ['Message'],
    ),
    output: structure({ MessageId: string, SequenceNumber: string }),
  },
  PublishBatch: {
    input: structure({ TopicArn: string, PublishBatchRequestEntries: list(publishBatchRequestEntry) }, [
      'TopicArn',
      'PublishBatchRequestEntries',
    ]),
    output: structure({
      Successful: list(publishBatchResultEntry),
      Failed: list(batchResultErrorEntry),
    }),
  },
  PutDataProtectionPolicy: {
    input: structure({ ResourceArn: string, DataProtectionPolicy: string }, [
      'ResourceArn',
      'DataProtectionPolicy',
    ]),
  },
  RemovePermission: {
    input: structure({ TopicArn: string, Label: string }, ['TopicArn', 'Label']),
  },
  SetEndpointAttributes: {
    input: structure({ EndpointArn: string, Attributes: attributes }, ['EndpointArn', 'Attributes']),
  },
  SetPlatformApplicationAttributes: {
    input: structure({ PlatformApplicationArn: string, Attributes: attributes }, [
      'PlatformApplicationArn',
      'Attributes',
    ]),
  },
  SetSMSAttributes: {
    input: structure({ attributes: attributes }, ['attributes']),
    output: empty(),
  },
  SetSubscriptionAttributes: {
    input: structure({ SubscriptionArn: string, AttributeName: string, AttributeValue: string }, [
      'SubscriptionArn',
      'AttributeName',
    ]),
  },
  SetTopicAttributes: {
    input: structure({ TopicArn: string, AttributeName: string, AttributeValue: string }, [
      'TopicArn',
      'AttributeName',
    ]),
  },
  Subscribe: {
    input: structure(
      {
        TopicArn: string,
        Protocol: string,
        Endpoint: string,
        Attributes: attributes,
        ReturnSubscriptionArn: boolean,
      },
      ['TopicArn', 'Protocol'],
    ),
    output: structure({ SubscriptionArn: string }),
  },
  TagResource: {
    input: structure({ ResourceArn: string, Tags: tagList }, ['ResourceArn', 'Tags']),
    output: empty(),
  },
  Unsubscribe: { input: structure({ SubscriptionArn: string }, ['SubscriptionArn']) },
  UntagResource: {
    input: structure({ ResourceArn: string, TagKeys: stringList }, ['ResourceArn', 'TagKeys']),
    output: empty(),
  },
  VerifySMSSandboxPhoneNumber: {
    input: structure({ PhoneNumber: string, OneTimePassword: string }, ['PhoneNumber', 'OneTimePassword']),
    output: empty(),
  },
} satisfies Record<string, OperationShapes>;

export type SnsOperationName = keyof typeof SNS_SHAPES;
