import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateSMSSandboxPhoneNumberCommand,
  DeleteEndpointCommand,
  DeletePlatformApplicationCommand,
  DeleteSMSSandboxPhoneNumberCommand,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  GetSMSAttributesCommand,
  GetSMSSandboxAccountStatusCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListOriginationNumbersCommand,
  ListPhoneNumbersOptedOutCommand,
  ListPlatformApplicationsCommand,
  ListSMSSandboxPhoneNumbersCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetSMSAttributesCommand,
  type SNSClient,
  VerifySMSSandboxPhoneNumberCommand,
} from '@aws-sdk/client-sns';
import { snsClient, snsOutbox } from '../support/sns.js';
import { errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

describe('SNS mobile push and SMS', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
  });
  after(() => server.stop());

  const outbox = (query: string) => snsOutbox(server.endpoint, query);

  // SNS guide, "Mobile push notifications": applications hold the push credentials, endpoints the
  // device tokens; a push to a disabled endpoint answers EndpointDisabled.
  it('manages platform applications and endpoints, pushing to the outbox', async () => {
    const name = uniqueName('app');
    const { PlatformApplicationArn } = await sns.send(
      new CreatePlatformApplicationCommand({
        Name: name,
        Platform: 'GCM',
        Attributes: { PlatformCredential: 'server-key' },
      }),
    );
    assert.equal(PlatformApplicationArn, `arn:aws:sns:us-east-1:000000000000:app/GCM/${name}`);
    const app = await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn }));
    assert.equal(app.Attributes?.Enabled, 'true');
    assert.equal(app.Attributes?.PlatformCredential, undefined, 'credentials are never returned');
    const apps = await sns.send(new ListPlatformApplicationsCommand({}));
    assert.ok(apps.PlatformApplications?.some((a) => a.PlatformApplicationArn === PlatformApplicationArn));

    const { EndpointArn } = await sns.send(
      new CreatePlatformEndpointCommand({
        PlatformApplicationArn,
        Token: 'device-1',
        CustomUserData: 'user 7',
      }),
    );
    assert.match(
      EndpointArn!,
      new RegExp(`^arn:aws:sns:us-east-1:000000000000:endpoint/GCM/${name}/[0-9a-f-]{36}$`),
    );
    const again = await sns.send(
      new CreatePlatformEndpointCommand({
        PlatformApplicationArn,
        Token: 'device-1',
        CustomUserData: 'user 7',
      }),
    );
    assert.equal(again.EndpointArn, EndpointArn);
    const clash = await errorOf(() =>
      sns.send(
        new CreatePlatformEndpointCommand({
          PlatformApplicationArn,
          Token: 'device-1',
          CustomUserData: 'other',
        }),
      ),
    );
    assert.equal(clash.name, 'InvalidParameterException');
    const attrs = await sns.send(new GetEndpointAttributesCommand({ EndpointArn }));
    assert.deepEqual(attrs.Attributes, { Enabled: 'true', Token: 'device-1', CustomUserData: 'user 7' });

    await sns.send(
      new PublishCommand({
        TargetArn: EndpointArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'plain', GCM: '{"notification":{"title":"hi"}}' }),
      }),
    );
    const [push] = await outbox(`protocol=application&endpoint=${encodeURIComponent(EndpointArn!)}`);
    assert.equal(push.message, '{"notification":{"title":"hi"}}');

    await sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
    const disabled = await errorOf(() =>
      sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'x' })),
    );
    assert.equal(disabled.name, 'EndpointDisabledException');
    assert.equal(disabled.message, 'Endpoint is disabled');

    const listed = await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn }));
    assert.equal(listed.Endpoints?.length, 1);
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn }));
    const gone = await errorOf(() =>
      sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn })),
    );
    assert.equal(gone.name, 'NotFoundException');
    const badPlatform = await errorOf(() =>
      sns.send(
        new CreatePlatformApplicationCommand({
          Name: 'x',
          Platform: 'PAGER',
          Attributes: { PlatformCredential: 'k' },
        }),
      ),
    );
    assert.equal(badPlatform.message, 'Invalid parameter: Platform Reason: PAGER is not supported');
  });

  // SNS API Reference, SetSMSAttributes / GetSMSAttributes / opt-out operations.
  it('keeps SMS settings and opt-outs per account', async () => {
    await sns.send(
      new SetSMSAttributesCommand({
        attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'Tide' },
      }),
    );
    const { attributes } = await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }));
    assert.deepEqual(attributes, { DefaultSMSType: 'Transactional' });
    const bad = await errorOf(() =>
      sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })),
    );
    assert.equal(bad.name, 'InvalidParameterException');
    const { isOptedOut } = await sns.send(
      new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550101' }),
    );
    assert.equal(isOptedOut, false);
    const { phoneNumbers } = await sns.send(new ListPhoneNumbersOptedOutCommand({}));
    assert.deepEqual(phoneNumbers, []);
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: '+15555550101' }));
    const numbers = await sns.send(new ListOriginationNumbersCommand({}));
    assert.deepEqual(numbers.PhoneNumbers, []);
  });

  // SNS guide, "Adding and verifying phone numbers in the SMS sandbox": a one-time password is sent.
  it('verifies sandbox phone numbers with the one-time password sent by SMS', async () => {
    const status = await sns.send(new GetSMSSandboxAccountStatusCommand({}));
    assert.equal(status.IsInSandbox, false);
    const phone = '+15555550123';
    await sns.send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: phone, LanguageCode: 'en-US' }));
    const [otp] = await outbox(`protocol=sms&endpoint=${encodeURIComponent(phone)}`);
    const code = /(\d{6})/.exec(otp.message)![1];
    const wrong = await errorOf(() =>
      sns.send(
        new VerifySMSSandboxPhoneNumberCommand({
          PhoneNumber: phone,
          OneTimePassword: '000000' === code ? '111111' : '000000',
        }),
      ),
    );
    assert.equal(wrong.name, 'VerificationException');
    await sns.send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: phone, OneTimePassword: code }));
    const { PhoneNumbers } = await sns.send(new ListSMSSandboxPhoneNumbersCommand({}));
    assert.deepEqual(PhoneNumbers, [{ PhoneNumber: phone, Status: 'Verified' }]);
    await sns.send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: phone }));
    const missing = await errorOf(() =>
      sns.send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: phone })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });
});
