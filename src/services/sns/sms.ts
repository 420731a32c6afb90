import { randomInt } from 'node:crypto';
import type * as Sns from '@aws-sdk/client-sns';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { RecordStore } from '../../storage/types.js';
import { snsTimestamp } from './envelope.js';
import { snsError } from './errors.js';
import type { Outbox } from './outbox.js';
import { paginate } from './paging.js';

/** One account's SMS state in one region: its settings, opted-out numbers and sandbox destinations. */
export interface SmsAccount {
  key: string;
  attributes: Record<string, string>;
  optedOut: string[];
  sandbox: Array<{
    phoneNumber: string;
    status: 'Pending' | 'Verified';
    code: string;
    languageCode?: string;
  }>;
}

// SetSMSAttributes names (SNS API Reference, SetSMSAttributes).
const SMS_ATTRIBUTES = new Set([
  'MonthlySpendLimit',
  'DeliveryStatusIAMRole',
  'DeliveryStatusSuccessSamplingRate',
  'DefaultSenderID',
  'DefaultSMSType',
  'UsageReportS3Bucket',
]);
const E164 = /^\+[1-9]\d{1,14}$/;

/** Phone numbers are E.164; SNS also accepts them without the plus. */
export function isPhoneNumber(value: string): boolean {
  return E164.test(value.startsWith('+') ? value : `+${value}`);
}

/**
 * SMS settings, opt-outs and the SMS sandbox. No text leaves the machine: what would be sent
 * (including the sandbox's one-time passwords) goes to the outbox.
 */
