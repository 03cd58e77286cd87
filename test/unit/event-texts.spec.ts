import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EVENT_TEXTS, systemReasonSv } from '@tenderflow/domain/event-texts';
import { MILESTONE_KIND_TEXTS, milestoneBasisSv, milestoneTitleSv } from '@tenderflow/domain/milestone-texts';
import { DEFAULT_FOLLOW_UP_POLICY, MILESTONE_KINDS } from '@tenderflow/temporal-common/contract-types';
import {
  correctiveAction,
  modificationNotice,
  sanctionDecision,
  initialPlan,
  reprocurementAfterDecline,
  reprocurementStart,
} from '../../workflows/contract/milestone-plan';

/**
 * An inventory of the audit event types the system writes, read from the source, against the one
 * table of their texts (libs/domain/src/event-texts.ts): a writer that adds a type without its
 * Swedish and English text fails here.
 */
const ROOT = join(__dirname, '..', '..');
const WRITERS = ['workflows', 'activities', 'apps/api/src', 'libs'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'migrations') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

const TYPE = `[a-z_]+\\.[a-z_]+`;
/** `run.event('x'`, `this.event(\n 'x'`, `event(spec.eventType ?? 'x'`: the recorders' calls. */
const RECORDED = new RegExp(`\\.event\\(\\s*(?:[\\w.]+\\s*\\?\\?\\s*)?'(${TYPE})'`, 'g');
/** A command's own event type (`eventType: 'gate.decided'`). */
const COMMAND_TYPE = new RegExp(`eventType:\\s*'(${TYPE})'`, 'g');
/** The API's chains: `this.record(m, organization, 'x'`. */
const CHAIN_RECORD = new RegExp(`\\.record\\(\\s*\\w+,\\s*\\w+,\\s*'(${TYPE})'`, 'g');
/** A row for appendAuditEvents (`type: 'x'`), in a file that calls it. */
const ROW_TYPE = new RegExp(`\\btype:\\s*'(${TYPE})'`, 'g');
/** A type made of a prefix and a value: `` `invitation.${o.status}` ``. */
const TEMPLATE = /(?:\.event\(\s*|\btype:\s*)`([a-z_]+\.)\$\{/g;

/** The union of string literals a named type is, read from its source file. */
function unionOf(file: string, name: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const m = new RegExp(`type ${name} =([^;]+);`).exec(text);
  if (!m) throw new Error(`no type ${name} in ${file}`);
  return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
}

/** What each templated prefix takes: the values of the type its variable has. */
const TEMPLATES: Record<string, () => string[]> = {
  // workflows/tender/commands/coordination.ts: an InvitationOutcome's status (never 'invited').
  'invitation.': () =>
    unionOf('workflows/coordination/coordination.messages.ts', 'InvitationStatus').filter((s) => s !== 'invited'),
  // activities/reconciler.activities.ts: an operator's action in Temporal.
  'external.': () => unionOf('libs/db/src/entities/tender.entity.ts', 'ExternalActionKind'),
};

export function writtenTypes(files: { path: string; text: string }[]): { types: Set<string>; unknown: string[] } {
  const types = new Set<string>();
  const unknown: string[] = [];
  for (const { path, text } of files) {
    const patterns = [RECORDED, COMMAND_TYPE, CHAIN_RECORD, ...(text.includes('appendAuditEvents(') ? [ROW_TYPE] : [])];
    for (const p of patterns) for (const m of text.matchAll(p)) types.add(m[1]);
    for (const m of text.matchAll(TEMPLATE)) {
      const expand = TEMPLATES[m[1]];
      if (expand) for (const v of expand()) types.add(`${m[1]}${v}`);
      else unknown.push(`${path}: ${m[1]}\${…}`);
    }
  }
  return { types, unknown };
}

describe('audit event texts', () => {
  const files = WRITERS.flatMap((d) => sources(join(ROOT, d))).map((path) => ({
    path: relative(ROOT, path),
    text: readFileSync(path, 'utf8'),
  }));
  const { types, unknown } = writtenTypes(files);

  it('reads the writers (so the check below cannot pass by seeing nothing)', () => {
    for (const t of [
      'tender.created',
      'command.accepted',
      'command.refused',
      'gate.decided',
      'milestone.lapsed',
      'gate.escalated',
      'directory.imported',
      'policy.version_created',
      'invitation.not_joined',
      'external.reset',
    ])
      expect(types).toContain(t);
    expect(types.size).toBeGreaterThan(40);
  });

  it('knows what every templated event type can be', () => {
    expect(unknown).toEqual([]);
  });

  it('has a Swedish and an English text for every event type the system writes', () => {
    const missing = [...types].filter((t) => !EVENT_TEXTS[t]?.sv?.trim() || !EVENT_TEXTS[t]?.en?.trim());
    expect(missing).toEqual([]);
  });

  it('has no line for a type nothing writes', () => {
    expect(Object.keys(EVENT_TEXTS).filter((t) => !types.has(t))).toEqual([]);
  });

  it('finds each way of writing an event type', () => {
    const found = writtenTypes([
      { path: 'a.ts', text: "run.event('a.one', actor, {});\nthis.event(\n  'a.two',\n  null," },
      { path: 'b.ts', text: "run.event(spec.eventType ?? 'b.default', x);\nconst s = { eventType: 'b.own' };" },
      { path: 'c.ts', text: "await this.record(\n  m,\n  organization,\n  'c.chain',\n" },
      { path: 'd.ts', text: "appendAuditEvents(m, [{ type: 'd.row' }]);" },
      { path: 'e.ts', text: "const x = { type: 'e.not_a_row' };" },
      { path: 'f.ts', text: 'run.event(`invitation.${o.status}`, null);\nrun.event(`odd.${x}`, null);' },
    ]);
    expect([...found.types].sort()).toEqual([
      'a.one',
      'a.two',
      'b.default',
      'b.own',
      'c.chain',
      'd.row',
      'invitation.declined',
      'invitation.joined',
      'invitation.not_joined',
    ]);
    expect(found.unknown).toEqual(['f.ts: odd.${…}']);
  });
});

describe('milestone texts', () => {
  it('names every milestone kind in Swedish and English', () => {
    expect(Object.keys(MILESTONE_KIND_TEXTS).sort()).toEqual([...MILESTONE_KINDS].sort());
  });

  it("says the plan's titles in Swedish, with their numbers, years and dates", () => {
    expect(milestoneTitleSv({ kind: 'startup_meeting', title: 'Start-up meeting with the supplier' })).toBe(
      'Uppstartsmöte med leverantören',
    );
    expect(milestoneTitleSv({ kind: 'periodic_review', title: 'Periodic review 3' })).toBe(
      'Periodisk avtalsuppföljning 3',
    );
    expect(milestoneTitleSv({ kind: 'labour_conditions_check', title: 'Labour-conditions check 2027' })).toBe(
      'Kontroll av arbetsrättsliga villkor 2027',
    );
    expect(
      milestoneTitleSv({
        kind: 'extension_decision',
        title: 'Extension decision (ends 2028-12-31; 24 option months remain)',
      }),
    ).toBe('Beslut om förlängning (avtalet slutar 2028-12-31; 24 optionsmånader kvar)');
    expect(
      milestoneTitleSv({ kind: 'corrective_action', title: 'Corrective action after M4 (Periodic review 2)' }),
    ).toBe('Korrigerande åtgärd efter M4 (Periodisk avtalsuppföljning 2)');
    expect(milestoneTitleSv({ kind: 'planned_follow_up', title: 'Follow-up 2: Leveranstider' })).toBe(
      'Uppföljning 2: Leveranstider',
    );
    // A title of no known form: the kind's name.
    expect(milestoneTitleSv({ kind: 'documentation', title: 'Something else' })).toBe(
      MILESTONE_KIND_TEXTS.documentation.sv,
    );
  });

  it("says the plan's bases in Swedish and leaves the tender's own (Swedish) bases alone", () => {
    expect(milestoneBasisSv('policy: within 30 days of the contract start (2026-04-01)')).toBe(
      'policy: inom 30 dagar från avtalets start (2026-04-01)',
    );
    expect(milestoneBasisSv('policy: every 12 months (supply criticality high); start 2026-04-01 + 24 months')).toBe(
      'policy: var 12:e månad (försörjningskritikalitet hög); avtalets start 2026-04-01 + 24 månader',
    );
    expect(
      milestoneBasisSv('policy: every 1 months, sustainability criteria were set; start 2026-04-01 + 1 months'),
    ).toBe('policy: varje månad, hållbarhetskrav har ställts; avtalets start 2026-04-01 + 1 månader');
    expect(
      milestoneBasisSv(
        'follow-up plan: Leveranstider (how: stickprov; by: verksamheten), every 6 months; start 2026-04-01 + 6 months',
      ),
    ).toBe(
      'uppföljningsplanen: Leveranstider (hur: stickprov; av: verksamheten), var 6:e månad; avtalets start 2026-04-01 + 6 månader',
    );
    expect(milestoneBasisSv('policy: 6 months before the latest possible end 2030-03-31')).toBe(
      'policy: 6 månader före senast möjliga slutdag 2030-03-31',
    );
    expect(milestoneBasisSv('policy: a deviation in M4 is corrected within 30 days')).toBe(
      'policy: en avvikelse i M4 ska åtgärdas inom 30 dagar',
    );
    expect(milestoneBasisSv('19 a kap. 11 § LOU; lag (1930:173) om beräkning av lagstadgad tid, 2 §')).toBeUndefined();
  });

  it('has a Swedish title and basis for every milestone the plan writes', () => {
    const policy = DEFAULT_FOLLOW_UP_POLICY;
    const plan = initialPlan(
      {
        signedAt: '2026-03-20',
        startDate: '2026-04-01',
        endDate: '2028-03-31',
        optionMonthsRemaining: 12,
        criticality: 'high',
        labourConditionsRequired: true,
        sustainabilityCriteria: true,
        obligations: [
          { kind: 'post_award_notice', lastDay: '2026-04-20', basis: '15 kap. 1 § LOU' },
          { kind: 'documentation', lastDay: '2026-04-20', basis: '12 kap. 14 § LOU' },
        ],
        followUpPlan: [{ what: 'Leveranstider', how: 'stickprov', byWhom: 'verksamheten', everyMonths: 6 }],
        controls: [
          {
            requirementId: 'K4',
            kind: 'contract_condition',
            method: 'sample',
            frequency: 'yearly',
            owner: 'using_unit',
          },
          {
            requirementId: 'K5',
            kind: 'object_requirement',
            method: 'self_declaration',
            frequency: 'once',
            owner: 'procurement',
            lot: 'Kemi',
            criterionId: '10137:2',
          },
        ],
      },
      policy,
    );
    const fix = correctiveAction({ id: 'M7', title: plan[6].title, owner: 'using_unit' }, '2026-10-01', policy);
    // A corrective action due on the day the deviation's record set for the supplier.
    const set = correctiveAction(
      { id: 'M9', title: 'Control 1: K4 (sample)', owner: 'using_unit' },
      '2027-04-02',
      policy,
      '2027-05-15',
    );
    expect(milestoneBasisSv(set.basis)).toBe(
      'leverantören åtgärdar avvikelsen i M9 senast 2027-05-15, enligt beslut när den registrerades 2027-04-02',
    );
    expect(milestoneTitleSv(set)).toBe('Korrigerande åtgärd efter M9 (Kontroll 1: K4 (stickprov))');
    // The notice of a change under 17 kap. 12 § LOU (17 kap. 16 §).
    const notice = modificationNotice('C2', '17 kap. 12 § LOU', '2027-04-02', policy);
    expect(milestoneTitleSv(notice)).toBe('Annons om ändring C2 (17 kap. 16 § LOU)');
    expect(milestoneBasisSv(notice.basis)).toBe(
      'policy: annonsen om ändring C2 enligt 17 kap. 12 § LOU inom 30 dagar (LOU anger ingen tidsfrist)',
    );
    // A major deviation in a control on a contract with sanctions puts them to a decision.
    const sanction = sanctionDecision(
      { id: 'M9', title: 'Control 1: K4 (sample)' },
      'major',
      { sub: 'cm', name: 'Carin' },
      '2027-04-02',
      policy,
    );
    expect(sanction.dueDate).toBe('2027-05-02');
    expect(milestoneTitleSv(sanction)).toBe('Beslut om sanktion efter M9 (Kontroll 1: K4 (stickprov))');
    expect(milestoneBasisSv(sanction.basis)).toBe(
      'policy: en allvarlig avvikelse i M9 i ett avtal med sanktioner beslutas inom 30 dagar',
    );
    // The final end's re-procurement start, besides the plan's (which assumes every option used).
    const planned = [...plan, fix, set, notice, sanction, reprocurementStart('2028-03-31', true, policy)];
    const moved = [
      reprocurementAfterDecline('2028-03-31', '2026-05-01', policy).basis,
      reprocurementAfterDecline('2026-06-30', '2026-05-01', policy).basis,
    ];
    expect(new Set(planned.map((m) => m.kind))).toEqual(new Set(MILESTONE_KINDS));
    for (const m of planned) {
      if (m.title) expect(milestoneTitleSv(m)).not.toContain(m.title);
      if (m.kind !== 'post_award_notice' && m.kind !== 'documentation') expect(milestoneBasisSv(m.basis)).toBeDefined();
    }
    for (const b of moved) expect(milestoneBasisSv(b)).toBeDefined();
  });

  it('says the reasons the system writes in Swedish, and no one else’s', () => {
    expect(systemReasonSv('no answer by the response deadline')).toBe('inget svar före svarsfristen');
    expect(systemReasonSv('Leverantören har gått i konkurs')).toBeUndefined();
  });
});
