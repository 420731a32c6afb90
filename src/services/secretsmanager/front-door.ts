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
}
