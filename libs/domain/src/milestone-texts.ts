/**
 * A contract's follow-up milestones in words, for the console and the e-mails. The contract workflow
 * stores each milestone's title and basis in English (workflows/contract/milestone-plan.ts), and its
 * histories must replay unchanged, so the stored words stay as they are: a reader in Swedish gets the
 * kind's name, and the title and basis rewritten from the plan's own sentence patterns. Pure, and it
 * imports nothing, so the console can bundle it.
 */
import type { Texts } from './event-texts';

/**
 * Every milestone kind's name (libs/temporal-common contract-types.ts MILESTONE_KINDS; a unit test
 * holds the two lists equal: the kinds live above this floor).
 */
export const MILESTONE_KIND_TEXTS: Readonly<Record<string, Texts>> = {
  startup_meeting: { sv: 'Uppstartsmöte med leverantören', en: 'Start-up meeting with the supplier' },
  periodic_review: { sv: 'Periodisk avtalsuppföljning', en: 'Periodic review' },
  labour_conditions_check: { sv: 'Kontroll av arbetsrättsliga villkor', en: 'Labour-conditions check' },
  sustainability_check: { sv: 'Kontroll av hållbarhetskraven', en: 'Sustainability check' },
  extension_decision: { sv: 'Beslut om förlängning', en: 'Extension decision' },
  reprocurement_start: { sv: 'Start av ny upphandling', en: 'Re-procurement start' },
  post_award_notice: { sv: 'Efterannons', en: 'Post-award notice' },
  documentation: {
    sv: 'Dokumentation av upphandlingen och individuell rapport',
    en: 'Procurement documentation and individual report',
  },
  corrective_action: { sv: 'Korrigerande åtgärd', en: 'Corrective action' },
  planned_follow_up: { sv: 'Uppföljning enligt uppföljningsplanen', en: 'Follow-up from the plan' },
  control: { sv: 'Kontroll enligt kravregistret', en: 'Control from the requirements register' },
  modification_notice: { sv: 'Annons om ändring av avtalet', en: 'Notice of a contract change' },
  sanction_decision: { sv: 'Beslut om sanktion', en: 'Sanction decision' },
};

/** A deviation's severity (contract-types.ts DEVIATION_SEVERITIES) in Swedish, lower case: the plan's texts and the report share it. */
export const SEVERITY_SV: Readonly<Record<string, string>> = {
  minor: 'mindre',
  major: 'allvarlig',
  critical: 'kritisk',
};

/** Each follow-up method of the register (requirements.ts FOLLOW_UP_METHODS) in Swedish. */
export const FOLLOW_UP_METHOD_SV: Readonly<Record<string, string>> = {
  self_declaration: 'leverantörens egenförsäkran',
  document: 'dokument',
  sample: 'stickprov',
  audit: 'revision',
  statistics: 'statistik',
};
/** The plan writes a method in English words (milestone-plan.ts): the same table, by those words. */
const METHOD_SV: Record<string, string> = Object.fromEntries(
  Object.entries(FOLLOW_UP_METHOD_SV).map(([id, words]) => [
    id === 'self_declaration' ? "supplier's self-declaration" : id,
    words,
  ]),
);
const REQUIREMENT_KIND_SV: Record<string, string> = {
  'contract condition': 'särskilt kontraktsvillkor',
  'supplier requirement': 'krav på leverantören',
  'object requirement': 'krav på det som köps',
  'award criterion': 'tilldelningskriterium',
};
const FREQUENCY_SV: Record<string, string> = {
  once: 'en gång',
  monthly: 'varje månad',
  quarterly: 'varje kvartal',
  'half yearly': 'varje halvår',
  yearly: 'varje år',
};
const sv = (table: Record<string, string>, word: string) => table[word] ?? word;

const CRITICALITY_SV: Record<string, string> = { low: 'låg', medium: 'medel', high: 'hög', critical: 'kritisk' };

/** "var 3:e månad", "var 12:e månad", "var 2:a månad", "varje månad". */
function every(months: string): string {
  const n = Number(months);
  if (n === 1) return 'varje månad';
  return `var ${n}:${n % 10 <= 2 && n % 10 > 0 && n % 100 !== 11 && n % 100 !== 12 ? 'a' : 'e'} månad`;
}

