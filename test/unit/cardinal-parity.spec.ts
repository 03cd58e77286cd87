import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Procedure } from '@tenderflow/domain/types';
import type { Proposal, TenderState } from '@tenderflow/temporal-common/tender-types';
import { CARDINAL_CODES, locateCardinal, parity, type ParityReport } from '../../scripts/lib/cardinal';
import { raisedFlags, releaseForFlags } from '../../workflows/tender/tender.red-flags';

/**
 * The red flags agree with Cardinal's own command-line tool (issue 30): `ocdscardinal indicators`,
 * built from its pinned source by the unit project's setup (scripts/lib/cardinal.ts), and
 * libs/domain's redFlags() run on the same OCDS data with the same settings, compared group by
 * group, id by id, code by code.
 *
 * Two sets of data: Cardinal's own worked example of each indicator (its documentation's examples,
 * from the pinned source), and fixture procedures of two organisations built the way the tender
 * workflow builds them for the award gate (releaseForFlags: the tenders received as bids with their
 * assessment as the status, the proposed winners as the awards), written as JSONL for Cardinal.
 */
jest.setTimeout(120_000);

const DAY = 86_400_000;

interface FixtureTender {
  supplier: string;
  /** Days before the tender deadline it came in (negative: after it). */
  daysEarly?: number;
  prices?: [string | undefined, number][];
  result?: 'admitted' | 'rejected';
  late?: boolean;
}

interface Fixture {
  id: string;
  organization: string;
  procedure?: Procedure;
  /** Days from the publication to the tender deadline. */
  periodDays: number;
  tenders: FixtureTender[];
  winners: string[];
}

const published = Date.parse('2026-09-01T08:00:00.000Z');

/** A tender's state with what releaseForFlags reads, as the workflow holds it at the award gate. */
function stateOf(f: Fixture): { state: TenderState; proposals: Proposal[] } {
  const deadline = published + f.periodDays * DAY;
  const state = {
    id: f.id,
    organization: f.organization,
    procedure: f.procedure ?? 'open',
    publication: { sentAt: new Date(published).toISOString() },
    deadlines: [],
    pastDeadlines: [{ kind: 'tender_deadline', at: new Date(deadline).toISOString(), lastDay: '' }],
    tendersReceived: f.tenders.map((t) => ({
      supplier: t.supplier,
      receivedAt: new Date(deadline - (t.daysEarly ?? 2) * DAY).toISOString(),
      late: t.late ?? false,
      ...(t.prices ? { prices: t.prices.map(([lot, priceSek]) => ({ ...(lot ? { lot } : {}), priceSek })) } : {}),
    })),
    assessments: f.tenders.filter((t) => t.result).map((t) => ({ supplier: t.supplier, result: t.result })),
  } as unknown as TenderState;
  return { state, proposals: f.winners.map((supplier) => ({ supplier })) as Proposal[] };
}

const one = (supplier: string, price: number, result: FixtureTender['result'] = 'admitted'): FixtureTender => ({
  supplier,
  prices: [[undefined, price]],
  result,
});

