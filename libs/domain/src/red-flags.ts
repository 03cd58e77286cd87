/**
 * Red flags before the award decision (issue 30, part 5): the Open Contracting Partnership's
 * indicators that apply to a procedure, computed from its OCDS compiled release the way Cardinal
 * (`ocdscardinal`, the OCP's reference implementation) computes them, so that the two agree on the
 * same data:
 *
 * - R003 short submission period: the tender period, in whole days (truncated), below a threshold.
 * - R018 single bid received: `tender.numberOfTenderers` is 1 in an open or selective procedure.
 * - R024 price close to the winning bid / R058 heavily discounted bid: the lowest valid bid of a
 *   tenderer who did not win, against the winner's, as a ratio (second − winner) ÷ winner; at or
 *   below (R024) or at or above (R058) a fence: a threshold, or across many procedures the
 *   quartile fences (q1 − 1.5 IQR, q3 + 1.5 IQR).
 * - R028 identical bid prices: two submitted bids of different tenderers with the same amount.
 * - R030 late bid won: a valid bid dated after the tender period's end won.
 * - R035 all except the winning bid disqualified; R036 the lowest bid disqualified.
 * - R038 excessive disqualified bids: the share of disqualified bids per buyer, procuring entity
 *   and tenderer, at or above a fence.
 *
 * Where Cardinal's behaviour is particular, this follows it and says so (R018 reads only
 * `numberOfTenderers`; R030 compares the dates as text; a bid without a status is not submitted).
 * Pure and deterministic: no clock, no I/O.
 */

/** The parts of an OCDS compiled release the indicators read (bids extension included). */
export interface ReleaseForFlags {
  ocid: string;
  buyer?: { id?: unknown };
  tender?: {
    status?: unknown;
    procurementMethod?: unknown;
    procurementMethodDetails?: unknown;
    numberOfTenderers?: unknown;
    procuringEntity?: { id?: unknown };
    tenderPeriod?: { startDate?: unknown; endDate?: unknown };
  };
  bids?: {
    details?: {
      status?: unknown;
      date?: unknown;
      value?: { amount?: unknown; currency?: unknown };
      tenderers?: { id?: unknown }[];
    }[];
  };
  awards?: { status?: unknown; suppliers?: { id?: unknown }[] }[];
}

export interface RedFlagSettings {
  /** The main currency: bids in another are left out of R024, R036 and R058. */
  currency: string;
  r003: { thresholdDays: number; procurementMethods?: string[] };
  r018: { procurementMethods: string[] };
  r024: { threshold?: number };
  r035: { threshold: number };
  r038: { threshold?: number; minimumSubmittedBids: number; minimumContractingProcesses: number };
  r058: { threshold?: number };
}

/** Cardinal's defaults, with the thresholds its template suggests where it has none of its own. */
export const DEFAULT_RED_FLAG_SETTINGS: RedFlagSettings = {
  currency: 'SEK',
  r003: { thresholdDays: 15 },
  r018: { procurementMethods: ['open', 'selective'] },
  r024: { threshold: 0.05 },
  r035: { threshold: 1 },
  r038: { threshold: 0.5, minimumSubmittedBids: 2, minimumContractingProcesses: 2 },
  r058: { threshold: 0.5 },
};

export type FlagCode = 'R003' | 'R018' | 'R024' | 'R028' | 'R030' | 'R035' | 'R036' | 'R038' | 'R058';

/** What each flag says, for the approver (Swedish first) — the OCP's names of the indicators. */
export const RED_FLAG_NAMES: Readonly<Record<FlagCode, { sv: string; en: string }>> = {
  R003: { sv: 'Kort anbudstid', en: 'Short submission period' },
  R018: { sv: 'Endast ett anbud', en: 'Single bid received' },
  R024: { sv: 'Näst lägsta pris ligger nära vinnarens', en: 'Price close to the winning bid' },
  R028: { sv: 'Identiska anbudspriser', en: 'Identical bid prices' },
  R030: { sv: 'Ett sent anbud vann', en: 'Late bid won' },
  R035: { sv: 'Alla anbud utom det vinnande förkastades', en: 'All except the winning bid disqualified' },
  R036: { sv: 'Det lägsta anbudet förkastades', en: 'Lowest bid disqualified' },
  R038: { sv: 'Många förkastade anbud', en: 'Excessive disqualified bids' },
  R058: { sv: 'Kraftigt rabatterat anbud', en: 'Heavily discounted bid' },
};