type Rewrite = [RegExp, (...groups: string[]) => string];

/** The titles milestone-plan.ts writes, each as a pattern and its Swedish. */
const TITLES_SV: Rewrite[] = [
  [/^Start-up meeting with the supplier$/, () => MILESTONE_KIND_TEXTS.startup_meeting.sv],
  [/^Periodic review (\d+)$/, (n) => `${MILESTONE_KIND_TEXTS.periodic_review.sv} ${n}`],
  [/^Labour-conditions check (\d{4})$/, (y) => `${MILESTONE_KIND_TEXTS.labour_conditions_check.sv} ${y}`],
  [/^Sustainability check (\d{4})$/, (y) => `${MILESTONE_KIND_TEXTS.sustainability_check.sv} ${y}`],
  [
    /^Extension decision \(ends (\S+); (\d+) option months remain\)$/,
    (end, months) =>
      `${MILESTONE_KIND_TEXTS.extension_decision.sv} (avtalet slutar ${end}; ${months} optionsmånader kvar)`,
  ],
  [/^Re-procurement start$/, () => MILESTONE_KIND_TEXTS.reprocurement_start.sv],
  [/^Post-award notice \(efterannons\)$/, () => MILESTONE_KIND_TEXTS.post_award_notice.sv],
  [/^Procurement documentation and individual report$/, () => MILESTONE_KIND_TEXTS.documentation.sv],
  [/^Follow-up (\d+): ([^]*)$/, (n, what) => `Uppföljning ${n}: ${what}`],
  [/^Control (\d+): (\S+) \(([^)]*)\)$/, (n, id, how) => `Kontroll ${n}: ${id} (${sv(METHOD_SV, how)})`],
  [/^Control: (\S+) \(([^)]*)\)$/, (id, how) => `Kontroll: ${id} (${sv(METHOD_SV, how)})`],
  [/^Notice of change (\S+) \(17 kap\. 16 § LOU\)$/, (id) => `Annons om ändring ${id} (17 kap. 16 § LOU)`],
];

