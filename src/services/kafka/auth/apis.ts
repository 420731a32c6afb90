import { errorCode } from '../../../protocols/kafka/error-codes.js';
import type { ApiRegistration, ConnectionState, KafkaRequestContext } from '../broker/types.js';
import { listenerMechanisms, newExchange } from './mechanisms.js';
import type { SaslExchange } from './types.js';

/**
 * SaslHandshake and SaslAuthenticate, following Kafka's SaslServerAuthenticator: a handshake
 * picks the mechanism, then the exchange runs in SaslAuthenticate requests (handshake v1) or in
 * bare size-prefixed tokens (handshake v0, KIP-43's original form, which kafka-python 2.0 uses).
 * A failed authentication is answered, then the connection is closed, as Kafka does.
 */

const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

interface SaslSession {
  mechanism: string;
  exchange: SaslExchange;
  state: 'authenticating' | 'done' | 'failed';
  /** The principal of the previous success while re-authenticating (KIP-368). */
  previousPrincipal?: string;
  /** Whether its success gave the client a session lifetime, which is what allows re-authentication. */
  expiring?: boolean;
}

const sessions = new WeakMap<ConnectionState, SaslSession>();

const AFTER_SUCCESS = 'SaslAuthenticate request received after successful authentication';

export const authApis: ApiRegistration[] = [
  { apiKey: SASL_HANDSHAKE, minVersion: 0, maxVersion: 1, beforeAuthentication: true, handle: handshake },
  {
    apiKey: SASL_AUTHENTICATE,
    minVersion: 0,
    maxVersion: 2,
    beforeAuthentication: true,
    handle: authenticate,
  },
];

function handshake(ctx: KafkaRequestContext, request: Record<string, any>): Record<string, unknown> {
  const connection = ctx.connection;
  const mechanisms = listenerMechanisms(connection.listener, ctx.cluster);
  const session = sessions.get(connection);
  // A listener without SASL answers as Kafka's request handler does once a connection is in.
  if (mechanisms.length === 0) return { errorCode: errorCode('ILLEGAL_SASL_STATE'), mechanisms: [] };
  if (session?.state === 'authenticating' || session?.state === 'failed') {
    closeAfterAnswer(connection);
    return { errorCode: errorCode('ILLEGAL_SASL_STATE'), mechanisms };
  }
  // Once in, a connection may authenticate again only when its session has a lifetime (KIP-368).
  const reauthenticating = session?.state === 'done';
  if (reauthenticating && !session.expiring) {
    return { errorCode: errorCode('ILLEGAL_SASL_STATE'), mechanisms };
  }
  const mechanism = String(request.mechanism ?? '');
  if (!mechanisms.includes(mechanism)) {
    closeAfterAnswer(connection);
    return { errorCode: errorCode('UNSUPPORTED_SASL_MECHANISM'), mechanisms };
  }
  const exchange =
    reauthenticating && mechanism !== session.mechanism
      ? refusing(
          `SASL mechanism '${mechanism}' requested by client is not supported for re-authentication of mechanism '${session.mechanism}'`,
        )
      : newExchange(mechanism, ctx.cluster, connection.remote);
  const next: SaslSession = { mechanism, exchange, state: 'authenticating' };
  if (reauthenticating) next.previousPrincipal = connection.principal;
  else {
    // The default cluster's plaintext port lets clients in without SASL; one that starts SASL
    // is held to it, as on a SASL port.
    connection.authenticated = false;
    connection.principal = undefined;
  }
  sessions.set(connection, next);
  if (ctx.apiVersion === 0) connection.rawSasl = (token) => Promise.resolve(rawStep(ctx, next, token));
  return { errorCode: 0, mechanisms };
}

