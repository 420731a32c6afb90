import type { ListenerKind } from '../broker/types.js';
import { mskError } from './errors.js';
import type { ClientAuthenticationRecord, ClientBroker } from './records.js';

interface Enabled {
  Enabled?: boolean;
}

/** ClientAuthentication as the API takes it (provisioned clusters). */
export interface ClientAuthenticationInput {
  Sasl?: { Scram?: Enabled; Iam?: Enabled };
  Tls?: Enabled & { CertificateAuthorityArnList?: string[] };
  Unauthenticated?: Enabled;
}

/**
 * The authentication a provisioned cluster gets: as given, or unauthenticated access when the call
 * names none, as MSK does.
 */
export function resolveAuthentication(
  input: ClientAuthenticationInput | undefined,
): ClientAuthenticationRecord {
  const cas = input?.Tls?.CertificateAuthorityArnList ?? [];
  const tls = input?.Tls?.Enabled ?? (input?.Tls !== undefined && cas.length > 0);
  const resolved: ClientAuthenticationRecord = {
    scram: input?.Sasl?.Scram?.Enabled === true,
    iam: input?.Sasl?.Iam?.Enabled === true,
    tls,
    certificateAuthorityArns: cas,
    unauthenticated: input === undefined ? true : input.Unauthenticated?.Enabled === true,
  };
  if (!resolved.scram && !resolved.iam && !resolved.tls && !resolved.unauthenticated)
    throw mskError.badRequest(
      'At least one client authentication method must be enabled: SASL/SCRAM, IAM, TLS or unauthenticated access.',
      'clientAuthentication',
    );
  for (const arn of cas)
    if (!/^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[A-Za-z0-9-]+$/.test(arn))
      throw mskError.badRequest(`${arn} is not the ARN of an ACM Private CA.`, 'certificateAuthorityArnList');
  return resolved;
}

/**
 * The listeners MSK opens, one port per client authentication: plaintext (9092) for unauthenticated
 * access when plaintext is allowed in transit; TLS (9094) for unauthenticated access over TLS or
 * mutual TLS; SASL/SCRAM (9096) and IAM (9098) over TLS only. SASL and mutual TLS need TLS in
 * transit, so with PLAINTEXT they are refused.
 */
export function listenerKinds(auth: ClientAuthenticationRecord, clientBroker: ClientBroker): ListenerKind[] {
  const tlsInTransit = clientBroker !== 'PLAINTEXT';
  if (!tlsInTransit && (auth.scram || auth.iam || auth.tls))
    throw mskError.badRequest(
      'SASL/SCRAM, IAM and TLS client authentication require TLS encryption between clients and brokers: set EncryptionInTransit.ClientBroker to TLS or TLS_PLAINTEXT.',
      'encryptionInfo',
    );
  const kinds: ListenerKind[] = [];
  if (auth.unauthenticated && clientBroker !== 'TLS') kinds.push('PLAINTEXT');
  if ((auth.unauthenticated || auth.tls) && tlsInTransit) kinds.push('TLS');
  if (auth.scram) kinds.push('SASL_SCRAM');
  if (auth.iam) kinds.push('SASL_IAM');
  return kinds;
}

/** Serverless clusters take IAM only, over TLS. */
export const SERVERLESS_LISTENERS: ListenerKind[] = ['SASL_IAM'];
