import { randomUUID } from 'node:crypto';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CommandSigner, developmentSigningKey, privateKeyFromSeed } from '@tenderflow/temporal-common/command-signer';
import { coordinationWorkflowId } from '@tenderflow/temporal-common/ids';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import { respondToInvitationUpdate } from '../coordination/coordination.messages';
import { COMMAND_UPDATES } from '../tender/tender.messages';
import {
  actors,
  cmd,
  Harness,
  needsAnalysis,
  signer,
  startHarness,
  startTender,
  state,
  waitFor,
} from '../../test/support/tender-harness';
import { rotateCommandKeyUpdate } from './command-auth.messages';
import { checkCommandKey, keyIdOf, MAX_CLOCK_SKEW_MS } from '@tenderflow/temporal-common/command-signature';

/** A key no workflow here pinned. */
const stranger = new CommandSigner(privateKeyFromSeed(Buffer.alloc(32, 7)));
const next = new CommandSigner(privateKeyFromSeed(Buffer.alloc(32, 9)));
const mallory = { sub: 'mallory', name: 'Mallory', org: 'HSN', roles: ['approver' as const], approvalLimitSek: 1e15 };

interface SendOptions {
  by?: CommandSigner;
  /** The Update ID the signature names; default the one the Update is sent with. */
  signedUpdateId?: string;
  signedWorkflowId?: string;
  signedAt?: number;
  /** Changes the input after it was signed. */
  tamper?: (input: Record<string, unknown>) => Record<string, unknown>;
}

