// MSK IAM authentication: tokens made by aws-msk-iam-sasl-signer-js (with made-up credentials:
// signatures are not verified) checked for shape, region, account and expiry on the clock, and
// the OAUTHBEARER and AWS_MSK_IAM exchanges around them, refusing as MSK does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { awsMskIamServer, oauthBearerServer } from '../../../src/services/kafka/auth/iam-mechanisms.js';
import { checkIamToken, type IamExpectation } from '../../../src/services/kafka/auth/iam-token.js';

const ACCOUNT = '000000000000';
// MSK's answers (a request id, then the reason), as its clients report them.
const INVALID = /^\[[0-9a-f-]{36}\]: Invalid authentication payload$/;
const DENIED = /^\[[0-9a-f-]{36}\]: Access denied$/;

async function token(region = 'us-east-1', accessKeyId = 'AKIAIOSFODNN7EXAMPLE', sessionToken?: string) {
  return generateAuthTokenFromCredentialsProvider({
    region,
    awsCredentialsProvider: async () => ({
      accessKeyId,
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ...(sessionToken ? { sessionToken } : {}),
    }),
  });
}

function expect(now = Date.now(), region = 'us-east-1', account = ACCOUNT): IamExpectation {
  return { now, region, account };
}

function initial(value: string, authzid = ''): Buffer {
  return Buffer.from(`n,${authzid ? `a=${authzid}` : ''},\x01auth=Bearer ${value}\x01\x01`);
}

describe('MSK IAM tokens', () => {
  it('accepts a fresh token of the cluster region, with its expiry', async () => {
    const made = await token('us-east-1', 'AKIAIOSFODNN7EXAMPLE', 'FwoGZXIvYXdzEJr//////////wEaDA');
    const check = checkIamToken(made.token, expect());
    assert.ok(check.ok, check.ok ? '' : check.reason);
    assert.equal(check.identity.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    assert.equal(check.identity.account, ACCOUNT);
    assert.equal(check.identity.expiresAt, made.expiryTime);
  });

  it('refuses a token once the clock passes X-Amz-Date + X-Amz-Expires', async () => {
    const made = await token();
    const late = checkIamToken(made.token, expect(made.expiryTime));
    assert.equal(late.ok, false);
    assert.match(late.ok ? '' : late.reason, /expired/);
    assert.ok(checkIamToken(made.token, expect(made.expiryTime - 1)).ok);
  });

  it('refuses another region, another account, and tokens that are not presigned Connect URLs', async () => {
    const made = await token('eu-west-1');
    const other = checkIamToken(made.token, expect(Date.now(), 'us-east-1'));
    assert.match(other.ok ? '' : other.reason, /region eu-west-1/);
    const foreign = await token('us-east-1', '111122223333');
    assert.match(
      ((r) => (r.ok ? '' : r.reason))(checkIamToken(foreign.token, expect())),
      /account 111122223333/,
    );
    assert.ok(checkIamToken(foreign.token, expect(Date.now(), 'us-east-1', '111122223333')).ok);
    const url = Buffer.from(made.token, 'base64url').toString();
    for (const bad of [
      'not a token!',
      Buffer.from('hello').toString('base64url'),
      Buffer.from(url.replace('kafka-cluster%3AConnect', 'kafka-cluster%3AWriteData')).toString('base64url'),
      Buffer.from(url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=zz')).toString('base64url'),
      Buffer.from(url.replace(/X-Amz-Date=\d+T/, 'X-Amz-Date=20241301T')).toString('base64url'),
      Buffer.from(url.replace('https://', 'http://')).toString('base64url'),
    ]) {
      assert.equal(checkIamToken(bad, expect(Date.now(), 'eu-west-1')).ok, false, bad);
    }
  });
});

describe('OAUTHBEARER exchange', () => {
  it('authenticates with a valid token, the access key as principal and the token expiry', async () => {
    const made = await token();
    const refusals: string[] = [];
    const exchange = oauthBearerServer(
      () => expect(),
      (_m, reason) => refusals.push(reason),
    );
    const result = exchange.step(initial(made.token));
    assert.deepEqual(
      { ...result, reply: result.reply.length },
      { reply: 0, done: true, principal: 'AKIAIOSFODNN7EXAMPLE' },
    );
    assert.equal(exchange.expiresAt, made.expiryTime);
    assert.deepEqual(refusals, []);
  });

  it("refuses an expired token at once with MSK's answer, and logs why", async () => {
    const made = await token();
    const refusals: string[] = [];
    const exchange = oauthBearerServer(
      () => expect(made.expiryTime + 1),
      (_m, reason) => refusals.push(reason),
    );
    const result = exchange.step(initial(made.token));
    assert.equal(result.done, true);
    assert.match(result.failure ?? '', INVALID);
    assert.match(refusals[0] ?? '', /expired/);
  });

  it("answers Access denied to another account's key", async () => {
    const made = await token('us-east-1', '111122223333');
    assert.match(
      oauthBearerServer(
        () => expect(),
        () => {},
      ).step(initial(made.token)).failure ?? '',
      DENIED,
    );
  });

  it('fails malformed client messages and an authorization id other than the principal', async () => {
    const made = await token();
    for (const bad of ['', 'n,,auth=Bearer x', `n,,\x01auth=Basic ${made.token}\x01\x01`, `n,,\x01\x01`]) {
      assert.match(
        oauthBearerServer(
          () => expect(),
          () => {},
        ).step(Buffer.from(bad)).failure ?? '',
        INVALID,
        bad,
      );
    }
    const result = oauthBearerServer(
      () => expect(),
      () => {},
    ).step(initial(made.token, 'someone'));
    assert.match(
      result.failure ?? '',
      /authorization id \(someone\) that is different from the token's principal name/,
    );
  });
});

describe('AWS_MSK_IAM exchange', () => {
  function payload(url: URL, overrides: Record<string, string> = {}) {
    const fields: Record<string, string> = { version: '2020_10_22', host: 'localhost', 'user-agent': 'test' };
    for (const [name, value] of url.searchParams) fields[name.toLowerCase()] = value;
    return Buffer.from(JSON.stringify({ ...fields, ...overrides }));
  }

  it('accepts the presigned fields as JSON and answers the version and a request id', async () => {
    const made = await token();
    const url = new URL(Buffer.from(made.token, 'base64url').toString());
    const exchange = awsMskIamServer(
      () => expect(),
      () => {},
    );
    const result = exchange.step(payload(url));
    assert.equal(result.principal, 'AKIAIOSFODNN7EXAMPLE');
    const reply = JSON.parse(result.reply.toString());
    assert.equal(reply.version, '2020_10_22');
    assert.match(reply['request-id'], /^[0-9a-f-]{36}$/);
    assert.equal(exchange.expiresAt, made.expiryTime);
  });

  it('refuses another version, a wrong region and JSON that is not an object', async () => {
    const made = await token();
    const url = new URL(Buffer.from(made.token, 'base64url').toString());
    const refuse = (message: Buffer, region = 'us-east-1') =>
      awsMskIamServer(
        () => expect(Date.now(), region),
        () => {},
      ).step(message).failure ?? '';
    for (const bad of [payload(url, { version: '2019' }), Buffer.from('[1]'), Buffer.from('{')]) {
      assert.match(refuse(bad), INVALID);
    }
    assert.match(refuse(payload(url), 'eu-west-1'), INVALID);
  });
});
