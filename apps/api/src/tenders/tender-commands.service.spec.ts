import { HttpException, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '@tenderflow/domain/types';
import { respondToInvitationUpdate } from '@tenderflow/workflows/coordination/coordination.messages';
import { COMMAND_UPDATES } from '@tenderflow/workflows/tender/tender.messages';
import { REFUSAL_STATUS, TenderState } from '@tenderflow/temporal-common/tender-types';
import type { AuditService } from '../audit/audit.service';
import type { SecurityLogService } from '../audit/security-log.service';
import { CommandGateway } from '../temporal/command-gateway';
import type { DataSource } from 'typeorm';
import type { ProblemDetails } from '../common/problem';
import type { TemporalService } from '../temporal/temporal.service';
import { CommandSigner, developmentSigningKey } from '@tenderflow/temporal-common/command-signer';
import { verifyCommand } from '@tenderflow/temporal-common/command-signature';
import type { TenderStateReader } from './tender-state.reader';
import { TenderCommandsService } from './tender-commands.service';

const ID = 'HSN-2026-00042';
const ctx = { route: { method: 'POST', path: `/tenders/${ID}/x` } };
const officer: Actor = { sub: 'anna', name: 'Anna Andersson', org: 'HSN', roles: ['procurement_officer'] };
const approver: Actor = { sub: 'bo', name: 'Bo Beslut', org: 'HSN', roles: ['approver'], approvalLimitSek: 10_000_000 };
const partner: Actor = { sub: 'kim', name: 'Kim Kommun', org: 'KOMMUN1', roles: ['partner'] };
const state = { id: ID, phase: 'published', version: 7 } as TenderState;

/** A refusal as the workflow's validator throws it (see toFailure in tender.workflow.ts). */
function refusal(
  type: string,
  message: string,
  details: { rule?: string; paragraph?: string; field?: string } = {},
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}
/** As the client reports a refused Update. */
const updateFailed = (cause: Error) => new WorkflowUpdateFailedError('Workflow Update failed', cause);
const signer = new CommandSigner(developmentSigningKey());
/** What the gateway sends: the input, signed, under an Update ID. */
const sent = (input: object) => ({
  args: [{ ...input, auth: expect.objectContaining({ keyId: signer.active.id }) }],
  updateId: expect.any(String),
});

function setup() {
  const executeUpdate = jest.fn().mockResolvedValue(state);
  const query = jest.fn().mockResolvedValue(state);
  const getHandle = jest.fn((workflowId: string) => ({ workflowId, executeUpdate, query }));
  const temporal = { client: { workflow: { getHandle } } } as unknown as TemporalService;
  const recordRefusal = jest.fn().mockResolvedValue(undefined);
  const audit = { recordRefusal } as unknown as AuditService;
  const securityRecord = jest.fn().mockResolvedValue(undefined);
  const securityLog = { record: securityRecord } as unknown as SecurityLogService;
  const dbQuery = jest.fn().mockResolvedValue([{ tender_id: ID }]);
  const gateway = new CommandGateway({ query: dbQuery } as unknown as DataSource, audit, securityLog, signer);
  // The read model's reader (tender-state.reader.ts), answering what `query` is set to.
  const reader = {
    read: jest.fn(() => query()),
    readAtLeast: jest.fn(() => query()),
    readUntil: jest.fn(() => query()),
  } as unknown as TenderStateReader;
  return {
    service: new TenderCommandsService(temporal, gateway, reader, { query: dbQuery } as unknown as DataSource),
    executeUpdate,
    getHandle,
    recordRefusal,
    query,
    securityRecord,
    dbQuery,
  };
}

async function problemOf(p: Promise<unknown>): Promise<{ status: number; body: ProblemDetails }> {
  const err = await p.then(
    () => {
      throw new Error('expected the command to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpException);
  const http = err as HttpException;
  return { status: http.getStatus(), body: http.getResponse() as ProblemDetails };
}

describe('TenderCommandsService', () => {
  it('delivers the command as its Update to tender-<id> with { actor, payload } and answers the new state', async () => {
    const { service, executeUpdate, getHandle, recordRefusal } = setup();
    const payload = { deadline: '2026-10-30' };

    await expect(service.execute(officer, ID, 'publish', payload, ctx)).resolves.toBe(state);

    expect(getHandle).toHaveBeenCalledWith(`tender-${ID}`);
    expect(executeUpdate).toHaveBeenCalledWith(COMMAND_UPDATES.publish, sent({ actor: officer, payload }));
    expect(getHandle).toHaveBeenCalledTimes(1);
    expect(recordRefusal).not.toHaveBeenCalled();
  });

  it('passes a reason along when one is given', async () => {
    const { service, executeUpdate } = setup();
    await service.execute(officer, ID, 'requestCancellation', { reason: 'the need is gone' }, ctx, 'the need is gone');
    expect(executeUpdate).toHaveBeenCalledWith(
      COMMAND_UPDATES.requestCancellation,
      sent({ actor: officer, payload: { reason: 'the need is gone' }, reason: 'the need is gone' }),
    );
  });

  it("signs each command for its workflow, Update name and ID, and the workflow's check accepts exactly that", async () => {
    const { service, executeUpdate } = setup();
    await service.execute(approver, ID, 'decideGate', { gate: 'award_decision', decision: 'approve' }, ctx);
    await service.execute(approver, ID, 'decideGate', { gate: 'award_decision', decision: 'approve' }, ctx);
    const [[, first], [, second]] = executeUpdate.mock.calls as [
      unknown,
      { args: [{ auth: { issuedAt: number } }]; updateId: string },
    ][];
    expect(first.updateId).toMatch(/^decideGate-[0-9a-f-]{36}$/);
    expect(second.updateId).not.toBe(first.updateId); // without a key, a fresh random ID each time
    const [input] = first.args;
    const at = {
      keys: signer.pinned(),
      workflowId: `tender-${ID}`,
      command: 'decideGate',
      updateId: first.updateId,
      now: input.auth.issuedAt,
    };
    expect(verifyCommand(input, at)).toEqual({ allowed: true });
    expect(verifyCommand(input, { ...at, updateId: second.updateId })).toMatchObject({
      allowed: false,
      rule: 'replayed_command',
    });
    expect(verifyCommand({ ...input, actor: { ...approver, approvalLimitSek: 1e15 } }, at)).toMatchObject({
      allowed: false,
      rule: 'bad_signature',
    });
  });

  it('turns an Idempotency-Key into a stable Update ID per caller, tender and command', async () => {
    const { service, executeUpdate } = setup();
    await service.execute(officer, ID, 'askQuestion', { question: 'Q?' } as never, { ...ctx, idempotencyKey: 'k-1' });
    await service.execute(officer, ID, 'askQuestion', { question: 'Q?' } as never, { ...ctx, idempotencyKey: 'k-1' });
    await service.execute(approver, ID, 'askQuestion', { question: 'Q?' } as never, { ...ctx, idempotencyKey: 'k-1' });
    const ids = (executeUpdate.mock.calls as unknown[][]).map((c) => (c[1] as { updateId?: string }).updateId);
    expect(ids[0]).toMatch(/^askQuestion-[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('refuses a key reused with another body with 409, without sending the Update', async () => {
    const { service, executeUpdate, dbQuery } = setup();
    dbQuery.mockResolvedValueOnce([]).mockResolvedValueOnce([{ request_hash: 'something else' }]);
    const { status, body } = await problemOf(
      service.execute(officer, ID, 'askQuestion', { question: 'Q?' } as never, { ...ctx, idempotencyKey: 'k-1' }),
    );
    expect(status).toBe(409);
    expect(body.rule).toBe('idempotency_key_reuse');
    expect(executeUpdate).not.toHaveBeenCalled();
  });

  describe('refusals from the workflow validator', () => {
    it.each([
      ['Forbidden', 403, { rule: 'four_eyes' }],
      ['InvalidPhase', 409, { rule: 'phase' }],
      ['Conflict', 409, { rule: 'gate_not_pending', field: 'gate' }],
      ['RuleViolation', 422, { rule: 'two_openers', paragraph: '12 kap. 10 § LOU', field: 'openers' }],
      ['BadRequest', 400, { field: 'comment' }],
    ] as const)('%s → %i, with the rule and paragraph in the problem body', async (type, expected, details) => {
      expect(REFUSAL_STATUS[type]).toBe(expected); // the contract's own table agrees
      const { service, executeUpdate } = setup();
      executeUpdate.mockRejectedValue(updateFailed(refusal(type, `refused: ${type}`, details)));

      const { status, body } = await problemOf(
        service.execute(approver, ID, 'decideGate', { gate: 'award_decision', decision: 'approve' }, ctx),
      );

      expect(status).toBe(expected);
      expect(body).toMatchObject({ status: expected, detail: `refused: ${type}` });
      if ('rule' in details && type !== 'BadRequest') expect(body.rule).toBe(details.rule);
      if ('paragraph' in details) expect(body.paragraph).toBe(details.paragraph);
      if ('field' in details)
        expect(body.errors).toEqual([expect.objectContaining({ field: details.field, message: `refused: ${type}` })]);
    });

    it('a procurement-rule refusal is a 422 whose type and rule name the rule, paragraph omitted when the rule has none', async () => {
      const { service, executeUpdate } = setup();
      executeUpdate.mockRejectedValue(
        updateFailed(
          refusal('RuleViolation', 'A body joins with a mandate (fullmakt)', {
            rule: 'mandate_required',
            field: 'mandateReference',
          }),
        ),
      );
      const { status, body } = await problemOf(service.execute(officer, ID, 'completeNeedsAnalysis', {} as never, ctx));
      expect(status).toBe(422);
      expect(body.type).toMatch(/rule\/mandate_required$/);
      expect(body.rule).toBe('mandate_required');
      expect(body).not.toHaveProperty('paragraph');
    });

    it('maps a refusal that is not wrapped in WorkflowUpdateFailedError the same way', async () => {
      const { service, executeUpdate } = setup();
      executeUpdate.mockRejectedValue(
        refusal('InvalidPhase', 'publish is not possible in phase needs_analysis', { rule: 'phase' }),
      );
      const { status, body } = await problemOf(service.execute(officer, ID, 'publish', {}, ctx));
      expect(status).toBe(409);
      expect(body.rule).toBe('phase');
    });

    it.each([
      ['Forbidden', 403],
      ['InvalidPhase', 409],
      ['Conflict', 409],
      ['RuleViolation', 422],
    ] as const)(
      'records a %s refusal in the audit log with the command, status, reason, request and rule',
      async (type, expected) => {
        const { service, executeUpdate, recordRefusal } = setup();
        const payload = { gate: 'decision_to_procure' as const, decision: 'approve' as const };
        executeUpdate.mockRejectedValue(updateFailed(refusal(type, 'You asked for this decision', { rule: 'x' })));

        await problemOf(service.execute(approver, ID, 'decideGate', payload, ctx));

        expect(recordRefusal).toHaveBeenCalledTimes(1);
        expect(recordRefusal).toHaveBeenCalledWith(
          ID,
          approver,
          'decideGate',
          expected,
          'You asked for this decision',
          payload,
          'x',
        );
      },
    );

    it('does not put a malformed command (400) in the chain: it goes to the security log', async () => {
      const { service, executeUpdate, recordRefusal, securityRecord } = setup();
      executeUpdate.mockRejectedValue(
        updateFailed(refusal('BadRequest', 'A reject decision needs a comment.', { field: 'comment' })),
      );
      const { status } = await problemOf(
        service.execute(approver, ID, 'decideGate', { gate: 'decision_to_procure', decision: 'reject' }, ctx),
      );
      expect(status).toBe(400);
      expect(recordRefusal).not.toHaveBeenCalled();
      expect(securityRecord).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'malformed', status: 400, actor: approver }),
      );
    });

    it("records another organisation's refused attempt in the security log, never in the tender's chain", async () => {
      const { service, executeUpdate, recordRefusal, securityRecord } = setup();
      executeUpdate.mockRejectedValue(
        updateFailed(refusal('Forbidden', 'Not your organisation', { rule: 'organization' })),
      );
      const outsider: Actor = { ...approver, org: 'OTHER' };
      const { status } = await problemOf(
        service.execute(outsider, ID, 'decideGate', { gate: 'decision_to_procure', decision: 'approve' }, ctx),
      );
      expect(status).toBe(403);
      expect(recordRefusal).not.toHaveBeenCalled();
      expect(securityRecord).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'cross_organisation', route: ctx.route.path, actor: outsider }),
      );
    });

    it('puts a refused signature in the security log as bad_signature, never in the chain', async () => {
      const { service, executeUpdate, recordRefusal, securityRecord } = setup();
      executeUpdate.mockRejectedValue(
        updateFailed(
          refusal('Forbidden', 'The command is signed with key ed25519:x, which this workflow does not know.', {
            rule: 'unknown_command_key',
          }),
        ),
      );
      const { status, body } = await problemOf(
        service.execute(approver, ID, 'decideGate', { gate: 'decision_to_procure', decision: 'approve' }, ctx),
      );
      expect(status).toBe(403);
      expect(body.rule).toBe('unknown_command_key');
      expect(recordRefusal).not.toHaveBeenCalled();
      expect(securityRecord).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'bad_signature', status: 403, actor: approver }),
      );
    });

    it('answers the refusal even when the audit log cannot be written', async () => {
      const { service, executeUpdate, recordRefusal } = setup();
      executeUpdate.mockRejectedValue(
        updateFailed(refusal('Forbidden', 'Your approval limit is below the value', { rule: 'approval_limit' })),
      );
      recordRefusal.mockRejectedValue(new Error('connection refused'));
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { status, body } = await problemOf(
        service.execute(approver, ID, 'decideGate', { gate: 'decision_to_procure', decision: 'approve' }, ctx),
      );
      expect(status).toBe(403);
      expect(body.rule).toBe('approval_limit');
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ tenderId: ID, command: 'decideGate' }),
        expect.stringMatching(/audit/),
      );
      logged.mockRestore();
    });
  });

  describe('other Temporal errors', () => {
    it('an unknown tender is 404, kept out of any chain, in the security log', async () => {
      const { service, executeUpdate, recordRefusal, securityRecord } = setup();
      executeUpdate.mockRejectedValue(
        new WorkflowNotFoundError('workflow not found for ID: tender-HSN-2026-00042', `tender-${ID}`, undefined),
      );
      const { status, body } = await problemOf(service.execute(officer, ID, 'publish', {}, ctx));
      expect(status).toBe(404);
      expect(body.detail).toMatch(/does not exist/);
      expect(recordRefusal).not.toHaveBeenCalled();
      expect(securityRecord).toHaveBeenCalledWith(expect.objectContaining({ kind: 'nonexistent_tender', status: 404 }));
    });

    it('a tender whose workflow has ended is 409, not 404 (the server says NOT_FOUND "already completed")', async () => {
      const { service, executeUpdate } = setup();
      executeUpdate.mockRejectedValue(
        new WorkflowNotFoundError('workflow execution already completed', `tender-${ID}`, undefined),
      );
      const { status, body } = await problemOf(service.execute(officer, ID, 'publish', {}, ctx));
      expect(status).toBe(409);
      expect(body.rule).toBe('tender_ended');
    });

    it('an unreachable Temporal is 503 and not audited', async () => {
      const { service, executeUpdate, recordRefusal } = setup();
      executeUpdate.mockRejectedValue(new Error('14 UNAVAILABLE: connection refused'));
      const { status } = await problemOf(service.execute(officer, ID, 'publish', {}, ctx));
      expect(status).toBe(503);
      expect(recordRefusal).not.toHaveBeenCalled();
    });
  });

  describe('respondToInvitation', () => {
    it('refuses a partner answering for another body with 403, in the security log, without asking any workflow', async () => {
      const { service, getHandle, recordRefusal, securityRecord, query } = setup();
      const payload = { organization: 'KOMMUN2', answer: 'join' as const, mandateReference: 'KF 12' };
      const { status, body } = await problemOf(service.respondToInvitation(partner, ID, payload, ctx));
      expect(status).toBe(403);
      expect(body.rule).toBe('own_body_only');
      expect(query).not.toHaveBeenCalled();
      expect(getHandle).not.toHaveBeenCalledWith(expect.stringMatching(/^coordination-/));
      expect(recordRefusal).not.toHaveBeenCalled();
      expect(securityRecord).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'cross_organisation', status: 403, payload }),
      );
    });

    const coordination = {
      ...state,
      phase: 'coordination',
      organization: 'HSN',
      participants: [
        { organization: 'KOMMUN1', name: 'Kommun 1', status: 'invited', workflowId: `coordination-${ID}-KOMMUN1` },
      ],
      deadlines: [
        { kind: 'coordination_response', at: '2026-12-09T22:59:59.000Z', lastDay: '2026-12-09', basis: 'policy' },
      ],
      pastDeadlines: [],
    } as unknown as TenderState;

    it("delivers the partner's answer to its body's coordination workflow and answers the tender's state", async () => {
      const { service, executeUpdate, getHandle, query } = setup();
      query.mockResolvedValue(coordination);
      const payload = { organization: 'KOMMUN1', answer: 'decline' as const, reason: 'Not this time' };
      await expect(service.respondToInvitation(partner, ID, payload, ctx)).resolves.toBe(coordination);
      expect(getHandle).toHaveBeenCalledWith(`coordination-${ID}-KOMMUN1`);
      expect(executeUpdate).toHaveBeenCalledWith(respondToInvitationUpdate, sent({ actor: partner, payload }));
    });

    it('a body not invited: 403 not_invited, without asking any coordination workflow', async () => {
      const { service, executeUpdate, query } = setup();
      query.mockResolvedValue(coordination);
      const other: Actor = { ...partner, org: 'KOMMUN2' };
      const { status, body } = await problemOf(
        service.respondToInvitation(other, ID, { organization: 'KOMMUN2', answer: 'join' }, ctx),
      );
      expect(status).toBe(403);
      expect(body.rule).toBe('not_invited');
      expect(executeUpdate).not.toHaveBeenCalled();
    });

    it("after the body's workflow has closed: 422 when the deadline passed unanswered, 409 when it had answered", async () => {
      const { service, executeUpdate, query, recordRefusal } = setup();
      executeUpdate.mockRejectedValue(
        new WorkflowNotFoundError('workflow execution already completed', `coordination-${ID}-KOMMUN1`, undefined),
      );
      query.mockResolvedValue({
        ...coordination,
        participants: [{ ...coordination.participants[0], status: 'not_joined' }],
      });
      const late = await problemOf(
        service.respondToInvitation(partner, ID, { organization: 'KOMMUN1', answer: 'join' }, ctx),
      );
      expect(late).toMatchObject({
        status: 422,
        body: { rule: 'response_deadline_passed', detail: expect.stringContaining('2026-12-09') },
      });
      query.mockResolvedValue({
        ...coordination,
        participants: [
          { ...coordination.participants[0], status: 'joined', answeredBy: { sub: 'kim', name: 'Kim Kommun' } },
        ],
      });
      const twice = await problemOf(
        service.respondToInvitation(partner, ID, { organization: 'KOMMUN1', answer: 'join' }, ctx),
      );
      expect(twice).toMatchObject({ status: 409, body: { rule: 'already_answered' } });
      expect(recordRefusal).toHaveBeenCalledTimes(2);
    });
  });
});
