import { randomUUID } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import type { Logger } from '../../core/logger.js';
import { evaluatePolicyDetailed } from '../../core/policy.js';
import { ServiceError } from '../../protocols/errors.js';
import type { RequestContext } from '../../protocols/service.js';
import type { TopicStorage } from '../../storage/types.js';
import type { DeliveryOrigin, DeliveryOutcome } from '../sqs/deliveries.js';
import type { TopicEncryption } from './encryption.js';
import type { PublishOperations } from './publish.js';
import { defaultTopicPolicy } from './topic-attributes.js';

/** SNS's entry for deliveries from other services (EventBridge targets, S3 notifications, alarms). */
export interface TopicFrontDoor {
  publish(topicArn: string, message: TopicMessage, origin: TopicOrigin): Promise<DeliveryOutcome>;
  /** The topic's policy as set (none: the default one), for senders that read it (S3's warning). */
  policy?(topicArn: string): Promise<string | undefined>;
}

/** What another service publishes to a topic: Publish's own parameters. */
export interface TopicMessage {
  message: string;
  subject?: string;
  /** `json` for a message with one text per protocol, as Publish's MessageStructure. */
  messageStructure?: string;
  attributes?: Sns.PublishInput['MessageAttributes'];
  groupId?: string;
  deduplicationId?: string;
}

export interface TopicOrigin extends DeliveryOrigin {
  /**
   * The Tideway endpoint the source was reached on: envelopes link back to it for Unsubscribe and
   * the signing certificate. A source acting on a request passes that request's base URL.
   */
  baseUrl?: string;
}

// Sources acting outside any request (alarms) have no URL of their own: the server's default one.
const DEFAULT_BASE_URL = 'http://localhost:4566';

/**
 * Runs what SNS runs for a service principal's Publish: the topic must exist, its policy must
 * allow the principal `sns:Publish` (with aws:SourceArn and aws:SourceAccount), then Publish's
 * own checks and fan-out. AWS drops what fails without telling the source's caller: each outcome
 * is returned and logged here with its reason, never thrown into the source's request.
 */
export class TopicDeliveries implements TopicFrontDoor {
  constructor(
    private readonly deps: {
      topics: TopicStorage;
      publishing: PublishOperations;
      log: Logger;
      /** `--lenient-policies`: publish where the policy keeps the principal out, warning. */
      lenientPolicies: boolean;
      /** SSE-KMS: the principal itself must be able to use an encrypted topic's key. */
      encryption?: TopicEncryption;
    },
  ) {}

  /** What was warned about already, per topic, source and kind of failure (capped, as SQS keeps it). */
  private readonly warned = new Set<string>();

  /**
   * Warns the first time a topic refuses a source for one reason; later ones go to debug, so that
   * a rule firing in a loop does not flood the log (tideway doctor counts the drops).
   */
  private warnOnce(kind: string, origin: TopicOrigin, fields: object, text: string): void {
    const key = `${kind}\n${origin.principal}\n${origin.sourceArn}\n${JSON.stringify(fields)}`;
    if (this.warned.has(key)) {
      this.deps.log.debug(fields, text);
      return;
    }
    if (this.warned.size >= 10_000) this.warned.clear();
    this.warned.add(key);
    this.deps.log.warn(fields, `${text} (logged once for this topic and source; later ones at debug level)`);
  }

  async publish(topicArn: string, message: TopicMessage, origin: TopicOrigin): Promise<DeliveryOutcome> {
    const { log } = this.deps;
    const fields = { topic: topicArn, principal: origin.principal, source: origin.sourceArn };
    const topic = this.deps.topics.getTopic(topicArn);
    if (!topic) {
      this.warnOnce('missing', origin, fields, 'dropped a delivery to SNS: the topic does not exist');
      return { kind: 'missing' };
    }
    const denial = decide(
      topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, topic.account),
      topicArn,
      origin,
    );
    if (denial) {
      if (!(origin.lenient ?? this.deps.lenientPolicies)) {
        this.warnOnce('denied', origin, fields, `dropped a delivery to SNS: ${denial}`);
        return { kind: 'denied', reason: denial };
      }
      this.warnOnce('lenient', origin, fields, `delivered only because of --lenient-policies: ${denial}`);
    }
    const keyRefusal = this.deps.encryption?.refusal(topic, origin);
    if (keyRefusal) {
      const keyId = topic.attributes.KmsMasterKeyId!;
      const reason = `the topic's KMS key ${keyId} refuses ${origin.principal} (${keyRefusal.code}: ${keyRefusal.message})${
        /alias\/aws\/sns$/.test(keyId)
          ? `: an AWS managed key's policy lets no service principal use it; encrypt the topic with a customer managed key whose policy allows {"Service":"${origin.principal}"} kms:GenerateDataKey* and kms:Decrypt`
          : keyRefusal.code === 'AccessDeniedException'
            ? `: the key policy must allow {"Service":"${origin.principal}"} kms:GenerateDataKey* and kms:Decrypt`
            : ''
      }`;
      this.warnOnce('key', origin, { ...fields, key: keyId }, `dropped a delivery to SNS: ${reason}`);
      return { kind: keyRefusal.code === 'AccessDeniedException' ? 'denied' : 'rejected', reason };
    }
    const ctx: RequestContext = {
      requestId: randomUUID(),
      caller: { account: topic.account, region: topicArn.split(':')[3] ?? '' },
      baseUrl: origin.baseUrl ?? DEFAULT_BASE_URL,
      secure: false,
      protocol: 'query',
      operation: 'Publish',
      path: '/',
      log,
    };
    try {
      const published = await this.deps.publishing.publishToTopic(
        topic,
        {
          Message: message.message,
          Subject: message.subject,
          MessageStructure: message.messageStructure,
          MessageAttributes: message.attributes,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        },
        ctx,
      );
      return {
        kind: 'delivered',
        messageId: published.MessageId!,
        sequenceNumber: published.SequenceNumber,
        lenientOver: denial,
      };
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      const reason = `the topic refuses the message (${err.code}: ${err.message})`;
      this.warnOnce(err.code, origin, fields, `dropped a delivery to SNS: ${reason}`);
      return { kind: 'rejected', reason };
    }
  }
}

/** Why the topic policy keeps the origin out of sns:Publish, or undefined when it lets it in. */
function decide(policy: string, topicArn: string, origin: DeliveryOrigin): string | undefined {
  const missing = `the topic policy needs a statement allowing {"Service":"${origin.principal}"} to "sns:Publish" on ${topicArn} (e.g. with "Condition":{"ArnEquals":{"aws:SourceArn":"${origin.sourceArn}"}})`;
  try {
    const result = evaluatePolicyDetailed(policy, {
      principal: { kind: 'Service', id: origin.principal },
      action: 'sns:Publish',
      resource: topicArn,
      context: { 'aws:SourceArn': origin.sourceArn, 'aws:SourceAccount': origin.sourceAccount },
    });
    return result.decision === 'Allow' ? undefined : `${result.reason}; ${missing}`;
  } catch {
    return `the topic policy cannot be read: ${missing}`;
  }
}
