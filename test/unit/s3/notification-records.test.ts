import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unscopedS3Grants } from '../../../src/services/s3/destination-check.js';
import {
  encodeEventKey,
  eventBridgeEvent,
  eventRecord,
  principalIdOf,
  testEventMessage,
} from '../../../src/services/s3/event-records.js';
import type { BucketRecord, ObjectEvent } from '../../../src/services/s3/model.js';

const BUCKET: BucketRecord = { name: 'photos', account: '111111111111', region: 'eu-west-1', created: 0 };

function objectEvent(fields: Partial<ObjectEvent>): ObjectEvent {
  return {
    name: 'ObjectCreated:Put',
    bucket: BUCKET,
    key: 'my_key_0',
    size: 9,
    etag: '437b930db84b8079c2dd804a71936b5f',
    sequencer: '0055AED6DCD90281E5',
    time: Date.UTC(2025, 0, 21, 23, 21, 10, 123),
    requester: '222222222222',
    sourceIp: '10.0.0.7',
    requestId: 'REQ1',
    hostId: 'HOST1',
    ...fields,
  };
}

describe('S3 event records', () => {
  it('carries AWS shape and order for an object created', () => {
    const record = eventRecord(objectEvent({}), 'config-1');
    assert.deepEqual(Object.keys(record), [
      'eventVersion',
      'eventSource',
      'awsRegion',
      'eventTime',
      'eventName',
      'userIdentity',
      'requestParameters',
      'responseElements',
      's3',
    ]);
    assert.deepEqual(record, {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2025-01-21T23:21:10.123Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: principalIdOf('222222222222') },
      requestParameters: { sourceIPAddress: '10.0.0.7' },
      responseElements: { 'x-amz-request-id': 'REQ1', 'x-amz-id-2': 'HOST1' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'config-1',
        bucket: {
          name: 'photos',
          ownerIdentity: { principalId: principalIdOf('111111111111') },
          arn: 'arn:aws:s3:::photos',
        },
        object: {
          key: 'my_key_0',
          size: 9,
          eTag: '437b930db84b8079c2dd804a71936b5f',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    });
    assert.deepEqual(Object.keys(record.s3.object), ['key', 'size', 'eTag', 'sequencer']);
  });

  it('gives a removal key and sequencer only, and tagging the ETag without sequencer at version 2.3', () => {
    const removed = eventRecord(
      objectEvent({ name: 'ObjectRemoved:Delete', size: undefined, etag: undefined }),
      'c',
    );
    assert.equal(removed.eventVersion, '2.1');
    assert.deepEqual(removed.s3.object, { key: 'my_key_0', sequencer: '0055AED6DCD90281E5' });
    const tagged = eventRecord(objectEvent({ name: 'ObjectTagging:Put' }), 'c');
    assert.equal(tagged.eventVersion, '2.3');
    assert.deepEqual(tagged.s3.object, { key: 'my_key_0', eTag: '437b930db84b8079c2dd804a71936b5f' });
  });

  it('adds versionId only for a real version', () => {
    assert.equal(eventRecord(objectEvent({ versionId: 'null' }), 'c').s3.object.versionId, undefined);
    assert.equal(eventRecord(objectEvent({ versionId: 'v1' }), 'c').s3.object.versionId, 'v1');
  });

  it('form-encodes keys as S3 does: spaces as +, slashes kept, the rest as UTF-8 escapes', () => {
    assert.equal(encodeEventKey('a@b'), 'a%40b');
    assert.equal(encodeEventKey('testupload/dir1/testfile.txt'), 'testupload/dir1/testfile.txt');
    assert.equal(encodeEventKey('my file (1).txt'), 'my+file+%281%29.txt');
    assert.equal(encodeEventKey('café+=€'), 'caf%C3%A9%2B%3D%E2%82%AC');
    assert.equal(eventRecord(objectEvent({ key: 'a b' }), 'c').s3.object.key, 'a+b');
  });

  it('gives each account one stable principal id', () => {
    assert.equal(principalIdOf('111111111111'), principalIdOf('111111111111'));
    assert.notEqual(principalIdOf('111111111111'), principalIdOf('222222222222'));
    assert.match(principalIdOf('111111111111'), /^A[A-Z0-9]{13}$/);
    assert.equal(principalIdOf('firehose.amazonaws.com'), 'AWS:firehose.amazonaws.com');
  });

  it("writes the test event with AWS's fields in AWS's order", () => {
    const text = testEventMessage('photos', Date.UTC(2014, 9, 13, 15, 57, 2, 89), 'REQ', 'HOST');
    assert.equal(
      text,
      '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2014-10-13T15:57:02.089Z","Bucket":"photos","RequestId":"REQ","HostId":"HOST"}',
    );
  });
});

describe('S3 events for EventBridge', () => {
  it('Object Created: the raw key, size, etag, sequencer and the reason', () => {
    const event = eventBridgeEvent(
      objectEvent({ key: 'a b@c', name: 'ObjectCreated:CompleteMultipartUpload' }),
    );
    assert.deepEqual(event, {
      source: 'aws.s3',
      'detail-type': 'Object Created',
      resources: ['arn:aws:s3:::photos'],
      detail: {
        version: '0',
        bucket: { name: 'photos' },
        object: {
          key: 'a b@c',
          size: 9,
          etag: '437b930db84b8079c2dd804a71936b5f',
          sequencer: '0055AED6DCD90281E5',
        },
        'request-id': 'REQ1',
        requester: '222222222222',
        'source-ip-address': '10.0.0.7',
        reason: 'CompleteMultipartUpload',
      },
    });
  });

  it('Object Deleted: key, sequencer, reason and deletion type', () => {
    const event = eventBridgeEvent(
      objectEvent({ name: 'ObjectRemoved:Delete', size: undefined, etag: undefined }),
    );
    assert.equal(event['detail-type'], 'Object Deleted');
    assert.deepEqual(event.detail, {
      version: '0',
      bucket: { name: 'photos' },
      object: { key: 'my_key_0', sequencer: '0055AED6DCD90281E5' },
      'request-id': 'REQ1',
      requester: '222222222222',
      'source-ip-address': '10.0.0.7',
      reason: 'DeleteObject',
      'deletion-type': 'Permanently Deleted',
    });
    const marker = eventBridgeEvent(
      objectEvent({ name: 'ObjectRemoved:DeleteMarkerCreated', versionId: 'v9' }),
    );
    assert.deepEqual((marker.detail as { object: unknown }).object, {
      key: 'my_key_0',
      'version-id': 'v9',
      sequencer: '0055AED6DCD90281E5',
    });
    assert.equal((marker.detail as Record<string, unknown>)['deletion-type'], 'Delete Marker Created');
  });

  it('Object Tags Added and Deleted: key and etag, no reason', () => {
    const added = eventBridgeEvent(objectEvent({ name: 'ObjectTagging:Put' }));
    const deleted = eventBridgeEvent(objectEvent({ name: 'ObjectTagging:Delete' }));
    assert.equal(added['detail-type'], 'Object Tags Added');
    assert.equal(deleted['detail-type'], 'Object Tags Deleted');
    assert.deepEqual(added.detail, {
      version: '0',
      bucket: { name: 'photos' },
      object: { key: 'my_key_0', etag: '437b930db84b8079c2dd804a71936b5f' },
      'request-id': 'REQ1',
      requester: '222222222222',
      'source-ip-address': '10.0.0.7',
    });
  });
});

describe('Policies that let S3 in unscoped', () => {
  const policy = (condition?: object, principal: unknown = { Service: 's3.amazonaws.com' }) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: principal,
          Action: 'sqs:SendMessage',
          Resource: '*',
          Condition: condition,
        },
      ],
    });

  it('flags a grant to s3.amazonaws.com without both aws:SourceArn and aws:SourceAccount', () => {
    assert.deepEqual(unscopedS3Grants(policy(), 'q'), [0]);
    assert.deepEqual(
      unscopedS3Grants(policy({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos' } }), 'q'),
      [0],
    );
    assert.deepEqual(
      unscopedS3Grants(policy({ StringEquals: { 'aws:SourceAccount': '111111111111' } }), 'q'),
      [0],
    );
  });

  it('leaves scoped grants, other principals and no policy alone', () => {
    const scoped = policy({
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos' },
      StringEquals: { 'aws:SourceAccount': '111111111111' },
    });
    assert.deepEqual(unscopedS3Grants(scoped, 'q'), []);
    assert.deepEqual(unscopedS3Grants(policy(undefined, { Service: 'sns.amazonaws.com' }), 'q'), []);
    assert.deepEqual(unscopedS3Grants(undefined, 'q'), []);
    assert.deepEqual(unscopedS3Grants('not json', 'q'), []);
  });
});
