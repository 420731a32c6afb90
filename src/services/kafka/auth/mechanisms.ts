import type { ClusterRuntime, ListenerAddress } from '../broker/types.js';
import { awsMskIamServer, oauthBearerServer } from './iam-mechanisms.js';
import { plainServer } from './plain.js';
import { derivedCredential, scramServer } from './scram.js';
import type { SaslExchange } from './types.js';

/**
 * The SASL mechanisms a listener enables, as SaslHandshake lists them. MSK gives SCRAM and IAM
 * their own ports; its plaintext and TLS ports take no SASL at all. The default cluster's
 * plaintext port also takes PLAIN, from anyone, so clients configured for SASL run unchanged.
 */
export function listenerMechanisms(listener: ListenerAddress, cluster: ClusterRuntime): string[] {
  switch (listener.kind) {
    case 'PLAINTEXT':
      return cluster.isDefault ? ['PLAIN'] : [];
    case 'SASL_SCRAM':
      return ['SCRAM-SHA-512'];
    case 'SASL_IAM':
      return ['OAUTHBEARER', 'AWS_MSK_IAM'];
    case 'TLS':
      return [];
  }
}

/** A new server-side exchange for one of the listener's mechanisms. */
export function newExchange(mechanism: string, cluster: ClusterRuntime, remote: string): SaslExchange {
  const expect = () => ({ region: cluster.region, account: cluster.account, now: cluster.clock.now() });
  const refused = (name: string, reason: string) =>
    cluster.log.info(
      { cluster: cluster.id, remote, mechanism: name, reason },
      'Kafka SASL: IAM credentials refused',
    );
  switch (mechanism) {
    case 'PLAIN':
      // Only the default cluster lists PLAIN, and it keeps no users.
      return plainServer(() => true);
    case 'SCRAM-SHA-512':
      // Read at each authentication: after a secret changes, its old password stops working for
      // new connections, as on MSK.
      return scramServer({
        mechanism,
        credential: (user) => {
          const password = cluster.scramUsers().get(user)?.password;
          return password === undefined ? undefined : derivedCredential(mechanism, user, password);
        },
      });
    case 'OAUTHBEARER':
      return oauthBearerServer(expect, refused);
    case 'AWS_MSK_IAM':
      return awsMskIamServer(expect, refused);
    default:
      throw new Error(`SASL mechanism ${mechanism} is not served`);
  }
}
