// The SCRAM server (RFC 5802, RFC 7677) against a client computed here from the RFCs' formulas,
// with RFC 7677's SCRAM-SHA-256 exchange replayed byte for byte to prove the primitives, and
// Kafka's failure texts (ScramSaslServer, SaslServerAuthenticator).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeSaslName,
  derivedCredential,
  type ScramMechanism,
  scramCredential,
  scramServer,
} from '../../../src/services/kafka/auth/scram.js';
import { scramClient as client } from './scram-client.js';

const FAILED =
  'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';

function server(mechanism: ScramMechanism, users: Record<string, string>) {
  return scramServer({
    mechanism,
    credential: (user) =>
      users[user] === undefined ? undefined : derivedCredential(mechanism, user, users[user]),
  });
}

describe('SCRAM server', () => {
  it("replays RFC 7677's SCRAM-SHA-256 example exactly", () => {
    const credential = scramCredential(
      'SCRAM-SHA-256',
      'pencil',
      Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
      4096,
    );
    const exchange = scramServer({
      mechanism: 'SCRAM-SHA-256',
      credential: (user) => (user === 'user' ? credential : undefined),
      serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    });
    const first = exchange.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    assert.equal(
      first.reply.toString(),
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    assert.equal(first.done, false);
    const final = exchange.step(
      Buffer.from(
        'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      ),
    );
    assert.deepEqual(
      { ...final, reply: final.reply.toString() },
      { reply: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=', done: true, principal: 'user' },
    );
  });

  for (const mechanism of ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const) {
    it(`authenticates a client that knows the password (${mechanism})`, () => {
      const c = client(mechanism, 'alice', 'secret-1');
      const exchange = server(mechanism, { alice: 'secret-1' });
      const first = exchange.step(c.first);
      assert.equal(first.done, false);
      assert.match(first.reply.toString(), /^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
      const final = exchange.step(c.final(first.reply));
      assert.equal(final.done, true);
      assert.equal(final.principal, 'alice');
      assert.equal(final.reply.toString(), c.expectedServerFinal());
    });
  }

  it("refuses a wrong password with Kafka's text", () => {
    const c = client('SCRAM-SHA-512', 'alice', 'wrong');
    const exchange = server('SCRAM-SHA-512', { alice: 'secret-1' });
    const final = exchange.step(c.final(exchange.step(c.first).reply));
    assert.deepEqual(
      { done: final.done, failure: final.failure, principal: final.principal },
      {
        done: true,
        failure: FAILED,
        principal: undefined,
      },
    );
  });

  it('refuses an unknown user at the first message, as Kafka does', () => {
    const result = server('SCRAM-SHA-512', { alice: 'x' }).step(client('SCRAM-SHA-512', 'bob', 'x').first);
    assert.equal(result.done, true);
    assert.equal(result.failure, FAILED);
  });

  it('reads the password at each exchange: a changed password refuses the old one', () => {
    const users: Record<string, string> = { alice: 'old' };
    const first = client('SCRAM-SHA-512', 'alice', 'old');
    const before = server('SCRAM-SHA-512', users);
    assert.equal(before.step(first.final(before.step(first.first).reply)).principal, 'alice');
    users.alice = 'new';
    const stale = client('SCRAM-SHA-512', 'alice', 'old');
    const after = server('SCRAM-SHA-512', users);
    assert.equal(after.step(stale.final(after.step(stale.first).reply)).failure, FAILED);
    const fresh = client('SCRAM-SHA-512', 'alice', 'new');
    const again = server('SCRAM-SHA-512', users);
    assert.equal(again.step(fresh.final(again.step(fresh.first).reply)).principal, 'alice');
  });

  it("takes librdkafka 2.0's final nonce, its own nonce again before the server's, as Kafka does", () => {
    const exchange = server('SCRAM-SHA-512', { alice: 'pw' });
    const c = client('SCRAM-SHA-512', 'alice', 'pw', 'cnonce');
    const serverFirst = exchange.step(c.first).reply;
    const serverNonce = /r=([^,]+)/.exec(serverFirst.toString())?.[1];
    const final = exchange.step(c.final(serverFirst, `cnonce${serverNonce}`));
    assert.equal(final.principal, 'alice');
  });

  it('unescapes =2C and =3D in user names', () => {
    assert.equal(decodeSaslName('a=2Cb=3Dc'), 'a,b=c');
    assert.throws(() => decodeSaslName('a=b'));
    const c = client('SCRAM-SHA-512', 'a,b=c', 'pw');
    const exchange = server('SCRAM-SHA-512', { 'a,b=c': 'pw' });
    assert.equal(exchange.step(c.final(exchange.step(c.first).reply)).principal, 'a,b=c');
  });

  it('refuses an authorization id other than the user, with its own text', () => {
    const result = server('SCRAM-SHA-512', { alice: 'x' }).step(Buffer.from('n,a=bob,n=alice,r=abc'));
    assert.equal(
      result.failure,
      'Authentication failed: Client requested an authorization id that is different from username',
    );
  });

  it('refuses malformed messages, a mandatory extension, a changed nonce and a wrong channel binding', () => {
    for (const bad of [
      '',
      'garbage',
      'p=tls-unique,,n=alice,r=abc',
      'n,,m=ext,n=alice,r=abc',
      'n,,n=alice',
      'n,,n=,r=abc',
    ]) {
      assert.equal(
        server('SCRAM-SHA-512', { alice: 'x', '': 'x' }).step(Buffer.from(bad)).failure,
        FAILED,
        bad,
      );
    }
    const c = client('SCRAM-SHA-512', 'alice', 'x');
    const exchange = server('SCRAM-SHA-512', { alice: 'x' });
    const final = c.final(exchange.step(c.first).reply).toString();
    const otherNonce = final.replace(/r=[^,]+/, 'r=somebodyelse');
    assert.equal(exchange.step(Buffer.from(otherNonce)).failure, FAILED);
    const c2 = client('SCRAM-SHA-512', 'alice', 'x');
    const exchange2 = server('SCRAM-SHA-512', { alice: 'x' });
    const final2 = c2.final(exchange2.step(c2.first).reply).toString().replace('c=biws', 'c=eSws');
    assert.equal(exchange2.step(Buffer.from(final2)).failure, FAILED);
  });

  it('fails any message after the exchange is over', () => {
    const c = client('SCRAM-SHA-512', 'alice', 'x');
    const exchange = server('SCRAM-SHA-512', { alice: 'x' });
    exchange.step(c.final(exchange.step(c.first).reply));
    assert.equal(exchange.step(c.first).failure, FAILED);
  });
});
