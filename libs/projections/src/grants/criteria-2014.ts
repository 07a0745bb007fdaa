import { partyNameOn } from '../../../domain/src/parties/party';
import { centreOpenBetween } from '../../../domain/src/counties/centre';
import { nameInYear } from '../../../domain/src/counties/centre-names';
import { DateWindow, SchemeWindows, TargetGroup } from '../../../domain/src/grants/criteria';
import { signedAgreementOn } from '../../../domain/src/governance/agreement-terms';
import { addDays, IsoDate } from '../../../domain/src/shared';
import { EventRef, GrantsCentre, GrantsCounty, GrantsView, PartnershipEntry, PartnershipVersion } from './grants-view';
import { own } from './grants-view';
import { ActivityFacts, activityFacts, activityIndex, declarationsInOrder, groupBit, readActivity, readReport, readSurvey, reportAt, SurveyEntry, surveyIndex, surveyOverlaps, windowDays } from './packed';

/**
 * The 2014 criteria set as code: pure functions of (the grants view, the scheme's windows, and its
 * year, which names each centre by the name it had on 31 December of that year).
 * A later criteria set is a new file; this one is never changed in a way that alters verdicts, except
 * to correct one that was wrong: a county authority or NAV county office registered without a county
 * (which the ledger no longer accepts) once counted as every county's; it now counts for none. And the
 * user survey (3c-i) of a centre closed during its window once had to cover the days after the closing
 * too; it is now judged up to the day before closedOn, as one opened during the window is from opening.
 */

export interface Text {
  nb: string;
  en: string;
}

export interface EvidenceLink extends EventRef {
  /** The business dates the event carries that the verdict looked at. */
  dates: Record<string, string | number | null>;
  /** Where an auditor reads the event itself (the audit route). */
  link: string;
  /** Where anyone who may read eligibility (Vox, the county, auditors) reads it. */
  readerLink: string;
}

/** A verdict's citation of an event, with the business dates it looked at (made into an EvidenceLink once per answer). */
export interface Citation {
  ref: EventRef;
  dates: EvidenceLink['dates'];
}

export const citation = (ref: EventRef, dates: EvidenceLink['dates']): Citation => ({ ref, dates });

export interface CriterionResult {
  id: string;
  key: string;
  title: Text;
  passed: boolean;
  reason: Text;
  window: Record<string, unknown>;
  evidence: Citation[];
  /** What would have to be recorded for this criterion to pass (empty when it passes). */
  missing: Text[];
  subCriteria?: CriterionResult[];
}

export interface CentreVerdictDetail {
  centreId: string;
  name: string;
  qualifies: boolean;
  criteria: CriterionResult[];
}

/** A centre of the county that cannot count for this scheme: not open on any day of the free-guidance window. */
export interface CentreNotConsidered {
  centreId: string;
  name: string;
  openedOn: string;
  closedOn: string | null;
  reason: Text;
}

export interface CountyCriteriaResult {
  eligible: boolean;
  criteria: CriterionResult[];
  centres: CentreVerdictDetail[];
  notConsidered: CentreNotConsidered[];
}

/** The streams whose events grants cite; GET /grant-evidence/streams/:streamId/revisions/:revision serves only these. */
export const CITED_STREAM_PREFIXES = ['county-', 'centre-', 'party-', 'partnership-', 'grant-evidence-', 'grant-scheme-', 'stimulus-grant-'] as const;

const PLAIN = /^[A-Za-z0-9_.~-]*$/;
/** encodeURIComponent, skipped for the ids that never need it (UUIDs, stream ids). */
const enc = (s: string): string => (PLAIN.test(s) ? s : encodeURIComponent(s));

export const link = (ref: EventRef, dates: EvidenceLink['dates']): EvidenceLink => ({
  // the reference's fields in EventRef order (what `...ref` gave), built directly
  eventId: ref.eventId,
  type: ref.type,
  streamId: ref.streamId,
  revision: ref.revision,
  position: ref.position,
  recordedAt: ref.recordedAt,
  dates,
  link: `/audit/events/${enc(ref.eventId)}`,
  readerLink: `/grant-evidence/streams/${enc(ref.streamId)}/revisions/${ref.revision}`,
});

const uniqueLinks = (links: Citation[]): Citation[] => {
  const seen = new Set<string>();
  return links.filter((l) => (seen.has(l.ref.eventId) ? false : (seen.add(l.ref.eventId), true))).sort((a, b) => a.ref.position - b.ref.position);
};

const winText = (w: DateWindow): Text => (w.from === w.to ? { nb: `den ${w.from}`, en: `on ${w.from}` } : { nb: `hele perioden ${w.from}–${w.to}`, en: `throughout ${w.from} – ${w.to}` });

