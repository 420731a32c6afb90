import { isRef, isUnknown, type Sym } from '../model.js';
import { withoutPseudoParameters } from './relations.js';

/**
 * Telling a secret written into a template from a reference to one. A template is read by
 * everyone who can read the repository, and CloudFormation shows literal property values and
 * plain parameters in its console and API; a dynamic reference or a NoEcho parameter is not shown.
 */

/** `{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}` (or `ssm`): resolved at deploy time. */
export function isDynamicReference(text: string): boolean {
  return /\{\{resolve:(secretsmanager|ssm-secure|ssm):/.test(text);
}

export function isSecretArn(text: string): boolean {
  return /^arn:[^:]*:secretsmanager:/.test(withoutPseudoParameters(text.trim()));
}

/** How a credential value is written. */
export type CredentialSource =
  /** Written in the template: a finding. */
  | { kind: 'literal'; text: string }
  /** A parameter that is not NoEcho: its value shows in the console and API. */
  | { kind: 'visible-parameter'; param: string }
  /** A dynamic reference, a secret, a NoEcho parameter, a reference, or nothing at all. */
  | { kind: 'safe'; why: string }
  /** Cannot be told: the caller explains. */
  | { kind: 'unknown'; reason: string };

export function credentialSource(value: Sym | undefined): CredentialSource {
  if (value === undefined || value === null || value === '') return { kind: 'safe', why: 'empty' };
  if (isUnknown(value)) {
    if (value.param !== undefined && value.noEcho)
      return { kind: 'safe', why: `NoEcho parameter ${value.param}` };
    // Only the parameter itself is a password shown in the console; a string built around one
    // (`{{resolve:secretsmanager:${SecretName}…}}`) may well be a reference to a secret.
    if (
      value.param !== undefined &&
      [`parameter ${value.param}`, `variable ${value.param}`].includes(value.$unknown)
    )
      return { kind: 'visible-parameter', param: value.param };
    return { kind: 'unknown', reason: value.$unknown };
  }
  if (isRef(value)) return { kind: 'safe', why: `reference to ${value.$ref}` };
  if (typeof value === 'string') {
    if (isDynamicReference(value)) return { kind: 'safe', why: 'dynamic reference' };
    if (isSecretArn(value)) return { kind: 'safe', why: 'secret ARN' };
    return { kind: 'literal', text: value };
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return { kind: 'literal', text: String(value) };
  return { kind: 'unknown', reason: `not a literal value (${JSON.stringify(value)})` };
}

/** Words that make an environment variable name a credential… */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'credential',
  'credentials',
]);
/** …unless it ends in one of these: then it names where the credential is, or a setting about it. */
const POINTER_WORDS = new Set([
  'arn',
  'name',
  'id',
  'path',
  'param',
  'parameter',
  'ref',
  'uri',
  'url',
  'file',
  'region',
  'endpoint',
  'version',
  'stage',
  'length',
  'policy',
  'manager',
  'enabled',
  'required',
  'mode',
  'type',
  'rotation',
  'hash',
  'location',
  'store',
  'prefix',
  'field',
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** PASSWORD, DB_PASSWD, KAFKA_SASL_PASSWORD, MQ_PASS, clientSecret… but not SECRET_ARN or PASSWORD_PARAM. */
export function isCredentialName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0) return false;
  const last = parts[parts.length - 1] as string;
  if (POINTER_WORDS.has(last)) return false;
  // A lone PWD is the shell's working directory, not a password.
  if (parts.length === 1 && last === 'pwd') return false;
  if (parts.some((word) => CREDENTIAL_WORDS.has(word))) return true;
  // KAFKA_SASL_JAAS_CONFIG carries the whole login line, password included.
  return parts.includes('jaas');
}

/**
 * A credential embedded in a connection string or client configuration: `amqps://user:pass@host`,
 * `stomp+ssl://u:p@…`, `sasl.jaas.config=… password="…"`, `failover:(ssl://…)?…password=…`.
 * Returns what was found (without the secret), or undefined.
 */
export function embeddedCredential(text: string): string | undefined {
  const userInfo = /([a-z][a-z0-9+.-]*):\/\/([^\s/:@()]+):([^\s/@()]+)@/i.exec(text);
  if (userInfo && isWritten(userInfo[3] as string)) return `a password in the ${userInfo[1]}:// URL`;
  const jaas = /password\s*=\s*"([^"]*)"/i.exec(text);
  if (jaas && isWritten(jaas[1] as string)) return 'a password in a JAAS login configuration';
  const query = /[?&;,\s(]((?:[a-z]+\.)*(?:password|passwd|pass))=([^&\s;,)]+)/i.exec(text);
  if (query && isWritten(query[2] as string)) return `a ${query[1]} option in a connection string`;
  return undefined;
}

/** A password part that is written out, not a placeholder filled in elsewhere. */
function isWritten(secret: string): boolean {
  if (secret === '' || isDynamicReference(secret)) return false;
  return !/^(\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|%[^%]+%|<[^>]*>|\{\{[^}]*\}\}|\*+)$/i.test(secret);
}
