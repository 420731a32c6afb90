import type { Finding, KnowHowRule, RuleContext } from '../findings.js';
import {
  type EventSourceMapping,
  isRef,
  type LambdaFunction,
  lookup,
  type Model,
  type MqBroker,
  type Sym,
} from '../model.js';
import {
  credentialSource,
  embeddedCredential,
  isCredentialName,
  isDynamicReference,
  isSecretArn,
} from './credentials.js';
import { findingOn, label } from './finding-site.js';
import { resolve, withoutPseudoParameters } from './relations.js';

const ID = 'inline-broker-credentials';

/** Source access types that name a Secrets Manager secret holding credentials. */
const AUTH_TYPES = new Set([
  'BASIC_AUTH',
  'SASL_SCRAM_256_AUTH',
  'SASL_SCRAM_512_AUTH',
  'CLIENT_CERTIFICATE_TLS_AUTH',
]);

const SECRET_FIX =
  'Keep the credentials in AWS Secrets Manager: for a broker user, ' +
  "Password: '{{resolve:secretsmanager:<secret>:SecretString:password}}' or a NoEcho parameter " +
  '(Terraform: a sensitive variable, or the secret read through a data source); for a function, ' +
  'pass the secret ARN and read it at run time (or through the Parameters and Secrets Lambda extension).';

/**
 * Credentials written into a template are in the repository, in every copy of the template, and —
 * for literals and plain parameters — in CloudFormation's console and API. Lambda reads broker
 * and Kafka credentials only from Secrets Manager (SourceAccessConfigurations), so a mapping
 * without a secret there either fails or is fed by a credential written somewhere else.
 */
export const inlineBrokerCredentialsRule: KnowHowRule = {
  id: ID,
  severity: 'error',
  title: 'Broker or Kafka credentials written in the template',
  check(model, context) {
    const findings: Finding[] = [];
    for (const broker of model.brokers) findings.push(...brokerUsers(model, context, broker));
    for (const mapping of model.mappings) findings.push(...mappingAccess(model, context, mapping));
    for (const fn of model.functions) findings.push(...environment(model, context, fn));
    return findings;
  },
};

function userName(username: Sym, index: number): string {
  return typeof username === 'string' && !username.includes('{{resolve:')
    ? `user ${username}`
    : `user #${index + 1}`;
}

function brokerUsers(model: Model, context: RuleContext, broker: MqBroker): Finding[] {
  const findings: Finding[] = [];
  broker.users.forEach((user, index) => {
    const who = userName(user.username, index);
    const source = credentialSource(user.password);
    let what: string;
    if (source.kind === 'literal') what = 'a password written in the template';
    else if (source.kind === 'visible-parameter')
      what = `the password of parameter ${source.param}, which is not NoEcho, so CloudFormation shows its value in the console and API`;
    else {
      if (source.kind === 'unknown')
        context.explain({
          resource: broker.id,
          origin: broker.origin,
          message: `${ID}: the password of ${who} of broker ${broker.id} is not known (${source.reason}).`,
        });
      return;
    }
    const finding = findingOn(model, context, ID, 'error', broker, {
      message: `Amazon MQ broker ${label(broker)}: ${who} has ${what}.`,
      fix: SECRET_FIX,
    });
    if (finding) findings.push(finding);
  });
  return findings;
}

type SourceKind = 'mq' | 'msk' | 'self-managed-kafka' | 'other';

function sourceKind(
  model: Model,
  mapping: EventSourceMapping,
): { kind: SourceKind; scram?: boolean; iam?: boolean } {
  if (mapping.selfManagedKafka) return { kind: 'self-managed-kafka' };
  const resolved = resolve(model, mapping.source);
  if (resolved.kind === 'entity') {
    if (model.brokers.includes(resolved.entity as MqBroker)) return { kind: 'mq' };
    const cluster = model.clusters.find((each) => each === resolved.entity);
    if (cluster) {
      const result: { kind: SourceKind; scram?: boolean; iam?: boolean } = {
        kind: 'msk',
        scram: cluster.scram,
      };
      if (cluster.iam !== undefined) result.iam = cluster.iam;
      return result;
    }
    return { kind: 'other' };
  }
  if (resolved.kind === 'outside') {
    if (/^arn:[^:]*:mq:/.test(withoutPseudoParameters(resolved.value))) return { kind: 'mq' };
    if (/^arn:[^:]*:kafka:/.test(withoutPseudoParameters(resolved.value))) return { kind: 'msk' };
  }
  return { kind: 'other' };
}

