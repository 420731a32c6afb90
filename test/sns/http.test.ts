import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Agent } from 'node:https';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import Validator from 'sns-payload-validator';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  advance,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

interface Post {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP subscriber: records every post and answers with the status its path asks for. */
class Subscriber {
  readonly posts: Post[] = [];
  private waiting: Array<{ path: string; resolve: (post: Post) => void }> = [];
  private server!: Server;
  port = 0;
  /** Paths that never answer, to stand for a slow endpoint. */
  readonly hanging = new Set<string>();
  readonly failing = new Set<string>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const post = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.posts.push(post);
        for (const w of this.waiting.filter((w) => w.path === post.path)) w.resolve(post);
        this.waiting = this.waiting.filter((w) => w.path !== post.path);
        if (this.hanging.has(post.path)) return;
        res.writeHead(this.failing.has(post.path) ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next post to `path` (deliveries are asynchronous). */
  next(path: string): Promise<Post> {
    return new Promise((resolve) => this.waiting.push({ path, resolve }));
  }

  countTo(path: string): number {
    return this.posts.filter((p) => p.path === path).length;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * sns-payload-validator fetches certificates only from https://sns.<region>.amazonaws.com; this
 * agent, passed as its documented `requestAgent`, sends those fetches to Tideway instead, which
 * serves its certificate at the same path AWS uses. Nothing leaves the machine.
 */
class ToTideway extends Agent {
  constructor(private readonly port: number) {
    super();
  }

  override createConnection() {
    return connect({ host: '127.0.0.1', port: this.port });
  }
}

describe('SNS delivery to HTTP endpoints', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  const subscriber = new Subscriber();
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
    await subscriber.start();
  });
  after(async () => {
    await subscriber.stop();
    await server.stop();
  });

  async function confirmedSubscription(topicArn: string, path: string, attributes?: Record<string, string>) {
    const confirmation = subscriber.next(path);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: subscriber.url(path),
        Attributes: attributes,
      }),
    );
    assert.equal(SubscriptionArn, 'pending confirmation');
    const post = await confirmation;
    assert.equal(post.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    const doc = JSON.parse(post.body);
    const visit = await fetch(doc.SubscribeURL);
    assert.equal(visit.status, 200);
    return /<SubscriptionArn>([^<]+)</.exec(await visit.text())![1];
  }

  async function validate(doc: Record<string, string>): Promise<void> {
    // Only the certificate's host is swapped: SigningCertURL is not part of what is signed.
    const path = new URL(doc.SigningCertURL).pathname;
    const validator = new Validator({ useCache: false, requestAgent: new ToTideway(server.port) });
    await validator.validate(
      JSON.stringify({ ...doc, SigningCertURL: `https://sns.us-east-1.amazonaws.com${path}` }),
    );
  }