/** A control's basis before its timing: the requirement, its kind and lot, the method, how often, a criterion id. */
const CONTROL_BASIS =
  /^requirements register (\S+) \(([a-z ]+?)(?:, lot ([^)]*))?\): ([^,]+), ([a-z ]+?)(?:; Upphandlingsmyndigheten's criterion (\S+))?/;
const controlBasisSv = (id: string, kind: string, lot: string, how: string, often: string, criterion: string) =>
  `kravregistret ${id} (${sv(REQUIREMENT_KIND_SV, kind)}${lot ? `, delområde ${lot}` : ''}): ${sv(METHOD_SV, how)}, ${sv(FREQUENCY_SV, often)}${criterion ? `; Upphandlingsmyndighetens kriterium ${criterion}` : ''}`;

/** The bases milestone-plan.ts writes (before a recurring milestone's `; start … + … months`). */
const BASES_SV: Rewrite[] = [
  [
    /^policy: within (\d+) days of the contract start \((\S+)\)$/,
    (d, start) => `policy: inom ${d} dagar från avtalets start (${start})`,
  ],
  [
    /^policy: every (\d+) months \(supply criticality (\w+)\)$/,
    (n, c) => `policy: ${every(n)} (försörjningskritikalitet ${CRITICALITY_SV[c] ?? c})`,
  ],
  [
    /^policy: every (\d+) months, labour conditions required \(17 kap\. 2 § LOU\)$/,
    (n) => `policy: ${every(n)}, arbetsrättsliga villkor krävs (17 kap. 2 § LOU)`,
  ],
  [
    /^policy: every (\d+) months, sustainability criteria were set$/,
    (n) => `policy: ${every(n)}, hållbarhetskrav har ställts`,
  ],
  [
    /^follow-up plan: ([^]*) \(how: ([^]*); by: ([^]*)\), every (\d+) months$/,
    (what, how, by, n) => `uppföljningsplanen: ${what} (hur: ${how}; av: ${by}), ${every(n)}`,
  ],
  [
    /^policy: (\d+) months before the current end (\S+)$/,
    (n, end) => `policy: ${n} månader före nuvarande slutdag ${end}`,
  ],
  [
    /^policy: (\d+) months before the (final|latest possible) end (\S+)$/,
    (n, which, end) => `policy: ${n} månader före ${which === 'final' ? 'sista' : 'senast möjliga'} slutdag ${end}`,
  ],
  [
    /^policy: (\d+) months before the final end (\S+) \(extension declined\)$/,
    (n, end) => `policy: ${n} månader före sista slutdag ${end} (förlängningen avstods)`,
  ],
  [
    /^policy: (\d+) months before the final end (\S+) had passed when the extension was declined: due at once$/,
    (n, end) =>
      `policy: ${n} månader före sista slutdag ${end} hade redan passerat när förlängningen avstods: förfaller genast`,
  ],
  [
    new RegExp(`${CONTROL_BASIS.source}$`),
    (id, kind, lot, how, often, criterion) => controlBasisSv(id, kind, lot, how, often, criterion),
  ],
  [
    new RegExp(`${CONTROL_BASIS.source}; once, by the start-up meeting \\(start (\\S+) \\+ (\\d+) days\\)$`),
    (id, kind, lot, how, often, criterion, start, days) =>
      `${controlBasisSv(id, kind, lot, how, often, criterion)}; en gång, senast vid uppstartsmötet (avtalets start ${start} + ${days} dagar)`,
  ],
  [
    /^policy: the notice of change (\S+) under (17 kap\. \d+ § LOU) within (\d+) days \(LOU sets no time limit\)$/,
    (id, paragraph, d) =>
      `policy: annonsen om ändring ${id} enligt ${paragraph} inom ${d} dagar (LOU anger ingen tidsfrist)`,
  ],
  [
    /^the supplier corrects the deviation in (\S+) by (\S+), as set when it was recorded on (\S+)$/,
    (id, due, on) =>
      `leverantören åtgärdar avvikelsen i ${id} senast ${due}, enligt beslut när den registrerades ${on}`,
  ],
  [
    /^policy: a (minor|major|critical) deviation in (\S+) on a contract with sanctions is decided on within (\d+) days$/,
    (severity, id, d) =>
      `policy: en ${SEVERITY_SV[severity] ?? severity} avvikelse i ${id} i ett avtal med sanktioner beslutas inom ${d} dagar`,
  ],
  [
    /^policy: a deviation in (\S+) is corrected within (\d+) days$/,
    (id, d) => `policy: en avvikelse i ${id} ska åtgärdas inom ${d} dagar`,
  ],
];

function rewrite(text: string, rules: Rewrite[]): string | undefined {
  for (const [pattern, say] of rules) {
    const m = pattern.exec(text);
    if (m) return say(...m.slice(1));
  }
  return undefined;
}

/**
 * A milestone's title in Swedish: the plan's English title rewritten (with its number, year or
 * dates), a corrective action's with its milestone's; the kind's name for a title of no known form
 * (the title itself when the kind is not known either).
 */
export function milestoneTitleSv(m: { kind: string; title: string }): string {
  const after = /^(Corrective action|Sanction decision) after (\S+) \(([^]*)\)$/.exec(m.title);
  if (after) {
    const of = rewrite(after[3], TITLES_SV) ?? after[3];
    const kind = after[1] === 'Corrective action' ? 'corrective_action' : 'sanction_decision';
    return `${MILESTONE_KIND_TEXTS[kind].sv} efter ${after[2]} (${of})`;
  }
  return rewrite(m.title, TITLES_SV) ?? MILESTONE_KIND_TEXTS[m.kind]?.sv ?? m.title;
}

/**
 * A milestone's basis in Swedish, when it is one of the plan's English sentences; undefined for any
 * other (the obligations' bases come from the tender's deadlines, which are Swedish already).
 */
export function milestoneBasisSv(basis: string): string | undefined {
  const recurring = /^([^]*); start (\S+) \+ (\d+) months$/.exec(basis);
  if (recurring) {
    const head = rewrite(recurring[1], BASES_SV);
    return head && `${head}; avtalets start ${recurring[2]} + ${recurring[3]} månader`;
  }
  return rewrite(basis, BASES_SV);
}

/** Whether a basis is one of the plan's English sentences (so a Swedish page must not show it as is). */
export function isPlanBasis(basis: string): boolean {
  return /^(?:policy|follow-up plan): |^requirements register |^the supplier corrects /.test(basis);
}
