import { ServiceError } from '../../src/protocols/errors.js';
import { type RestOperation, type RestService, RestServiceError } from '../../src/protocols/rest-dispatch.js';
import {
  boolean,
  integer,
  list,
  long,
  type Member,
  map,
  type ScalarShape,
  type StructureShape,
  string,
  structure,
  timestamp,
  type ValidationErrors,
} from '../../src/protocols/shapes.js';

/**
 * A few S3 operations declared by hand with the binding facts of botocore 1.43's
 * s3/2006-03-01/service-2.json (locations, names, payloads, flattening, namespaces, timestamp
 * formats), so the REST codecs can be driven by @aws-sdk/client-s3 before the generated models
 * exist. Only the members the tests exercise are declared.
 */

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const header = (shape: ScalarShape, locationName: string): Member => ({
  shape,
  location: 'header',
  locationName,
});
const query = (shape: ScalarShape, locationName: string): Member => ({
  shape,
  location: 'querystring',
  locationName,
});
const label = (locationName: string): Member => ({ shape: string, location: 'uri', locationName });
const body: ScalarShape = { type: 'blob', streaming: true, name: 'Body' };
const metadata: Member = { shape: map(string), location: 'headers', locationName: 'x-amz-meta-' };
const checksumCrc32 = header(string, 'x-amz-checksum-crc32');

function withPayload(shape: StructureShape, payload: string): StructureShape {
  return { ...shape, payload };
}

function named(shape: StructureShape, name: string): StructureShape {
  return { ...shape, name };
}

const putObject: Omit<RestOperation, 'handle'> = {
  http: { method: 'PUT', requestUri: '/{Bucket}/{Key+}' },
  input: withPayload(
    structure(
      {
        Bucket: label('Bucket'),
        Key: label('Key'),
        Body: { shape: body },
        ContentType: header(string, 'Content-Type'),
        ContentLength: header(long, 'Content-Length'),
        ChecksumCRC32: checksumCrc32,
        ObjectLockRetainUntilDate: {
          ...header(timestamp, 'x-amz-object-lock-retain-until-date'),
          timestampFormat: 'iso8601',
        },
        BucketKeyEnabled: header(boolean, 'x-amz-server-side-encryption-bucket-key-enabled'),
        Metadata: metadata,
      },
      ['Bucket', 'Key'],
    ),
    'Body',
  ),
  output: structure({
    ETag: header(string, 'ETag'),
    ChecksumCRC32: checksumCrc32,
    VersionId: header(string, 'x-amz-version-id'),
    Size: header(long, 'x-amz-object-size'),
  }),
};

const getObjectOutput = withPayload(
  structure({
    Body: { shape: body },
    ContentLength: header(long, 'Content-Length'),
    ContentType: header(string, 'Content-Type'),
    ETag: header(string, 'ETag'),
    LastModified: header(timestamp, 'Last-Modified'),
    Expires: header(timestamp, 'Expires'),
    Metadata: metadata,
    PartsCount: header(integer, 'x-amz-mp-parts-count'),
    DeleteMarker: header(boolean, 'x-amz-delete-marker'),
  }),
  'Body',
);

const getObject: Omit<RestOperation, 'handle'> = {
  http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' },
  input: structure(
    {
      Bucket: label('Bucket'),
      Key: label('Key'),
      VersionId: query(string, 'versionId'),
      PartNumber: query(integer, 'partNumber'),
      ResponseExpires: { ...query(timestamp, 'response-expires'), timestampFormat: 'rfc822' },
      IfModifiedSince: header(timestamp, 'If-Modified-Since'),
      Range: header(string, 'Range'),
    },
    ['Bucket', 'Key'],
  ),
  output: getObjectOutput,
};

const headObject: Omit<RestOperation, 'handle'> = {
  http: { method: 'HEAD', requestUri: '/{Bucket}/{Key+}' },
  input: structure({ Bucket: label('Bucket'), Key: label('Key') }, ['Bucket', 'Key']),
  output: structure({
    ContentLength: header(long, 'Content-Length'),
    ETag: header(string, 'ETag'),
    Metadata: metadata,
  }),
};

const owner = structure({ DisplayName: string, ID: string });
const object = structure({
  Key: string,
  LastModified: timestamp,
  ETag: string,
  ChecksumAlgorithm: { shape: list(string), flattened: true },
  Size: long,
  StorageClass: string,
  Owner: { shape: owner },
});

const listObjectsV2: Omit<RestOperation, 'handle'> = {
  http: { method: 'GET', requestUri: '/{Bucket}?list-type=2' },
  input: structure(
    {
      Bucket: label('Bucket'),
      Delimiter: query(string, 'delimiter'),
      MaxKeys: query(integer, 'max-keys'),
      Prefix: query(string, 'prefix'),
      FetchOwner: query(boolean, 'fetch-owner'),
      ContinuationToken: query(string, 'continuation-token'),
      OptionalObjectAttributes: {
        shape: list(string),
        location: 'header',
        locationName: 'x-amz-optional-object-attributes',
      },
    },
    ['Bucket'],
  ),
  output: {
    ...structure({
      IsTruncated: boolean,
      Contents: { shape: list(object), flattened: true },
      Name: string,
      Prefix: string,
      Delimiter: string,
      MaxKeys: integer,
      CommonPrefixes: { shape: list(structure({ Prefix: string })), flattened: true },
      KeyCount: integer,
      NextContinuationToken: string,
      RequestCharged: header(string, 'x-amz-request-charged'),
    }),
    name: 'ListObjectsV2Output',
    xmlName: 'ListBucketResult',
  },
};

