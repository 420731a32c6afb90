import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  assertRecordedError,
  conformanceBucket,
  elementText,
  type RecordedError,
  type S3Call,
  s3Raw,
} from './conformance-client.js';
import { withS3Server } from './objects-client.js';

/**
 * S3's error answers, element by element, against AWS's recorded ones (LocalStack's validated
 * snapshots test_s3, test_s3_api, test_s3_list_operations): code, status, message and the extra
 * fields, no more and no less.
 */

const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
const NOT_IMPLEMENTED = 'A header you provided implies functionality that is not implemented';
const md5Base64 = (data: string) => createHash('md5').update(data).digest('base64');

describe('S3 conformance: errors as AWS recorded them', () => {
  const suite = withS3Server();
  const bucket = conformanceBucket();
  const missing = `${bucket}-missing`;
  let uploadId = '';
  let partEtag = '';

  const call = (c: S3Call) => s3Raw(suite.server.endpoint, c);

  before(async () => {
    await call({ method: 'PUT', path: `/${bucket}` });
    await call({ method: 'PUT', path: `/${bucket}/k`, body: 'abcdefghij' });
    await call({
      method: 'PUT',
      path: `/${bucket}/archived`,
      body: 'x',
      headers: { 'x-amz-storage-class': 'DEEP_ARCHIVE' },
    });
    const created = await call({ method: 'POST', path: `/${bucket}/mpu?uploads` });
    uploadId = elementText(created.body, 'UploadId') ?? '';
    const part = await call({
      method: 'PUT',
      path: `/${bucket}/mpu?uploadId=${uploadId}&partNumber=1`,
      body: 'data',
    });
    partEtag = String(part.headers.etag);
  });

  const cases: Array<[string, () => S3Call, () => RecordedError]> = [
    [
      'GetObject on a missing bucket (test_get_object_no_such_bucket)',
      () => ({ method: 'GET', path: `/${missing}/k` }),
      () => ({
        status: 404,
        Code: 'NoSuchBucket',
        Message: 'The specified bucket does not exist',
        fields: { BucketName: missing },
      }),
    ],
    [
      'GetObject on a missing key (test_range_key_not_exists)',
      () => ({ method: 'GET', path: `/${bucket}/nope` }),
      () => ({
        status: 404,
        Code: 'NoSuchKey',
        Message: 'The specified key does not exist.',
        fields: { Key: 'nope' },
      }),
    ],
    [
      'a range past the end (test_invalid_range_error)',
      () => ({ method: 'GET', path: `/${bucket}/k`, headers: { range: 'bytes=1024-4096' } }),
      () => ({
        status: 416,
        Code: 'InvalidRange',
        Message: 'The requested range is not satisfiable',
        fields: { RangeRequested: 'bytes=1024-4096', ActualObjectSize: '10' },
      }),
    ],
    [
      'a part number past the parts (test_get_object_part)',
      () => ({ method: 'GET', path: `/${bucket}/k?partNumber=2` }),
      () => ({
        status: 416,
        Code: 'InvalidPartNumber',
        Message: 'The requested partnumber is not satisfiable',
        fields: { PartNumberRequested: '2', ActualPartCount: '1' },
      }),
    ],
    [
      'Range with partNumber (test_get_object_part)',
      () => ({ method: 'GET', path: `/${bucket}/k?partNumber=1`, headers: { range: 'bytes=0-1' } }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message: 'Cannot specify both Range header and partNumber query parameter',
      }),
    ],
    [
      'a malformed Content-MD5 (test_s3_invalid_content_md5)',
      () => ({ method: 'PUT', path: `/${bucket}/md5`, body: 'test', headers: { 'content-md5': 'MTIz' } }),
      () => ({
        status: 400,
        Code: 'InvalidDigest',
        Message: 'The Content-MD5 you specified was invalid.',
        fields: { 'Content-MD5': 'MTIz' },
      }),
    ],
    [
      'a Content-MD5 that is not the body’s, on PutObject: expected digest in hex',
      () => ({
        method: 'PUT',
        path: `/${bucket}/md5`,
        body: 'test',
        headers: { 'content-md5': md5Base64('test1') },
      }),
      () => ({
        status: 400,
        Code: 'BadDigest',
        Message: 'The Content-MD5 you specified did not match what we received.',
        fields: {
          ExpectedDigest: Buffer.from(md5Base64('test1'), 'base64').toString('hex'),
          CalculatedDigest: md5Base64('test'),
        },
      }),
    ],
    [
      'a Content-MD5 that is not the body’s, on UploadPart: expected digest as sent',
      () => ({
        method: 'PUT',
        path: `/${bucket}/mpu?uploadId=${uploadId}&partNumber=2`,
        body: 'test',
        headers: { 'content-md5': md5Base64('test1') },
      }),
      () => ({
        status: 400,
        Code: 'BadDigest',
        Message: 'The Content-MD5 you specified did not match what we received.',
        fields: { ExpectedDigest: md5Base64('test1'), CalculatedDigest: md5Base64('test') },
      }),
    ],
    [
      'a malformed x-amz-checksum-sha256 (test_put_object_checksum)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/sum`,
        body: 'test',
        headers: { 'x-amz-checksum-sha256': 'abc' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message: 'Value for x-amz-checksum-sha256 header is invalid.',
      }),
    ],
    [
      'a CRC32C that is not the body’s (test_put_object_checksum)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/sum`,
        body: 'test',
        headers: { 'x-amz-checksum-crc32c': 'AAAAAA==' },
      }),
      () => ({
        status: 400,
        Code: 'BadDigest',
        Message: 'The CRC32C you specified did not match the calculated checksum.',
      }),
    ],
    [
      'two checksum headers (test_s3_checksum_no_algorithm)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/sum`,
        body: 'test',
        headers: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-crc32c': 'AAAAAA==' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      }),
    ],
    [
      'an upper-case bucket name (test_s3_uppercase_bucket_name)',
      () => ({ method: 'PUT', path: '/TESTUPPERCASE' }),
      () => ({
        status: 400,
        Code: 'InvalidBucketName',
        Message: 'The specified bucket is not valid.',
        fields: { BucketName: 'TESTUPPERCASE' },
      }),
    ],
    [
      'us-east-1 named as location constraint (test_different_location_constraint)',
      () => ({
        method: 'PUT',
        path: `/${bucket}-east`,
        body: '<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>',
      }),
      () => ({
        status: 400,
        Code: 'InvalidLocationConstraint',
        Message: 'The specified location-constraint is not valid',
        fields: { LocationConstraint: 'us-east-1' },
      }),
    ],
    [
      'deleting a bucket with objects (test_delete_bucket_with_objects)',
      () => ({ method: 'DELETE', path: `/${bucket}` }),
      () => ({
        status: 409,
        Code: 'BucketNotEmpty',
        Message: 'The bucket you tried to delete is not empty',
        fields: { BucketName: bucket },
      }),
    ],
    [
      'If-Match on GetObject (test_precondition_failed_error)',
      () => ({ method: 'GET', path: `/${bucket}/k`, headers: { 'if-match': '"nope"' } }),
      () => ({
        status: 412,
        Code: 'PreconditionFailed',
        Message: PRECONDITION,
        fields: { Condition: 'If-Match' },
      }),
    ],
    [
      'If-Match and If-None-Match together on PutObject (test_put_object_if_match_and_if_none_match_validation)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/k`,
        body: 'x',
        headers: { 'if-match': '"a"', 'if-none-match': '*' },
      }),
      () => ({
        status: 501,
        Code: 'NotImplemented',
        Message: NOT_IMPLEMENTED,
        fields: {
          Header: 'If-Match,If-None-Match',
          additionalMessage: 'Multiple conditional request headers present in the request',
        },
      }),
    ],
    [
      'If-Match: * on PutObject (test_put_object_if_match_validation)',
      () => ({ method: 'PUT', path: `/${bucket}/k`, body: 'x', headers: { 'if-match': '*' } }),
      () => ({
        status: 501,
        Code: 'NotImplemented',
        Message: NOT_IMPLEMENTED,
        fields: {
          Header: 'If-Match',
          additionalMessage: "We don't accept the provided value of If-Match header for this API",
        },
      }),
    ],
    [
      'If-Match on PutObject of a missing key (test_put_object_if_match)',
      () => ({ method: 'PUT', path: `/${bucket}/absent`, body: 'x', headers: { 'if-match': '"a"' } }),
      () => ({
        status: 404,
        Code: 'NoSuchKey',
        Message: 'The specified key does not exist.',
        fields: { Key: 'absent' },
      }),
    ],
    [
      'x-amz-if-match-size on DeleteObject (test_delete_object_if_match_size_non_express)',
      () => ({ method: 'DELETE', path: `/${bucket}/k`, headers: { 'x-amz-if-match-size': '10' } }),
      () => ({
        status: 501,
        Code: 'NotImplemented',
        Message: NOT_IMPLEMENTED,
        fields: { Header: 'x-amz-if-match-size' },
      }),
    ],
    [
      'x-amz-bypass-governance-retention on DeleteObject (test_delete_object_with_no_locking)',
      () => ({
        method: 'DELETE',
        path: `/${bucket}/k`,
        headers: { 'x-amz-bypass-governance-retention': 'false' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.',
        fields: { ArgumentName: 'x-amz-bypass-governance-retention' },
      }),
    ],
    [
      'x-amz-bypass-governance-retention on DeleteObjects (test_delete_object_with_no_locking)',
      () => ({
        method: 'POST',
        path: `/${bucket}?delete`,
        headers: { 'x-amz-bypass-governance-retention': 'true' },
        body: '<Delete><Object><Key>k</Key></Object></Delete>',
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.',
        fields: { ArgumentName: 'x-amz-bypass-governance-retention' },
      }),
    ],
    [
      'a version id that cannot exist (test_delete_object)',
      () => ({ method: 'DELETE', path: `/${bucket}/k?versionId=HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD` }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Invalid version id specified',
        fields: { ArgumentName: 'versionId', ArgumentValue: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' },
      }),
    ],
    [
      'a copy onto itself that changes nothing (test_s3_copy_object_in_place)',
      () => ({ method: 'PUT', path: `/${bucket}/k`, headers: { 'x-amz-copy-source': `${bucket}/k` } }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message:
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      }),
    ],
    [
      'a copy source without a key (test_s3_copy_object_wrong_format)',
      () => ({ method: 'PUT', path: `/${bucket}/copy`, headers: { 'x-amz-copy-source': bucket } }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Invalid copy source object key',
        fields: { ArgumentName: 'x-amz-copy-source', ArgumentValue: 'x-amz-copy-source' },
      }),
    ],
    [
      'a copy-source If-Match that fails (test_s3_copy_object_preconditions)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/copy`,
        headers: { 'x-amz-copy-source': `${bucket}/k`, 'x-amz-copy-source-if-match': '"nope"' },
      }),
      () => ({
        status: 412,
        Code: 'PreconditionFailed',
        Message: PRECONDITION,
        fields: { Condition: 'x-amz-copy-source-If-Match' },
      }),
    ],
    [
      'a copy range in the wrong form (test_upload_part_copy_range)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/mpu?uploadId=${uploadId}&partNumber=3`,
        headers: { 'x-amz-copy-source': `${bucket}/k`, 'x-amz-copy-source-range': 'bytes=5-2' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message:
          'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        fields: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: 'bytes=5-2' },
      }),
    ],
    [
      'a copy range past the source (test_upload_part_copy_range)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/mpu?uploadId=${uploadId}&partNumber=3`,
        headers: { 'x-amz-copy-source': `${bucket}/k`, 'x-amz-copy-source-range': 'bytes=0-100' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Range specified is not valid for source object of size: 10',
        fields: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: 'bytes=0-100' },
      }),
    ],
    [
      'a copy range starting past the source (test_upload_part_copy_range)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/mpu?uploadId=${uploadId}&partNumber=3`,
        headers: { 'x-amz-copy-source': `${bucket}/k`, 'x-amz-copy-source-range': 'bytes=10-12' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message: 'The specified copy range is invalid for the source object size',
      }),
    ],
    [
      'CompleteMultipartUpload without parts (test_multipart_complete_multipart_too_small)',
      () => ({
        method: 'POST',
        path: `/${bucket}/mpu?uploadId=${uploadId}`,
        body: '<CompleteMultipartUpload></CompleteMultipartUpload>',
      }),
      () => ({ status: 400, Code: 'InvalidRequest', Message: 'You must specify at least one part' }),
    ],
    [
      'CompleteMultipartUpload naming a part never uploaded (test_multipart_complete_multipart_wrong_part)',
      () => ({
        method: 'POST',
        path: `/${bucket}/mpu?uploadId=${uploadId}`,
        body: `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${partEtag}</ETag></Part></CompleteMultipartUpload>`,
      }),
      () => ({
        status: 400,
        Code: 'InvalidPart',
        Message:
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        fields: { UploadId: uploadId, PartNumber: '2', ETag: partEtag.replace(/"/g, '') },
      }),
    ],
    [
      'CompleteMultipartUpload with parts out of order (test_complete_multipart_parts_order)',
      () => ({
        method: 'POST',
        path: `/${bucket}/mpu?uploadId=${uploadId}`,
        body: `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${partEtag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${partEtag}</ETag></Part></CompleteMultipartUpload>`,
      }),
      () => ({
        status: 400,
        Code: 'InvalidPartOrder',
        Message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
        fields: { UploadId: uploadId },
      }),
    ],
    [
      'ListParts of an unknown upload (test_multipart_and_list_parts)',
      () => ({ method: 'GET', path: `/${bucket}/mpu?uploadId=nope` }),
      () => ({
        status: 404,
        Code: 'NoSuchUpload',
        Message:
          'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        fields: { UploadId: 'nope' },
      }),
    ],
    [
      'an unknown encoding-type (test_list_ops_encoding_type_validation)',
      () => ({ method: 'GET', path: `/${bucket}?list-type=2&encoding-type=value` }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Invalid Encoding Method specified in Request',
        fields: { ArgumentName: 'encoding-type', ArgumentValue: 'value' },
      }),
    ],
    [
      'a continuation token S3 never gave (test_list_objects_v2_continuation_start_after)',
      () => ({ method: 'GET', path: `/${bucket}?list-type=2&continuation-token=random` }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'The continuation token provided is incorrect',
        fields: { ArgumentName: 'continuation-token' },
      }),
    ],
    [
      'an upload-id marker that is not the key marker’s (test_list_multiparts_next_marker)',
      () => ({ method: 'GET', path: `/${bucket}?uploads&key-marker=mpu&upload-id-marker=nope` }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Invalid uploadId marker',
        fields: { ArgumentName: 'upload-id-marker', ArgumentValue: 'nope' },
      }),
    ],
    [
      'an unknown bucket-region (test_list_buckets_region_validation)',
      () => ({ method: 'GET', path: '/?bucket-region=eu-east-1' }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Argument value eu-east-1 is not a valid AWS Region',
        fields: { ArgumentName: 'bucket-region' },
      }),
    ],
    [
      'GetBucketTagging without tags (test_bucket_tagging_crud)',
      () => ({ method: 'GET', path: `/${bucket}?tagging` }),
      () => ({
        status: 404,
        Code: 'NoSuchTagSet',
        Message: 'The TagSet does not exist',
        fields: { BucketName: bucket },
      }),
    ],
    [
      'duplicate tag keys (test_tagging_validation)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/k?tagging`,
        body: '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>',
      }),
      () => ({
        status: 400,
        Code: 'InvalidTag',
        Message: 'Cannot provide multiple Tags with the same key',
        fields: { TagKey: 'a' },
      }),
    ],
    [
      'GetBucketPolicy without a policy (test_get_bucket_policy)',
      () => ({ method: 'GET', path: `/${bucket}?policy` }),
      () => ({
        status: 404,
        Code: 'NoSuchBucketPolicy',
        Message: 'The bucket policy does not exist',
        fields: { BucketName: bucket },
      }),
    ],
    [
      'a policy that is not JSON (test_bucket_policy_exc)',
      () => ({ method: 'PUT', path: `/${bucket}?policy`, body: 'invalid json' }),
      () => ({
        status: 400,
        Code: 'MalformedPolicy',
        Message: "Policies must be valid JSON and the first byte must be '{'",
      }),
    ],
    [
      'an expected bucket owner that is no account id (test_get_bucket_policy_invalid_account_id)',
      () => ({
        method: 'GET',
        path: `/${bucket}?policy`,
        headers: { 'x-amz-expected-bucket-owner': 'abcd' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidBucketOwnerAWSAccountID',
        Message: 'The value of the expected bucket owner parameter must be an AWS Account ID... [abcd]',
      }),
    ],
    [
      'a storage class S3 does not offer here (test_put_object_storage_class_outposts)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/outposts`,
        body: 'x',
        headers: { 'x-amz-storage-class': 'OUTPOSTS' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidStorageClass',
        Message: 'The storage class you specified is not valid',
        fields: { StorageClassRequested: 'OUTPOSTS' },
      }),
    ],
    [
      'a preflight on an object of a bucket without CORS (test_cors_http_options_no_config)',
      () => ({
        method: 'OPTIONS',
        path: `/${bucket}/k`,
        headers: { origin: 'whatever', 'access-control-request-method': 'PUT' },
      }),
      () => ({
        status: 403,
        Code: 'AccessForbidden',
        Message: 'CORSResponse: CORS is not enabled for this bucket.',
        fields: { Method: 'PUT', ResourceType: 'BUCKET' },
      }),
    ],
    [
      'a preflight without a method on a bucket without CORS (test_cors_http_options_no_config)',
      () => ({ method: 'OPTIONS', path: `/${bucket}/k`, headers: { origin: 'whatever' } }),
      () => ({
        status: 403,
        Code: 'AccessForbidden',
        Message: 'CORSResponse: CORS is not enabled for this bucket.',
        fields: { Method: 'OPTIONS', ResourceType: 'BUCKET' },
      }),
    ],
    [
      'a preflight without an Origin (test_cors_http_options_no_config)',
      () => ({ method: 'OPTIONS', path: `/${bucket}/k` }),
      () => ({
        status: 400,
        Code: 'BadRequest',
        Message: 'Insufficient information. Origin request header needed.',
      }),
    ],
    [
      'PutBucketCors with a method HTTP lacks (test_put_cors_invalid_rules)',
      () => ({
        method: 'PUT',
        path: `/${bucket}?cors`,
        body: '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>MYMETHOD</AllowedMethod></CORSRule></CORSConfiguration>',
      }),
      () => ({
        status: 400,
        Code: 'InvalidRequest',
        Message: 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD',
      }),
    ],
    [
      'GetBucketCors without a configuration (test_get_cors)',
      () => ({ method: 'GET', path: `/${bucket}?cors` }),
      () => ({
        status: 404,
        Code: 'NoSuchCORSConfiguration',
        Message: 'The CORS configuration does not exist',
        fields: { BucketName: bucket },
      }),
    ],
    [
      'GetObjectTagging of a missing key names it with its bucket (test_object_tagging_exc)',
      () => ({ method: 'GET', path: `/${bucket}/fake-key?tagging` }),
      () => ({
        status: 404,
        Code: 'NoSuchKey',
        Message: 'The specified key does not exist.',
        fields: { Key: `${bucket}/fake-key` },
      }),
    ],
    [
      'DeleteObjectTagging of a missing key names the key alone (test_object_tagging_exc)',
      () => ({ method: 'DELETE', path: `/${bucket}/fake-key?tagging` }),
      () => ({
        status: 404,
        Code: 'NoSuchKey',
        Message: 'The specified key does not exist.',
        fields: { Key: 'fake-key' },
      }),
    ],
    [
      'an x-amz-tagging header that is no query string (test_object_tagging_exc)',
      () => ({
        method: 'PUT',
        path: `/${bucket}/tagged`,
        body: 'x',
        headers: { 'x-amz-tagging': 'key1=val1,key2=val2' },
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message:
          "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        fields: { ArgumentName: 'x-amz-tagging', ArgumentValue: 'key1=val1,key2=val2' },
      }),
    ],
    [
      'a response-* override outside Latin-1 (test_get_response_overrides_unicode_metadata_with_sig_s3)',
      () => ({
        method: 'GET',
        path: `/${bucket}/k?response-cache-control=${encodeURIComponent('non-ascii-\u2014_\u00e9_')}`,
      }),
      () => ({
        status: 400,
        Code: 'InvalidArgument',
        Message: 'Header value cannot be represented using ISO-8859-1.',
        fields: { ArgumentName: 'response-cache-control', ArgumentValue: 'non-ascii-\u2014_\u00e9_' },
      }),
    ],
    [
      'GetObject of a DEEP_ARCHIVE object (test_s3_get_deep_archive_object_restore)',
      () => ({ method: 'GET', path: `/${bucket}/archived` }),
      () => ({
        status: 403,
        Code: 'InvalidObjectState',
        Message: "The operation is not valid for the object's storage class",
        fields: { StorageClass: 'DEEP_ARCHIVE' },
      }),
    ],
  ];

  for (const [name, request, expected] of cases) {
    it(name, async () => {
      assertRecordedError(await call(request()), expected());
    });
  }
});
