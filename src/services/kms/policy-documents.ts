import { evaluatePolicy, type PolicyDocument, validatePolicy } from '../../core/policy.js';
import { kmsError } from './errors.js';

const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[a-z-]*:(iam::\d{12}:(root|user\/.+|role\/.+|group\/.+)|sts::\d{12}:assumed-role\/.+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.(amazonaws\.com|amazonaws\.com\.cn|aws\.internal)$/;

function principalsValid(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return false;
  for (const [type, raw] of Object.entries(principal)) {
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0 || values.some((v) => typeof v !== 'string')) return false;
    if (type === 'AWS' && !values.every((v) => AWS_PRINCIPAL.test(v))) return false;
    if (type === 'Service' && !values.every((v) => v === '*' || SERVICE_PRINCIPAL.test(v))) return false;
    if (type !== 'AWS' && type !== 'Service' && type !== 'Federated' && type !== 'CanonicalUser')
      return false;
  }
  return true;
}

/**
 * A key policy as CreateKey and PutKeyPolicy check it, with KMS's MalformedPolicyDocumentException
 * texts: a document that is not a policy gets none, as KMS answers; statements without a usable
 * principal get theirs; and unless BypassPolicyLockoutSafetyCheck, the caller's account must keep
 * kms:PutKeyPolicy on the key.
 */
export function checkPolicyDocument(
  json: string,
  account: string,
  bypassLockoutCheck = false,
): PolicyDocument {
  let doc: PolicyDocument;
  try {
    doc = validatePolicy(JSON.parse(json));
  } catch {
    throw kmsError.malformedPolicy('');
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const statement of statements) {
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      throw kmsError.malformedPolicy('Policy contains a statement with no principal.');
    }
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (!principalsValid(principal)) {
      throw kmsError.malformedPolicy('Policy contains a statement with one or more invalid principals.');
    }
  }
  if (!bypassLockoutCheck) {
    const decision = evaluatePolicy(doc, {
      principal: { kind: 'AWS', id: `arn:aws:iam::${account}:root` },
      action: 'kms:PutKeyPolicy',
      resource: `arn:aws:kms:*:${account}:key/*`,
      context: { 'kms:CallerAccount': account },
    });
    if (decision !== 'Allow') {
      throw kmsError.malformedPolicy(
        'The new key policy will not allow you to update the key policy in the future.',
      );
    }
  }
  return doc;
}
