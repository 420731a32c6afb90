import assert from 'node:assert/strict';
import { createVerify, verify, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Agent, type AgentOptions } from 'node:https';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';

import Validator from 'sns-payload-validator';

import { type SignableMessage, SnsSigner, stringToSign } from '../../src/services/sns/signing.js';

// AWS docs: "Verifying the signatures of Amazon SNS messages" and its page "Verifying the
// signature of an Amazon SNS message when using HTTP query-based requests" (the names signed,
// in a fixed order, each as "Name\nValue\n"; Subject only when present), "HTTP/HTTPS
// notification JSON format" (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA, base64),
// "HTTP/HTTPS subscription confirmation JSON format" and "HTTP/HTTPS unsubscribe confirmation
// JSON format" (Token and SubscribeURL are signed too).

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:orders';

const notification: SignableMessage = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: TOPIC,
  Subject: 'Order placed',
  Message: 'line one\nline two "quoted" – ünïcode',
  Timestamp: '2024-05-01T12:00:00.000Z',
};

const { Subject: _omitted, ...noSubject } = notification;
const notificationWithoutSubject: SignableMessage = noSubject;

const subscriptionConfirmation: SignableMessage = {
  Type: 'SubscriptionConfirmation',
  MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
  TopicArn: TOPIC,
  Token: '2336412f37fb687f5d51e6e241d164b14f9e81c6c9aa29262ce3fb4230fb1f2c',
  Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: `http://localhost:4566/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f`,
  Timestamp: '2024-05-01T12:00:01.000Z',
};