const join = (parts: string[], and: string): string => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} ${and} ${parts[parts.length - 1]}`);
const joinTexts = (ts: Text[]): Text => ({ nb: ts.map((t) => t.nb).join('; '), en: ts.map((t) => t.en).join('; ') });

/** Days where something can change inside the window: the window's first day and every change date in it. */
const checkpoints = (w: DateWindow, changes: (IsoDate | null)[]): IsoDate[] => {
  const set = new Set<IsoDate>([w.from]);
  for (const c of changes) if (c !== null && c > w.from && c <= w.to) set.add(c);
  return [...set].sort();
};

// ---------- 1: partnership agreement ----------

interface PartnershipOnDay {
  ok: boolean;
  version: PartnershipVersion | null;
  why: Text | null;
  refs: Citation[];
}

const partnershipOn = (view: GrantsView, countyId: string, p: PartnershipEntry, day: IsoDate): PartnershipOnDay => {
  const signed = citation(p.versions[0].ref, { signedOn: p.signedOn, from: p.versions[0].period.from, to: p.versions[0].period.to });
  const id = p.partnershipId;
  // The one rule the partnership answers use too (signed by the day, not terminated, within its period).
  const on = signedAgreementOn(p, day);
  if (!on.inForce) {
    switch (on.because) {
      case 'not-yet-signed':
        return { ok: false, version: null, why: { nb: `avtale ${id} ble først signert ${p.signedOn}`, en: `agreement ${id} was only signed on ${p.signedOn}` }, refs: [signed] };
      case 'terminated':
        return {
          ok: false,
          version: null,
          why: { nb: `avtale ${id} ble sagt opp med virkning fra ${p.terminatedFrom}`, en: `agreement ${id} was terminated with effect from ${p.terminatedFrom}` },
          refs: [signed, citation(p.terminatedRef!, { effectiveFrom: p.terminatedFrom })],
        };
      case 'not-yet-effective':
        return { ok: false, version: null, why: { nb: `avtale ${id} gjelder først fra ${p.versions[0].effectiveFrom}`, en: `agreement ${id} only applies from ${p.versions[0].effectiveFrom}` }, refs: [signed] };
      case 'lapsed': {
        const lv = on.version;
        return {
          ok: false,
          version: lv,
          why: { nb: `avtale ${id} gjaldt bare til og med ${lv.period.to}`, en: `agreement ${id} only ran until ${lv.period.to} (it had lapsed)` },
          refs: [signed, citation(lv.ref, { effectiveFrom: lv.effectiveFrom, from: lv.period.from, to: lv.period.to })],
        };
      }
    }
  }
  const v = on.version;
  const vLink = citation(v.ref, { effectiveFrom: v.effectiveFrom, from: v.period.from, to: v.period.to });
  const parties = v.parties.map((pid) => own(view.parties, pid)).filter((x) => x !== undefined);
  // A county authority and a NAV county office are county-level parties: only the county's own count
  // (one registered without a county, as the ledger once allowed, is no county's authority).
  const ofCounty = (kind: string) => parties.find((x) => x.kind === kind && x.countyId === countyId);
  const ca = ofCounty('county-authority');
  const nav = ofCounty('nav-county-office');
  const partyLinks = [ca, nav].filter((x) => x !== undefined).map((x) => citation(x.ref, { kind: x.kind }));
  const lacking: Text[] = [];
  if (!ca) lacking.push({ nb: 'fylkeskommunen', en: 'the county authority' });
  if (!nav) lacking.push({ nb: 'NAV fylke', en: 'the NAV county office' });
  if (lacking.length) {
    return {
      ok: false,
      version: v,
      why: { nb: `avtale ${id} har ikke ${join(lacking.map((l) => l.nb), 'og')} som part`, en: `agreement ${id} does not have ${join(lacking.map((l) => l.en), 'and')} as a party` },
      refs: [signed, vLink, ...partyLinks],
    };
  }
  return {
    ok: true,
    version: v,
    // The parties as named on the day judged (a later reform's rename does not rename them here).
    why: { nb: `avtale ${id} mellom ${partyNameOn(ca!, day)} og ${partyNameOn(nav!, day)}, signert ${p.signedOn}`, en: `agreement ${id} between ${partyNameOn(ca!, day)} and ${partyNameOn(nav!, day)}, signed on ${p.signedOn}` },
    refs: [signed, vLink, ...partyLinks],
  };
};

const partnershipChanges = (p: PartnershipEntry): (IsoDate | null)[] => [
  p.signedOn,
  p.terminatedFrom,
  ...p.versions.flatMap((v) => [v.effectiveFrom, v.period.from, v.period.to === null ? null : addDays(v.period.to, 1)]),
];

const TITLES: Record<string, Text> = {
  '1': { nb: 'Signert partnerskapsavtale mellom minst fylkeskommunen og NAV fylke', en: 'Signed partnership agreement between at least the county authority and the NAV county office' },
  '2': { nb: 'Koordinerende funksjon', en: 'Coordinating function' },
  '3': { nb: 'Minst ett karrieresenter som oppfyller 3a–3c', en: 'At least one career centre meeting 3a–3c' },
  '3a': { nb: 'Gratis karriereveiledning for alle voksne over 19 år', en: 'Free career guidance for all adults over 19' },
  '3b': { nb: 'Kompetanseutvikling for rådgivere i grunnskolen, videregående opplæring og NAV', en: 'Competence development for counsellors in primary/lower secondary school, upper secondary education and NAV' },
  '3c': { nb: 'Kvalitetssikring gjennom brukerundersøkelsen og årsrapportering til Vox', en: 'Quality assurance through the user survey and annual reporting to Vox' },
  '3c-i': { nb: 'Deltakelse i brukerundersøkelsen', en: 'Participation in the user survey' },
  '3c-ii': { nb: 'Årsrapport levert til Vox', en: 'Annual report submitted to Vox' },
};

export const GROUP_NAMES: Record<TargetGroup, Text> = {
  'primary-lower-secondary-counsellors': { nb: 'rådgivere i grunnskolen', en: 'counsellors in primary and lower secondary school' },
  'upper-secondary-counsellors': { nb: 'rådgivere i videregående opplæring', en: 'counsellors in upper secondary education' },
  'nav-staff': { nb: 'veiledere i NAV', en: 'NAV staff' },
  others: { nb: 'andre', en: 'others' },
};

export const partnershipCriterion = (view: GrantsView, county: GrantsCounty, w: DateWindow): CriterionResult => {
  const base = { id: '1', key: 'partnership-agreement', title: TITLES['1'], window: { ...w } };
  const ps = Object.values(county.partnerships);
  const wt = winText(w);
  const missing: Text = {
    nb: `En signert partnerskapsavtale mellom minst fylkeskommunen og NAV fylke som er i kraft ${wt.nb}.`,
    en: `A signed partnership agreement between at least the county authority and the NAV county office, in force ${wt.en}.`,
  };
  if (ps.length === 0) {
    return { ...base, passed: false, reason: { nb: 'Fylket har ingen registrert partnerskapsavtale.', en: 'The county has no recorded partnership agreement.' }, evidence: [], missing: [missing] };
  }
  const days = checkpoints(w, ps.flatMap(partnershipChanges));
  const used: Citation[] = [];
  const okWhys: Text[] = [];
  for (const day of days) {
    const results = ps.map((p) => partnershipOn(view, county.countyId, p, day));
    const ok = results.find((r) => r.ok);
    if (!ok) {
      const whys = joinTexts(results.map((r) => r.why!));
      return {
        ...base,
        passed: false,
        reason: { nb: `Ingen partnerskapsavtale oppfyller kravet den ${day}: ${whys.nb}.`, en: `No partnership agreement meets the requirement on ${day}: ${whys.en}.` },
        evidence: uniqueLinks(results.flatMap((r) => r.refs)),
        missing: [missing],
      };
    }
    used.push(...ok.refs);
    if (!okWhys.some((t) => t.en === ok.why!.en)) okWhys.push(ok.why!);
  }
  const whys = joinTexts(okWhys);
  return {
    ...base,
    passed: true,
    reason: { nb: `Partnerskapsavtale i kraft ${wt.nb}: ${whys.nb}.`, en: `Partnership agreement in force ${wt.en}: ${whys.en}.` },
    evidence: uniqueLinks(used),
    missing: [],
  };
};

// ---------- 2: coordinating function ----------

export const coordinatingCriterion = (view: GrantsView, county: GrantsCounty, w: DateWindow): CriterionResult => {
  const base = { id: '2', key: 'coordinating-function', title: TITLES['2'], window: { ...w } };
  const wt = winText(w);
  const missing: Text = { nb: `En koordinerende funksjon som gjelder ${wt.nb}.`, en: `A coordinating function in force ${wt.en}.` };
  const cs = county.coordinating;
  if (cs.length === 0) {
    return { ...base, passed: false, reason: { nb: 'Fylket har ingen registrert koordinerende funksjon.', en: 'The county has no recorded coordinating function.' }, evidence: [], missing: [missing] };
  }
  const lastDay = (c: (typeof cs)[number]): IsoDate | null => (c.endedOn !== null && (c.to === null || c.endedOn < c.to) ? c.endedOn : c.to);
  const days = checkpoints(w, cs.flatMap((c) => [c.from, lastDay(c) === null ? null : addDays(lastDay(c)!, 1)]));
  const linkOf = (c: (typeof cs)[number]): Citation[] => {
    const holder = own(view.parties, c.holderPartyId);
    return [citation(c.ref, { from: c.from, to: c.to }), ...(c.endedRef ? [citation(c.endedRef, { endedOn: c.endedOn })] : []), ...(holder ? [citation(holder.ref, { kind: holder.kind })] : [])];
  };
  const used: Citation[] = [];
  const holders: string[] = [];
  for (const day of days) {
    const held = cs.find((c) => c.from <= day && (lastDay(c) === null || day <= lastDay(c)!));
    if (!held) {
      const before = cs.filter((c) => c.from <= day);
      const after = cs.filter((c) => c.from > day);
      const whys: Text[] = [
        ...before.map((c) => ({ nb: `${c.holderPartyId} hadde funksjonen til og med ${lastDay(c)}`, en: `${c.holderPartyId} held it until ${lastDay(c)}` })),
        ...after.map((c) => ({ nb: `${c.holderPartyId} har den først fra ${c.from}`, en: `${c.holderPartyId} only holds it from ${c.from}` })),
      ];
      const why = joinTexts(whys);
      return {
        ...base,
        passed: false,
        reason: { nb: `Ingen har den koordinerende funksjonen den ${day}: ${why.nb}.`, en: `Nobody holds the coordinating function on ${day}: ${why.en}.` },
        evidence: uniqueLinks(cs.flatMap(linkOf)),
        missing: [missing],
      };
    }
    used.push(...linkOf(held));
    const holderParty = own(view.parties, held.holderPartyId);
    const name = holderParty ? partyNameOn(holderParty, day) : held.holderPartyId;
    if (!holders.includes(name)) holders.push(name);
  }
  return {
    ...base,
    passed: true,
    reason: { nb: `Koordinerende funksjon ${wt.nb}, holdt av ${join(holders, 'og')}.`, en: `Coordinating function in force ${wt.en}, held by ${join(holders, 'and')}.` },
    evidence: uniqueLinks(used),
    missing: [],
  };
};

// ---------- 3a: free guidance for all adults ----------

export const freeGuidanceCriterion = (centre: GrantsCentre, centreName: string, w: SchemeWindows['freeGuidance']): CriterionResult => {
  const base = { id: '3a', key: 'free-guidance-for-adults', title: TITLES['3a'], window: { ...w } };
  const wt = winText(w);
  const missing: Text = {
    nb: `${centreName}: en tjenesteerklæring om gratis veiledning, åpen for alle voksne fra ${w.maxFromAge} år eller lavere, som gjelder ${wt.nb}.`,
    en: `${centreName}: a service declaration of free guidance, open to all adults from age ${w.maxFromAge} or lower, applying ${wt.en}.`,
  };
  const decls = declarationsInOrder(centre.declarations, centre.centreId);
  const days = checkpoints(w, [centre.openedOn, centre.closedOn, ...decls.map((d) => d.effectiveFrom)]);
  const used: Citation[] = [];
  const fail = (reason: Text, evidence: Citation[]): CriterionResult => ({ ...base, passed: false, reason, evidence: uniqueLinks(evidence), missing: [missing] });
  const centreLink = citation(centre.ref, { openedOn: centre.openedOn });
  let lastAge = -1;
  for (const day of days) {
    if (centre.openedOn > day) return fail({ nb: `${centreName} åpnet først ${centre.openedOn}.`, en: `${centreName} only opened on ${centre.openedOn}.` }, [centreLink]);
    if (centre.closedOn !== null && day >= centre.closedOn) {
      return fail({ nb: `${centreName} er stengt fra ${centre.closedOn}.`, en: `${centreName} is closed from ${centre.closedOn}.` }, [centreLink, citation(centre.closedRef!, { closedOn: centre.closedOn })]);
    }
    let decl = null;
    for (const d of decls) if (d.effectiveFrom <= day) decl = d;
    if (decl === null) {
      return fail({ nb: `${centreName} har ingen tjenesteerklæring som gjelder den ${day}.`, en: `${centreName} has no service declaration that applies on ${day}.` }, decls.map((d) => citation(d.ref, { effectiveFrom: d.effectiveFrom })));
    }
    const dLink = citation(decl.ref, { effectiveFrom: decl.effectiveFrom, fromAge: decl.fromAge });
    const problems: Text[] = [];
    if (!decl.freeOfCharge) problems.push({ nb: 'veiledningen er ikke gratis', en: 'guidance is not free of charge' });
    if (!decl.openToAllAdults) problems.push({ nb: 'den er ikke åpen for alle voksne', en: 'it is not open to all adults' });
    if (decl.fromAge > w.maxFromAge) {
      problems.push({ nb: `den gis bare fra ${decl.fromAge} år (må gjelde fra ${w.maxFromAge} år eller lavere)`, en: `it is offered only from age ${decl.fromAge} (must start at age ${w.maxFromAge} or lower)` });
    }
    if (problems.length) {
      const p = joinTexts(problems);
      return fail({ nb: `Tjenesteerklæringen fra ${decl.effectiveFrom} for ${centreName}: ${p.nb}.`, en: `The service declaration from ${decl.effectiveFrom} for ${centreName}: ${p.en}.` }, [dLink]);
    }
    used.push(dLink);
    lastAge = decl.fromAge;
  }
  return {
    ...base,
    passed: true,
    reason: {
      nb: `${centreName} tilbyr gratis veiledning åpen for alle voksne fra ${lastAge} år ${wt.nb}.`,
      en: `${centreName} offers free guidance open to all adults from age ${lastAge} ${wt.en}.`,
    },
    evidence: uniqueLinks(used),
    missing: [],
  };
};

// ---------- 3b: competence development for the three groups ----------

/** How many deciding activities are cited per group: the most recent in the window (GET /centres/:centreId/grant-evidence lists them all). */
const CITED_PER_GROUP = 1;

export const competenceCriterion = (centre: GrantsCentre, centreName: string, w: DateWindow, groups: readonly TargetGroup[]): CriterionResult => {
  const base = { id: '3b', key: 'competence-development', title: TITLES['3b'], window: { ...w } };
  // One pass over the centre's activities: per required group, how many fall in the window and the
  // most recent few (by delivery date, then log position) to cite.
  const count = groups.map(() => 0);
  const top: { deliveredOn: IsoDate; position: number; at: number }[][] = groups.map(() => []);
  const stored = centre.activities;
  const within = windowDays(w);
  const index = within === null ? null : activityIndex(stored);
  if (within !== null && index !== null) {
    // The same pass over the index (kept per activities list): day numbers compare as the dates do.
    const bits = groups.map(groupBit);
    const { day, position, mask } = index;
    const topDay = groups.map(() => [] as number[]);
    for (let k = 0; k < day.length; k++) {
      const m = mask[k];
      const d = day[k];
      if (m === 0 || d < within.from || d > within.to) continue;
      for (let i = 0; i < groups.length; i++) {
        if ((m & bits[i]) === 0) continue;
        count[i]++;
        const t = top[i];
        const td = topDay[i];
        let at = t.length;
        while (at > 0 && (d > td[at - 1] || (d === td[at - 1] && position[k] > t[at - 1].position))) at--;
        if (at < CITED_PER_GROUP) {
          t.splice(at, 0, { deliveredOn: '', position: position[k], at: k });
          td.splice(at, 0, d);
          if (t.length > CITED_PER_GROUP) {
            t.pop();
            td.pop();
          }
        }
      }
    }
  }
  const a: ActivityFacts = { deliveredOn: '', targetGroups: [], participants: 0, position: 0 };
  for (let k = 0; index === null && k < stored.length; k++) {
    if (activityFacts(stored[k], a, within) === null) continue;
    if (a.participants <= 0 || a.deliveredOn < w.from || a.deliveredOn > w.to) continue;
    for (let i = 0; i < groups.length; i++) {
      if (!a.targetGroups.includes(groups[i])) continue;
      count[i]++;
      const t = top[i];
      let at = t.length;
      while (at > 0 && (a.deliveredOn > t[at - 1].deliveredOn || (a.deliveredOn === t[at - 1].deliveredOn && a.position > t[at - 1].position))) at--;
      if (at < CITED_PER_GROUP) {
        t.splice(at, 0, { deliveredOn: a.deliveredOn, position: a.position, at: k });
        if (t.length > CITED_PER_GROUP) t.pop();
      }
    }
  }
  const sub: CriterionResult[] = groups.map((g, i) => {
    const hits = top[i].map((h) => readActivity(stored[h.at], centre.centreId));
    const n = count[i];
    const name = GROUP_NAMES[g];
    const evidence = hits.map((a) => citation(a.ref, { deliveredOn: a.deliveredOn, kind: a.kind, participants: a.participants }));
    return n
      ? {
          id: `3b-${g}`,
          key: g,
          title: name,
          passed: true,
          window: { ...w },
          reason: { nb: `${n} aktivitet(er) for ${name.nb} mellom ${w.from} og ${w.to}, sist ${hits[0].deliveredOn}.`, en: `${n} activit${n === 1 ? 'y' : 'ies'} for ${name.en} between ${w.from} and ${w.to}, the latest on ${hits[0].deliveredOn}.` },
          evidence,
          missing: [],
        }
      : {
          id: `3b-${g}`,
          key: g,
          title: name,
          passed: false,
          window: { ...w },
          reason: { nb: `Ingen kompetanseutvikling for ${name.nb} mellom ${w.from} og ${w.to}.`, en: `No competence development for ${name.en} between ${w.from} and ${w.to}.` },
          evidence: [],
          missing: [{ nb: `${centreName}: kompetanseutvikling for ${name.nb} levert mellom ${w.from} og ${w.to}.`, en: `${centreName}: competence development for ${name.en} delivered between ${w.from} and ${w.to}.` }],
        };
  });
  const failed = sub.filter((s) => !s.passed);
  const reached = sub.filter((s) => s.passed).map((s) => s.title);
  return {
    ...base,
    passed: failed.length === 0,
    reason:
      failed.length === 0
        ? { nb: `${centreName} har bidratt til kompetanseutvikling for alle tre grupper mellom ${w.from} og ${w.to}.`, en: `${centreName} contributed to competence development for all three groups between ${w.from} and ${w.to}.` }
        : {
            nb: `${centreName} mangler kompetanseutvikling for ${join(failed.map((f) => f.title.nb), 'og')} mellom ${w.from} og ${w.to}${reached.length ? ` (nådde ${join(reached.map((r) => r.nb), 'og')})` : ''}.`,
            en: `${centreName} has no competence development for ${join(failed.map((f) => f.title.en), 'and')} between ${w.from} and ${w.to}${reached.length ? ` (it reached ${join(reached.map((r) => r.en), 'and')})` : ''}.`,
          },
    // The deciding activities are cited on each group's sub-criterion.
    evidence: [],
    missing: failed.flatMap((f) => f.missing),
    subCriteria: sub,
  };
};

// ---------- 3c: user survey and annual report ----------

export const userSurveyCriterion = (centre: GrantsCentre, centreName: string, sw: DateWindow): CriterionResult => {
  const base = { id: '3c-i', key: 'user-survey', title: TITLES['3c-i'], window: { ...sw } };
  // A centre opened during the window is judged from its opening day: a participation period from
  // before it opened is refused (GRANT_EVIDENCE.BEFORE_OPENING), as its annual report covers only the
  // days it was open, so "every day of the window" would be a criterion it could never meet.
  // Likewise a centre closed during the window is judged up to the day before its closedOn (the first
  // day closed, the one rule of centre.ts): it surveys no users while closed, and its final annual
  // report covers the days it was open. The closure then decides the window, so it is cited.
  const sinceOpening = centre.openedOn > sw.from && centre.openedOn <= sw.to;
  const from = sinceOpening ? centre.openedOn : sw.from;
  const untilClosing = centre.closedOn !== null && centre.closedOn > from && centre.closedOn <= sw.to;
  const w: DateWindow = { from, to: untilClosing ? addDays(centre.closedOn!, -1) : sw.to };
  const notes: Text[] = [
    ...(sinceOpening ? [{ nb: `fra åpningsdagen ${centre.openedOn}`, en: `from its opening on ${centre.openedOn}` }] : []),
    ...(untilClosing ? [{ nb: `stengt fra ${centre.closedOn}`, en: `closed from ${centre.closedOn}` }] : []),
  ];
  const note: Text = notes.length ? { nb: ` (${notes.map((n) => n.nb).join('; ')})`, en: ` (${notes.map((n) => n.en).join('; ')})` } : { nb: '', en: '' };
  const closure: Citation[] = untilClosing && centre.closedRef ? [citation(centre.closedRef, { closedOn: centre.closedOn })] : [];
  const within = windowDays(w);
  const index = within === null ? null : surveyIndex(centre.surveys);
  const overlapping: SurveyEntry[] = [];
  if (within !== null && index !== null) {
    // the overlapping ones by first day (then as stored), as the sort below gives
    const at: number[] = [];
    for (let k = 0; k < index.from.length; k++) if (index.from[k] <= within.to && index.to[k] >= within.from) at.push(k);
    at.sort((a, b) => index.from[a] - index.from[b] || a - b);
    for (const k of at) overlapping.push(readSurvey(centre.surveys[k], centre.centreId));
  } else {
    overlapping.push(...centre.surveys.filter((x) => surveyOverlaps(x, w, within)).map((s) => readSurvey(s, centre.centreId)).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)));
  }
  let cursor = w.from;
  const used: Citation[] = [];
  for (const s of overlapping) {
    if (s.from > cursor) break;
    if (s.to >= cursor) {
      used.push(citation(s.ref, { from: s.from, to: s.to }));
      cursor = addDays(s.to, 1);
      if (cursor > w.to) break;
    }
  }
  if (cursor > w.to) {
    return {
      ...base,
      passed: true,
      reason: { nb: `${centreName} deltok i brukerundersøkelsen i hele perioden ${w.from}–${w.to}${note.nb}.`, en: `${centreName} took part in the user survey throughout ${w.from} – ${w.to}${note.en}.` },
      evidence: uniqueLinks([...used, ...closure]),
      missing: [],
    };
  }
  const next = overlapping.find((s) => s.from > cursor);
  const gapTo = next ? addDays(next.from, -1) : w.to;
  return {
    ...base,
    passed: false,
    reason:
      overlapping.length === 0
        ? { nb: `${centreName} har ingen registrert deltakelse i brukerundersøkelsen i perioden ${w.from}–${w.to}${note.nb}.`, en: `${centreName} has no recorded user-survey participation in ${w.from} – ${w.to}${note.en}.` }
        : { nb: `${centreName} deltok ikke i brukerundersøkelsen ${cursor}–${gapTo}.`, en: `${centreName} did not take part in the user survey from ${cursor} to ${gapTo}.` },
    evidence: uniqueLinks([...overlapping.map((s) => citation(s.ref, { from: s.from, to: s.to })), ...closure]),
    missing: [{ nb: `${centreName}: deltakelse i brukerundersøkelsen ${cursor}–${gapTo}.`, en: `${centreName}: user-survey participation from ${cursor} to ${gapTo}.` }],
  };
};

export const annualReportCriterion = (centre: GrantsCentre, centreName: string, w: SchemeWindows['annualReport']): CriterionResult => {
  const base = { id: '3c-ii', key: 'annual-report', title: TITLES['3c-ii'], window: { ...w } };
  const at = reportAt(centre.reports, w.reportYear);
  const stored = at < 0 ? undefined : centre.reports[at];
  const r = stored === undefined ? undefined : readReport(stored, centre.centreId);
  const missing: Text = { nb: `${centreName}: årsrapporten for ${w.reportYear} levert til Vox senest ${w.deadline}.`, en: `${centreName}: the annual report for ${w.reportYear} submitted to Vox by ${w.deadline}.` };
  if (!r) {
    return { ...base, passed: false, reason: { nb: `${centreName} har ikke levert årsrapport for ${w.reportYear}.`, en: `${centreName} has not submitted an annual report for ${w.reportYear}.` }, evidence: [], missing: [missing] };
  }
  const ev = [citation(r.ref, { year: r.year, submittedOn: r.submittedOn })];
  if (r.submittedOn > w.deadline) {
    const late = Math.round((Date.parse(r.submittedOn) - Date.parse(w.deadline)) / 86_400_000);
    return {
      ...base,
      passed: false,
      reason: {
        nb: `Årsrapporten for ${w.reportYear} fra ${centreName} ble levert ${r.submittedOn}, ${late} dag(er) etter fristen ${w.deadline}.`,
        en: `${centreName}'s annual report for ${w.reportYear} was submitted on ${r.submittedOn}, ${late} day(s) after the deadline ${w.deadline}.`,
      },
      evidence: ev,
      missing: [missing],
    };
  }
  return {
    ...base,
    passed: true,
    reason: { nb: `Årsrapporten for ${w.reportYear} fra ${centreName} ble levert ${r.submittedOn}, innen fristen ${w.deadline}.`, en: `${centreName}'s annual report for ${w.reportYear} was submitted on ${r.submittedOn}, by the deadline ${w.deadline}.` },
    evidence: ev,
    missing: [],
  };
};