function mappingAccess(model: Model, context: RuleContext, mapping: EventSourceMapping): Finding[] {
  const source = sourceKind(model, mapping);
  if (source.kind === 'other') return [];
  const findings: Finding[] = [];
  const report = (message: string): void => {
    const finding = findingOn(model, context, ID, 'error', mapping, { message, fix: SECRET_FIX });
    if (finding) findings.push(finding);
  };

  let secrets = 0;
  let undecided = 0;
  for (const access of mapping.sourceAccess) {
    if (typeof access.type !== 'string') {
      undecided++;
      continue;
    }
    if (!AUTH_TYPES.has(access.type)) continue;
    const uri = access.uri;
    if (uri === undefined || uri === null || uri === '') {
      report(`Event source mapping ${label(mapping)}: ${access.type} has no secret URI.`);
    } else if (typeof uri === 'string' && !isSecretArn(uri) && !isDynamicReference(uri)) {
      report(
        `Event source mapping ${label(mapping)}: the ${access.type} URI is not a Secrets Manager secret ARN.`,
      );
    } else if (
      isRef(uri) &&
      lookup(model, uri) &&
      !model.secrets.some((secret) => secret === lookup(model, uri))
    ) {
      report(
        `Event source mapping ${label(mapping)}: ${access.type} names ${uri.$ref}, not a Secrets Manager secret.`,
      );
    } else {
      // A secret of the model, a secret ARN, a reference outside the model, or a parameter.
      secrets++;
    }
  }

  if (source.kind === 'self-managed-kafka') {
    // CloudFormation and SAM list the servers; Terraform's plan joins them with commas.
    const servers = mapping.bootstrapServers;
    const texts = (Array.isArray(servers) ? servers : [servers]).filter(
      (server): server is string => typeof server === 'string',
    );
    const embedded = texts
      .flatMap((text) => text.split(','))
      .map((server) => embeddedCredential(server.trim()) ?? serverCredential(server.trim()))
      .find((found) => found !== undefined);
    if (embedded) report(`Event source mapping ${label(mapping)}: its bootstrap servers carry ${embedded}.`);
  }
  if (secrets > 0 || findings.length > 0) return findings;
  if (undecided > 0) {
    context.explain({
      resource: mapping.id,
      origin: mapping.origin,
      message: `${ID}: the source access types of ${mapping.id} are not known.`,
    });
    return findings;
  }
  if (source.kind === 'mq') {
    report(
      `Event source mapping ${label(mapping)} reads an Amazon MQ broker without a BASIC_AUTH secret in ` +
        'SourceAccessConfigurations: Lambda signs in to the broker only with credentials from Secrets Manager.',
    );
  } else if (source.kind === 'msk' && source.scram === true && source.iam !== true) {
    report(
      `Event source mapping ${label(mapping)} reads an MSK cluster that uses SASL/SCRAM, without a ` +
        'SASL_SCRAM_512_AUTH secret in SourceAccessConfigurations.',
    );
  } else if (source.kind === 'msk' && source.scram === undefined) {
    context.explain({
      resource: mapping.id,
      origin: mapping.origin,
      message: `${ID}: ${mapping.id} reads an MSK cluster outside the template; its authentication is not known.`,
    });
  }
  return findings;
}

function environment(model: Model, context: RuleContext, fn: LambdaFunction): Finding[] {
  const findings: Finding[] = [];
  for (const [name, value] of Object.entries(fn.environment)) {
    let what: string | undefined;
    if (typeof value === 'string') {
      const embedded = embeddedCredential(value);
      if (embedded) what = embedded;
    }
    if (!what && isCredentialName(name)) {
      const source = credentialSource(value);
      if (source.kind === 'literal' && !source.text.includes('${'))
        what = 'a credential written in the template';
      else if (source.kind === 'visible-parameter')
        what = `the value of parameter ${source.param}, which is not NoEcho`;
      else if (source.kind === 'unknown' || (source.kind === 'literal' && source.text.includes('${')))
        context.explain({
          resource: fn.id,
          origin: fn.origin,
          message: `${ID}: the value of ${name} in ${fn.id}'s environment is not known.`,
        });
    }
    if (!what) continue;
    const finding = findingOn(model, context, ID, 'error', fn, {
      message:
        `Function ${label(fn)}: environment variable ${name} holds ${what}. Environment variables are ` +
        'shown to anyone who can read the function configuration.',
      fix: SECRET_FIX,
    });
    if (finding) findings.push(finding);
  }
  return findings;
}

/** `user:password@host:port`, a bootstrap server written without a scheme. */
function serverCredential(server: string): string | undefined {
  const match = /^([^\s/:@]+):([^\s/@]+)@[^\s/@]+$/.exec(server);
  return match && embeddedCredential(`kafka://${server}`)
    ? 'a user name and password (user:password@)'
    : undefined;
}
