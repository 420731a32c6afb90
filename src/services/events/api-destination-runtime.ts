import { ServiceError } from '../../protocols/errors.js';
import type { SecretsFrontDoor } from '../secretsmanager/front-door.js';
import { type ConnectionCredentials, credentialsFromSecret } from './connection-auth.js';
import { eventsError } from './errors.js';
import { InvocationRate } from './invocation-rate.js';
import { OAuthTokens } from './oauth-tokens.js';
import type { ConnectionRecord } from './records.js';
import type { EventsState } from './state.js';

/**
 * The least time, on the server's clock, an OAuth connection stays AUTHORIZING. AWS's recorded DescribeConnection right after CreateConnection shows
 * AUTHORIZING even for an endpoint that answers at once; without this floor an endpoint that fails
 * fast (a name that does not resolve) would show DEAUTHORIZED before the caller's next call.
 */
export const MIN_AUTHORIZING_MS = 250;

/**
 * What connections and API destinations keep beside their records, shared by the API handlers and
 * the target kind: access tokens, invocation rates, OAuth authorizations under way, and the
 * credentials read from each connection's secret (read again whenever the connection changes).
 */
export class ApiDestinationRuntime {
  readonly tokens: OAuthTokens;
  readonly rate: InvocationRate;
  /** OAuth connections in AUTHORIZING, by ARN: deliveries wait for the outcome. */
  readonly authorizing = new Map<string, Promise<void>>();
  private readonly credentialCache = new Map<
    string,
    { modifiedAt: number; credentials: ConnectionCredentials }
  >();

  constructor(private readonly state: EventsState) {
    this.tokens = new OAuthTokens(state.clock);
    this.rate = new InvocationRate(state.clock, state.scheduler);
  }

  /**
   * Secrets Manager as EventBridge uses it: what it refuses (a KmsKeyIdentifier KMS cannot use)
   * reaches the caller as EventBridge's ValidationException with Secrets Manager's text.
   */
  secrets(): SecretsFrontDoor {
    const door = this.state.frontDoors.secretsmanager;
    if (!door) throw new Error('Secrets Manager is not part of this Tideway.');
    const refused = (err: unknown): never => {
      if (err instanceof ServiceError && err.status < 500) throw eventsError.validation(err.message);
      throw err;
    };
    return {
      create: (...args) => door.create(...args).catch(refused),
      read: (arn) => door.read(arn).catch(refused),
      update: (arn, value) => door.update(arn, value).catch(refused),
      remove: (arn) => door.remove(arn).catch(refused),
      describe: (arn) => door.describe(arn),
      observe: (listener) => door.observe(listener),
    };
  }

  async credentials(connection: ConnectionRecord): Promise<ConnectionCredentials> {
    const cached = this.credentialCache.get(connection.arn);
    if (cached && cached.modifiedAt === connection.lastModifiedAt) return cached.credentials;
    const credentials = credentialsFromSecret(await this.secrets().read(connection.secretArn));
    this.credentialCache.set(connection.arn, { modifiedAt: connection.lastModifiedAt, credentials });
    return credentials;
  }

  /** The connection changed or went: its token and cached credentials go too. */
  forget(connectionArn: string): void {
    this.tokens.forget(connectionArn);
    this.credentialCache.delete(connectionArn);
  }

  /**
   * An OAuth connection's first token, fetched as the connection is created or updated: AUTHORIZED
   * when the authorization endpoint gives one, DEAUTHORIZED (with the reason) when it does not.
   */
  authorize(connection: ConnectionRecord, credentials: ConnectionCredentials): Promise<void> {
    const version = connection.lastModifiedAt;
    this.forget(connection.arn);
    // On the server's clock, as every other wait: a test with a frozen clock advances it.
    const floor = new Promise<void>((resolve) => {
      this.state.scheduler.at(this.state.clock.now() + MIN_AUTHORIZING_MS, resolve);
    });
    const run = this.tokens
      .fetch(connection.arn, credentials.OAuthParameters!)
      .then(
        () => ({ state: 'AUTHORIZED' as const, reason: undefined }),
        (err: Error) => ({ state: 'DEAUTHORIZED' as const, reason: err.message }),
      )
      .then(async (outcome) => {
        await floor;
        return outcome;
      })
      .then(async ({ state, reason }) => {
        const current = this.state.connections.get(connection.arn);
        // A later update or a delete decides the state now.
        if (!current || current.lastModifiedAt !== version || current.state !== 'AUTHORIZING') return;
        const now = this.state.clock.now();
        await this.state.connections.put(current.arn, {
          ...current,
          state,
          stateReason: reason,
          ...(state === 'AUTHORIZED' && { lastAuthorizedAt: now }),
        });
      })
      .catch((err: Error) =>
        this.state.log.warn({ err, connection: connection.arn }, 'connection authorization not recorded'),
      )
      .finally(() => {
        if (this.authorizing.get(connection.arn) === run) this.authorizing.delete(connection.arn);
      });
    this.authorizing.set(connection.arn, run);
    return run;
  }

  stop(): void {
    this.rate.stop();
  }
}

const runtimes = new WeakMap<EventsState, ApiDestinationRuntime>();

export function apiDestinationRuntime(state: EventsState): ApiDestinationRuntime {
  let runtime = runtimes.get(state);
  if (!runtime) {
    runtime = new ApiDestinationRuntime(state);
    runtimes.set(state, runtime);
  }
  return runtime;
}
