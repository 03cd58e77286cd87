import { DEFAULT_RED_FLAG_SETTINGS, quantileR8, redFlags, secondBidRatio, type ReleaseForFlags } from './red-flags';

/**
 * The red flags on small procedures whose answer can be checked by hand, including the examples
 * Cardinal documents for its own command-line tool (the same data, the same answers). The agreement
 * with the tool itself, run on its examples and on fixtures, is checked by hand with
 * scripts/cardinal-parity.ts (Cardinal is not on the crates.io registry CI reaches).
 */
const USD = { ...DEFAULT_RED_FLAG_SETTINGS, currency: 'USD' };
const bid = (status: string, tenderer: string, amount?: number, extra: object = {}) => ({
  status,
  tenderers: [{ id: tenderer }],
  ...(amount !== undefined ? { value: { amount, currency: 'USD' } } : {}),
  ...extra,
});
const won = (supplier: string) => [{ status: 'active', suppliers: [{ id: supplier }] }];

describe('red flags of one procedure', () => {
  it('R003: a tender period of 14 days 23:59:59 is short (whole days, truncated), 15 days is not', () => {
    const period = (endDate: string): ReleaseForFlags => ({
      ocid: 'F',
      tender: { tenderPeriod: { startDate: '2000-01-01T18:00:00Z', endDate } },
    });
    expect(redFlags([period('2000-01-16T17:59:59Z')]).OCID).toEqual({ F: { R003: 1 } });
    expect(redFlags([period('2000-01-16T18:00:00Z')]).OCID).toEqual({});
    // A calendar day without a time is not an instant: not computed.
    expect(
      redFlags([{ ocid: 'F', tender: { tenderPeriod: { startDate: '2000-01-01', endDate: '2000-01-02' } } }]).OCID,
    ).toEqual({});
    // Cardinal's example: one day, with an offset.
    expect(
      redFlags([
        {
          ocid: 'F',
          tender: { tenderPeriod: { startDate: '2020-08-03T18:00:00-05:00', endDate: '2020-08-04T18:00:00-05:00' } },
        },
      ]).OCID,
    ).toEqual({ F: { R003: 1 } });
  });

  it('R018: one tenderer in an open procedure, as numberOfTenderers says', () => {
    expect(redFlags([{ ocid: 'F', tender: { numberOfTenderers: 1, procurementMethod: 'open' } }]).OCID).toEqual({
      F: { R018: 1 },
    });
    expect(redFlags([{ ocid: 'F', tender: { numberOfTenderers: 1, procurementMethod: 'direct' } }]).OCID).toEqual({});
    expect(redFlags([{ ocid: 'F', tender: { numberOfTenderers: 2, procurementMethod: 'open' } }]).OCID).toEqual({});
  });

  it('R024 and R058: the second bid 2 % above the winner is close (≤ 0.05); 80 % above is a heavy discount (≥ 0.5)', () => {
    const close: ReleaseForFlags = {
      ocid: 'C',
      bids: { details: [bid('valid', 'W', 1000), bid('valid', 'L', 1020)] },
      awards: won('W'),
    };
    const far: ReleaseForFlags = {
      ocid: 'D',
      bids: { details: [bid('valid', 'W', 1000), bid('valid', 'L', 1800)] },
      awards: won('W'),
    };
    expect(secondBidRatio(close, 'USD')).toBeCloseTo(0.02, 10);
    const flags = redFlags([close, far], USD);
    expect(flags.OCID).toEqual({ C: { R024: 0.02 }, D: { R058: 0.8 } });
    expect(flags.Tenderer).toEqual({ W: { R024: 0, R058: 0 }, L: { R024: 0 } });
    // The lowest bid did not win (other criteria than price): no ratio.
    expect(secondBidRatio({ ...close, awards: won('L') }, 'USD')).toBeUndefined();
    // An award still pending: not computed.
    expect(
      secondBidRatio({ ...close, awards: [{ status: 'pending', suppliers: [{ id: 'W' }] }] }, 'USD'),
    ).toBeUndefined();
  });

  it('R024 across procedures, without a threshold: Cardinal’s documented example (ratios 1, 99, 99, 99, 99)', () => {
    const line = (ocid: string, loser: number): ReleaseForFlags => ({
      ocid,
      bids: { details: [bid('valid', 'W', 1), bid('valid', 'L', loser)] },
      awards: won('W'),
    });
    const flags = redFlags([line('F', 2), line('1', 100), line('2', 100), line('3', 100), line('4', 100)], {
      ...USD,
      r024: {},
      r058: { threshold: 1000 },
    });
    expect(flags.OCID).toEqual({ F: { R024: 1 } });
    expect(flags.Tenderer).toEqual({ W: { R024: 0 }, L: { R024: 0 } });
  });

  it('quartiles as Cardinal computes them (R-8): 0, 0 and seven 100s give q1 66.6667 and q3 100', () => {
    const x = [0, 0, 100, 100, 100, 100, 100, 100, 100];
    expect(quantileR8(x, 0.25)).toBeCloseTo(66.6667, 4);
    expect(quantileR8(x, 0.75)).toBe(100);
    expect(quantileR8([7], 0.25)).toBe(7);
    expect(quantileR8([], 0.5)).toBeNaN();
  });

  it('R028: a valid and a disqualified bid of the same amount from two tenderers', () => {
    const flags = redFlags(
      [{ ocid: 'F', bids: { details: [bid('valid', 'V', 1), bid('disqualified', 'D', 1)] } }],
      USD,
    );
    expect(flags.OCID).toEqual({ F: { R028: 1 } });
    expect(flags.Tenderer).toEqual({ V: { R028: 1 }, D: { R028: 1 } });
    // Withdrawn bids are not submitted; the same tenderer twice is not a coincidence of two.
    expect(
      redFlags([{ ocid: 'F', bids: { details: [bid('valid', 'V', 1), bid('withdrawn', 'D', 1)] } }], USD).OCID,
    ).toEqual({});
    expect(
      redFlags([{ ocid: 'F', bids: { details: [bid('valid', 'V', 1), bid('pending', 'V', 1)] } }], USD).OCID,
    ).toEqual({});
  });

  it('R030: a valid bid dated after the tender period won; a late bid that lost is no flag', () => {
    const late = (supplier: string): ReleaseForFlags => ({
      ocid: 'F',
      tender: { tenderPeriod: { endDate: '2000-03-15T00:00:00Z' } },
      bids: { details: [bid('valid', 'W', undefined, { date: '2000-04-01T00:00:00Z' })] },
      awards: won(supplier),
    });
    expect(redFlags([late('W')], USD)).toMatchObject({ OCID: { F: { R030: 1 } }, Tenderer: { W: { R030: 1 } } });
    expect(redFlags([late('L')], USD).OCID).toEqual({});
  });

  it('R035: every tender but the winner’s disqualified — the value is how many others', () => {
    const release = (others: string[]): ReleaseForFlags => ({
      ocid: 'F',
      bids: { details: [...others.map((o) => bid('disqualified', o)), bid('valid', 'V')] },
      awards: won('V'),
    });
    expect(redFlags([release(['D'])], USD)).toMatchObject({ OCID: { F: { R035: 1 } }, Tenderer: { V: { R035: 0 } } });
    expect(redFlags([release(['D', 'E'])], USD).OCID).toEqual({ F: { R035: 2 } });
    expect(
      redFlags([{ ...release(['D']), awards: [{ status: 'pending', suppliers: [{ id: 'V' }] }] }], USD).OCID,
    ).toEqual({});
  });

  it('R036: the lowest bid disqualified while a valid one exists (the first of two equal ones counts)', () => {
    const release = (first: ReturnType<typeof bid>, second: ReturnType<typeof bid>): ReleaseForFlags => ({
      ocid: 'F',
      bids: { details: [first, second] },
      awards: [{ status: 'active' }],
    });
    expect(redFlags([release(bid('disqualified', 'D', 1), bid('valid', 'V', 2))], USD).OCID).toEqual({
      F: { R036: 1 },
    });
    // Equal prices from two tenderers: identical bid prices too (R028).
    expect(redFlags([release(bid('disqualified', 'D', 1), bid('valid', 'V', 1))], USD).OCID).toEqual({
      F: { R028: 1, R036: 1 },
    });
    expect(redFlags([release(bid('pending', 'P', 1), bid('valid', 'V', 2))], USD).OCID).toEqual({});
    expect(redFlags([release(bid('withdrawn', 'X', 1), bid('disqualified', 'D', 2))], USD).OCID).toEqual({});
  });

  it('R038: half of the buyer’s submitted bids disqualified reaches the 0.5 fence; buyers with one bid are not judged', () => {
    const flags = redFlags(
      [
        {
          ocid: '0',
          buyer: { id: 'B' },
          tender: { procuringEntity: { id: 'P' } },
          bids: { details: [bid('valid', 'W1'), bid('disqualified', 'D')] },
        },
        { ocid: '1', buyer: { id: 'B1' }, bids: { details: [bid('disqualified', 'D')] } },
      ],
      USD,
    );
    expect(flags.Buyer).toEqual({ B: { R038: 0.5 } });
    expect(flags.ProcuringEntity).toEqual({ P: { R038: 0.5 } });
    // D: two bids across the procedures, both disqualified.
    expect(flags.Tenderer).toEqual({ D: { R038: 1 } });
    expect(flags.OCID).toEqual({});
  });

  it('a bid that is not an object and suppliers that are not a list are passed over, as Cardinal does, not thrown on', () => {
    const odd = {
      ocid: 'G',
      tender: { tenderPeriod: { startDate: '2026-01-01T00:00:00Z', endDate: '2026-03-01T00:00:00Z' } },
      bids: { details: [null, bid('valid', 'W', 100, { date: '2026-03-02T00:00:00Z' })] },
      awards: [{ status: 'active', suppliers: { id: 'W' } }],
    } as unknown as ReleaseForFlags;
    // Cardinal 0.0.8 (built from source) gives no flag for either shape (scripts/cardinal-parity.ts).
    expect(redFlags([odd], USD)).toEqual({ OCID: {}, Buyer: {}, ProcuringEntity: {}, Tenderer: {} });
  });

  it('a cancelled tender is never flagged', () => {
    expect(
      redFlags([{ ocid: 'F', tender: { status: 'cancelled', numberOfTenderers: 1, procurementMethod: 'open' } }]).OCID,
    ).toEqual({});
  });
});