export const qualityCriterion = (centre: GrantsCentre, centreName: string, w: SchemeWindows): CriterionResult => {
  const survey = userSurveyCriterion(centre, centreName, w.userSurvey);
  const report = annualReportCriterion(centre, centreName, w.annualReport);
  const passed = survey.passed && report.passed;
  return {
    id: '3c',
    key: 'quality-assurance',
    title: TITLES['3c'],
    passed,
    window: { userSurvey: w.userSurvey, annualReport: w.annualReport },
    reason: passed
      ? { nb: `${centreName} kvalitetssikrer gjennom brukerundersøkelsen og årsrapportering.`, en: `${centreName} quality-assures through the user survey and annual reporting.` }
      : joinTexts([survey, report].filter((s) => !s.passed).map((s) => s.reason)),
    // Cited on the two sub-criteria.
    evidence: [],
    missing: [...survey.missing, ...report.missing],
    subCriteria: [survey, report],
  };
};

// ---------- the county ----------

/** A centre judged under `centreName`: the name it had in the year judged (see evaluateCriteria2014). */
export const centreVerdict = (centre: GrantsCentre, centreName: string, w: SchemeWindows, groups: readonly TargetGroup[]): CentreVerdictDetail => {
  const criteria = [freeGuidanceCriterion(centre, centreName, w.freeGuidance), competenceCriterion(centre, centreName, w.competenceDevelopment, groups), qualityCriterion(centre, centreName, w)];
  return { centreId: centre.centreId, name: centreName, qualifies: criteria.every((c) => c.passed), criteria };
};

