import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  type KMSClient,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
} from '@aws-sdk/client-kms';
import { keyPolicy, kmsClient, kmsRejects } from '../support/kms.js';
import { type RunningTideway, startServer } from '../support/tideway.js';

const OWNER = '111111111111';
const OTHER = '222222222222';

// KMS API Reference: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant;
// Developer Guide, "Grants in AWS KMS" (a grant allows its grantee the operations it lists,
// within its encryption-context constraints, beside the key policy).
describe('KMS grants', () => {
  let server: RunningTideway;
  let owner: KMSClient;
  let other: KMSClient;
  before(async () => {
    server = await startServer();
    owner = kmsClient(server.endpoint, { credentials: { accessKeyId: OWNER, secretAccessKey: 'x' } });
    other = kmsClient(server.endpoint, { credentials: { accessKeyId: OTHER, secretAccessKey: 'x' } });
  });
  after(async () => {
    owner.destroy();
    other.destroy();
    await server.stop();
  });

  it('lets another account use a key only through a grant, within its constraints', async () => {
    const { KeyMetadata } = await owner.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    // The owner seals for a team; the other account opens with that team's context.
    const sealFor = (team: string, text: string) =>
      owner.send(
        new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from(text), EncryptionContext: { team } }),
      );
    const openAsOther = (blob: Uint8Array | undefined, team: string) =>
      other.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { team } }));
    const sealed = await sealFor('a', 'shared');
    await kmsRejects(
      openAsOther(sealed.CiphertextBlob, 'a'),
      'AccessDeniedException',
      `User: arn:aws:iam::${OTHER}:root is not authorized to perform: kms:Decrypt on resource: ${arn} because no resource-based policy allows the kms:Decrypt action`,
    );

    // Asked twice below: the same request must answer the same grant.
    const teamA = () =>
      new CreateGrantCommand({
        KeyId: arn,
        GranteePrincipal: `arn:aws:iam::${OTHER}:root`,
        RetiringPrincipal: `arn:aws:iam::${OTHER}:root`,
        Operations: ['Decrypt'],
        Constraints: { EncryptionContextSubset: { team: 'a' } },
        Name: 'team-a',
      });
    const grant = await owner.send(teamA());
    assert.match(grant.GrantId!, /^[0-9a-f]{64}$/);
    assert.ok(grant.GrantToken);
    const same = await owner.send(teamA());
    assert.equal(same.GrantId, grant.GrantId, 'the same grant asked again is the same grant');

    const opened = await openAsOther(sealed.CiphertextBlob, 'a');
    assert.equal(Buffer.from(opened.Plaintext!).toString(), 'shared');
    await kmsRejects(
      other.send(
        new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x'), EncryptionContext: { team: 'a' } }),
      ),
      'AccessDeniedException',
    );
    const otherContext = await sealFor('b', 'x');
    await kmsRejects(openAsOther(otherContext.CiphertextBlob, 'b'), 'AccessDeniedException');

    const listed = await owner.send(new ListGrantsCommand({ KeyId: arn }));
    assert.equal(listed.Grants?.length, 1);
    const entry = listed.Grants![0]!;
    assert.equal(entry.KeyId, arn);
    assert.equal(entry.GrantId, grant.GrantId);
    assert.equal(entry.Name, 'team-a');
    assert.equal(entry.GranteePrincipal, `arn:aws:iam::${OTHER}:root`);
    assert.equal(entry.IssuingAccount, `arn:aws:iam::${OWNER}:root`);
    assert.deepEqual(entry.Operations, ['Decrypt']);
    assert.deepEqual(entry.Constraints, { EncryptionContextSubset: { team: 'a' } });
    assert.ok(entry.CreationDate instanceof Date);

    const retirable = await owner.send(
      new ListRetirableGrantsCommand({ RetiringPrincipal: `arn:aws:iam::${OTHER}:root` }),
    );
    assert.deepEqual(
      retirable.Grants?.map((g) => g.GrantId),
      [grant.GrantId],
    );

    await other.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
    assert.deepEqual((await owner.send(new ListGrantsCommand({ KeyId: arn }))).Grants, []);
    await kmsRejects(
      other.send(
        new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { team: 'a' } }),
      ),
      'AccessDeniedException',
    );
  });

  it('lets a service principal use a key through a grant', async () => {
    const { KeyMetadata } = await owner.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const grant = await owner.send(
      new CreateGrantCommand({
        KeyId: arn,
        GranteePrincipal: 'sns.amazonaws.com',
        Operations: ['GenerateDataKey'],
      }),
    );
    // A grant token does not make its bearer the grantee.
    const sealed = await owner.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await kmsRejects(
      other.send(
        new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, GrantTokens: [grant.GrantToken!] }),
      ),
      'AccessDeniedException',
    );
    const grants = await owner.send(
      new ListGrantsCommand({ KeyId: arn, GranteePrincipal: 'sns.amazonaws.com' }),
    );
    assert.deepEqual(
      grants.Grants?.map((g) => g.GrantId),
      [grant.GrantId],
    );
    await owner.send(new RevokeGrantCommand({ KeyId: arn, GrantId: grant.GrantId }));
    await kmsRejects(
      owner.send(new RevokeGrantCommand({ KeyId: arn, GrantId: grant.GrantId })),
      'NotFoundException',
      `Grant ID ${grant.GrantId} not found`,
    );
    await kmsRejects(
      owner.send(new RetireGrantCommand({ KeyId: arn, GrantId: grant.GrantId })),
      'NotFoundException',
    );
  });

  it('checks grant requests', async () => {
    const { KeyMetadata } = await owner.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    // SNS may decrypt: asked once as a dry run, once after the policy refuses CreateGrant.
    const snsDecrypt = (dryRun: boolean) =>
      new CreateGrantCommand({
        KeyId: arn,
        GranteePrincipal: 'sns.amazonaws.com',
        Operations: ['Decrypt'],
        ...(dryRun ? { DryRun: true } : {}),
      });
    await kmsRejects(
      owner.send(
        new CreateGrantCommand({ KeyId: arn, GranteePrincipal: 'sns.amazonaws.com', Operations: ['Sign'] }),
      ),
      'ValidationException',
    );
    await kmsRejects(
      owner.send(new RetireGrantCommand({})),
      'ValidationException',
      'Grant token OR (grant ID, key ID) must be specified',
    );
    await kmsRejects(
      owner.send(new RetireGrantCommand({ GrantToken: 'nope' })),
      'InvalidGrantTokenException',
    );
    await kmsRejects(
      owner.send(snsDecrypt(true)),
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
    assert.deepEqual((await owner.send(new ListGrantsCommand({ KeyId: arn }))).Grants, []);
    // A key policy that no longer allows the owner CreateGrant refuses it.
    await owner.send(
      new PutKeyPolicyCommand({
        KeyId: arn,
        BypassPolicyLockoutSafetyCheck: true,
        Policy: keyPolicy(
          [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*' }],
          OWNER,
        ),
      }),
    );
    await kmsRejects(owner.send(snsDecrypt(false)), 'AccessDeniedException');
  });
});
