import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { health, type RunningCli, startCli, stopCli } from '../support/server.js';
import { type SqsProtocol, sqsClient } from '../support/tideway.js';

interface Acked {
  id: string;
  body: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  attributes?: Record<string, MessageAttributeValue>;
  delayed: boolean;
  group?: string;
  sequenceNumber?: string;
}

const tmpDirs: string[] = [];
function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

const running: RunningCli[] = [];
after(async () => {
  for (const cli of running) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function launch(args: string[], cwd?: string): Promise<RunningCli> {
  const cli = await startCli(['--port', '0', '--log-level', 'warn', ...args], { cwd });
  running.push(cli);
  return cli;
}

async function advance(endpoint: string, seconds: number): Promise<void> {
  const res = await fetch(`${endpoint}/_tideway/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  assert.equal(res.status, 200);
}

async function counts(sqs: SQSClient, queueUrl: string): Promise<Record<string, string>> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return Attributes ?? {};
}

/** Receives until the queue answers nothing, keeping what it got in flight (or deleting it). */
async function drain(sqs: SQSClient, queueUrl: string, remove: boolean): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 3600,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!Messages || Messages.length === 0) return out;
    out.push(...Messages);
    if (remove) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  }
}

function checkMessage(m: Message, sent: Acked): void {
  assert.equal(m.Body, sent.body, `body of ${sent.id}`);
  assert.equal(m.MD5OfBody, sent.md5OfBody, `MD5OfBody of ${sent.id}`);
  assert.equal(m.MD5OfMessageAttributes, sent.md5OfAttributes, `MD5OfMessageAttributes of ${sent.id}`);
  if (sent.attributes) {
    const got: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: string }> = {};
    for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) {
      got[k] = {
        DataType: v.DataType,
        StringValue: v.StringValue,
        BinaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
      };
    }
    const want: typeof got = {};
    for (const [k, v] of Object.entries(sent.attributes)) {
      want[k] = {
        DataType: v.DataType,
        StringValue: v.StringValue,
        BinaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
      };
    }
    assert.deepEqual(got, want, `message attributes of ${sent.id}`);
  } else {
    assert.equal(m.MessageAttributes, undefined);
  }
}

function attributesFor(i: number): Record<string, MessageAttributeValue> | undefined {
  if (i % 3 !== 0) return undefined;
  return {
    kind: { DataType: 'String', StringValue: `kind-${i}` },
    weight: { DataType: 'Number', StringValue: String(i * 1.5) },
    blob: { DataType: 'Binary', BinaryValue: Buffer.from([i % 256, 0, 255, 7]) },
    'custom.tag': { DataType: 'String.custom', StringValue: 'ü ✓ \t' },
  };
}

// Durability promise (README, --data-dir: "survives restarts and kill -9"). What must survive is
// what AWS keeps for an acknowledged SendMessage: body, attributes and their MD5s (SQS Developer
// Guide, "Configuring MD5 message digests"), FIFO order per message group and SequenceNumbers that
// keep increasing (SQS API Reference, SendMessage: "SequenceNumber ... The length is 128 bits.
// SequenceNumber continues to increase for a particular MessageGroupId"), in-flight messages stay
// invisible until their visibility timeout ends (ApproximateNumberOfMessagesNotVisible,
// GetQueueAttributes), delayed ones stay delayed (ApproximateNumberOfMessagesDelayed), and queue
// attributes and tags are part of the queue.
for (const protocol of ['json', 'query'] as SqsProtocol[]) {
  describe(`persistence across kill -9 (${protocol})`, () => {
    it('keeps every acknowledged message, in-flight state, attributes and tags', async () => {
      const dataDir = tmpDir('tideway-kill-');
      const first = await launch(['--data-dir', dataDir]);
      assert.equal((await health(first.endpoint)).body.persistence, true);
      const sqs = sqsClient(first.endpoint, protocol);

      const std = await sqs.send(
        new CreateQueueCommand({
          QueueName: 'orders',
          Attributes: {
            VisibilityTimeout: '45',
            MessageRetentionPeriod: '86400',
            MaximumMessageSize: '2048',
          },
          tags: { team: 'payments', env: 'test' },
        }),
      );
      const fifo = await sqs.send(
        new CreateQueueCommand({
          QueueName: 'orders.fifo',
          Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
          tags: { kind: 'fifo' },
        }),
      );
      const stdUrl = std.QueueUrl!;
      const fifoUrl = fifo.QueueUrl!;

      // 150 standard messages: batches sent concurrently, some with attributes, every tenth delayed.
      const acked = new Map<string, Acked>();
      const batches = Array.from({ length: 15 }, (_, b) => Array.from({ length: 10 }, (_, j) => b * 10 + j));
      await Promise.all(
        batches.map(async (indexes) => {
          const entries = indexes.map((i) => ({
            Id: `e${i}`,
            MessageBody: `standard message ${i} ${'x'.repeat(i)}`,
            MessageAttributes: attributesFor(i),
            DelaySeconds: i % 10 === 9 ? 120 : undefined,
          }));
          const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: stdUrl, Entries: entries }));
          assert.equal(res.Failed?.length ?? 0, 0);
          for (const ok of res.Successful ?? []) {
            const e = entries.find((x) => x.Id === ok.Id)!;
            acked.set(ok.MessageId!, {
              id: ok.MessageId!,
              body: e.MessageBody,
              md5OfBody: ok.MD5OfMessageBody!,
              md5OfAttributes: ok.MD5OfMessageAttributes,
              attributes: e.MessageAttributes,
              delayed: e.DelaySeconds !== undefined,
            });
          }
        }),
      );

      // 50 FIFO messages in 5 groups, each group sent in order.
      const fifoAcked: Acked[] = [];
      await Promise.all(
        Array.from({ length: 5 }, async (_, g) => {
          for (let k = 0; k < 10; k++) {
            const body = `group g${g} message ${k}`;
            const attributes =
              k % 2 === 0 ? { n: { DataType: 'Number', StringValue: String(k) } } : undefined;
            const res = await sqs.send(
              new SendMessageCommand({
                QueueUrl: fifoUrl,
                MessageBody: body,
                MessageGroupId: `g${g}`,
                MessageAttributes: attributes,
              }),
            );
            fifoAcked.push({
              id: res.MessageId!,
              body,
              md5OfBody: res.MD5OfMessageBody!,
              md5OfAttributes: res.MD5OfMessageAttributes,
              attributes,
              delayed: false,
              group: `g${g}`,
              sequenceNumber: res.SequenceNumber,
            });
          }
        }),
      );
      assert.equal(fifoAcked.length, 50);

      // Three standard messages and the head of group g0 go in flight.
      const inflight = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: stdUrl, MaxNumberOfMessages: 3, VisibilityTimeout: 100 }),
      );
      assert.equal(inflight.Messages?.length, 3);
      const inflightIds = new Set(inflight.Messages!.map((m) => m.MessageId!));
      const fifoInflight = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: fifoUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 100 }),
      );
      assert.equal(fifoInflight.Messages?.length, 1);
      const fifoInflightId = fifoInflight.Messages![0].MessageId!;
      const blockedGroup = fifoAcked.find((m) => m.id === fifoInflightId)!.group!;

      // The last acknowledged send, then kill -9 at once.
      const last = await sqs.send(
        new SendMessageCommand({
          QueueUrl: stdUrl,
          MessageBody: 'the very last one',
          MessageAttributes: { last: { DataType: 'String', StringValue: 'yes' } },
        }),
      );
      first.child.kill('SIGKILL');
      const exit = await first.exited;
      assert.equal(exit.signal, 'SIGKILL');
      sqs.destroy();
      acked.set(last.MessageId!, {
        id: last.MessageId!,
        body: 'the very last one',
        md5OfBody: last.MD5OfMessageBody!,
        md5OfAttributes: last.MD5OfMessageAttributes,
        attributes: { last: { DataType: 'String', StringValue: 'yes' } },
        delayed: false,
      });
      assert.equal(acked.size, 151);

      // Restart on the same data dir.
      const second = await launch(['--data-dir', dataDir]);
      try {
        const sqs2 = sqsClient(second.endpoint, protocol);
        const listed = await sqs2.send(new ListQueuesCommand({}));
        assert.deepEqual(listed.QueueUrls?.slice().sort(), [
          `${second.endpoint}/000000000000/orders`,
          `${second.endpoint}/000000000000/orders.fifo`,
        ]);
        const stdUrl2 = `${second.endpoint}/000000000000/orders`;
        const fifoUrl2 = `${second.endpoint}/000000000000/orders.fifo`;

        // Queue attributes and tags survive.
        const stdAttrs = await counts(sqs2, stdUrl2);
        assert.equal(stdAttrs.VisibilityTimeout, '45');
        assert.equal(stdAttrs.MessageRetentionPeriod, '86400');
        assert.equal(stdAttrs.MaximumMessageSize, '2048');
        const delayedCount = [...acked.values()].filter((m) => m.delayed).length;
        assert.equal(delayedCount, 15);
        assert.equal(stdAttrs.ApproximateNumberOfMessages, String(151 - 3 - delayedCount));
        assert.equal(stdAttrs.ApproximateNumberOfMessagesNotVisible, '3');
        assert.equal(stdAttrs.ApproximateNumberOfMessagesDelayed, String(delayedCount));
        const fifoAttrs = await counts(sqs2, fifoUrl2);
        assert.equal(fifoAttrs.FifoQueue, 'true');
        assert.equal(fifoAttrs.ContentBasedDeduplication, 'true');
        assert.equal(fifoAttrs.ApproximateNumberOfMessages, '49');
        assert.equal(fifoAttrs.ApproximateNumberOfMessagesNotVisible, '1');
        assert.deepEqual((await sqs2.send(new ListQueueTagsCommand({ QueueUrl: stdUrl2 }))).Tags, {
          team: 'payments',
          env: 'test',
        });
        assert.deepEqual((await sqs2.send(new ListQueueTagsCommand({ QueueUrl: fifoUrl2 }))).Tags, {
          kind: 'fifo',
        });

        // Every visible acknowledged standard message is there, intact, exactly once.
        const visible = await drain(sqs2, stdUrl2, false);
        const expectVisible = [...acked.values()].filter((m) => !m.delayed && !inflightIds.has(m.id));
        assert.equal(visible.length, expectVisible.length);
        assert.deepEqual(visible.map((m) => m.MessageId).sort(), expectVisible.map((m) => m.id).sort());
        for (const m of visible) checkMessage(m, acked.get(m.MessageId!)!);
        assert.ok(
          visible.some((m) => m.Body === 'the very last one'),
          'the last acknowledged send survived',
        );

        // FIFO: other groups come out in send order with their SequenceNumbers; the group whose head
        // is in flight stays blocked.
        const fifoVisible = await drain(sqs2, fifoUrl2, true);
        assert.equal(fifoVisible.length, 40);
        assert.ok(fifoVisible.every((m) => m.Attributes?.MessageGroupId !== blockedGroup));
        for (const group of ['g0', 'g1', 'g2', 'g3', 'g4'].filter((g) => g !== blockedGroup)) {
          const got = fifoVisible.filter((m) => m.Attributes?.MessageGroupId === group);
          const want = fifoAcked.filter((m) => m.group === group);
          assert.deepEqual(
            got.map((m) => m.MessageId),
            want.map((m) => m.id),
            `order of ${group}`,
          );
          got.forEach((m, k) => {
            checkMessage(m, want[k]);
            assert.equal(m.Attributes?.SequenceNumber, want[k].sequenceNumber);
          });
        }
        const maxSequence = fifoAcked.reduce((max, m) => {
          const n = BigInt(m.sequenceNumber!);
          return n > max ? n : max;
        }, 0n);
        const next = await sqs2.send(
          new SendMessageCommand({ QueueUrl: fifoUrl2, MessageBody: 'after restart', MessageGroupId: 'g9' }),
        );
        assert.ok(
          BigInt(next.SequenceNumber!) > maxSequence,
          'SequenceNumber keeps increasing after restart',
        );

        // Once their visibility timeouts and delays end, the rest come back.
        await advance(second.endpoint, 121);
        const rest = await drain(sqs2, stdUrl2, false);
        const expectRest = [...acked.values()].filter((m) => m.delayed || inflightIds.has(m.id));
        assert.deepEqual(rest.map((m) => m.MessageId).sort(), expectRest.map((m) => m.id).sort());
        for (const m of rest) {
          checkMessage(m, acked.get(m.MessageId!)!);
          const receives = inflightIds.has(m.MessageId!) ? '2' : '1';
          assert.equal(m.Attributes?.ApproximateReceiveCount, receives, `receive count of ${m.MessageId}`);
        }
        const blocked = await drain(sqs2, fifoUrl2, true);
        const wantBlocked = fifoAcked.filter((m) => m.group === blockedGroup);
        assert.deepEqual(
          blocked.filter((m) => m.Attributes?.MessageGroupId === blockedGroup).map((m) => m.MessageId),
          wantBlocked.map((m) => m.id),
        );
        blocked
          .filter((m) => m.Attributes?.MessageGroupId === blockedGroup)
          .forEach((m, k) => {
            checkMessage(m, wantBlocked[k]);
            assert.equal(m.Attributes?.SequenceNumber, wantBlocked[k].sequenceNumber);
          });
        const head = blocked.find((m) => m.MessageId === fifoInflightId);
        assert.equal(
          head?.Attributes?.ApproximateReceiveCount,
          '2',
          'the head of the group was received before',
        );
        sqs2.destroy();
      } finally {
        const exit = await stopCli(second);
        assert.equal(exit.code, 0);
      }
    });
  });
}

// Without --data-dir Tideway is in memory only (README, Options): nothing is written anywhere.
describe('in memory without --data-dir', () => {
  it('writes no file into its working directory, and forgets everything on restart', async () => {
    const cwd = tmpDir('tideway-nodata-');
    const cli = await launch([], cwd);
    const sqs = sqsClient(cli.endpoint);
    assert.equal((await health(cli.endpoint)).body.persistence, false);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ephemeral' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'gone soon' }));
    sqs.destroy();
    cli.child.kill('SIGKILL');
    await cli.exited;
    assert.deepEqual(fs.readdirSync(cwd), []);
    assert.equal(
      fs.readdirSync(os.tmpdir()).some((f) => f.startsWith('tideway') && f.endsWith('.sqlite')),
      false,
    );
    const again = await launch([], cwd);
    try {
      const sqs2 = sqsClient(again.endpoint);
      const listed = await sqs2.send(new ListQueuesCommand({}));
      assert.equal(listed.QueueUrls, undefined);
      sqs2.destroy();
    } finally {
      await stopCli(again);
    }
    assert.deepEqual(fs.readdirSync(cwd), []);
  });
});