const unsubscribeConfirmation: SignableMessage = {
  ...subscriptionConfirmation,
  Type: 'UnsubscribeConfirmation',
  MessageId: '47138184-6831-46b8-8f7c-afc488602d7d',
  Message: `You have chosen to deactivate subscription ${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
};

const cases: [string, SignableMessage][] = [
  ['a Notification', notification],
  ['a Notification without Subject', notificationWithoutSubject],
  ['a SubscriptionConfirmation', subscriptionConfirmation],
  ['an UnsubscribeConfirmation', unsubscribeConfirmation],
];

const versions = [
  ['1', 'RSA-SHA1'],
  ['2', 'RSA-SHA256'],
] as const;

describe('stringToSign', () => {
  it('lists a notification as Message, MessageId, Subject, Timestamp, TopicArn, Type', () => {
    assert.equal(
      stringToSign(notification),
      'Message\nline one\nline two "quoted" – ünïcode\n' +
        'MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n' +
        'Subject\nOrder placed\n' +
        'Timestamp\n2024-05-01T12:00:00.000Z\n' +
        `TopicArn\n${TOPIC}\n` +
        'Type\nNotification\n',
    );
  });

  it('leaves Subject out of a notification that has none', () => {
    assert.equal(
      stringToSign(notificationWithoutSubject),
      'Message\nline one\nline two "quoted" – ünïcode\n' +
        'MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n' +
        'Timestamp\n2024-05-01T12:00:00.000Z\n' +
        `TopicArn\n${TOPIC}\n` +
        'Type\nNotification\n',
    );
  });

  it('lists a confirmation as Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type', () => {
    for (const message of [subscriptionConfirmation, unsubscribeConfirmation]) {
      assert.equal(
        stringToSign(message),
        `Message\n${message.Message}\n` +
          `MessageId\n${message.MessageId}\n` +
          `SubscribeURL\n${message.SubscribeURL}\n` +
          `Timestamp\n${message.Timestamp}\n` +
          `Token\n${message.Token}\n` +
          `TopicArn\n${TOPIC}\n` +
          `Type\n${message.Type}\n`,
      );
    }
  });

  it('ignores a Subject on a confirmation, as AWS signs none there', () => {
    const withSubject = { ...subscriptionConfirmation, Subject: 'ignored' };
    assert.equal(stringToSign(withSubject), stringToSign(subscriptionConfirmation));
  });

  it('refuses a confirmation without Token or SubscribeURL rather than sign what no one can verify', () => {
    const { Token: _token, ...noToken } = subscriptionConfirmation;
    assert.throws(() => stringToSign(noToken), /must carry Token/);
    const { SubscribeURL: _url, ...noUrl } = unsubscribeConfirmation;
    assert.throws(() => stringToSign(noUrl), /must carry SubscribeURL/);
  });
});

describe('SnsSigner', () => {
  const signer = SnsSigner.create();
  const certificate = new X509Certificate(signer.certificatePem);

  it('holds a self-signed X.509 certificate for a 2048-bit RSA key', () => {
    assert.match(
      signer.certificatePem,
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/,
    );
    assert.equal(certificate.subject, 'CN=sns.tideway.local');
    assert.equal(certificate.issuer, certificate.subject);
    assert.ok(certificate.verify(certificate.publicKey), 'signed by its own key');
    assert.equal(certificate.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const now = Date.now();
    assert.ok(Date.parse(certificate.validFrom) <= now && now < Date.parse(certificate.validTo));
  });

  it('makes a new key each time', () => {
    const other = new X509Certificate(SnsSigner.create().certificatePem);
    assert.notEqual(other.fingerprint256, certificate.fingerprint256);
    assert.notEqual(other.serialNumber, certificate.serialNumber);
  });

  it('does not expose its private key', () => {
    assert.deepEqual(Object.keys(signer), ['certificatePem']);
    assert.doesNotMatch(JSON.stringify(signer), /PRIVATE/);
  });

  for (const [label, message] of cases) {
    for (const [version, algorithm] of versions) {
      it(`signs ${label} with SignatureVersion ${version} (${algorithm}) verifiably by node:crypto`, () => {
        const signature = signer.sign(message, version);
        assert.match(signature, /^[A-Za-z0-9+/]+={0,2}$/);
        assert.equal(Buffer.from(signature, 'base64').length, 256);
        const data = Buffer.from(stringToSign(message), 'utf8');

        const verifier = createVerify(algorithm);
        verifier.update(data);
        assert.ok(verifier.verify(signer.certificatePem, signature, 'base64'));
        assert.ok(verify(algorithm, data, certificate.publicKey, Buffer.from(signature, 'base64')));

        const tampered = Buffer.from(stringToSign({ ...message, Message: `${message.Message}!` }));
        assert.equal(
          verify(algorithm, tampered, certificate.publicKey, Buffer.from(signature, 'base64')),
          false,
        );
      });
    }
  }

  it('signs with a different digest per version', () => {
    const v1 = signer.sign(notification, '1');
    const data = Buffer.from(stringToSign(notification), 'utf8');
    assert.equal(verify('RSA-SHA256', data, certificate.publicKey, Buffer.from(v1, 'base64')), false);
    // PKCS#1 v1.5 is deterministic: the same message and version give the same signature.
    assert.equal(signer.sign(notification, '1'), v1);
    assert.notEqual(signer.sign(notification, '2'), v1);
  });

  it('refuses an unknown SignatureVersion', () => {
    assert.throws(() => signer.sign(notification, '3' as '2'), /Unknown SNS SignatureVersion 3/);
    assert.throws(() => signer.sign(notification, 'toString' as '2'), /Unknown SNS SignatureVersion/);
  });
});

// sns-payload-validator checks signatures as an SNS consumer would. It only accepts
// SigningCertURLs on AWS's host and path (https://sns.<region>.amazonaws.com/
// SimpleNotificationService-<32 letters or digits>.pem) and offers no option to trust another
// host, but it takes the https.Agent that fetches the certificate: this one connects every
// request to a plain HTTP server on 127.0.0.1, so nothing leaves the machine.
class LoopbackAgent extends Agent {
  readonly #port: number;

  constructor(port: number, options?: AgentOptions) {
    super(options);
    this.#port = port;
  }

  override createConnection() {
    return connect({ host: '127.0.0.1', port: this.#port });
  }
}

const CERT_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem';

describe('SnsSigner with sns-payload-validator', () => {
  const signer = SnsSigner.create();
  const requested: string[] = [];
  let server: Server;
  let agent: LoopbackAgent;

  before(async () => {
    server = createServer((req, res) => {
      requested.push(`${req.headers.host}${req.url}`);
      if (req.url === new URL(CERT_URL).pathname) {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(signer.certificatePem);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    agent = new LoopbackAgent(address.port);
  });

  after(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const envelope = (message: SignableMessage, version: '1' | '2') => ({
    ...message,
    SignatureVersion: version,
    Signature: signer.sign(message, version),
    SigningCertURL: CERT_URL,
  });

  for (const [label, message] of cases) {
    for (const [version] of versions) {
      it(`validates ${label} signed with SignatureVersion ${version}, and rejects it tampered`, async () => {
        // No cache: each validation fetches the certificate from the local server.
        const validator = new Validator({ useCache: false, requestAgent: agent });
        const signed = envelope(message, version);
        // The JSON text, as an endpoint receives it: escapes in Message and Subject decode
        // back to the characters that were signed.
        await validator.validate(JSON.stringify(signed));
        await assert.rejects(
          validator.validate(JSON.stringify({ ...signed, Message: `${signed.Message} tampered` })),
          /Invalid Signature/,
        );
        await assert.rejects(
          validator.validate(JSON.stringify({ ...signed, TopicArn: `${TOPIC}-other` })),
          /Invalid Signature/,
        );
      });
    }
  }

  it('fetched the certificate from the local server', () => {
    assert.ok(requested.length > 0);
    assert.ok(requested.every((r) => r === new URL(CERT_URL).host + new URL(CERT_URL).pathname));
  });
});
