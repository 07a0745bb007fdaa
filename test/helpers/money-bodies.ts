/** The route of each kind of money entry under /centres/:centreId/funding/. */
export const MONEY_ROUTE: Readonly<Record<string, string>> = { 'operating-grant': 'operating-grants', earmarked: 'earmarked-funds', tender: 'tender-awards', 'other-income': 'other-income', 'in-kind': 'in-kind-contributions' };

/** What a spec's money entries carry besides the kind's own fields: the reference (by entry number), a note, an earmarked purpose. */
export interface MoneyTexts {
  reference: (n: number) => string;
  note?: string;
  purpose?: string;
}

/**
 * `money(centre, kind, partyId, amount, over)` posting entries e1, e2, … of any kind for fiscal year
 * 2013 (or `over.fiscalYear`), decided on 12 December the year before, through the spec's own `post`.
 */
export const moneyPoster = <R>(post: (path: string, body: object) => Promise<R>, texts: MoneyTexts) => {
  let n = 0;
  return (centre: string, kind: string, partyId: string, amount: string | null, over: Record<string, unknown> = {}): Promise<R> => {
    const fiscalYear = (over.fiscalYear as number) ?? 2013;
    const extra: Record<string, object> = {
      'operating-grant': { amount },
      earmarked: { amount, purpose: texts.purpose ?? 'Prosjekt', period: { from: `${fiscalYear}-01-01`, to: `${fiscalYear}-12-31` } },
      tender: { amount, contractReference: 'NAV-1', period: { from: `${fiscalYear}-01-01`, to: null } },
      'other-income': { amount, incomeKind: 'course-fees' },
      'in-kind': { inKindKind: 'premises', estimatedValue: amount },
    };
    n++;
    const note = texts.note === undefined ? {} : { note: texts.note };
    return post(`/centres/${centre}/funding/${MONEY_ROUTE[kind]}`, { entryId: `e${n}`, fiscalYear, partyId, decidedOn: `${fiscalYear - 1}-12-12`, reference: texts.reference(n), ...note, ...extra[kind], ...over });
  };
};
