/** A grant: a row of `kmsGrants`, keyed by its id. */
export interface GrantRecord {
  grantId: string;
  grantToken: string;
  keyArn: string;
  keyId: string;
  account: string;
  region: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  issuingAccount: string;
  /** Operation names without `kms:` (`Encrypt`), as CreateGrant takes them. */
  operations: string[];
  constraints?: {
    EncryptionContextSubset?: Record<string, string>;
    EncryptionContextEquals?: Record<string, string>;
  };
  createdAt: number;
}
