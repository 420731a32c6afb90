/**
 * Secrets Manager for other services that keep credentials in a secret of the account (EventBridge
 * connections: `events!connection/<name>/<uuid>`), as the service does in AWS (managed-secrets.ts).
 */
export interface SecretsFrontDoor {
  /** Creates a service-managed secret and returns its ARN. */
  create(
    account: string,
    region: string,
    name: string,
    value: string,
    options?: { kmsKeyId?: string; description?: string; owningService?: string },
  ): Promise<string>;
  /** The current value (AWSCURRENT). */
  read(arn: string): Promise<string>;
  update(arn: string, value: string): Promise<void>;
  /** Deletes at once, without a recovery window. */
  remove(arn: string): Promise<void>;
  /**
   * What a service that reads a customer's own secret (MSK's SCRAM users) checks before using
   * it: undefined when no secret has that exact ARN.
   */
  describe(arn: string): SecretFacts | undefined;
  /**
   * Calls `listener` with a secret's ARN after any change to it (a new value, staging labels,
   * its key, deletion), so a reader of AWSCURRENT can read it again. Answers the unsubscribe.
   */
  observe(listener: (arn: string) => void): () => void;
}

export interface SecretFacts {
  arn: string;
  name: string;
  account: string;
  region: string;
  /** The customer key as the owner gave it (id, ARN or alias); absent for `aws/secretsmanager`. */
  kmsKeyId?: string;
  /** DeleteSecret was called: the secret waits out its recovery window and cannot be read. */
  deleted: boolean;
}