/** Each indicator raised at least once, and procedures that raise none. */
const FIXTURES: Fixture[] = [
  // R003 (10 days < 15) and R018 (one tenderer in an open procedure).
  { id: 'RS-1', organization: 'RS', periodDays: 10, tenders: [one('Ensam AB', 900_000)], winners: ['Ensam AB'] },
  // R028: two tenderers with the same price.
  {
    id: 'RS-2',
    organization: 'RS',
    periodDays: 30,
    tenders: [one('Lika AB', 500_000), one('Samma AB', 500_000), one('Dyr AB', 700_000)],
    winners: ['Lika AB'],
  },
  // R036: the lowest bid disqualified; Ofta Fel AB is disqualified here and in RS-4 (R038 by tenderer).
  {
    id: 'RS-3',
    organization: 'RS',
    periodDays: 30,
    tenders: [one('Ofta Fel AB', 100_000, 'rejected'), one('Mitt AB', 120_000), one('Dyr AB', 130_000)],
    winners: ['Mitt AB'],
  },
  // R035 and R036: every bid but the winner's disqualified.
  {
    id: 'RS-4',
    organization: 'RS',
    periodDays: 30,
    tenders: [
      one('Ofta Fel AB', 200_000, 'rejected'),
      one('Fel Två AB', 210_000, 'rejected'),
      one('Vinnare AB', 260_000),
    ],
    winners: ['Vinnare AB'],
  },
  // R030: the winning bid dated after the tender period (recorded in time by the opening).
  {
    id: 'RS-5',
    organization: 'RS',
    periodDays: 30,
    tenders: [{ ...one('Sent AB', 400_000), daysEarly: -0.01 }, one('Tidig AB', 450_000)],
    winners: ['Sent AB'],
  },
  // R024: the runner-up within 5 % of the winner (1 030 000 against 1 000 000).
  {
    id: 'VG-1',
    organization: 'VG',
    periodDays: 40,
    tenders: [one('Först AB', 1_000_000), one('Tätt AB', 1_030_000)],
    winners: ['Först AB'],
  },
  // R058: the winner far below the runner-up ((1 000 000 − 400 000) ÷ 400 000 = 1.5).
  {
    id: 'VG-2',
    organization: 'VG',
    periodDays: 40,
    tenders: [one('Billig AB', 400_000), one('Normal AB', 1_000_000)],
    winners: ['Billig AB'],
  },
  // Two lots, one tender on both; a late tender is not a bid; nothing raised.
  {
    id: 'VG-3',
    organization: 'VG',
    periodDays: 35,
    tenders: [
      {
        supplier: 'Cellab AB',
        prices: [
          ['Kemi', 1_200_000],
          ['Hematologi', 1_000_000],
        ],
        result: 'admitted',
      },
      { supplier: 'Kemlab AB', prices: [['Kemi', 1_500_000]], result: 'admitted' },
      { supplier: 'Hemo AB', prices: [['Hematologi', 1_450_000]], result: 'admitted' },
      { supplier: 'Sen AB', prices: [['Kemi', 900_000]], late: true },
    ],
    winners: ['Cellab AB'],
  },
  // A procedure without advertising: a single tender raises no R018.
  {
    id: 'VG-4',
    organization: 'VG',
    procedure: 'negotiated_without_notice',
    periodDays: 20,
    tenders: [one('Enda AB', 300_000)],
    winners: ['Enda AB'],
  },
  // Not yet assessed: the bids are pending, no disqualification counted.
  {
    id: 'VG-5',
    organization: 'VG',
    periodDays: 25,
    tenders: [
      { supplier: 'Ny AB', prices: [[undefined, 800_000]] },
      { supplier: 'Annan AB', prices: [[undefined, 850_000]] },
    ],
    winners: ['Ny AB'],
  },
];

describe('red flags against Cardinal (ocdscardinal indicators, built from its pinned source)', () => {
  const cardinal = locateCardinal();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cardinal-parity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const agree = (report: ParityReport) => {
    expect(report.differences).toEqual([]);
    expect(report.ourFlags).toBe(report.cardinalFlags);
  };

  it('is installed by the setup', () => {
    expect(cardinal).toBeDefined();
  });

  it("agrees on Cardinal's own worked example of each indicator", () => {
    const files = readdirSync(cardinal!.examples)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    expect(files.map((f) => `R${f.replace('.jsonl', '')}`)).toEqual(expect.arrayContaining([...CARDINAL_CODES]));
    let flags = 0;
    for (const file of files.filter((f) => (CARDINAL_CODES as readonly string[]).includes(`R${f.slice(0, 3)}`))) {
      const report = parity(cardinal!.bin, join(cardinal!.examples, file), dir);
      agree(report);
      flags += report.cardinalFlags;
    }
    // The examples are there to raise their indicator: the comparison is not of two empty results.
    expect(flags).toBeGreaterThanOrEqual(CARDINAL_CODES.length);
  });

  it('agrees on procedures built as the workflow builds them for the award gate', () => {
    const file = join(dir, 'fixtures.jsonl');
    writeFileSync(
      file,
      FIXTURES.map((f) => {
        const { state, proposals } = stateOf(f);
        return JSON.stringify(releaseForFlags(state, proposals));
      }).join('\n') + '\n',
    );
    const report = parity(cardinal!.bin, file, dir);
    agree(report);
    expect(report.procedures).toBe(FIXTURES.length);
    // Every indicator is raised somewhere in the fixtures, by Cardinal and by ours.
    const raised = new Set(
      Object.values(report.cardinal).flatMap((group) => Object.values(group).flatMap((codes) => Object.keys(codes))),
    );
    expect([...raised].sort()).toEqual([...CARDINAL_CODES]);
    // Cardinal's verdict for one procedure is what the approver sees on the award gate.
    for (const f of FIXTURES) {
      const { state, proposals } = stateOf(f);
      const onGate = raisedFlags(state, proposals).map((x) => [x.code, x.value]);
      const byCardinal = Object.entries(report.cardinal.OCID?.[f.id] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      expect([f.id, onGate]).toEqual([f.id, byCardinal]);
    }
  });
});
