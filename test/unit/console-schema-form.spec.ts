import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_LABELS, CHOICE_LABELS, FIELD_LABELS } from '../../console/src/form-labels';
import { TABLES } from '../../console/src/i18n-tables';
import {
  initialValue,
  inputKind,
  namesOf,
  requestSchema,
  resolve,
  templateOf,
  toPayload,
  type OpenApiDocument,
} from '../../console/src/schema-form';
import { ACTION_PATHS } from '../../workflows/tender/tender.actions';

/** The console's command forms are built from the committed OpenAPI document (console/src/schema-form.ts). */
const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as OpenApiDocument;
const commandTemplates = Object.keys(doc.paths).filter(
  (p) =>
    doc.paths[p].post?.requestBody &&
    (p === '/tenders' || p.startsWith('/tenders/{id}/') || p.startsWith('/contracts/')),
);
/** The administration's forms: a new version of the policy (its rules) and a category. */
const adminForms = [
  { template: '/organizations/{org}/policy', method: 'put' },
  { template: '/organizations/{org}/categories/{code}', method: 'put' },
];
const forms = [...commandTemplates.map((template) => ({ template, method: 'post' })), ...adminForms];

describe('command forms from the API contract', () => {
  it('finds the request schema of every action route the API answers, by its concrete path', () => {
    for (const path of Object.values(ACTION_PATHS)) {
      const concrete = `/tenders/HSN-2026-00042/${path.replace('{gate}', 'award_decision').replace(/\{[a-z]+\}/g, 'X1')}`;
      const template = templateOf(doc, concrete);
      expect(template).toBe(`/tenders/{id}/${path.replace(/\{(qid|rid|org)\}/, (_, k: string) => `{${k}}`)}`);
      expect(requestSchema(doc, template!)?.properties).toBeDefined();
    }
    expect(templateOf(doc, '/tenders/HSN-2026-00042/nothing-here')).toBeUndefined();
  });

  it('has a Swedish and an English label for every field and choice of every command and administration form, and a name for every action', () => {
    const missing: string[] = [];
    for (const { template, method } of forms) {
      const schema = requestSchema(doc, template, method)!;
      const { fields, choices } = namesOf(doc, schema);
      for (const f of fields)
        for (const l of ['sv', 'en'] as const) if (!FIELD_LABELS[l][f]) missing.push(`${l} field ${f}`);
      // Choices are labelled by field and value: walk the schema for the pairs.
      const pairs: string[] = [];
      const walk = (s: ReturnType<typeof resolve>, seen = new Set<object>()) => {
        if (seen.has(s)) return;
        seen.add(s);
        for (const [k, v] of Object.entries(s.properties ?? {})) {
          const r = resolve(doc, v);
          for (const c of r.enum ?? []) pairs.push(`${k}.${c}`);
          walk(r.items ? resolve(doc, r.items) : r, seen);
        }
      };
      walk(schema);
      expect(pairs.length).toBeGreaterThanOrEqual(choices.size > 0 ? 1 : 0);
      for (const p of pairs)
        for (const l of ['sv', 'en'] as const) if (!CHOICE_LABELS[l][p]) missing.push(`${l} choice ${p}`);
    }
    for (const a of Object.keys(ACTION_PATHS))
      for (const l of ['sv', 'en'] as const) if (!ACTION_LABELS[l][a]) missing.push(`${l} action ${a}`);
    expect(missing).toEqual([]);
  });

  // Words both languages spell the same are allowed.
  it('no Swedish label is an English one', () => {
    const english = new Set([
      ...Object.values(FIELD_LABELS.en),
      ...Object.values(CHOICE_LABELS.en),
      ...Object.values(ACTION_LABELS.en),
    ]);
    const same = [
      ...Object.entries(FIELD_LABELS.sv),
      ...Object.entries(CHOICE_LABELS.sv),
      ...Object.entries(ACTION_LABELS.sv),
    ]
      .filter(([, sv]) => english.has(sv) && !['Id', 'Status', 'Version', 'Organisation'].includes(sv))
      .map(([k]) => k);
    expect(same).toEqual([]);
    expect(TABLES.sv['actions.title']).toBe('Att göra nu');
  });

  it("reads the policy's rules and a category's manager from the administration forms' schemas", () => {
    const policy = requestSchema(doc, '/organizations/{org}/policy', 'put')!;
    expect(policy.required).toEqual(['rules', 'reference']);
    const rules = namesOf(doc, resolve(doc, policy.properties!.rules)).fields;
    expect([...rules]).toEqual(expect.arrayContaining(['questionCutoffDays', 'dualApprovalFromSek']));
    const category = requestSchema(doc, '/organizations/{org}/categories/{code}', 'put')!;
    expect(Object.keys(resolve(doc, category.properties!.manager).properties!)).toEqual(['sub', 'name']);
    expect(requestSchema(doc, '/organizations/{org}/policy')).toBeUndefined();
  });

  it('merges the variants of a decision into one form: every choice, required only what all require', () => {
    const s = requestSchema(doc, '/tenders/{id}/gates/{gate}/decision')!;
    expect(resolve(doc, s.properties!.decision).enum).toEqual(['approve', 'reject', 'request_changes']);
    expect(s.required).toEqual(['decision']);
  });

  it('starts documents with one row and sends only what was filled in, numbers and yes/no typed', () => {
    const documents = requestSchema(doc, '/tenders/{id}/documents')!;
    const start = initialValue(doc, documents) as { documents: unknown[]; followUpPlan: unknown[] };
    expect(start.documents).toEqual([{ title: '', reference: '', version: '' }]);
    expect(start.followUpPlan).toHaveLength(1);
    expect(
      toPayload(doc, documents, {
        documents: [
          { title: 'Kravspecifikation', reference: 'dms://1', version: '' },
          { title: '', reference: '', version: '' },
        ],
        followUpPlan: [{ what: 'Leveranstid', how: 'Rapport', byWhom: 'Lab', everyMonths: '3', owner: '' }],
      }),
    ).toEqual({
      documents: [{ title: 'Kravspecifikation', reference: 'dms://1' }],
      followUpPlan: [{ what: 'Leveranstid', how: 'Rapport', byWhom: 'Lab', everyMonths: 3 }],
    });
    const publish = requestSchema(doc, '/tenders/{id}/publication')!;
    expect(inputKind(resolve(doc, publish.properties!.urgent), false)).toBe('yesno');
    expect(inputKind(resolve(doc, publish.properties!.deadline), false)).toBe('date');
    expect(toPayload(doc, publish, { advertisingDatabase: 'e-Avrop', urgent: 'no', deadline: '' })).toEqual({
      advertisingDatabase: 'e-Avrop',
      urgent: false,
    });
    // A row of a list whose only value is an unticked checkbox is left out (the assessment's requirements).
    const assess = requestSchema(doc, '/tenders/{id}/assessments')!;
    const blank = initialValue(doc, assess) as { requirements: unknown[] };
    expect(blank.requirements).toHaveLength(1);
    expect(
      toPayload(doc, assess, {
        ...blank,
        supplier: 'Lab AB',
        requirements: [
          { requirementId: '', met: false, note: '' },
          { requirementId: 'K1', met: false, note: '' },
        ],
        result: 'admitted',
      }),
    ).toMatchObject({ supplier: 'Lab AB', requirements: [{ requirementId: 'K1', met: false }], result: 'admitted' });
    // A number that does not read as one is sent as typed, for the API to name the field.
    const contract = requestSchema(doc, '/tenders/{id}/contract')!;
    expect(toPayload(doc, contract, { supplier: 'Lab AB', valueSek: 'fyra miljoner' })).toEqual({
      supplier: 'Lab AB',
      valueSek: 'fyra miljoner',
    });
    expect(toPayload(doc, contract, { valueSek: '4 000 000' })).toEqual({ valueSek: 4_000_000 });
    // Lines are a list of texts; a date-time an ISO instant.
    const opening = requestSchema(doc, '/tenders/{id}/opening')!;
    expect(
      toPayload(doc, opening, {
        openers: 'anna\n\n bo \n',
        tenders: [{ supplier: 'Lab AB', receivedAt: '2027-01-15T10:30', orgNumber: '', lots: '' }],
      }),
    ).toEqual({
      openers: ['anna', 'bo'],
      tenders: [{ supplier: 'Lab AB', receivedAt: new Date('2027-01-15T10:30').toISOString() }],
    });
  });
});
