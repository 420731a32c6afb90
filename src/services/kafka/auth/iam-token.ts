import { accountForAccessKey } from '../../../core/accounts.js';

/**
 * MSK's IAM authentication carries a SigV4 presigned request for `kafka-cluster:Connect`: as an
 * OAUTHBEARER token (the aws-msk-iam-sasl-signer libraries: base64url of the presigned URL) or
 * as the JSON of the AWS_MSK_IAM mechanism (aws-msk-iam-auth). Both are checked here for shape,
 * region, account and time. The signature is not verified: Tideway does not verify SigV4
 * anywhere yet, and a token is only as trusted as any other request's credentials.
 */

export interface IamIdentity {
  accessKeyId: string;
  /** The caller's account (core/accounts.ts: a 12-digit key names its account). */
  account: string;
  /** Clock ms the presigned request stops being valid. */
  expiresAt: number;
}

/** A refusal is `denied` when the token is sound but its principal may not connect (MSK's "Access denied"). */
export type IamCheck = { ok: true; identity: IamIdentity } | { ok: false; reason: string; denied?: boolean };

export interface IamExpectation {
  /** The cluster's region: the credential scope must name it. */
  region: string;
  /** The cluster's account: MSK refuses other accounts' principals without a cluster policy. */
  account: string;
  /** The clock's now (ms). */
  now: number;
}

const ACTION = 'kafka-cluster:Connect';
const SERVICE = 'kafka-cluster';
/** SigV4's limit on X-Amz-Expires (seven days). */
const MAX_EXPIRES_SECONDS = 604_800;
/** SigV4 refuses requests dated further ahead than this (RequestTimeTooSkewed). */
const MAX_SKEW_MS = 15 * 60_000;

/**
 * Checks the presigned parameters, named as in the URL's query (`Action`, `X-Amz-Date`…); the
 * AWS_MSK_IAM JSON uses the same names in lower case, so lookups ignore case.
 */
export function checkPresignedConnect(
  param: (name: string) => string | undefined,
  expect: IamExpectation,
): IamCheck {
  const action = param('Action');
  if (action !== ACTION) return fail(`the action is ${JSON.stringify(action ?? null)}, not "${ACTION}"`);
  const algorithm = param('X-Amz-Algorithm');
  if (algorithm !== 'AWS4-HMAC-SHA256') return fail(`X-Amz-Algorithm ${JSON.stringify(algorithm ?? null)}`);
  const credential = param('X-Amz-Credential') ?? '';
  const scope = /^([A-Za-z0-9]{1,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/.exec(credential);
  if (!scope)
    return fail(
      `X-Amz-Credential ${JSON.stringify(credential)} is not <key>/<date>/<region>/${SERVICE}/aws4_request`,
    );
  const [, accessKeyId, scopeDate, region, service] = scope as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (service !== SERVICE) return fail(`the credential scope's service is ${service}, not ${SERVICE}`);
  if (region !== expect.region)
    return fail(`the token is for region ${region}, the cluster is in ${expect.region}`);
  const date = param('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return fail(`X-Amz-Date ${JSON.stringify(date)} is not yyyyMMddTHHmmssZ`);
  if (!date.startsWith(scopeDate))
    return fail(`X-Amz-Date ${date} is not the credential scope's date ${scopeDate}`);
  const expires = param('X-Amz-Expires') ?? '';
  const seconds = /^\d+(?:\.\d+)?$/.test(expires) ? Number(expires) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_EXPIRES_SECONDS))
    return fail(`X-Amz-Expires ${JSON.stringify(expires)}`);
  const signedHeaders = (param('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host')) return fail('X-Amz-SignedHeaders does not sign host');
  if (!/^[0-9a-f]{64}$/.test(param('X-Amz-Signature') ?? ''))
    return fail('X-Amz-Signature is not 64 hex digits');
  const expiresAt = signedAt + Math.floor(seconds * 1000);
  if (expect.now >= expiresAt) return fail(`the token expired at ${new Date(expiresAt).toISOString()}`);
  if (signedAt > expect.now + MAX_SKEW_MS)
    return fail(`the token is dated ${new Date(signedAt).toISOString()}, in the future`);
  const account = accountForAccessKey(accessKeyId);
  if (account !== expect.account) {
    return { ok: false, reason: `the access key's account ${account} is not the cluster's`, denied: true };
  }
  return { ok: true, identity: { accessKeyId, account, expiresAt } };
}

/** The OAUTHBEARER token of aws-msk-iam-sasl-signer: base64url (unpadded) of the presigned URL. */
export function checkIamToken(token: string, expect: IamExpectation): IamCheck {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) return fail('the token is not base64url');
  let url: URL;
  try {
    url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return fail('the token is not the base64url of a URL');
  }
  if (url.protocol !== 'https:' || url.pathname !== '/')
    return fail(`the token's URL is not https://<host>/`);
  const host = /^kafka\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname);
  if (!host) return fail(`the token's host ${url.hostname} is not kafka.<region>.amazonaws.com`);
  if (host[1] !== expect.region)
    return fail(`the token is for region ${host[1]}, the cluster is in ${expect.region}`);
  const byName = new Map<string, string>();
  for (const [name, value] of url.searchParams) byName.set(name.toLowerCase(), value);
  return checkPresignedConnect((name) => byName.get(name.toLowerCase()), expect);
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20240230 over to March: a date that does not round-trip is not a date.
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1 || back.getUTCHours() !== h) return undefined;
  return ms;
}

function fail(reason: string): IamCheck {
  return { ok: false, reason };
}
