import { EVENT_TEXTS } from '@tenderflow/domain/event-texts';
import { MILESTONE_KIND_TEXTS } from '@tenderflow/domain/milestone-texts';
import { MILESTONE_KINDS } from '@tenderflow/temporal-common/contract-types';
import { auditLine, deadlineBasis, milestoneWords } from '../../console/src/event-words';
import { ROLES } from '@tenderflow/domain/types';
import { RULE_EXPLANATIONS, TABLES, VOCABULARY, type Key } from '../../console/src/i18n-tables';

/** The console's audit trail and milestones in Swedish (console/src/event-words.ts and the tables it reads). */
describe('console: event types and milestone kinds in the page language', () => {
  const english = [...Object.values(EVENT_TEXTS), ...Object.values(MILESTONE_KIND_TEXTS)].map((t) => t.en);

  it.each(Object.keys(EVENT_TEXTS))('event type %s: Swedish, and no English words', (type) => {
    const sv = VOCABULARY.sv[type];
    expect(sv?.trim()).toBeTruthy();
    for (const en of english) expect(sv).not.toContain(en);
    expect(VOCABULARY.en[type]).toBe(EVENT_TEXTS[type].en);
    expect(auditLine({ index: 1, type, at: '2026-03-01T10:00:00Z', actor: null }, 'sv').what).toBe(sv);
  });

  it.each([...MILESTONE_KINDS])('milestone kind %s: Swedish, and no English words', (kind) => {
    const sv = MILESTONE_KIND_TEXTS[kind]?.sv;
    expect(sv?.trim()).toBeTruthy();
    for (const en of english) expect(sv).not.toContain(en);
    expect(MILESTONE_KIND_TEXTS[kind].en.trim()).toBeTruthy();
  });

  it.each([...ROLES])('role %s: named in Swedish and English (the directory of people)', (role) => {
    const key = `role.${role}` as Key;
    expect(TABLES.sv[key]?.trim()).toBeTruthy();
    expect(TABLES.en[key]?.trim()).toBeTruthy();
    expect(TABLES.sv[key]).not.toBe(TABLES.en[key]);
  });

  it("shows a refused rule's meaning in Swedish, not the API's English sentence", () => {
    const line = auditLine(
      {
        index: 4,
        type: 'command.refused',
        at: '2026-03-01T10:00:00Z',
        actor: { sub: 'anna', name: 'Anna' },
        reason: 'Above the threshold, assess labour conditions: say whether they are required, and why.',
        payload: { command: 'completeNeedsAnalysis', status: 422, rule: 'labour_conditions' },
      },
      'sv',
    );
    expect(line).toEqual({ what: 'Åtgärd nekad', why: { text: RULE_EXPLANATIONS.sv.labour_conditions } });
    // A refusal recorded before the API kept its rule: the English sentence, marked as English.
    const older = auditLine(
      { index: 5, type: 'command.refused', at: '2026-03-01T10:00:00Z', actor: null, reason: 'Refused.' },
      'sv',
    );
    expect(older.why).toEqual({ text: 'Refused.', lang: 'en' });
  });

  it("names the phase, gate, deadline or milestone from the payload; a person's reason as written; the system's in Swedish or marked", () => {
    const at = '2026-03-01T10:00:00Z';
    expect(
      auditLine(
        {
          index: 2,
          type: 'phase.changed',
          at,
          actor: { sub: 'anna' },
          reason: 'Behovet är klarlagt',
          payload: { from: 'needs_analysis', to: 'documents' },
        },
        'sv',
      ),
    ).toEqual({ what: 'Ny fas', summary: 'Behovsanalys → Upphandlingsdokument', why: { text: 'Behovet är klarlagt' } });
    expect(
      auditLine(
        {
          index: 3,
          type: 'milestone.reminded',
          at,
          actor: null,
          payload: { id: 'M1', kind: 'startup_meeting', dueDate: '2026-05-01' },
        },
        'sv',
      ).summary,
    ).toBe('Uppstartsmöte med leverantören 2026-05-01');
    expect(
      auditLine(
        { index: 6, type: 'invitation.expired', at, actor: null, reason: 'no answer by the response deadline' },
        'sv',
      ).why,
    ).toEqual({ text: 'inget svar före svarsfristen' });
    expect(
      auditLine(
        {
          index: 7,
          type: 'milestone.moved',
          at,
          actor: null,
          reason: 'policy: 12 months before the final end 2028-03-31 (extension declined)',
          payload: { id: 'M9', from: '2028-03-31', to: '2027-03-31' },
        },
        'sv',
      ),
    ).toEqual({
      what: 'Uppföljningspunkt flyttad',
      summary: '2028-03-31 → 2027-03-31',
      why: { text: 'policy: 12 månader före sista slutdag 2028-03-31 (förlängningen avstods)' },
    });
    expect(
      auditLine({ index: 8, type: 'follow_up.ended', at, actor: null, reason: 'something unforeseen' }, 'sv').why,
    ).toEqual({ text: 'something unforeseen', lang: 'en' });
    // English: the stored words.
    expect(
      auditLine({ index: 8, type: 'follow_up.ended', at, actor: null, reason: 'something unforeseen' }, 'en'),
    ).toEqual({ what: 'Follow-up ended', why: { text: 'something unforeseen' } });
  });

  it("shows a milestone by its kind's name and its basis in Swedish; the workflow's English as stored in English", () => {
    const m = {
      kind: 'startup_meeting',
      title: 'Start-up meeting with the supplier',
      basis: 'policy: within 30 days of the contract start (2026-04-01)',
    };
    expect(milestoneWords(m, 'sv')).toEqual({
      title: 'Uppstartsmöte med leverantören',
      basis: { text: 'policy: inom 30 dagar från avtalets start (2026-04-01)' },
    });
    expect(milestoneWords(m, 'en')).toEqual({ title: m.title, basis: { text: m.basis } });
    // The tender's own basis (a documentation obligation) is Swedish already; an unknown plan sentence is marked.
    expect(milestoneWords({ kind: 'documentation', title: 'x', basis: '12 kap. 14 § LOU' }, 'sv').basis).toEqual({
      text: '12 kap. 14 § LOU',
    });
    expect(milestoneWords({ kind: 'periodic_review', title: 'x', basis: 'policy: something new' }, 'sv').basis).toEqual(
      { text: 'policy: something new', lang: 'en' },
    );
  });
});

describe("console: the workflow's English deadline bases in Swedish", () => {
  it.each([
    ['policy: invited bodies answer within 14 days', 'policy: de inbjudna organisationerna svarar inom 14 dagar'],
    [
      'extended by the contracting authority: nya frågor; lag (1930:173) om beräkning av lagstadgad tid, 2 §',
      'förlängd av den upphandlande myndigheten: nya frågor; lag (1930:173) om beräkning av lagstadgad tid, 2 §',
    ],
    ['11 kap. 2 § LOU', '11 kap. 2 § LOU'],
  ])('%s', (basis, sv) => {
    expect(deadlineBasis(basis, 'sv')).toBe(sv);
    expect(deadlineBasis(basis, 'en')).toBe(basis);
  });
});