export class SmsService {
  constructor(
    private readonly accounts: RecordStore<SmsAccount>,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  private account(ctx: RequestContext): SmsAccount {
    const key = `${ctx.caller.account}/${ctx.caller.region}`;
    return this.accounts.get(key) ?? { key, attributes: {}, optedOut: [], sandbox: [] };
  }

  async setSMSAttributes(input: Sns.SetSMSAttributesInput, ctx: RequestContext): Promise<void> {
    const account = this.account(ctx);
    const attributes = { ...account.attributes };
    for (const [name, value] of Object.entries(input.attributes ?? {})) {
      // SetSMSAttributes words its errors without the "Invalid parameter: " lead.
      if (!SMS_ATTRIBUTES.has(name)) throw snsError.invalidParameterText(`${name} is not a valid attribute`);
      if (name === 'DefaultSMSType' && value !== 'Promotional' && value !== 'Transactional') {
        throw snsError.invalidParameterText('DefaultSMSType is invalid');
      }
      if (name === 'MonthlySpendLimit' && !/^\d+$/.test(value))
        throw snsError.invalidParameter('MonthlySpendLimit');
      attributes[name] = value;
    }
    await this.accounts.put(account.key, { ...account, attributes });
  }

  getSMSAttributes(input: Sns.GetSMSAttributesInput, ctx: RequestContext): Sns.GetSMSAttributesResponse {
    const all = { MonthlySpendLimit: '1', ...this.account(ctx).attributes } as Record<string, string>;
    const wanted = input.attributes;
    if (!wanted || wanted.length === 0) return { attributes: all };
    return { attributes: Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]])) };
  }

  checkIfPhoneNumberIsOptedOut(
    input: Sns.CheckIfPhoneNumberIsOptedOutInput,
    ctx: RequestContext,
  ): Sns.CheckIfPhoneNumberIsOptedOutResponse {
    const phone = input.phoneNumber ?? '';
    if (!isPhoneNumber(phone)) throw snsError.invalidParameter('PhoneNumber');
    return { isOptedOut: this.account(ctx).optedOut.includes(phone) };
  }

  listPhoneNumbersOptedOut(
    input: Sns.ListPhoneNumbersOptedOutInput,
    ctx: RequestContext,
  ): Sns.ListPhoneNumbersOptedOutResponse {
    const { page, next } = paginate(this.account(ctx).optedOut, input.nextToken);
    return { phoneNumbers: page, nextToken: next };
  }

  async optInPhoneNumber(input: Sns.OptInPhoneNumberInput, ctx: RequestContext): Promise<void> {
    const phone = input.phoneNumber ?? '';
    if (!isPhoneNumber(phone)) throw snsError.invalidParameter('PhoneNumber', 'input incorrectly formatted');
    const account = this.account(ctx);
    await this.accounts.put(account.key, {
      ...account,
      optedOut: account.optedOut.filter((p) => p !== phone),
    });
  }

  /** Tideway accounts are out of the SMS sandbox: local sends are never billed or blocked. */
  getSMSSandboxAccountStatus(): Sns.GetSMSSandboxAccountStatusResult {
    return { IsInSandbox: false };
  }

  async createSMSSandboxPhoneNumber(
    input: Sns.CreateSMSSandboxPhoneNumberInput,
    ctx: RequestContext,
  ): Promise<void> {
    const phone = input.PhoneNumber ?? '';
    if (!isPhoneNumber(phone)) throw snsError.invalidParameter('PhoneNumber');
    const account = this.account(ctx);
    const code = String(randomInt(100_000, 1_000_000));
    const sandbox = account.sandbox.filter((s) => s.phoneNumber !== phone);
    sandbox.push({ phoneNumber: phone, status: 'Pending', code, languageCode: input.LanguageCode });
    await this.accounts.put(account.key, { ...account, sandbox });
    this.outbox.add({
      id: `otp-${code}-${phone}`,
      timestamp: snsTimestamp(this.clock.now()),
      type: 'Notification',
      protocol: 'sms',
      endpoint: phone,
      message: `Your verification code is ${code}`,
    });
  }

  async verifySMSSandboxPhoneNumber(
    input: Sns.VerifySMSSandboxPhoneNumberInput,
    ctx: RequestContext,
  ): Promise<void> {
    const account = this.account(ctx);
    const entry = account.sandbox.find((s) => s.phoneNumber === input.PhoneNumber);
    if (!entry) throw snsError.resourceNotFound();
    if (entry.code !== input.OneTimePassword) throw snsError.verification('Invalid one-time password');
    const sandbox = account.sandbox.map((s) => (s === entry ? { ...s, status: 'Verified' as const } : s));
    await this.accounts.put(account.key, { ...account, sandbox });
  }

  listSMSSandboxPhoneNumbers(
    input: Sns.ListSMSSandboxPhoneNumbersInput,
    ctx: RequestContext,
  ): Sns.ListSMSSandboxPhoneNumbersResult {
    const { page, next } = paginate(this.account(ctx).sandbox, input.NextToken, input.MaxResults ?? 100);
    return {
      PhoneNumbers: page.map((s) => ({ PhoneNumber: s.phoneNumber, Status: s.status })),
      NextToken: next,
    };
  }

  async deleteSMSSandboxPhoneNumber(
    input: Sns.DeleteSMSSandboxPhoneNumberInput,
    ctx: RequestContext,
  ): Promise<void> {
    const account = this.account(ctx);
    if (!account.sandbox.some((s) => s.phoneNumber === input.PhoneNumber)) throw snsError.resourceNotFound();
    await this.accounts.put(account.key, {
      ...account,
      sandbox: account.sandbox.filter((s) => s.phoneNumber !== input.PhoneNumber),
    });
  }

  /** No origination numbers are provisioned locally: the list is empty, as for a new account. */
  listOriginationNumbers(input: Sns.ListOriginationNumbersRequest): Sns.ListOriginationNumbersResult {
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 30)) {
      throw snsError.validationException('MaxResults must be between 1 and 30');
    }
    return { PhoneNumbers: [] };
  }

  /** A number that opted out gets no SMS (SNS guide, "Opting out of receiving SMS messages"). */
  checkNotOptedOut(phone: string, ctx: RequestContext): void {
    if (this.account(ctx).optedOut.includes(phone)) throw snsError.optedOut();
  }

  async reset(): Promise<void> {
    await this.accounts.clear();
  }
}
