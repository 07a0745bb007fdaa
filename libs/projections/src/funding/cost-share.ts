import { dayNumber } from '../../../domain/src/shared/dates';
import { formatOre } from '../../../domain/src/shared/money';
import { daysInYear, formatTenths, roundDiv } from './exact';
import { CASH_KINDS } from './funding-mix';
import { FundingView, OwnerAgreementTimeline } from './funding-view';
import { staffOfYear } from './staff-years';

export interface PartyCompliance {
  partyId: string;
  partyName: string | null;
  /** Agreed share, one decimal (weighted by the days each version of the terms was in force). */
  agreedSharePercent: string;
  /** Money from this party to the centre in the year (reported amounts, in-kind excluded). */
  money: string;
  moneyUnreportedEntries: number;
  /** Value of staff this party pays directly, pro-rated by the days it paid them (where a cost is given). */
  staffValue: string;
  staffWithoutValueFteDays: number;
  /** money + staffValue. */
  actual: string;
  actualSharePercent: string | null;
  /** actual share − agreed share, in percentage points (one decimal). */
  differencePercentagePoints: string | null;
  /** actual − agreed share × all owners' actual, in NOK. */
  differenceNok: string | null;
}

export interface AgreementCompliance {
  agreementId: string;
  centreId: string;
  countyId: string;
  year: number;
  daysInForce: number;
  ownersActualTotal: string;
  complete: boolean;
  parties: PartyCompliance[];
  rule: string;
}

export const COST_SHARE_RULE =
  'Each owner\'s actual contribution for the fiscal year = its money to the centre (operating grants, earmarked funds, tenders, other income; reported amounts only, in-kind excluded) + the value of staff it pays directly (annual cost × days paid / days in the year, where a cost is given). Actual shares are of the owners\' combined actual contribution; the agreed share is weighted by the days each version of the terms was in force in the year. Differences are exact until rounded once: percentage points to one decimal, NOK to the øre (halves away from zero).';

/** Days of `year` on which each version of the terms was in force. */
const versionDays = (a: OwnerAgreementTimeline, year: number): { days: number; parties: { partyId: string; shareBp: number }[] }[] => {
  const ys = dayNumber(`${year}-01-01`);
  const ye = dayNumber(`${year}-12-31`);
  return a.versions
    .map((v) => {
      const from = Math.max(ys, dayNumber(v.from));
      const to = Math.min(ye, v.to === null ? ye : dayNumber(v.to));
      return { days: Math.max(0, to - from + 1), parties: v.parties };
    })
    .filter((v) => v.days > 0);
};

export const agreementCompliance = (view: FundingView, agreementId: string, year: number): AgreementCompliance | null => {
  const a = view.agreements[agreementId];
  if (!a) return null;
  const versions = versionDays(a, year);
  const S = versions.reduce((s, v) => s + v.days, 0);
  if (S === 0) return null;
  const D = daysInYear(year);
  const agreedNum = new Map<string, bigint>(); // Σ shareBp × days; share = agreedNum / (10000 × S)
  for (const v of versions) for (const p of v.parties) agreedNum.set(p.partyId, (agreedNum.get(p.partyId) ?? 0n) + BigInt(p.shareBp) * BigInt(v.days));
  const money = view.money[year]?.[a.centreId];
  const staff = staffOfYear(view.staff[a.centreId], year);
  const rows = [...agreedNum.keys()].map((partyId) => {
    let ore = 0;
    let unreported = 0;
    for (const kind of CASH_KINDS) {
      const c = money?.k[kind]?.[partyId];
      if (c) {
        ore += c.ore;
        unreported += c.u;
      }
    }
    const paid = staff.paid[partyId];
    const X = BigInt(ore) * BigInt(D) + BigInt(paid?.costNum ?? 0); // actual × D, in øre
    return { partyId, ore, unreported, paid, X };
  });
  const totalX = rows.reduce((s, r) => s + r.X, 0n);
  const scale = 10000n * BigInt(S);
  const parties: PartyCompliance[] = rows.map((r) => {
    const G = agreedNum.get(r.partyId)!;
    const num = r.X * scale - G * totalX;
    return {
      partyId: r.partyId,
      partyName: view.parties[r.partyId]?.name ?? null,
      agreedSharePercent: formatTenths(roundDiv(G * 1000n, scale)),
      money: formatOre(r.ore),
      moneyUnreportedEntries: r.unreported,
      staffValue: formatOre(Number(roundDiv(BigInt(r.paid?.costNum ?? 0), BigInt(D)))),
      staffWithoutValueFteDays: r.paid?.unvaluedFteDays ?? 0,
      actual: formatOre(Number(roundDiv(r.X, BigInt(D)))),
      actualSharePercent: totalX === 0n ? null : formatTenths(roundDiv(r.X * 1000n, totalX)),
      differencePercentagePoints: totalX === 0n ? null : formatTenths(roundDiv(num * 1000n, totalX * scale)),
      differenceNok: totalX === 0n ? null : formatOre(Number(roundDiv(num, BigInt(D) * scale))),
    };
  });
  return {
    agreementId,
    centreId: a.centreId,
    countyId: a.countyId,
    year,
    daysInForce: S,
    ownersActualTotal: formatOre(Number(roundDiv(totalX, BigInt(D)))),
    complete: rows.every((r) => r.unreported === 0 && (r.paid?.unvaluedFteDays ?? 0) === 0),
    parties,
    rule: COST_SHARE_RULE,
  };
};

/** Compliance for every owner agreement in force at some day of the year (optionally of one county). */
export const costShareCompliance = (view: FundingView, year: number, countyId?: string): AgreementCompliance[] =>
  Object.keys(view.agreements)
    .filter((id) => countyId === undefined || view.agreements[id].countyId === countyId)
    .sort()
    .map((id) => agreementCompliance(view, id, year))
    .filter((x): x is AgreementCompliance => x !== null);