  // SNS guide, "Parsing message formats" and "Verifying the signatures of Amazon SNS messages".
  it('confirms, then posts signed notifications with AWS headers that validators accept', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    const subscriptionArn = await confirmedSubscription(TopicArn!, '/hook');
    const arrival = subscriber.next('/hook');
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Message: 'over http', Subject: 'web' }),
    );
    const post = await arrival;
    assert.equal(post.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(post.headers['x-amz-sns-message-id'], MessageId);
    assert.equal(post.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(post.headers['x-amz-sns-subscription-arn'], subscriptionArn);
    assert.equal(post.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(post.headers['user-agent'], 'Amazon Simple Notification Service Agent');
    const doc = JSON.parse(post.body);
    assert.equal(doc.Message, 'over http');
    assert.equal(doc.SignatureVersion, '1');
    await validate(doc);
    await assert.rejects(validate({ ...doc, Message: 'forged' }));
    // And with nothing but node:crypto and the certificate at SigningCertURL.
    const pem = await (await fetch(doc.SigningCertURL)).text();
    const verifier = createVerify('RSA-SHA1');
    verifier.update(
      ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
        .map((k) => `${k}\n${doc[k]}\n`)
        .join(''),
    );
    assert.ok(verifier.verify(new X509Certificate(pem).publicKey, doc.Signature, 'base64'));
  });

  it('signs with SHA256 when the topic asks for SignatureVersion 2, and posts raw bodies on request', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: uniqueName('t'), Attributes: { SignatureVersion: '2' } }),
    );
    await confirmedSubscription(TopicArn!, '/v2');
    await confirmedSubscription(TopicArn!, '/raw', { RawMessageDelivery: 'true' });
    const signed = subscriber.next('/v2');
    const raw = subscriber.next('/raw');
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'v2',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const doc = JSON.parse((await signed).body);
    assert.equal(doc.SignatureVersion, '2');
    await validate(doc);
    const rawPost = await raw;
    assert.equal(rawPost.body, 'v2');
    assert.equal(rawPost.headers['x-amz-sns-rawdelivery'], 'true');
  });

  // SNS guide, "Amazon SNS message delivery retries": the default policy retries 3 times, 20 s apart,
  // then the message goes to the subscription's dead-letter queue.
  it('retries on the clock, then gives up to the dead-letter queue', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    const dlq = await subscribableQueue(sqs, uniqueName('dlq'), TopicArn);
    await confirmedSubscription(TopicArn!, '/flaky', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    subscriber.failing.add('/flaky');
    let attempt = subscriber.next('/flaky');
    await sns.send(new PublishCommand({ TopicArn, Message: 'keeps failing' }));
    await attempt;
    assert.equal(subscriber.countTo('/flaky'), 2, 'the confirmation and the first attempt');
    for (let retry = 1; retry <= 3; retry++) {
      attempt = subscriber.next('/flaky');
      await advance(server, 20);
      await attempt;
    }
    assert.equal(subscriber.countTo('/flaky'), 5);
    let dead = await receive(sqs, dlq.url);
    for (let i = 0; dead.length === 0 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 10));
      dead = await receive(sqs, dlq.url);
    }
    assert.equal(JSON.parse(dead[0].Body!).Message, 'keeps failing');
  });

  it('never lets a slow endpoint hold up the Publish call or the other subscribers', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    await confirmedSubscription(TopicArn!, '/slow');
    const queue = await subscribableQueue(sqs, uniqueName('q'), TopicArn);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    subscriber.hanging.add('/slow');
    const slowArrived = subscriber.next('/slow');
    await sns.send(new PublishCommand({ TopicArn, Message: 'fast path' }));
    await slowArrived;
    // The slow endpoint has the request and has not answered; the queue already has its copy.
    const [m] = await receive(sqs, queue.url);
    assert.equal(JSON.parse(m.Body!).Message, 'fast path');
  });

  // SNS API Reference, Unsubscribe: an unsigned unsubscribe (the UnsubscribeURL of a message) ends
  // with an UnsubscribeConfirmation to the endpoint, whose SubscribeURL restores the subscription.
  it('tells an HTTP endpoint it was unsubscribed through its link, and lets it come back', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }));
    const subscriptionArn = await confirmedSubscription(TopicArn!, '/leaving');
    const note = subscriber.next('/leaving');
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }));
    const { UnsubscribeURL } = JSON.parse((await note).body);
    const goodbye = subscriber.next('/leaving');
    assert.equal((await fetch(UnsubscribeURL)).status, 200);
    const post = await goodbye;
    assert.equal(post.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
    const doc = JSON.parse(post.body);
    assert.equal(doc.Type, 'UnsubscribeConfirmation');
    await validate(doc);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(Subscriptions, []);
    assert.equal((await fetch(doc.SubscribeURL)).status, 200);
    const back = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(back.Subscriptions?.[0]?.SubscriptionArn, subscriptionArn);
  });

  // SNS guide, "HTTP/HTTPS unsubscribe confirmation JSON format": the owner's signed Unsubscribe
  // tells the endpoint too, with the same signed document, in either SignatureVersion.
  for (const version of ['1', '2']) {
    it(`posts a signed UnsubscribeConfirmation (SignatureVersion ${version}) on an authenticated Unsubscribe`, async () => {
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({ Name: uniqueName('t'), Attributes: { SignatureVersion: version } }),
      );
      const path = `/owner-leaves-v${version}`;
      const subscriptionArn = await confirmedSubscription(TopicArn!, path);
      const goodbye = subscriber.next(path);
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
      const post = await goodbye;
      assert.equal(post.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
      assert.equal(post.headers['x-amz-sns-topic-arn'], TopicArn);
      assert.equal(post.headers['x-amz-sns-subscription-arn'], subscriptionArn);
      const doc = JSON.parse(post.body);
      assert.equal(post.headers['x-amz-sns-message-id'], doc.MessageId);
      assert.deepEqual(Object.keys(doc), [
        'Type',
        'MessageId',
        'Token',
        'TopicArn',
        'Message',
        'SubscribeURL',
        'Timestamp',
        'SignatureVersion',
        'Signature',
        'SigningCertURL',
      ]);
      assert.equal(doc.SignatureVersion, version);
      assert.equal(
        doc.Message,
        `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
      );
      await validate(doc);
      // Nothing more reaches the endpoint: it is no longer subscribed.
      const before = subscriber.countTo(path);
      await sns.send(new PublishCommand({ TopicArn, Message: 'after' }));
      assert.equal(subscriber.countTo(path), before);
      // Its link restores the subscription, as for the unsigned unsubscribe.
      assert.equal((await fetch(doc.SubscribeURL)).status, 200);
      const back = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      assert.equal(back.Subscriptions?.[0]?.SubscriptionArn, subscriptionArn);
    });
  }
});