/**
 * The county judged for the scheme of `year`: every centre is named (in its verdict, its reasons and
 * what is missing) by the name in force on 31 December of that year, as every year answer of the
 * ledger does, so a rename from a later year changes nothing here.
 */
export const evaluateCriteria2014 = (view: GrantsView, county: GrantsCounty, w: SchemeWindows, groups: readonly TargetGroup[], year: number): CountyCriteriaResult => {
  const c1 = partnershipCriterion(view, county, w.partnershipAgreement);
  const c2 = coordinatingCriterion(view, county, w.coordinatingFunction);
  // A centre that was not open on any day of the free-guidance window (opened later, or closed
  // before it) can never meet 3a: it is listed briefly instead of being judged criterion by criterion.
  const fg = w.freeGuidance;
  const whenOpen: Text = fg.from === fg.to ? { nb: `den ${fg.from}`, en: `on ${fg.from}` } : { nb: `noen dag i perioden ${fg.from}–${fg.to}`, en: `on any day from ${fg.from} to ${fg.to}` };
  const registered = county.centreIds.map((id) => own(view.centres, id)).filter((c) => c !== undefined);
  const considered = registered.filter((c) => centreOpenBetween(c, fg.from, fg.to));
  const excluded = registered.filter((c) => !considered.includes(c));
  const notConsidered: CentreNotConsidered[] = excluded.map((c) => {
    const name = nameInYear(c.names, year);
    return {
      centreId: c.centreId,
      name,
      openedOn: c.openedOn,
      closedOn: c.closedOn,
      reason:
        c.openedOn > fg.to
          ? { nb: `${name} åpnet først ${c.openedOn}, og var ikke åpent ${whenOpen.nb}.`, en: `${name} only opened on ${c.openedOn}, so it was not open ${whenOpen.en}.` }
          : { nb: `${name} er stengt fra ${c.closedOn}, og var ikke åpent ${whenOpen.nb}.`, en: `${name} is closed from ${c.closedOn}, so it was not open ${whenOpen.en}.` },
    };
  });
  const centres = considered.map((c) => centreVerdict(c, nameInYear(c.names, year), w, groups));
  const qualifying = centres.filter((c) => c.qualifies);
  const c3: CriterionResult = {
    id: '3',
    key: 'career-centre',
    title: TITLES['3'],
    passed: qualifying.length > 0,
    window: {},
    reason:
      centres.length === 0
        ? notConsidered.length === 0
          ? { nb: 'Fylket har ikke noe registrert karrieresenter.', en: 'The county has no registered career centre.' }
          : { nb: `Fylket hadde ikke noe åpent karrieresenter ${winText(fg).nb}.`, en: `The county had no open career centre ${winText(fg).en}.` }
        : qualifying.length > 0
          ? { nb: `${qualifying.length} av ${centres.length} sentre oppfyller 3a–3c: ${join(qualifying.map((c) => c.name), 'og')}.`, en: `${qualifying.length} of ${centres.length} centres meet 3a–3c: ${join(qualifying.map((c) => c.name), 'and')}.` }
          : centres.length === 1
            ? { nb: `Fylkets eneste senter, ${centres[0].name}, oppfyller ikke alle av 3a–3c.`, en: `The county's only centre, ${centres[0].name}, does not meet all of 3a–3c.` }
            : { nb: `Ingen av fylkets ${centres.length} sentre oppfyller alle av 3a–3c.`, en: `None of the county's ${centres.length} centres meets all of 3a–3c.` },
    // The qualifying centres' own evidence is listed under each centre; here, the centres themselves.
    // With no centre to judge, what decides is why each one was not considered: its registration
    // (opened on) and any closure.
    evidence:
      centres.length === 0
        ? uniqueLinks(excluded.flatMap((c) => [citation(c.ref, { openedOn: c.openedOn }), ...(c.closedRef ? [citation(c.closedRef, { closedOn: c.closedOn })] : [])]))
        : uniqueLinks(qualifying.map((c) => citation(own(view.centres, c.centreId)!.ref, { openedOn: own(view.centres, c.centreId)!.openedOn }))),
    missing:
      qualifying.length > 0
        ? []
        : centres.length === 0
          ? [{ nb: 'Et karrieresenter i fylket som oppfyller 3a–3c.', en: 'A career centre in the county that meets 3a–3c.' }]
          : centres.flatMap((c) => c.criteria.flatMap((x) => x.missing)),
  };
  return { eligible: c1.passed && c2.passed && c3.passed, criteria: [c1, c2, c3], centres, notConsidered };
};