/** What Cardinal writes: per procedure, per buyer, per procuring entity, per tenderer, each code → value. */
export interface RedFlagResults {
  OCID: Record<string, Partial<Record<FlagCode, number>>>;
  Buyer: Record<string, Partial<Record<FlagCode, number>>>;
  ProcuringEntity: Record<string, Partial<Record<FlagCode, number>>>;
  Tenderer: Record<string, Partial<Record<FlagCode, number>>>;
}

type Bid = NonNullable<NonNullable<ReleaseForFlags['bids']>['details']>[number];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** The bids that are objects (Cardinal passes over anything else, as over a `null` in the list). */
const bidsOf = (r: ReleaseForFlags): Bid[] =>
  Array.isArray(r.bids?.details) ? r.bids!.details!.filter((b): b is Bid => typeof b === 'object' && b !== null) : [];
const tendererIds = (b: Bid): string[] =>
  Array.isArray(b.tenderers) ? b.tenderers.map((t) => str(t?.id)).filter((x): x is string => x !== undefined) : [];
/** Submitted: a status that is a string, other than invited and withdrawn (a bid without one is not). */
const submitted = (b: Bid) => typeof b.status === 'string' && b.status !== 'invited' && b.status !== 'withdrawn';

/** The supplier ids of the active awards, or undefined when an award's status is neither final nor active. */
function activeSuppliersIfFinal(r: ReleaseForFlags): Set<string> | undefined {
  if (!Array.isArray(r.awards) || !Array.isArray(r.bids?.details)) return undefined;
  const ids = new Set<string>();
  for (const a of r.awards) {
    const status = str(a?.status);
    if (status === undefined || status === 'cancelled' || status === 'unsuccessful') continue;
    if (status !== 'active') return undefined;
    for (const s of Array.isArray(a.suppliers) ? a.suppliers : []) {
      const id = str(s?.id);
      if (id !== undefined) ids.add(id);
    }
  }
  return ids;
}

/** Whole days between two RFC 3339 instants, truncated toward zero; undefined when either is not one. */
function wholeDays(start: unknown, end: unknown): number | undefined {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  if (typeof start !== 'string' || typeof end !== 'string' || !rfc3339.test(start) || !rfc3339.test(end))
    return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isNaN(ms) ? undefined : Math.trunc(ms / 86_400_000);
}

/** R-8 quantile (median-unbiased), as Cardinal's statistics library computes quartiles. */
export function quantileR8(values: readonly number[], tau: number): number {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return NaN;
  const h = (n + 1 / 3) * tau + 1 / 3;
  const hf = Math.trunc(h);
  if (hf <= 0) return x[0];
  if (hf >= n) return x[n - 1];
  return x[hf - 1] + (h - hf) * (x[hf] - x[hf - 1]);
}

/** (lowest valid bid of a non-winner − the winner's) ÷ the winner's; undefined when it does not apply. */
export function secondBidRatio(r: ReleaseForFlags, currency: string): number | undefined {
  const active = activeSuppliersIfFinal(r);
  if (!active) return undefined;
  const activeAwards = (r.awards ?? []).filter((a) => a?.status === 'active');
  if (activeAwards.length !== 1) return undefined;
  const suppliers = Array.isArray(activeAwards[0].suppliers) ? activeAwards[0].suppliers : [];
  if (suppliers.length !== 1 || str(suppliers[0]?.id) === undefined) return undefined;
  const winner = str(suppliers[0].id)!;
  let winnerAmount: number | undefined;
  let other: number | undefined;
  for (const b of bidsOf(r)) {
    const amount = num(b.value?.amount);
    const ids = Array.isArray(b.tenderers) ? b.tenderers : [];
    if (b.status !== 'valid' || amount === undefined || str(b.value?.currency) !== currency || ids.length !== 1)
      continue;
    const id = str(ids[0]?.id);
    if (id === undefined) continue;
    if (id === winner) winnerAmount = winnerAmount === undefined ? amount : Math.min(winnerAmount, amount);
    else if (other === undefined || amount < other) other = amount;
  }
  if (winnerAmount === undefined || other === undefined || other < winnerAmount || winnerAmount === 0) return undefined;
  return (other - winnerAmount) / winnerAmount;
}

