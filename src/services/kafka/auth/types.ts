// CONTRACT (auth slice): TLS material and SASL for the broker's listeners.

/** The server side of one SASL exchange (SCRAM-SHA-512, PLAIN, OAUTHBEARER). */
export interface SaslExchange {
  /**
   * Takes the client's next message; answers the server's reply, and once the exchange is over
   * either `principal` (success) or `failure` (AWS MSK's and Kafka's texts: the client sees it as
   * SASL_AUTHENTICATION_FAILED's message).
   */
  step(message: Buffer): { reply: Buffer; done: boolean; principal?: string; failure?: string };
  /** For OAUTHBEARER: when the token expires (clock ms), answered as session_lifetime_ms. */
  readonly expiresAt?: number;
}
