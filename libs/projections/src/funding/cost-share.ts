import { partyNameOn } from '../../../domain/src/parties/party';
import { dayNumber } from '../../../domain/src/shared/dates';
import { formatOre } from '../../../domain/src/shared/money';
import { get } from '../governance/evidence';
import { agreementKey } from '../governance/owner-agreement-ids';
import { daysInYear, formatTenths, largestRemainderTenths, roundDiv } from './exact';
import { CASH_KINDS } from './funding-mix';
import { FundingView, moneyOf, OwnerAgreementTimeline } from './funding-view';
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
  /** Share of the owners' combined actual, by the funding mix's share rule (they add up to exactly 100.0); null when no owner contributed. */
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
  'Each owner\'s actual contribution for the fiscal year = its money to the centre (operating grants, earmarked funds, tenders, other income; reported amounts only, in-kind excluded) + the value of staff it pays directly (annual cost × days paid / days in the year, where a cost is given). Actual shares are of the owners\' combined actual contribution, by the funding mix\'s share rule (each rounded down to a tenth of a percent, the tenths missing to 100.0 % to the largest remainders; ties: larger contribution, then party id), so they add up to exactly 100.0 %; the agreed share is weighted by the days each version of the terms was in force in the year. Differences are exact until rounded once: percentage points to one decimal, NOK to the øre (halves away from zero).';

/**
 * Days of `year` on which each version of the terms was in force: from the signing on (an agreement
 * is in force on a day only once signed, the rule of `signedAgreementOn` that the owner answers use),
 * so a period backdated to before the signing counts no day before it; and only days its centre is
 * open (openedOn ≤ D < closedOn, as recorded when asked), so an agreement left open at a closed centre
 * counts no day from the closing on, as its staff count none (countedUntil).
 */
const versionDays = (view: FundingView, a: OwnerAgreementTimeline, year: number): { days: number; parties: { partyId: string; shareBp: number }[] }[] => {
  const centre = get(view.centres, a.centreId);
  const ys = Math.max(dayNumber(`${year}-01-01`), centre ? dayNumber(centre.openedOn) : -Infinity);
  const ye = Math.min(dayNumber(`${year}-12-31`), centre?.closedOn ? dayNumber(centre.closedOn) - 1 : Infinity);
  const signed = a.signedOn === null ? ys : dayNumber(a.signedOn);
  return a.versions
    .map((v) => {
      const from = Math.max(ys, dayNumber(v.from), signed);
      const to = Math.min(ye, v.to === null ? ye : dayNumber(v.to));
      return { days: Math.max(0, to - from + 1), parties: v.parties };
    })
    .filter((v) => v.days > 0);
};

const complianceOf = (view: FundingView, a: OwnerAgreementTimeline, year: number): AgreementCompliance | null => {
  const versions = versionDays(view, a, year);
  const S = versions.reduce((s, v) => s + v.days, 0);
  if (S === 0) return null;
  const D = daysInYear(year);
  const agreedNum = new Map<string, bigint>(); // Σ shareBp × days; share = agreedNum / (10000 × S)
  for (const v of versions) for (const p of v.parties) agreedNum.set(p.partyId, (agreedNum.get(p.partyId) ?? 0n) + BigInt(p.shareBp) * BigInt(v.days));
  const money = moneyOf(view, year, a.centreId);
  const staff = staffOfYear(get(view.staff, a.centreId), year);
  const rows = [...agreedNum.keys()].map((partyId) => {
    let ore = 0;
    let unreported = 0;
    for (const kind of CASH_KINDS) {
      const byParty = money?.k[kind];
      const c = byParty && get(byParty, partyId);
      if (c) {
        ore += c.ore;
        unreported += c.u;
      }
    }
    const paid = get(staff.paid, partyId);
    const X = BigInt(ore) * BigInt(D) + BigInt(paid?.costNum ?? 0); // actual × D, in øre
    return { partyId, ore, unreported, paid, X };
  });
  const totalX = rows.reduce((s, r) => s + r.X, 0n);
  // The funding mix's share rule over the exact contributions (øre × days), so the shares add up to 100.0.
  const actualTenths = largestRemainderTenths(rows.map((r) => ({ key: r.partyId, ore: r.X })));
  const scale = 10000n * BigInt(S);
  const parties: PartyCompliance[] = rows.map((r) => {
    const G = agreedNum.get(r.partyId)!;
    const num = r.X * scale - G * totalX;
    return {
      partyId: r.partyId,
      // As named on 31 December of the year, as in the funding mix.
      partyName: get(view.parties, r.partyId) ? partyNameOn(get(view.parties, r.partyId)!, `${year}-12-31`) : null,
      agreedSharePercent: formatTenths(roundDiv(G * 1000n, scale)),
      money: formatOre(r.ore),
      moneyUnreportedEntries: r.unreported,
      staffValue: formatOre(Number(roundDiv(BigInt(r.paid?.costNum ?? 0), BigInt(D)))),
      staffWithoutValueFteDays: r.paid?.unvaluedFteDays ?? 0,
      actual: formatOre(Number(roundDiv(r.X, BigInt(D)))),
      actualSharePercent: totalX === 0n ? null : formatTenths(get(actualTenths, r.partyId) ?? 0),
      differencePercentagePoints: totalX === 0n ? null : formatTenths(roundDiv(num * 1000n, totalX * scale)),
      differenceNok: totalX === 0n ? null : formatOre(Number(roundDiv(num, BigInt(D) * scale))),
    };
  });
  return {
    agreementId: a.agreementId,
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

/** One centre's agreement in one year; null when the centre has no such agreement or it was in force on no day of the year the centre was open. */
export const agreementCompliance = (view: FundingView, centreId: string, agreementId: string, year: number): AgreementCompliance | null => {
  const key = agreementKey(centreId, agreementId);
  const agreement = get(view.agreements, key);
  return agreement ? complianceOf(view, agreement, year) : null;
};

/**
 * Compliance for every owner agreement in force (signed) on some day of the year its centre was open
 * (optionally of one county), by agreement id, then centre: a centre closed the whole year is not listed
 * for it, as the key figures and the county and country funding mixes do not count it (centreOpenInYear).
 */
export const costShareCompliance = (view: FundingView, year: number, countyId?: string): AgreementCompliance[] =>
  Object.values(view.agreements)
    .filter((a) => countyId === undefined || a.countyId === countyId)
    .sort((a, b) => (a.agreementId === b.agreementId ? (a.centreId < b.centreId ? -1 : 1) : a.agreementId < b.agreementId ? -1 : 1))
    .map((a) => complianceOf(view, a, year))
    .filter((x): x is AgreementCompliance => x !== null);