function authenticate(ctx: KafkaRequestContext, request: Record<string, any>): Record<string, unknown> {
  const connection = ctx.connection;
  const session = sessions.get(connection);
  if (!session) {
    if (connection.authenticated)
      return { errorCode: errorCode('ILLEGAL_SASL_STATE'), errorMessage: AFTER_SUCCESS };
    closeAfterAnswer(connection);
    return {
      errorCode: errorCode('ILLEGAL_SASL_STATE'),
      errorMessage: 'Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.',
    };
  }
  if (session.state === 'done')
    return { errorCode: errorCode('ILLEGAL_SASL_STATE'), errorMessage: AFTER_SUCCESS };
  if (session.state === 'failed') {
    closeAfterAnswer(connection);
    return { errorCode: errorCode('ILLEGAL_SASL_STATE'), errorMessage: 'Authentication has already failed.' };
  }
  const token: Buffer = Buffer.isBuffer(request.authBytes) ? request.authBytes : Buffer.alloc(0);
  const outcome = step(ctx, session, token);
  if (outcome.failure !== undefined) {
    closeAfterAnswer(connection);
    return { errorCode: errorCode('SASL_AUTHENTICATION_FAILED'), errorMessage: outcome.failure };
  }
  return { errorCode: 0, authBytes: outcome.reply, sessionLifetimeMs: BigInt(outcome.lifetimeMs) };
}

/** After a v0 handshake: a bare token in, a bare token out; a failure closes without a word. */
function rawStep(ctx: KafkaRequestContext, session: SaslSession, token: Buffer): Buffer | undefined {
  const outcome = step(ctx, session, token);
  if (session.state !== 'authenticating') ctx.connection.rawSasl = undefined;
  return outcome.failure === undefined ? outcome.reply : undefined;
}

function step(
  ctx: KafkaRequestContext,
  session: SaslSession,
  token: Buffer,
): { reply: Buffer; failure?: string; lifetimeMs: number } {
  const connection = ctx.connection;
  let result: ReturnType<SaslExchange['step']>;
  try {
    result = session.exchange.step(token);
  } catch (err) {
    ctx.cluster.log.warn({ err, mechanism: session.mechanism }, 'Kafka SASL: the exchange failed');
    result = {
      reply: Buffer.alloc(0),
      done: true,
      failure: `Authentication failed: ${session.mechanism} error`,
    };
  }
  if (!result.done) return { reply: result.reply, lifetimeMs: 0 };
  let failure = result.failure;
  const principal = result.principal;
  if (failure === undefined && principal === undefined) failure = 'Authentication failed';
  if (
    failure === undefined &&
    session.previousPrincipal !== undefined &&
    principal !== session.previousPrincipal
  ) {
    failure = `Cannot change principals during re-authentication from User.${session.previousPrincipal}: User.${principal}`;
  }
  if (failure !== undefined || principal === undefined) {
    session.state = 'failed';
    connection.authenticated = false;
    ctx.cluster.log.debug(
      { cluster: ctx.cluster.id, remote: connection.remote, mechanism: session.mechanism, failure },
      'Kafka SASL: authentication failed',
    );
    return { reply: Buffer.alloc(0), failure: failure ?? 'Authentication failed', lifetimeMs: 0 };
  }
  session.state = 'done';
  connection.principal = principal;
  connection.authenticated = true;
  const lifetimeMs = sessionLifetimeMs(ctx, session.exchange);
  session.expiring = lifetimeMs > 0;
  return { reply: result.reply, lifetimeMs };
}

/**
 * KIP-368: the shorter of the credential's remaining life (an IAM token's expiry) and
 * connections.max.reauth.ms; 0 when neither applies, which tells the client never to re-authenticate.
 */
function sessionLifetimeMs(ctx: KafkaRequestContext, exchange: SaslExchange): number {
  const now = ctx.cluster.clock.now();
  const configured = Number(ctx.cluster.config('connections.max.reauth.ms') ?? 0);
  const reauthMs = Number.isFinite(configured) && configured > 0 ? configured : undefined;
  const credentialMs = exchange.expiresAt === undefined ? undefined : Math.max(0, exchange.expiresAt - now);
  if (credentialMs === undefined) return reauthMs ?? 0;
  return reauthMs === undefined ? credentialMs : Math.min(credentialMs, reauthMs);
}

function refusing(message: string): SaslExchange {
  return { step: () => ({ reply: Buffer.alloc(0), done: true, failure: message }) };
}

// The connection holds the answer's place already: it closes once that answer is written, so the
// client reads why before the connection ends.
function closeAfterAnswer(connection: ConnectionState): void {
  connection.close();
}
