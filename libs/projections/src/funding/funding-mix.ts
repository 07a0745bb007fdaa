import { MONEY_KINDS, MoneyKind } from '../../../domain/src/funding/money-entry';
import { formatOre } from '../../../domain/src/shared/money';
import { centreOpenInYear } from '../../../domain/src/counties/centre';
import { nameInYear } from '../../../domain/src/counties/centre-names';
import { partyNameOn } from '../../../domain/src/parties/party';
import { get } from '../governance/evidence';
import { daysInYear, formatStaffYears, largestRemainderTenths, formatTenths, roundDiv, SHARE_RULE } from './exact';
import { AdoptedBudget, BudgetDecisionRef, budgetInForce, budgetKey } from './adopted-budgets';
import { CentreYearMoney, FundingView, moneyOf } from './funding-view';
import { addYearAgg, emptyYearAgg, staffOfYear, StaffYearAgg } from './staff-years';

/** Money kinds counted in totals; in-kind is listed beside them, never added. */
export const CASH_KINDS: MoneyKind[] = MONEY_KINDS.filter((k) => k !== 'in-kind');

export interface Amount {
  /** NOK as a decimal string; null when every entry behind it had its amount not reported. */
  amount: string | null;
  amountOre: number;
  entries: number;
  unreportedEntries: number;
}

export interface PartyLine extends Amount {
  partyId: string;
  partyName: string | null;
  partyKind: string | null;
  /** Share of the reported total, one decimal, e.g. "61.3"; null when this party has no reported amount. */
  sharePercent: string | null;
}

export interface FundingMix {
  /** A centre's name here and in `parts` is the one it had in `year` (in force on 31 December). */
  scope: { level: 'centre' | 'county' | 'country'; id: string | null; name: string | null };
  year: number;
  centreIds: string[];
  total: Amount & { complete: boolean; note: string | null };
  byParty: PartyLine[];
  byKind: (Amount & { kind: MoneyKind; sharePercent: string | null })[];
  byPartyAndKind: (Amount & { partyId: string; kind: MoneyKind })[];
  unreported: { entryId: string; centreId: string; kind: MoneyKind; partyId: string; partyName: string | null; decidedOn: string; reference: string | null }[];
  inKind: { partyId: string; partyName: string | null; estimatedValue: string | null; estimatedValueOre: number; entries: number; unvaluedEntries: number }[];
  staff: {
    staffYears: string;
    staffYearsExact: { fteDays: number; denominator: number };
    paidDirectly: { partyId: string; partyName: string | null; partyKind: string | null; staffYears: string; staffYearsExact: { fteDays: number; denominator: number }; value: string | null; valueComplete: boolean }[];
  };
  budget: null | {
    /** The decisions whose budgets are in force for these centres: a board's proposal or a county-line decision. */
    decisionIds: BudgetDecisionRef[];
    coversCentreIds: string[];
    /**
     * Centres covered by more than one of these decisions: a joint budget still in force for some
     * of its centres, and a later one of its own for this centre. The joint amounts cannot be split
     * by centre, so while any overlap is listed no line's budget is summed (`budget` and
     * `difference` are null); `actual` is still given.
     */
    overlaps: { centreId: string; budgetInForce: BudgetDecisionRef; alsoCoveredBy: BudgetDecisionRef[] }[];
    lines: { partyId: string; moneyKind: MoneyKind; budget: string | null; actual: string | null; difference: string | null; actualUnreportedEntries: number }[];
  };
  parts?: { id: string; name: string; total: Amount }[];
  roundingRule: string;
}

const amountOf = (ore: number, entries: number, unreported: number): Amount => amountInto({}, ore, entries, unreported);

/**
 * `head` with the amount's fields added after its own, in this order (the JSON's key order). Used
 * instead of `{ ...head, ...amountOf(…) }`: a spread in the middle of a literal takes V8's slow
 * copy path, and a funding mix builds dozens of these per answer.
 */
const amountInto = <T extends object>(head: T, ore: number, entries: number, unreported: number): T & Amount => {
  const o = head as T & Amount;
  o.amount = entries > 0 && unreported === entries ? null : formatOre(ore);
  o.amountOre = ore;
  o.entries = entries;
  o.unreportedEntries = unreported;
  return o;
};

/** Sums the money of several centre-years by kind and party (fresh objects; the view is not touched). */
export const sumMoney = (list: CentreYearMoney[]): Map<MoneyKind, Map<string, { ore: number; n: number; u: number }>> => {
  const out = new Map<MoneyKind, Map<string, { ore: number; n: number; u: number }>>();
  for (const m of list) {
    for (const [kind, byParty] of Object.entries(m.k) as [MoneyKind, Record<string, { ore: number; n: number; u: number }>][]) {
      let k = out.get(kind);
      if (!k) out.set(kind, (k = new Map()));
      for (const [party, c] of Object.entries(byParty)) {
        const t = k.get(party);
        if (t) {
          t.ore += c.ore;
          t.n += c.n;
          t.u += c.u;
        } else k.set(party, { ore: c.ore, n: c.n, u: c.u });
      }
    }
  }
  return out;
};

