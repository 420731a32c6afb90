import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/protocols/errors.js';
import {
  decodeLocated,
  encodeLocated,
  formatTimestamp,
  parseTimestamp,
} from '../../src/protocols/http-bindings.js';
import { type RestService, restError } from '../../src/protocols/rest-dispatch.js';
import {
  integer,
  list,
  map,
  string,
  structure,
  timestamp,
  type ValidationErrors,
} from '../../src/protocols/shapes.js';

const errors: ValidationErrors = {
  missing: (path) => new ServiceError('Missing', path),
  invalidType: (path, value, expected) =>
    new ServiceError('WrongType', `${path}:${String(value)}:${expected}`),
  malformed: (detail) => new ServiceError('Malformed', detail),
};

const shape = structure({
  Dates: { shape: list(timestamp), location: 'header', locationName: 'X-Dates' },
  Names: { shape: list(string), location: 'header', locationName: 'x-names' },
  Count: { shape: integer, location: 'header', locationName: 'x-count' },
  Epoch: { shape: timestamp, location: 'header', locationName: 'x-epoch', timestampFormat: 'unixTimestamp' },
  Id: { shape: string, location: 'querystring', locationName: 'id' },
  Rest: { shape: map(string), location: 'querystring' },
  Status: { shape: integer, location: 'statusCode' },
});

describe('HTTP bindings', () => {
  it('header lists split on commas, http-dates kept whole, quoted strings unquoted', () => {
    const input: Record<string, unknown> = {};
    decodeLocated(
      shape,
      {
        labels: {},
        query: new URLSearchParams('id=1&other=x&more=y'),
        headers: {
          'x-dates': 'Mon, 07 Dec 2026 10:00:00 GMT, Tue, 08 Dec 2026 11:30:00 GMT',
          'x-names': 'a, "b, c", "d \\"e\\""',
          'x-count': '42',
          'x-epoch': '1700000000.5',
        },
      },
      errors,
      input,
    );
    assert.deepEqual(input, {
      Dates: [new Date('2026-12-07T10:00:00Z'), new Date('2026-12-08T11:30:00Z')],
      Names: ['a', 'b, c', 'd "e"'],
      Count: 42,
      Epoch: new Date(1700000000500),
      Id: '1',
      Rest: { other: 'x', more: 'y' },
    });
  });

  it('a header that is not of its type is the service’s type error', () => {
    assert.throws(
      () =>
        decodeLocated(
          shape,
          { labels: {}, query: new URLSearchParams(), headers: { 'x-count': '4x' } },
          errors,
          {},
        ),
      { name: 'WrongType', message: 'Count:4x:integer' },
    );
  });

  it('outputs write the status member, header lists and http-date headers', () => {
    const headers: Record<string, string> = {};
    const status = encodeLocated(
      shape,
      {
        Status: 206,
        Names: ['a', 'b, c'],
        Dates: [new Date('2026-12-07T10:00:00Z')],
        Epoch: new Date(1700000000000),
      },
      headers,
    );
    assert.equal(status, 206);
    assert.deepEqual(headers, {
      'x-names': 'a, "b, c"',
      'x-dates': 'Mon, 07 Dec 2026 10:00:00 GMT',
      'x-epoch': '1700000000',
    });
  });

  it('header values beyond printable ASCII go as RFC 2047 encoded words, never raw', () => {
    const headers: Record<string, string> = {};
    const meta = structure({
      Metadata: { shape: map(string), location: 'headers', locationName: 'x-amz-meta-' },
    });
    encodeLocated(meta, { Metadata: { plain: 'a b', accent: 'ü', injected: 'x\r\nSet-Cookie: y' } }, headers);
    assert.deepEqual(headers, {
      'x-amz-meta-plain': 'a b',
      'x-amz-meta-accent': '=?UTF-8?B?w7w=?=',
      'x-amz-meta-injected': `=?UTF-8?B?${Buffer.from('x\r\nSet-Cookie: y').toString('base64')}?=`,
    });
  });

  it('timestamps parse in their format, or leniently in another', () => {
    const instant = new Date('2026-12-07T10:11:12.345Z');
    assert.deepEqual(parseTimestamp('2026-12-07T10:11:12.345Z', 'iso8601'), instant);
    assert.deepEqual(parseTimestamp('1796638272.345', 'unixTimestamp'), instant);
    assert.deepEqual(
      parseTimestamp('Mon, 07 Dec 2026 10:11:12 GMT', 'iso8601'),
      new Date('2026-12-07T10:11:12Z'),
    );
    assert.equal(parseTimestamp('yesterday', 'rfc822'), undefined);
    assert.equal(formatTimestamp(instant, 'iso8601'), '2026-12-07T10:11:12.345Z');
    assert.equal(formatTimestamp(new Date('2026-12-07T10:11:12Z'), 'iso8601'), '2026-12-07T10:11:12.000Z');
    assert.equal(formatTimestamp(instant, 'unixTimestamp'), 1796638272.345);
  });
});

describe('REST error forms', () => {
  const base = {
    name: 'x',
    operations: {},
    validation: errors,
    unknownOperation: () => new ServiceError('U', 'u'),
  };
  const err = new ServiceError('Throttling', 'Rate <exceeded> & more', { status: 400 });

  it('restXml services other than S3 answer <ErrorResponse><Error>… with the request id beside it', () => {
    const service: RestService = {
      ...base,
      protocol: 'rest-xml',
      xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
    };
    const reply = restError(service, err, 'rid');
    assert.equal(reply.status, 400);
    assert.equal(reply.headers['x-amzn-requestid'], 'rid');
    assert.equal(
      reply.body,
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
        '<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate &lt;exceeded&gt; &amp; more</Message></Error>' +
        '<RequestId>rid</RequestId></ErrorResponse>',
    );
  });

  it('restJson1 carries the code in x-amzn-ErrorType; a HEAD answer has no body', () => {
    const service: RestService = { ...base, protocol: 'rest-json' };
    const reply = restError(service, err, 'rid');
    assert.equal(reply.headers['x-amzn-errortype'], 'Throttling');
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(String(reply.body)), { message: 'Rate <exceeded> & more' });
    assert.equal(restError(service, err, 'rid', true).body, '');
  });
});
