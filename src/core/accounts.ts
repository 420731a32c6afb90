/** The account used when an access key id is not itself a 12-digit account id. */
export const DEFAULT_ACCOUNT = '000000000000';

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** A 12-digit access key id names that account; any other key maps to the default account. */
export function accountForAccessKey(accessKeyId: string | undefined): string {
  return accessKeyId && ACCOUNT_ID.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}

/** Where a request acts: resources are isolated per account and region. */
export interface Caller {
  account: string;
  region: string;
  accessKeyId?: string;
}
