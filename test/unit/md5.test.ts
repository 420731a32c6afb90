import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { md5OfAttributes, md5OfBody, type SqsAttributeValue } from '../../src/services/sqs/md5.js';

// Expected digests come from AWS SDK test suites (whose checksum validators run against real SQS),
// other SQS implementations' tests, or RFC 1321. Each vector names its source. Only cases that no
// published vector covers fall back to the hand-spelled encoding at the bottom of this file.

const str = (StringValue: string, DataType = 'String'): SqsAttributeValue => ({ DataType, StringValue });
const bin = (BinaryValue: Uint8Array, DataType = 'Binary'): SqsAttributeValue => ({ DataType, BinaryValue });

describe('md5OfBody', () => {
  it('matches the RFC 1321 test suite (appendix A.5)', () => {
    assert.equal(md5OfBody(''), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(md5OfBody('abc'), '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(md5OfBody('message digest'), 'f96b697d7cb7938d525a2f31aaf161d0');
  });

  it('matches MD5("hello") as printed by `printf hello | md5sum`', () => {
    assert.equal(md5OfBody('hello'), '5d41402abc4b2a76b9719d911017c592');
  });

  it('matches body digests from AWS SDK checksum tests', () => {
    // aws/aws-sdk-go-v2 service/sqs/cust_checksum_validation_test.go (also aws/aws-sdk-go checksums_test.go)
    assert.equal(md5OfBody('test'), '098f6bcd4621d373cade4e832627b4f6');
    // aws/aws-sdk-js test/services/sqs.spec.js
    assert.equal(md5OfBody('foo'), 'acbd18db4cc2f85cedef654fccc4a4d8');
    assert.equal(md5OfBody('bar'), '37b51d194a7513e45b56f6524f2d51f2');
    // aws/aws-sdk-java-v2 services/sqs/src/test/java/software/amazon/awssdk/services/sqs/
    //   MessageMD5ChecksumInterceptorTest.java
    assert.equal(md5OfBody('Body'), 'ac101b32dda4448cf13a93fe283dddd8');
    // aws/aws-sdk-php tests/Sqs/SqsClientTest.php (testValidatesMd5OfBody)
    assert.equal(md5OfBody('Bar'), 'ddc35f88fa71b6ef142ae61f35364653');
  });

  it('hashes the UTF-8 bytes of non-ASCII bodies', () => {
    // No published SQS vector has a non-ASCII body; the bytes are spelled out so a UTF-16 or
    // Latin-1 encoding would produce a different digest.
    const utf8 = Uint8Array.of(0xe7, 0x9f, 0xad, 0xe5, 0x8f, 0x91); // 短发
    assert.equal(md5OfBody('短发'), createHash('md5').update(utf8).digest('hex'));
    assert.notEqual(
      md5OfBody('短发'),
      createHash('md5').update(Buffer.from('短发', 'utf16le')).digest('hex'),
    );
  });
});

describe('md5OfAttributes', () => {
  it('returns undefined when there are no attributes', () => {
    assert.equal(md5OfAttributes({}), undefined);
  });

  it('digests a single String attribute', () => {
    // Inqnuam/aws-md5-of-message-attributes test/index.test.js ("compute simple attribute") and README
    assert.equal(md5OfAttributes({ attribName1: str('attribValue 1') }), '19e27d4e946b072f3f58da80d94fd778');
    // aws/aws-sdk-php tests/Sqs/SqsClientTest.php (testValidatesMd5OfMessageAttributesExists)
    assert.equal(md5OfAttributes({ Name: str('Bob') }), '0408bb33aa149494a6a4683d58a7133f');
  });

  it('digests a Number attribute, including a custom Number.x type', () => {
    // wcharczuk/sqslite internal/sqslite/md5_test.go
    assert.equal(
      md5OfAttributes({ ordinal: str('1', 'Number'), category: str('test') }),
      'd21ae90c49061e927f57df5f5d72be1f',
    );
    // Inqnuam/aws-md5-of-message-attributes test/index.test.js ("custom attribute") and README
    assert.equal(
      md5OfAttributes({
        customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float'),
      }),
      '9fe1b90bbd9965bdf77bac517c7d2495',
    );
  });

  it('digests a Binary attribute from its raw bytes', () => {
    // ydb-platform/ydb ydb/core/ymq/actor/ut/attributes_md5_ut.cpp (AmazonSampleWithBinary)
    assert.equal(
      md5OfAttributes({ test_attribute_name: bin(utf8('test_attribute_value')) }),
      '23f6bd27ea87aab7dfeadcc9aebee495',
    );
    // Inqnuam/aws-md5-of-message-attributes test/index.test.js ("binary attribute"); that package
    // takes base64 and decodes it to these bytes before hashing.
    assert.equal(
      md5OfAttributes({ binaryAttribute: bin(utf8('Hello binary world!')) }),
      '31a92b15d92f8db860eda32aceb656c3',
    );
  });

  it('sorts attributes given in non-sorted order', () => {
    // ydb-platform/ydb ydb/core/ymq/actor/ut/attributes_md5_ut.cpp (AmazonSampleWithString)
    assert.equal(
      md5OfAttributes({
        test_attribute_name_2: str('test_attribute_value_2'),
        test_attribute_name_1: str('test_attribute_value_1'),
      }),
      'd53f3b558fe951154770f25cb63dbba9',
    );
    // Inqnuam/aws-md5-of-message-attributes test/index.test.js ("multiple attributes")
    assert.equal(
      md5OfAttributes({
        attribName1: str('attribValue 1'),
        customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float'),
        binaryAttribute: bin(utf8('Hello binary world!')),
      }),
      'c932db14a896c663f83c260297d594ff',
    );
  });

  // aws/aws-sdk-ruby gems/aws-sdk-sqs/spec/client/verify_checksums_spec.rb: every transport type,
  // a non-ASCII name sorting after ASCII ones, a non-ASCII value, and a Number kept verbatim.
  const rubyAttributes = (): Record<string, SqsAttributeValue> => ({
    ccc: str('test'),
    aaa: bin(Uint8Array.of(2, 3, 4)),
    zzz: str('0230.01', 'Number'),
    öther_encodings: str('Tüst'),
  });

  it('mixes String, Number, Binary and non-ASCII names and values', () => {
    assert.equal(md5OfAttributes(rubyAttributes()), '756d7f4338696745d063b420a2f7e502');
  });

  it('does not depend on the order attributes were inserted in', () => {
    const reversed = Object.fromEntries(Object.entries(rubyAttributes()).reverse());
    assert.equal(md5OfAttributes(reversed), '756d7f4338696745d063b420a2f7e502');
  });

  it('hashes custom type labels while keeping the base type transport', () => {
    // Same Ruby spec, "when data types have custom labels": String.test, Binary.test, Number.test.
    const labelled = Object.fromEntries(
      Object.entries(rubyAttributes()).map(([name, value]) => [
        name,
        { ...value, DataType: `${value.DataType}.test` },
      ]),
    );
    assert.equal(md5OfAttributes(labelled), '5b7ef6c8a8d46001c7cdadaeea917aa4');
  });

  it('handles case-sensitive names and non-ASCII values and custom labels', () => {
    // aws/aws-sdk-php tests/Sqs/SqsClientTest.php (testValidatesMd5OfMessageAttributes)
    assert.equal(
      md5OfAttributes({
        Reference: bin(utf8('ID-1234')),
        Name: str('Bob'),
        LastName: str('Smith', 'String.LN'),
        Id: str('3.14', 'Number'),
        Test: str('短发'),
        Test2: str('true', 'String.短发'),
        name: str('bob'),
        Named: str('true'),
      }),
      'ee5a4b60facbcc4723c1b5b8baca2593',
    );
  });

  // The cases below have no published vector, so the expectation is the guide's layout written out
  // independently of md5.ts.

  it('sorts names by UTF-8 bytes, not UTF-16 code units', () => {
    const bmp = '\uFF21'; // UTF-8 EF BC A1
    const astral = '\u{1F600}'; // UTF-8 F0 9F 98 80, but UTF-16 D83D DE00 < FF21
    // Guard: the case only proves something while the two orders actually disagree.
    assert.deepEqual([bmp, astral].sort(), [astral, bmp]);

    const byteOrder = guideDigest([
      [bmp, 'String', 1, utf8('first')],
      [astral, 'String', 1, utf8('second')],
    ]);
    const codeUnitOrder = guideDigest([
      [astral, 'String', 1, utf8('second')],
      [bmp, 'String', 1, utf8('first')],
    ]);
    assert.notEqual(byteOrder, codeUnitOrder);
    assert.equal(md5OfAttributes({ [astral]: str('second'), [bmp]: str('first') }), byteOrder);
  });

  it('chooses the transport byte from the base type only', () => {
    assert.equal(
      md5OfAttributes({ n: str('7', 'Number.Binary') }),
      guideDigest([['n', 'Number.Binary', 1, utf8('7')]]),
    );
    assert.equal(
      md5OfAttributes({ img: bin(Uint8Array.of(0x89, 0x50, 0x00, 0xff), 'Binary.String') }),
      guideDigest([['img', 'Binary.String', 2, [0x89, 0x50, 0x00, 0xff]]]),
    );
  });

  it('serves MD5OfMessageSystemAttributes for AWSTraceHeader', () => {
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    assert.equal(
      md5OfAttributes({ AWSTraceHeader: str(trace) }),
      guideDigest([['AWSTraceHeader', 'String', 1, utf8(trace)]]),
    );
  });
});

type GuideAttribute = [name: string, dataType: string, transport: 1 | 2, value: ArrayLike<number>];

// Caller supplies the order, so sorting is what the test asserts rather than what this helper does.
function guideDigest(attributes: GuideAttribute[]): string {
  const out: number[] = [];
  const field = (value: ArrayLike<number>): void => {
    const n = value.length;
    out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...Array.from(value));
  };
  for (const [name, dataType, transport, value] of attributes) {
    field(utf8(name));
    field(utf8(dataType));
    out.push(transport);
    field(value);
  }
  return createHash('md5').update(Uint8Array.from(out)).digest('hex');
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