describe('signed commands: the workflow trusts only what the API signed', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'command-auth');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  async function send<R, I>(
    handle: WorkflowHandle,
    update: UpdateDefinition<R, [I], string>,
    input: I,
    o: SendOptions = {},
  ): Promise<R> {
    const updateId = randomUUID();
    const auth = (o.by ?? signer).sign({
      workflowId: o.signedWorkflowId ?? handle.workflowId,
      command: update.name,
      updateId: o.signedUpdateId ?? updateId,
      now: o.signedAt ?? (await env.currentTimeMs()),
      ...(input as { actor: unknown; payload: unknown }),
    });
    const sent = (o.tamper ?? ((x) => x))({ ...(input as Record<string, unknown>), auth });
    return handle.executeUpdate(update as UpdateDefinition<R, [Record<string, unknown>], string>, {
      args: [sent],
      updateId,
    });
  }

  /** The refusal's type and rule, from the validator (so nothing reached history). */
  async function refusalOf(p: Promise<unknown>): Promise<{ type?: string; rule?: string; message: string }> {
    const err = await p.then(
      () => {
        throw new Error('expected the Update to be refused');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    return {
      type: cause.type ?? undefined,
      rule: (cause.details?.[0] as { rule?: string })?.rule,
      message: cause.message,
    };
  }

  async function acceptedUpdates(handle: WorkflowHandle): Promise<number> {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  }

  it("refuses the issue's forged Update (made-up approver, no signature) and reports it; nothing changes", async () => {
    const handle = await startTender(h);
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const before = await state(handle);
    const auditBefore = h.records.audit.get(handle.workflowId)!.length;
    const acceptedBefore = await acceptedUpdates(handle);

    const forged = { actor: mallory, payload: { gate: 'decision_to_procure', decision: 'approve' } };
    const r = await refusalOf(handle.executeUpdate(COMMAND_UPDATES.decideGate, { args: [forged as never] }));

    expect(r).toMatchObject({ type: 'Forbidden', rule: 'unsigned_command' });
    const after = await state(handle);
    expect(after.version).toBe(before.version);
    expect(after.phase).toBe('needs_analysis');
    expect(after.pendingGates.map((g) => g.gate)).toEqual(['decision_to_procure']);
    expect(h.records.audit.get(handle.workflowId)!.length).toBe(auditBefore);
    expect(await acceptedUpdates(handle)).toBe(acceptedBefore);
    expect(h.records.refusedCommands.get(handle.workflowId)).toEqual([
      expect.objectContaining({
        command: 'decideGate',
        rule: 'unsigned_command',
        claimedActor: { sub: 'mallory', org: 'HSN' },
      }),
    ]);
  });

  it('refuses a signed command whose actor, payload or reason was changed after signing (bad_signature)', async () => {
    const handle = await startTender(h);
    await cmd(handle, 'completeNeedsAnalysis', actors.anna, needsAnalysis);
    const input = { actor: actors.bo, payload: { gate: 'decision_to_procure' as const, decision: 'approve' as const } };
    const tampered: Array<SendOptions['tamper']> = [
      (i) => ({ ...i, actor: { ...actors.bo, approvalLimitSek: 1e15 } }),
      (i) => ({ ...i, actor: mallory }),
      (i) => ({ ...i, payload: { gate: 'decision_to_procure', decision: 'reject', comment: 'no' } }),
      (i) => ({ ...i, reason: 'added later' }),
      (i) => ({
        ...i,
        auth: { ...(i.auth as object), expiresAt: (i.auth as { expiresAt: number }).expiresAt + 60_000 },
      }),
      (i) => ({ ...i, auth: { ...(i.auth as object), signature: 'ab'.repeat(64) } }),
    ];
    for (const tamper of tampered) {
      expect(await refusalOf(send(handle, COMMAND_UPDATES.decideGate, input, { tamper }))).toMatchObject({
        type: 'Forbidden',
        rule: 'bad_signature',
      });
    }
    expect((await state(handle)).phase).toBe('needs_analysis');
    // The same command, untouched, is accepted.
    expect((await send(handle, COMMAND_UPDATES.decideGate, input)).phase).toBe('documents');
  });

  it('refuses a replayed signature: another Update ID, another workflow, another command (replayed_command)', async () => {
    const [a, b] = [await startTender(h), await startTender(h)];
    const payload = needsAnalysis;
    const input = { actor: actors.anna, payload };
    expect(
      await refusalOf(send(a, COMMAND_UPDATES.completeNeedsAnalysis, input, { signedUpdateId: 'the-first-update' })),
    ).toMatchObject({
      type: 'Forbidden',
      rule: 'replayed_command',
    });
    expect(
      await refusalOf(send(b, COMMAND_UPDATES.completeNeedsAnalysis, input, { signedWorkflowId: a.workflowId })),
    ).toMatchObject({ rule: 'replayed_command' });
    // A signature for one command name presented as another.
    const updateId = randomUUID();
    const auth = signer.sign({
      workflowId: a.workflowId,
      command: 'registerDocuments',
      updateId,
      now: await env.currentTimeMs(),
      ...input,
    });
    expect(
      await refusalOf(a.executeUpdate(COMMAND_UPDATES.completeNeedsAnalysis, { args: [{ ...input, auth }], updateId })),
    ).toMatchObject({ rule: 'replayed_command' });
    expect((await state(a)).version).toBe(1);
  });

  it('refuses an expired signature by workflow time, and one dated in the future', async () => {
    const handle = await startTender(h);
    const input = { actor: actors.anna, payload: needsAnalysis };
    const now = await env.currentTimeMs();
    expect(
      await refusalOf(
        send(handle, COMMAND_UPDATES.completeNeedsAnalysis, input, { signedAt: now - 5 * 60_000 - 1_000 }),
      ),
    ).toMatchObject({
      type: 'Forbidden',
      rule: 'expired_command',
    });
    expect(
      await refusalOf(
        send(handle, COMMAND_UPDATES.completeNeedsAnalysis, input, { signedAt: now + MAX_CLOCK_SKEW_MS + 60_000 }),
      ),
    ).toMatchObject({
      rule: 'expired_command',
    });
    // Signed now, delivered after the workflow's clock has moved on 6 minutes.
    const updateId = randomUUID();
    const auth = signer.sign({
      workflowId: handle.workflowId,
      command: 'completeNeedsAnalysis',
      updateId,
      now,
      ...input,
    });
    await env.sleep(6 * 60_000);
    expect(
      await refusalOf(
        handle.executeUpdate(COMMAND_UPDATES.completeNeedsAnalysis, { args: [{ ...input, auth }], updateId }),
      ),
    ).toMatchObject({
      rule: 'expired_command',
    });
    expect((await state(handle)).phase).toBe('needs_analysis');
  });

  it('refuses a key the tender did not pin, and a tender that pinned none refuses everything', async () => {
    const handle = await startTender(h);
    expect(
      await refusalOf(
        send(
          handle,
          COMMAND_UPDATES.completeNeedsAnalysis,
          { actor: actors.anna, payload: needsAnalysis },
          { by: stranger },
        ),
      ),
    ).toMatchObject({
      type: 'Forbidden',
      rule: 'unknown_command_key',
    });
    const keyless = await startTender(h, { commandKeys: [] });
    const r = await refusalOf(
      send(keyless, COMMAND_UPDATES.completeNeedsAnalysis, { actor: actors.anna, payload: needsAnalysis }),
    );
    expect(r).toMatchObject({ rule: 'unknown_command_key' });
    expect(r.message).toMatch(/no command key pinned/);
  });

  it('adds a key by a rotation signed with a known key; the new key then signs for the tender and the children it starts', async () => {
    const handle = await startTender(h, {
      invitedBodies: [{ organization: 'KOMM', name: 'Kommunen', contactEmail: 'inkop@kommunen.se' }],
    });
    const rotation = (by: CommandSigner, key = next.active) =>
      send(
        handle,
        rotateCommandKeyUpdate,
        {
          actor: { sub: 'system:command-key-rotation', name: 'Key rotation', org: 'HSN', roles: ['admin'] },
          payload: { key },
        },
        { by },
      );

    // Not by a stranger, and not with a key whose id is not its own.
    expect(await refusalOf(rotation(stranger))).toMatchObject({ type: 'Forbidden', rule: 'unknown_command_key' });
    expect(await refusalOf(rotation(signer, { ...next.active, id: stranger.active.id }))).toMatchObject({
      type: 'BadRequest',
    });
    expect(
      await refusalOf(
        send(
          handle,
          COMMAND_UPDATES.completeNeedsAnalysis,
          { actor: actors.anna, payload: needsAnalysis },
          { by: next },
        ),
      ),
    ).toMatchObject({
      rule: 'unknown_command_key',
    });

    expect(await rotation(signer)).toEqual({ added: true, keyIds: [signer.active.id, next.active.id] });
    expect(await rotation(signer)).toEqual({ added: false, keyIds: [signer.active.id, next.active.id] });
    const added = h.records.audit.get(handle.workflowId)!.filter((e) => e.type === 'command_key.added');
    expect(added).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ sub: 'system:command-key-rotation' }),
        payload: { keyId: next.active.id, publicKey: next.active.publicKey },
      }),
    ]);

    // The next key now signs; the coordination child started afterwards knows it too.
    await send(
      handle,
      COMMAND_UPDATES.completeNeedsAnalysis,
      { actor: actors.anna, payload: { ...needsAnalysis, invitedBodies: undefined } },
      { by: next },
    );
    const s = await send(
      handle,
      COMMAND_UPDATES.decideGate,
      { actor: actors.bo, payload: { gate: 'decision_to_procure', decision: 'approve' } },
      { by: next },
    );
    expect(s.phase).toBe('coordination');
    const child = env.client.workflow.getHandle(coordinationWorkflowId(s.id, 'KOMM'));
    await send(
      child,
      respondToInvitationUpdate,
      { actor: actors.pia, payload: { organization: 'KOMM', answer: 'decline', reason: 'Not this year' } },
      { by: next },
    );
    // The tender takes the answer from the chain by an activity, so it shows shortly after.
    expect(
      (await waitFor(handle, (t) => t.participants[0]?.status === 'declined', 'the decline to reach the tender'))
        .participants[0].status,
    ).toBe('declined');
  });

  it('the signing and verifying sides agree on key ids and refuse malformed keys', () => {
    expect(signer.active.id).toBe(keyIdOf(signer.active.publicKey));
    expect(signer.active).toEqual(new CommandSigner(developmentSigningKey()).active); // deterministic
    expect(checkCommandKey(next.active)).toEqual({ allowed: true });
    expect(checkCommandKey({ id: 'x', publicKey: 'zz' })).toMatchObject({ allowed: false, field: 'key.publicKey' });
    expect(checkCommandKey({ ...next.active, id: 'ed25519:0000000000000000' })).toMatchObject({
      allowed: false,
      field: 'key.id',
    });
  });
});
