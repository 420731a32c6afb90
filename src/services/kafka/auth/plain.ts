import type { SaslExchange } from './types.js';

/**
 * SASL PLAIN (RFC 4616) with Kafka's texts. Only the default cluster offers it (MSK has no
 * PLAIN), and that cluster keeps no users: `accept` decides, and there it takes anyone.
 */
export function plainServer(accept: (username: string, password: string) => boolean): SaslExchange {
  let over = false;
  const fail = (failure: string) => ({ reply: Buffer.alloc(0), done: true, failure });
  return {
    step(message) {
      if (over) return fail('Authentication failed: Invalid username or password');
      over = true;
      // message = [authzid] NUL authcid NUL passwd; Kafka splits on at most three NULs.
      const tokens = message.toString('utf8').split('\0');
      if (tokens.length !== 3) {
        return fail(`Invalid SASL/PLAIN response: expected 3 tokens, got ${Math.min(tokens.length, 4)}`);
      }
      const [authzid, username, password] = tokens as [string, string, string];
      if (username === '') return fail('Authentication failed: username not specified');
      if (password === '') return fail('Authentication failed: password not specified');
      if (!accept(username, password)) return fail('Authentication failed: Invalid username or password');
      if (authzid !== '' && authzid !== username) {
        return fail(
          'Authentication failed: Client requested an authorization id that is different from username',
        );
      }
      return { reply: Buffer.alloc(0), done: true, principal: username };
    },
  };
}
