import type { Finding, KnowHowRule, RuleContext } from '../findings.js';
import {
  type Entity,
  isRef,
  isUnknown,
  type Model,
  type ScramAssociation,
  type Secret,
  type Sym,
} from '../model.js';
import { findingOn, label } from './finding-site.js';
import { arnResourceName, resolve } from './relations.js';

const ID = 'msk-scram-secret';
const PREFIX = 'AmazonMSK_';

const FIX =
  `Name the secret with the ${PREFIX} prefix (Name: ${PREFIX}<name>; Terraform name = "${PREFIX}<name>") and ` +
  'encrypt it with a customer-managed key (KmsKeyId: !Ref <AWS::KMS::Key>; Terraform kms_key_id), ' +
  'then associate it again.';

/** The default Secrets Manager key, by alias or alias ARN. */
function isDefaultKey(value: string): boolean {
  return /(^|:)alias\/aws\/secretsmanager$/.test(value.trim());
}

/**
 * The alias (or ARN) of the AWS managed key that a key id, key ARN, alias or alias ARN designates.
 * Only live models hold AWS managed keys (KMS's source marks them KeyManager AWS), so a live
 * secret put under aws/secretsmanager by its key id is judged as one put under its alias.
 */
function awsManagedKey(model: Model, value: string): string | undefined {
  const alias = /(?:^|:)(alias\/.+)$/.exec(value)?.[1];
  const key = model.keys.find(
    (k) =>
      k.arn === value || k.attributes?.KeyId === value || (alias !== undefined && k.aliases.includes(alias)),
  );
  if (key?.attributes?.KeyManager !== 'AWS') return undefined;
  return key.aliases.find((a) => a.startsWith('alias/aws/')) ?? key.arn ?? key.id;
}

/**
 * MSK reads SASL/SCRAM users only from secrets whose name starts with AmazonMSK_ and that are
 * encrypted with a customer-managed key: it cannot use a secret under the default
 * aws/secretsmanager key. The association fails, and clients cannot sign in.
 */
export const mskScramSecretRule: KnowHowRule = {
  id: ID,
  severity: 'error',
  title: 'An MSK SCRAM secret without the AmazonMSK_ prefix or encrypted with the default key',
  check(model, context) {
    const findings: Finding[] = [];
    const seen = new Set<Secret>();
    for (const association of model.scramAssociations) {
      const cluster = resolve(model, association.cluster);
      const clusterName = cluster.kind === 'entity' ? cluster.entity.id : 'its MSK cluster';
      for (const value of association.secrets) {
        const found = checkSecret(model, context, association, clusterName, value, seen);
        findings.push(...found);
      }
    }
    for (const cluster of model.clusters) {
      if (!cluster.scram) continue;
      const associated = model.scramAssociations.some((association) => {
        const resolved = resolve(model, association.cluster);
        return resolved.kind !== 'entity' || resolved.entity === cluster;
      });
      if (!associated)
        context.explain({
          resource: cluster.id,
          origin: cluster.origin,
          message: `${ID}: ${cluster.id} uses SASL/SCRAM but no secret association is visible; its secrets are not checked.`,
        });
    }
    return findings;
  },
};

function checkSecret(
  model: Model,
  context: RuleContext,
  association: ScramAssociation,
  clusterName: string,
  value: Sym,
  seen: Set<Secret>,
): Finding[] {
  const resolved = resolve(model, value);
  if (resolved.kind === 'entity') {
    const secret = model.secrets.find((each) => each === resolved.entity);
    if (!secret || seen.has(secret)) return [];
    seen.add(secret);
    return secretEntity(model, context, secret, clusterName, association);
  }
  if (resolved.kind === 'outside' && typeof value === 'string') {
    const parsed = arnResourceName(value);
    if (
      parsed?.service === 'secretsmanager' &&
      !parsed.name.startsWith(PREFIX) &&
      !parsed.name.includes('{')
    ) {
      const finding = findingOn(model, context, ID, 'error', association, {
        message:
          `Secret ${parsed.name}, associated with ${clusterName} by ${label(association)}, is not named with ` +
          `the ${PREFIX} prefix: MSK refuses to associate it.`,
        fix: FIX,
      });
      return finding ? [finding] : [];
    }
  }
  context.explain({
    resource: association.id,
    origin: association.origin,
    message:
      `${ID}: a secret associated by ${association.id} is ` +
      (resolved.kind === 'unknown'
        ? `not known (${resolved.reason}).`
        : 'outside the template; its key is not known.'),
  });
  return [];
}

function secretEntity(
  model: Model,
  context: RuleContext,
  secret: Secret,
  clusterName: string,
  association: Entity,
): Finding[] {
  const problems: string[] = [];
  const name = secret.name;
  if (name === undefined || name === null) {
    problems.push(`has no Name, so it gets a generated one without the ${PREFIX} prefix`);
  } else if (typeof name === 'string') {
    if (!name.startsWith(PREFIX)) problems.push(`is named ${name}, without the ${PREFIX} prefix`);
  } else {
    context.explain({
      resource: secret.id,
      origin: secret.origin,
      message: `${ID}: the name of ${secret.id} is not known${isUnknown(name) ? ` (${name.$unknown})` : ''}.`,
    });
  }
  const key = secret.kmsKey;
  const managed = typeof key === 'string' ? awsManagedKey(model, key) : undefined;
  if (key === undefined || key === null || key === '') {
    problems.push('is encrypted with the default aws/secretsmanager key (no KmsKeyId)');
  } else if (typeof key === 'string' && isDefaultKey(key)) {
    problems.push(`is encrypted with the default key ${key}`);
  } else if (managed !== undefined) {
    problems.push(`is encrypted with the AWS managed key ${key} (${managed})`);
  } else if (isUnknown(key)) {
    context.explain({
      resource: secret.id,
      origin: secret.origin,
      message: `${ID}: the KMS key of ${secret.id} is not known (${key.$unknown}).`,
    });
  } else if (typeof key !== 'string' && !isRef(key)) {
    context.explain({
      resource: secret.id,
      origin: secret.origin,
      message: `${ID}: the KMS key of ${secret.id} is not a literal.`,
    });
  }
  if (problems.length === 0) return [];
  const finding = findingOn(
    model,
    context,
    ID,
    'error',
    secret,
    {
      message:
        `Secret ${label(secret)}, associated with ${clusterName} for SASL/SCRAM by ${association.id}, ` +
        `${problems.join(' and ')}: MSK cannot use it, so the association fails and clients cannot sign in.`,
      fix: FIX,
    },
    [association],
  );
  return finding ? [finding] : [];
}
