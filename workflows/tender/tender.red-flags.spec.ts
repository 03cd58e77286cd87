import { TestWorkflowEnvironment } from '@temporalio/testing';
import { documentSha256 } from '@tenderflow/temporal-common/document-digest';
import { createTimeSkippingEnv } from '../../test/support/temporal-test-env';
import {
  actors,
  cmd,
  driveTo,
  Harness,
  passDeadline,
  startHarness,
  startTender,
  type TenderHandle,
  readModel,
  refusal,
  ruleOf,
} from '../../test/support/tender-harness';

/**
 * Red flags on the award gate (issue 30, part 5), on the time-skipping server: the indicators that
 * apply to one procedure are computed from the tender's own data when the evaluation asks for the
 * award decision; approving a flagged award takes a written justification, which the decision and
 * the chain keep; an award without flags needs none.
 */
jest.setTimeout(30_000);

describe('tender workflow: red flags before the award decision', () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await startHarness(env, 'tender-red-flags');
  });
  afterAll(async () => {
    await h?.stop();
    await env?.teardown();
  });

  /** An open procedure published with a register of one mandatory requirement; the tenders opened as given. */
  async function opened(
    tenders: { supplier: string; priceSek: number; orgNumber?: string; contactEmail?: string }[],
    beforeOpening?: (handle: TenderHandle, receivedAt: string) => Promise<void>,
  ): Promise<TenderHandle> {
    const handle = await startTender(h);
    await driveTo(h, handle, 'documents');
    await cmd(handle, 'registerRequirement', actors.anna, {
      kind: 'supplier_requirement',
      text: 'Turnover of at least 10 MSEK a year',
      reference: 'AF 3.2',
    });
    await cmd(handle, 'registerDocuments', actors.anna, {
      documents: [{ title: 'Tender documents', reference: 'DOC-1' }],
    });
    await cmd(handle, 'decideGate', actors.bo, { gate: 'documents_approval', decision: 'approve' });
    await cmd(handle, 'appointEvaluators', actors.anna, { evaluators: [actors.eva, actors.erik] });
    await cmd(handle, 'publish', actors.anna, { advertisingDatabase: 'e-Avrop' });
    const s = await passDeadline(h, handle, 'tender_deadline');
    const deadline = [...s.pastDeadlines].reverse().find((d) => d.kind === 'tender_deadline')!;
    const receivedAt = new Date(Date.parse(deadline.at) - 86_400_000).toISOString();
    await beforeOpening?.(handle, receivedAt);
    await cmd(handle, 'recordOpening', actors.anna, {
      openers: ['anna', 'olof'],
      tenders: tenders.map((t) => ({
        supplier: t.supplier,
        ...(t.orgNumber ? { orgNumber: t.orgNumber } : {}),
        ...(t.contactEmail ? { contactEmail: t.contactEmail } : {}),
        receivedAt,
        lots: ['Chemistry'],
        prices: [{ lot: 'Chemistry', priceSek: t.priceSek }],
      })),
    });
    await cmd(handle, 'declareConflict', actors.eva, { hasConflict: false, statement: 'No ties' });
    await cmd(handle, 'declareConflict', actors.erik, { hasConflict: false, statement: 'No ties' });
    return handle;
  }
  const assess = (handle: TenderHandle, supplier: string, met: boolean) =>
    cmd(handle, 'assessTender', actors.anna, {
      supplier,
      exclusion: { groundFound: false },
      qualification: { met: true },
      requirements: [{ requirementId: 'K1', met }],
      result: met ? 'admitted' : 'rejected',
      ...(met ? {} : { reason: 'K1 not met' }),
    });

  it('flags the lowest bid disqualified and all but the winner disqualified; approving takes a justification', async () => {
    const handle = await opened([
      { supplier: 'Billig AB', priceSek: 800_000 },
      { supplier: 'Mellan AB', priceSek: 1_000_000 },
      { supplier: 'Dyr AB', priceSek: 1_300_000 },
    ]);
    await assess(handle, 'Billig AB', false);
    await assess(handle, 'Mellan AB', false);
    await assess(handle, 'Dyr AB', true);
    let s = await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: 'Dyr AB', reasons: 'The only admitted tender' }],
    });
    expect(s.evaluation!.redFlags).toEqual([
      { code: 'R035', value: 2 },
      { code: 'R036', value: 1 },
    ]);
    const bare = await refusal(cmd(handle, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' }));
    expect(ruleOf(bare)).toBe('red_flag_justification');
    expect(bare.cause?.message).toContain('R035, R036');
    s = await cmd(handle, 'decideGate', actors.bo, {
      gate: 'award_decision',
      decision: 'approve',
      justification: 'Both cheaper tenders lacked the required turnover; checked with the credit report.',
    });
    expect(s.phase).toBe('standstill');
    expect(s.gateDecisions.at(-1)).toMatchObject({
      gate: 'award_decision',
      redFlags: [{ code: 'R035' }, { code: 'R036' }],
      justification: 'Both cheaper tenders lacked the required turnover; checked with the credit report.',
    });
  });

  it('a single bid in an open procedure is flagged (R018); a competitive award is not, and needs no justification', async () => {
    const single = await opened([{ supplier: 'Ensam AB', priceSek: 900_000 }]);
    await assess(single, 'Ensam AB', true);
    const s = await cmd(single, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: 'Ensam AB', reasons: 'The only tender' }],
    });
    expect(s.evaluation!.redFlags?.map((f) => f.code)).toEqual(['R018']);

    const fair = await opened([
      { supplier: 'A AB', priceSek: 900_000 },
      { supplier: 'B AB', priceSek: 1_000_000 },
    ]);
    await assess(fair, 'A AB', true);
    await assess(fair, 'B AB', true);
    const t = await cmd(fair, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: 'A AB', reasons: 'Lowest price' }],
    });
    expect(t.evaluation!.redFlags).toBeUndefined();
    const approved = await cmd(fair, 'decideGate', actors.bo, { gate: 'award_decision', decision: 'approve' });
    expect(approved.phase).toBe('standstill');
  });

  it('the award decision issues each tenderer its own notice: a document with its SHA-256 in the chain, sent to the contact address', async () => {
    const handle = await opened(
      [
        { supplier: 'Billig AB', priceSek: 800_000, orgNumber: '556000-0001', contactEmail: 'anbud@billig.se' },
        { supplier: 'Dyr AB', priceSek: 1_300_000 },
      ],
      async (h2, receivedAt) => {
        // An address that would split the recipient list is refused, naming the tender.
        const bad = await refusal(
          cmd(h2, 'recordOpening', actors.anna, {
            openers: ['anna', 'olof'],
            tenders: [{ supplier: 'Billig AB', receivedAt, contactEmail: 'a@b.se,c@d.se' }],
          }),
        );
        expect([ruleOf(bad), bad.cause?.message]).toEqual([
          'email',
          'contactEmail: one e-mail address (name@domain), at most 254 characters.',
        ]);
      },
    );
    await assess(handle, 'Billig AB', false);
    await assess(handle, 'Dyr AB', true);
    await cmd(handle, 'submitEvaluation', actors.anna, {
      proposals: [{ supplier: 'Dyr AB', reasons: 'The only admitted tender' }],
    });
    const s = await cmd(handle, 'decideGate', actors.bo, {
      gate: 'award_decision',
      decision: 'approve',
      justification: 'The cheaper tender lacked the required turnover.',
    });
    const standstill = s.deadlines.find((d) => d.kind === 'standstill')!;
    const notices = s.award!.notices!;
    expect(notices.map(({ sha256: _s, ref: _r, ...rest }) => rest)).toEqual([
      {
        n: 1,
        supplier: 'Billig AB',
        orgNumber: '556000-0001',
        outcome: 'rejected',
        recipient: 'email:anbud@billig.se',
      },
      { n: 2, supplier: 'Dyr AB', outcome: 'awarded', recipient: 'supplier:Dyr AB' },
    ]);
    // The documents in the read model have the digests the state and the chain hold.
    const texts = readModel.entry(handle.workflowId).texts;
    const [billig, dyr] = notices.map((n) => texts.get(n.ref)!);
    expect(notices.map((n) => documentSha256(texts.get(n.ref)!))).toEqual(notices.map((n) => n.sha256));
    expect(billig).toMatchObject({
      kind: 'award_notice',
      outcome: 'rejected',
      standstill: { lastDay: standstill.lastDay },
    });
    expect(billig.text).toContain('Ert anbud förkastades vid prövningen: K1 not met.');
    expect(billig.text).toContain('Kontraktet tilldelas Dyr AB. Skäl: The only admitted tender');
    expect(dyr.text).toContain('Ert anbud har antagits.');
    const issued = (h.records.audit.get(handle.workflowId) ?? []).filter((e) => e.type === 'award.notice_issued');
    expect(issued.map((e) => (e.payload as { sha256: string }).sha256)).toEqual(notices.map((n) => n.sha256));
    // One message to each tenderer, its notice and digest in the body.
    const sent = (h.records.notes.get(handle.workflowId) ?? []).filter((m) => m.kind === 'award_notice');
    expect(sent.map((m) => m.recipients)).toEqual([['email:anbud@billig.se'], ['supplier:Dyr AB']]);
    expect(sent[0].body).toContain(`SHA-256 för underrättelsen: ${notices[0].sha256}`);
    expect(sent[0].body).toContain(`sista dagen är ${standstill.lastDay}`);

    // The opening protocol (issued at the opening) and the evaluation report (at the award), each
    // with its digest in the chain; the report carries the approver's justification.
    const documents = s.decisionDocuments!;
    expect(documents.map((d) => d.kind)).toEqual(['opening_protocol', 'evaluation_report']);
    expect(documents.map((d) => documentSha256(texts.get(d.ref)!))).toEqual(documents.map((d) => d.sha256));
    const chained = (h.records.audit.get(handle.workflowId) ?? []).filter((e) => e.type === 'document.issued');
    expect(chained.map((e) => (e.payload as { sha256: string }).sha256)).toEqual(documents.map((d) => d.sha256));
    const [protocol, report] = documents.map((d) => texts.get(d.ref)! as { text: string[] });
    expect(protocol.text).toContain('Öppnare: anna, olof. Protokollet fördes av Anna Upphandlare.');
    expect(report.text).toContain('Prövning: Billig AB: förkastat (K1 not met).');
    expect(report.text.at(-1)).toMatch(
      /^Varningsflaggor: R\d{3} \(\d+\)(, R\d{3} \(\d+\))*\. Motivering för att ändå tilldela: The cheaper tender lacked the required turnover\.$/,
    );
  });
});