/**
 * The centres of a list that exist in the year. County and country mixes count only these, as the
 * key figures do, so both answers agree for the same data (a centre's own mix still shows all that
 * is recorded for it).
 */
const activeCentres = (view: FundingView, centreIds: string[], year: number): string[] =>
  centreIds.filter((id) => {
    const c = view.centres[id];
    return c !== undefined && centreOpenInYear(c, year);
  });

const totalOf = (view: FundingView, year: number, centreIds: string[]): Amount => {
  let ore = 0;
  let n = 0;
  let u = 0;
  for (const id of centreIds) {
    const m = moneyOf(view, year, id);
    if (!m) continue;
    for (const kind of CASH_KINDS) for (const c of Object.values(m.k[kind] ?? {})) {
      ore += c.ore;
      n += c.n;
      u += c.u;
    }
  }
  return amountOf(ore, n, u);
};

/** The funding mix of a set of centres for a year: pure, answers from the view only. */
export const fundingMixOf = (view: FundingView, year: number, centreIds: string[], scope: FundingMix['scope']): FundingMix => {
  const moneyList = centreIds.map((id) => moneyOf(view, year, id)).filter((m): m is CentreYearMoney => !!m);
  const sums = sumMoney(moneyList);
  const party = (id: string) => get(view.parties, id);
  // Each party as named on 31 December of the year, as the centres are (a 2020 reform does not rename 2013).
  const partyNameOf = (id: string): string | null => {
    const p = party(id);
    return p ? partyNameOn(p, `${year}-12-31`) : null;
  };

  const byPartyTotals = new Map<string, { ore: number; n: number; u: number }>();
  const byKind: FundingMix['byKind'] = [];
  const byPartyAndKind: FundingMix['byPartyAndKind'] = [];
  let totalOre = 0;
  let totalN = 0;
  let totalU = 0;
  for (const kind of CASH_KINDS) {
    const k = sums.get(kind);
    if (!k) continue;
    let kOre = 0;
    let kN = 0;
    let kU = 0;
    for (const [partyId, c] of [...k.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      byPartyAndKind.push(amountInto({ partyId, kind }, c.ore, c.n, c.u));
      const t = byPartyTotals.get(partyId) ?? { ore: 0, n: 0, u: 0 };
      t.ore += c.ore;
      t.n += c.n;
      t.u += c.u;
      byPartyTotals.set(partyId, t);
      kOre += c.ore;
      kN += c.n;
      kU += c.u;
    }
    const row: FundingMix['byKind'][number] = amountInto({ kind } as FundingMix['byKind'][number], kOre, kN, kU);
    row.sharePercent = null;
    byKind.push(row);
    totalOre += kOre;
    totalN += kN;
    totalU += kU;
  }
  const kindShares = largestRemainderTenths(byKind.map((k) => ({ key: k.kind, ore: k.amountOre })));
  for (const k of byKind) k.sharePercent = kindShares[k.kind] === undefined ? null : formatTenths(kindShares[k.kind]);

  const partyShares = largestRemainderTenths([...byPartyTotals.entries()].map(([key, c]) => ({ key, ore: c.ore })));
  const byParty: PartyLine[] = [...byPartyTotals.entries()]
    .sort(([a, x], [b, y]) => y.ore - x.ore || (a < b ? -1 : 1))
    .map(([partyId, c]) => {
      const p = party(partyId);
      const line = amountInto({ partyId, partyName: partyNameOf(partyId), partyKind: p?.kind ?? null } as PartyLine, c.ore, c.n, c.u);
      const share = get(partyShares, partyId);
      line.sharePercent = share === undefined ? null : formatTenths(share);
      return line;
    });

  const unreported: FundingMix['unreported'] = [];
  for (const id of centreIds) {
    const m = moneyOf(view, year, id);
    if (!m) continue;
    for (const [entryId, x] of Object.entries(m.unreported)) unreported.push({ entryId, centreId: id, kind: x.kind, partyId: x.partyId, partyName: partyNameOf(x.partyId), decidedOn: x.decidedOn, reference: x.reference });
  }

  const inKind: FundingMix['inKind'] = [...(sums.get('in-kind') ?? new Map()).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([partyId, c]) => ({ partyId, partyName: partyNameOf(partyId), estimatedValue: c.n > 0 && c.u === c.n ? null : formatOre(c.ore), estimatedValueOre: c.ore, entries: c.n, unvaluedEntries: c.u }));

  const staff: StaffYearAgg = emptyYearAgg();
  for (const id of centreIds) addYearAgg(staff, staffOfYear(get(view.staff, id), year));
  const D = daysInYear(year);
  const paidDirectly = Object.entries(staff.paid)
    .filter(([, c]) => c.fteDays > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([partyId, c]) => ({
      partyId,
      partyName: partyNameOf(partyId),
      partyKind: party(partyId)?.kind ?? null,
      staffYears: formatStaffYears(c.fteDays, year),
      staffYearsExact: { fteDays: c.fteDays, denominator: D * 1000 },
      value: c.costNum === 0 && c.unvaluedFteDays > 0 ? null : formatOre(Number(roundDiv(BigInt(c.costNum), BigInt(D)))),
      valueComplete: c.unvaluedFteDays === 0,
    }));

  return {
    scope,
    year,
    centreIds,
    total: Object.assign(amountOf(totalOre, totalN, totalU), {
      complete: totalU === 0,
      note: totalU === 0 ? null : `${totalU} entr${totalU === 1 ? 'y has' : 'ies have'} no reported amount; the total is the sum of the reported amounts only and the entries are listed under "unreported".`,
    }),
    byParty,
    byKind,
    byPartyAndKind,
    unreported,
    inKind,
    staff: { staffYears: formatStaffYears(staff.fteDays, year), staffYearsExact: { fteDays: staff.fteDays, denominator: D * 1000 }, paidDirectly },
    budget: budgetAgainstActual(view, year, centreIds),
    roundingRule: SHARE_RULE,
  };
};

/** Budget against actual by line, where a budget for the year was adopted for these centres. */
export const budgetAgainstActual = (view: FundingView, year: number, centreIds: string[]): FundingMix['budget'] => {
  const decisions = new Map<string, AdoptedBudget>();
  for (const id of centreIds) {
    const b = budgetInForce(view.budgets[year], id);
    if (b) decisions.set(budgetKey(b.ref), b);
  }
  if (decisions.size === 0) return null;
  const covered = [...new Set([...decisions.values()].flatMap((b) => b.centreIds))].filter((id) => get(view.centres, id));
  // A joint budget (for A and B) still in force for B, and A's own later one, both among these
  // decisions: adding them up would count A's part of the joint budget twice.
  const overlaps: NonNullable<FundingMix['budget']>['overlaps'] = [];
  for (const id of covered) {
    const inForce = budgetInForce(view.budgets[year], id);
    if (!inForce || !decisions.has(budgetKey(inForce.ref))) continue;
    const also = [...decisions.values()].filter((b) => b !== inForce && b.centreIds.includes(id));
    if (also.length > 0) overlaps.push({ centreId: id, budgetInForce: { ...inForce.ref }, alsoCoveredBy: also.map((b) => ({ ...b.ref })) });
  }
  const summable = overlaps.length === 0;
  const actual = sumMoney(covered.map((id) => moneyOf(view, year, id)).filter((m): m is CentreYearMoney => !!m));
  const lines = new Map<string, { partyId: string; moneyKind: MoneyKind; budget: number | null }>();
  for (const b of decisions.values()) {
    for (const l of b.lines) {
      const key = `${l.partyId}\u0000${l.moneyKind}`;
      const t = lines.get(key);
      if (t) t.budget = t.budget === null || l.amountOre === null ? null : t.budget + l.amountOre;
      else lines.set(key, { partyId: l.partyId, moneyKind: l.moneyKind, budget: l.amountOre });
    }
  }
  return {
    decisionIds: [...decisions.values()].map((b) => ({ ...b.ref })),
    coversCentreIds: covered,
    overlaps,
    lines: [...lines.values()].map((l) => {
      const a = actual.get(l.moneyKind)?.get(l.partyId);
      const actualAmount = a ? amountOf(a.ore, a.n, a.u) : null;
      return {
        partyId: l.partyId,
        moneyKind: l.moneyKind,
        budget: l.budget === null || !summable ? null : formatOre(l.budget),
        actual: actualAmount ? actualAmount.amount : formatOre(0),
        difference: l.budget === null || !summable || (actualAmount && actualAmount.amount === null) ? null : formatOre((a?.ore ?? 0) - l.budget),
        actualUnreportedEntries: a?.u ?? 0,
      };
    }),
  };
};

// Looked up by a client's id: own entries only, so "constructor" is no centre or county.
export const centreFundingMix = (view: FundingView, centreId: string, year: number): FundingMix | null => {
  const c = get(view.centres, centreId);
  if (!c) return null;
  return fundingMixOf(view, year, [centreId], { level: 'centre', id: centreId, name: nameInYear(c.names, year) });
};

export const countyFundingMix = (view: FundingView, countyId: string, year: number): FundingMix | null => {
  const county = get(view.counties, countyId);
  if (!county) return null;
  const centreIds = activeCentres(view, county.centreIds, year);
  const mix = fundingMixOf(view, year, centreIds, { level: 'county', id: countyId, name: county.name });
  mix.parts = centreIds.map((id) => ({ id, name: nameInYear(view.centres[id].names, year), total: totalOf(view, year, [id]) }));
  return mix;
};

export const countryFundingMix = (view: FundingView, year: number): FundingMix => {
  const counties = Object.entries(view.counties)
    .sort(([, a], [, b]) => (a.countyNumber < b.countyNumber ? -1 : 1))
    .map(([id, c]) => ({ id, name: c.name, centreIds: activeCentres(view, c.centreIds, year) }));
  const centreIds = counties.flatMap((c) => c.centreIds);
  const mix = fundingMixOf(view, year, centreIds, { level: 'country', id: null, name: 'Norge' });
  mix.parts = counties.map((c) => ({ id: c.id, name: c.name, total: totalOf(view, year, c.centreIds) }));
  return mix;
};