const set = (group: Record<string, Partial<Record<FlagCode, number>>>, id: string, code: FlagCode, value: number) => {
  (group[id] ??= {})[code] = value;
};

/** The red flags of a set of procedures (one is a set too), as Cardinal computes them on the same releases. */
export function redFlags(
  releases: readonly ReleaseForFlags[],
  settings: RedFlagSettings = DEFAULT_RED_FLAG_SETTINGS,
): RedFlagResults {
  const out: RedFlagResults = { OCID: {}, Buyer: {}, ProcuringEntity: {}, Tenderer: {} };
  const ratios: { ocid: string; ratio: number; winner: string; runnerUp: string }[] = [];
  const shares = {
    Buyer: new Map<string, [number, number]>(),
    ProcuringEntity: new Map<string, [number, number]>(),
    Tenderer: new Map<string, [number, number]>(),
  };
  const add = (m: Map<string, [number, number]>, id: string, d: number, n: number) => {
    const [a, b] = m.get(id) ?? [0, 0];
    m.set(id, [a + d, b + n]);
  };

  for (const r of releases) {
    if (typeof r?.ocid !== 'string' || r.tender?.status === 'cancelled') continue;
    const ocid = r.ocid;
    const method = str(r.tender?.procurementMethod);
    const bids = bidsOf(r);

    // R003: whole days of the tender period below the threshold.
    const r003Methods = settings.r003.procurementMethods;
    if (!r003Methods?.length || (method !== undefined && r003Methods.includes(method))) {
      const days = wholeDays(r.tender?.tenderPeriod?.startDate, r.tender?.tenderPeriod?.endDate);
      if (days !== undefined && days < settings.r003.thresholdDays) set(out.OCID, ocid, 'R003', 1);
    }

    // R018: one tenderer, as tender.numberOfTenderers says, in an open or selective procedure.
    if (method !== undefined && settings.r018.procurementMethods.includes(method) && r.tender?.numberOfTenderers === 1)
      set(out.OCID, ocid, 'R018', 1);

    // R024 / R058: the ratio, fenced below once every procedure is read.
    const ratio = secondBidRatio(r, settings.currency);
    if (ratio !== undefined) {
      const winner = str((r.awards ?? []).find((a) => a?.status === 'active')!.suppliers![0].id)!;
      const runnerUp = lowestOtherTenderer(r, winner, settings.currency);
      ratios.push({ ocid, ratio, winner, runnerUp: runnerUp ?? '' });
    }

    // R028: the same amount and currency from two different sets of tenderers.
    const seen = new Map<string, string[]>();
    for (const b of bids) {
      if (!submitted(b) || !Array.isArray(b.tenderers)) continue;
      const amount = num(b.value?.amount);
      const currency = str(b.value?.currency);
      const ids = tendererIds(b);
      if (amount === undefined || currency === undefined || ids.length === 0) continue;
      const key = `${amount}\u0000${currency}`;
      const before = seen.get(key);
      const same = (x: string[], y: string[]) => new Set(x).size === new Set(y).size && x.every((i) => y.includes(i));
      if (before && !same(before, ids)) {
        set(out.OCID, ocid, 'R028', 1);
        for (const id of [...before, ...ids]) set(out.Tenderer, id, 'R028', 1);
      }
      seen.set(key, ids);
    }

    // R030: a valid bid dated after the tender period's end, of an active award's supplier (dates compared as text).
    const end = str(r.tender?.tenderPeriod?.endDate);
    if (end !== undefined && Array.isArray(r.awards) && Array.isArray(r.bids?.details)) {
      const winners = new Set(
        r.awards
          .filter((a) => a?.status === 'active')
          .flatMap((a) => (Array.isArray(a.suppliers) ? a.suppliers : []).map((s) => str(s?.id))),
      );
      for (const b of bids) {
        const date = str(b.date);
        if (b.status !== 'valid' || date === undefined || !Array.isArray(b.tenderers) || !(date > end)) continue;
        const late = tendererIds(b).filter((id) => winners.has(id));
        if (late.length > 0) {
          set(out.OCID, ocid, 'R030', 1);
          for (const id of late) set(out.Tenderer, id, 'R030', 1);
        }
      }
    }

    // R035: one valid tenderer, the only one awarded, and at least `threshold` others disqualified.
    const active = activeSuppliersIfFinal(r);
    if (active) {
      const valid = new Set(bids.filter((b) => b.status === 'valid').flatMap(tendererIds));
      const disqualified = new Set(bids.filter((b) => b.status === 'disqualified').flatMap(tendererIds));
      const others = [...disqualified].filter((id) => !valid.has(id)).length;
      const sameSet = valid.size === active.size && [...valid].every((id) => active.has(id));
      if (valid.size === 1 && sameSet && others >= Math.max(1, settings.r035.threshold)) {
        set(out.OCID, ocid, 'R035', others);
        set(out.Tenderer, [...valid][0], 'R035', 0);
      }
    }

    // R036: the lowest submitted bid in the main currency is disqualified, while a valid one exists.
    if (Array.isArray(r.awards) && r.awards.some((a) => a?.status === 'active')) {
      const priced = bids.filter(
        (b) => submitted(b) && num(b.value?.amount) !== undefined && str(b.value?.currency) === settings.currency,
      );
      let lowest: Bid | undefined;
      for (const b of priced) if (!lowest || num(b.value!.amount)! < num(lowest.value!.amount)!) lowest = b;
      if (lowest?.status === 'disqualified' && priced.some((b) => b.status === 'valid')) set(out.OCID, ocid, 'R036', 1);
    }

    // R038: disqualified among submitted bids, summed per buyer, procuring entity and tenderer.
    const sub = bids.filter(submitted);
    if (sub.length > 0) {
      const d = sub.filter((b) => b.status === 'disqualified').length;
      const buyer = str(r.buyer?.id);
      const entity = str(r.tender?.procuringEntity?.id);
      if (buyer !== undefined) add(shares.Buyer, buyer, d, sub.length);
      if (entity !== undefined) add(shares.ProcuringEntity, entity, d, sub.length);
      for (const b of sub)
        for (const id of tendererIds(b)) add(shares.Tenderer, id, b.status === 'disqualified' ? 1 : 0, 1);
    }
  }

  // R024 and R058 across the procedures read.
  const values = ratios.map((x) => x.ratio);
  if (values.length > 0) {
    const q1 = quantileR8(values, 0.25);
    const q3 = quantileR8(values, 0.75);
    const lower = settings.r024.threshold ?? q1 - 1.5 * (q3 - q1);
    const lowerApplies = settings.r024.threshold !== undefined ? lower > 0 : q1 > 0 && lower > 0;
    const upper = settings.r058.threshold ?? q3 + 1.5 * (q3 - q1);
    for (const x of ratios) {
      if (lowerApplies && x.ratio <= lower) {
        set(out.OCID, x.ocid, 'R024', x.ratio);
        set(out.Tenderer, x.winner, 'R024', 0);
        if (x.runnerUp) set(out.Tenderer, x.runnerUp, 'R024', 0);
      }
      if (upper > 0 && x.ratio >= upper) {
        set(out.OCID, x.ocid, 'R058', x.ratio);
        set(out.Tenderer, x.winner, 'R058', 0);
      }
    }
  }

  // R038 per organisation.
  for (const group of ['Buyer', 'ProcuringEntity', 'Tenderer'] as const) {
    const minimum =
      group === 'Tenderer' ? settings.r038.minimumSubmittedBids : settings.r038.minimumContractingProcesses;
    const kept = [...shares[group]].filter(([, [, n]]) => n >= minimum).map(([id, [d, n]]) => [id, d / n] as const);
    if (kept.length === 0) continue;
    const rs = kept.map(([, x]) => x);
    const fence = settings.r038.threshold ?? quantileR8(rs, 0.75) + 1.5 * (quantileR8(rs, 0.75) - quantileR8(rs, 0.25));
    if (!(fence > 0)) continue;
    for (const [id, x] of kept) if (x >= fence) set(out[group], id, 'R038', x);
  }
  return out;
}

/** The tenderer of the lowest valid single-tenderer bid that did not win (the first of equal ones). */
function lowestOtherTenderer(r: ReleaseForFlags, winner: string, currency: string): string | undefined {
  let best: { id: string; amount: number } | undefined;
  for (const b of bidsOf(r)) {
    const amount = num(b.value?.amount);
    const ids = tendererIds(b);
    if (b.status !== 'valid' || amount === undefined || str(b.value?.currency) !== currency || ids.length !== 1)
      continue;
    if (ids[0] !== winner && (!best || amount < best.amount)) best = { id: ids[0], amount };
  }
  return best?.id;
}