const objectIdentifier = structure(
  {
    Key: string,
    VersionId: string,
    LastModifiedTime: { shape: timestamp, timestampFormat: 'rfc822' },
    Size: long,
  },
  ['Key'],
);
const deletePayload = named(
  structure(
    { Objects: { shape: list(objectIdentifier), flattened: true, xmlName: 'Object' }, Quiet: boolean },
    ['Objects'],
  ),
  'Delete',
);

const deleteObjects: Omit<RestOperation, 'handle'> = {
  http: { method: 'POST', requestUri: '/{Bucket}?delete' },
  input: withPayload(
    structure(
      {
        Bucket: label('Bucket'),
        Delete: { shape: deletePayload, xmlName: 'Delete', xmlNamespace: { uri: S3_NAMESPACE } },
        ChecksumAlgorithm: header(string, 'x-amz-sdk-checksum-algorithm'),
        BypassGovernanceRetention: header(boolean, 'x-amz-bypass-governance-retention'),
      },
      ['Bucket', 'Delete'],
    ),
    'Delete',
  ),
  output: {
    ...structure({
      Deleted: {
        shape: list(structure({ Key: string, VersionId: string, DeleteMarker: boolean })),
        flattened: true,
      },
      Errors: {
        shape: list(structure({ Key: string, Code: string, Message: string })),
        flattened: true,
        xmlName: 'Error',
      },
      RequestCharged: header(string, 'x-amz-request-charged'),
    }),
    xmlName: 'DeleteResult',
  },
};

const createMultipartUpload: Omit<RestOperation, 'handle'> = {
  http: { method: 'POST', requestUri: '/{Bucket}/{Key+}?uploads' },
  input: structure(
    {
      Bucket: label('Bucket'),
      Key: label('Key'),
      ContentType: header(string, 'Content-Type'),
      Metadata: metadata,
    },
    ['Bucket', 'Key'],
  ),
  output: {
    ...structure({
      AbortDate: header(timestamp, 'x-amz-abort-date'),
      Bucket: string,
      Key: string,
      UploadId: string,
    }),
    xmlName: 'InitiateMultipartUploadResult',
  },
};

const putBucketPolicy: Omit<RestOperation, 'handle'> = {
  http: { method: 'PUT', requestUri: '/{Bucket}?policy' },
  input: withPayload(
    structure(
      {
        Bucket: label('Bucket'),
        ContentMD5: header(string, 'Content-MD5'),
        ChecksumAlgorithm: header(string, 'x-amz-sdk-checksum-algorithm'),
        ConfirmRemoveSelfBucketAccess: header(boolean, 'x-amz-confirm-remove-self-bucket-access'),
        Policy: { shape: string },
      },
      ['Bucket', 'Policy'],
    ),
    'Policy',
  ),
};

const getBucketPolicy: Omit<RestOperation, 'handle'> = {
  http: { method: 'GET', requestUri: '/{Bucket}?policy' },
  input: structure({ Bucket: label('Bucket') }, ['Bucket']),
  output: withPayload(structure({ Policy: { shape: string } }), 'Policy'),
};

export const s3Shapes = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  ListObjectsV2: listObjectsV2,
  DeleteObjects: deleteObjects,
  CreateMultipartUpload: createMultipartUpload,
};

// S3's texts for these, from AWS's recorded answers and S3's error-code list.
export const s3Validation: ValidationErrors = {
  missing: () => malformedXml(),
  invalidType: (path, value) =>
    new ServiceError('InvalidArgument', `Invalid value for ${path}: ${String(value)}`),
  malformed: () => malformedXml(),
};

function malformedXml(): ServiceError {
  return new ServiceError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

export function s3Service(handlers: { [K in keyof typeof s3Shapes]?: RestOperation['handle'] }): RestService {
  const operations: Record<string, RestOperation> = {};
  for (const [name, shape] of Object.entries(s3Shapes)) {
    const handle = handlers[name as keyof typeof s3Shapes];
    operations[name] = {
      ...shape,
      handle:
        handle ??
        (() => {
          throw new ServiceError(
            'NotImplemented',
            'A header you provided implies functionality that is not implemented',
            { status: 501 },
          );
        }),
    };
  }
  return {
    name: 's3',
    protocol: 'rest-xml',
    operations,
    validation: s3Validation,
    xmlNamespace: S3_NAMESPACE,
    s3: true,
    invalidUri: () => new ServiceError('InvalidURI', "Couldn't parse the specified URI."),
    unknownOperation: (method, _path, pathKnown) =>
      pathKnown
        ? new RestServiceError(
            'MethodNotAllowed',
            'The specified method is not allowed against this resource.',
            { Method: method, ResourceType: 'OBJECT' },
            { status: 405 },
          )
        : new ServiceError(
            'NotImplemented',
            'A header you provided implies functionality that is not implemented',
            { status: 501 },
          ),
  };
}
