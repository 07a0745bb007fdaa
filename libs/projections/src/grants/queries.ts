import { centreOpenOn } from '../../../domain/src/counties/centre';
import { criteriaSetOf, CRITERIA_SETS, SchemeWindows } from '../../../domain/src/grants/criteria';
import { CountyVerdict } from '../../../domain/src/grants/scheme';
import { SplitPart } from '../../../domain/src/grants/split';
import { nameOn } from '../../../domain/src/counties/centre-names';
import { DomainError, formatOre, IsoDate } from '../../../domain/src/shared';
import { CentreNotConsidered, Citation, CountyCriteriaResult, CriterionResult, evaluateCriteria2014, EvidenceLink, link, Text } from './criteria-2014';
import { EventRef, GrantsCounty, GrantsView, SchemeEntry, StimulusEntry, StimulusOutcomeEntry, WithdrawnItem } from './grants-view';
import { own } from './grants-view';
import { readActivity, readDeclaration, readReport, readSurvey } from './packed';
import { keepAsText } from '../funding/csv-field';
import { jsonBytes } from '../json-bytes';

/**
 * The grants queries: pure functions of (the grants view, parameters). The auditor's "as of"
 * works by handing them an older view; nothing here reads a clock or the store.
 */

/**
 * Criteria sets are code selected by id; each evaluates a county from the view and the scheme's
 * windows, naming each centre by the name in force on 31 December of the scheme's year.
 */
export const CRITERIA_EVALUATORS: Record<string, (view: GrantsView, county: GrantsCounty, windows: SchemeWindows, year: number) => CountyCriteriaResult> = {
  'criteria-2014': (view, county, w, year) => evaluateCriteria2014(view, county, w, CRITERIA_SETS['criteria-2014'].requiredTargetGroups, year),
};

export interface SchemeSummary {
  year: number;
  version: number;
  criteriaSetId: string;
  judgingDate: string;
  baseGrant: string;
  baseGrantOre: number;
  windows: SchemeWindows;
}

export interface MissingItem extends Text {
  criterion: string;
  centreId: string | null;
}

/** A verdict's citation of one event: its id and log position; the event itself is listed once in the answer's `events`. */
export interface EvidenceRef {
  eventId: string;
  position: number;
}

/** An event some verdict of the answer cites, listed once: where it sits in the log, the business dates the verdicts looked at, and where to read it. */
export type CitedEvent = EvidenceLink;

/** A criterion's verdict: pass/fail, the reason (nb/en), the events it rests on, and what is missing. */
export interface CriterionVerdict {
  id: string;
  key: string;
  passed: boolean;
  reason: Text;
  evidence: EvidenceRef[];
  /** What would have to be recorded for this criterion to pass (empty when it passes). */
  missing: Text[];
  subCriteria?: CriterionVerdict[];
}

/** A county-level criterion (1, 2, 3): its verdict with its title and window. */
export interface CountyCriterion extends CriterionVerdict {
  title: Text;
  window: Record<string, unknown>;
  subCriteria?: CountyCriterion[];
}

/** What every centre is judged by: each centre criterion's title and window, given once per answer. */
export interface CriterionDefinition {
  id: string;
  key: string;
  title: Text;
  window: Record<string, unknown>;
  subCriteria?: CriterionDefinition[];
}

export interface CentreVerdict {
  centreId: string;
  name: string;
  qualifies: boolean;
  /** The verdicts of 3a–3c; their titles and windows are in the answer's `centreCriteria`. */
  criteria: CriterionVerdict[];
}

export interface CountyEligibility {
  year: number;
  countyId: string;
  countyName: string;
  countyNumber: string;
  eligible: boolean;
  reason: Text;
  scheme: SchemeSummary;
  /** The log position the answer reflects. */
  asOfPosition: number;
  criteria: CountyCriterion[];
  /** The criteria each centre is judged by (3a–3c with their sub-criteria): title and window, once. */
  centreCriteria: CriterionDefinition[];
  centres: CentreVerdict[];
  /** Centres of the county that cannot count for this scheme (not open in the free-guidance window). */
  centresNotConsidered: CentreNotConsidered[];
  qualifyingCentres: { centreId: string; name: string }[];
  missing: MissingItem[];
  /** Every event a verdict above cites, once, in log order (verdicts cite them by eventId and position). */
  events: CitedEvent[];
}

export interface AllEligibility {
  year: number;
  scheme: SchemeSummary;
  asOfPosition: number;
  countyCount: number;
  eligibleCount: number;
  counties: CountyEligibility[];
}

export const requireScheme = (view: GrantsView, year: number): SchemeEntry => {
  const s = own(view.schemes, String(year));
  if (!s) throw new DomainError('GRANT_SCHEME.NOT_FOUND', `No grant scheme is published for ${year}.`, 'not-found', { year });
  return s;
};

const summary = (s: SchemeEntry): SchemeSummary => ({
  year: s.year,
  version: s.version,
  criteriaSetId: s.terms.criteriaSetId,
  judgingDate: s.terms.judgingDate,
  baseGrant: formatOre(s.terms.baseGrantOre),
  baseGrantOre: s.terms.baseGrantOre,
  windows: s.terms.windows,
});

const lowerFirst = (t: string): string => t.charAt(0).toLowerCase() + t.slice(1);

const leaves = <C extends { subCriteria?: unknown[] }>(c: C): C[] => (c.subCriteria?.length ? (c.subCriteria as C[]).flatMap((x) => leaves(x)) : [c]);

const byNumber = (a: GrantsCounty, b: GrantsCounty): number => (a.countyNumber < b.countyNumber ? -1 : a.countyNumber > b.countyNumber ? 1 : a.countyId < b.countyId ? -1 : 1);

/**
 * A county's answer: in full, or (detail 'summary') exactly what summaryOf makes of the full one,
 * without resolving the centres' citations into events the summary does not list (they are still
 * read, in the same order, for the business dates they add to the events it does list).
 */
function evaluate(view: GrantsView, s: SchemeEntry, county: GrantsCounty): CountyEligibility;
function evaluate(view: GrantsView, s: SchemeEntry, county: GrantsCounty, detail: 'summary'): CountySummary;
function evaluate(view: GrantsView, s: SchemeEntry, county: GrantsCounty, detail: EligibilityDetail = 'full'): CountyEligibility | CountySummary {
  const evaluator = own(CRITERIA_EVALUATORS, s.terms.criteriaSetId);
  if (!evaluator) throw new DomainError('GRANT_SCHEME.UNKNOWN_CRITERIA_SET', `The ${s.year} scheme names criteria set ${s.terms.criteriaSetId}, which this ledger does not know.`, 'rule');
  const r = evaluator(view, county, s.terms.windows, s.year);
  const [c1, c2, c3] = r.criteria;
  // (every Text the criteria write has exactly nb and en, so they are copied by name)
  const missing: MissingItem[] = [];
  const miss = (criterion: string, centreId: string | null, ms: Text[]): void => {
    for (const m of ms) missing.push({ criterion, centreId, nb: m.nb, en: m.en });
  };
  for (const c of [c1, c2]) miss(c.id, null, c.missing);
  if (!c3.passed) {
    if (r.centres.length === 0) miss('3', null, c3.missing);
    else for (const centre of r.centres) for (const leaf of centre.criteria.flatMap(leaves)) miss(leaf.id, centre.centreId, leaf.missing);
  }
  const failed = r.criteria.filter((c) => !c.passed);
  // Each cited event is made into its EvidenceLink once per answer; later citations of it add the
  // business dates it did not have yet (in the order cited). Objects are built with their final
  // keys in order (no spreads): an answer cites ~400 events and has ~600 verdicts.
  const cited = new Map<number, CitedEvent>();
  const cite = (c: Citation): EvidenceRef => {
    const ref = c.ref;
    const had = cited.get(ref.position);
    if (had === undefined) cited.set(ref.position, link(ref, { ...c.dates }));
    else {
      const into = had.dates;
      for (const k of Object.keys(c.dates)) if (!(k in into)) into[k] = c.dates[k];
    }
    return { eventId: ref.eventId, position: ref.position };
  };
  const citeAll = (cs: Citation[]): EvidenceRef[] => {
    const out: EvidenceRef[] = new Array(cs.length);
    for (let i = 0; i < cs.length; i++) out[i] = cite(cs[i]);
    return out;
  };
  const verdict = (c: CriterionResult): CriterionVerdict => {
    const v: CriterionVerdict = { id: c.id, key: c.key, passed: c.passed, reason: c.reason, evidence: citeAll(c.evidence), missing: c.missing };
    if (c.subCriteria) v.subCriteria = c.subCriteria.map(verdict);
    return v;
  };
  const countyCriterion = (c: CriterionResult): CountyCriterion => {
    const v: CountyCriterion = { id: c.id, key: c.key, title: c.title, passed: c.passed, reason: c.reason, window: c.window, evidence: citeAll(c.evidence), missing: c.missing };
    if (c.subCriteria) v.subCriteria = c.subCriteria.map(countyCriterion);
    return v;
  };
  const definition = (c: CriterionResult): CriterionDefinition => {
    const d: CriterionDefinition = { id: c.id, key: c.key, title: c.title, window: c.window };
    if (c.subCriteria) d.subCriteria = c.subCriteria.map(definition);
    return d;
  };
  const criteria = r.criteria.map(countyCriterion);
  let centres: CentreVerdict[] | CentreSummary[];
  let events: CitedEvent[];
  if (detail === 'full') {
    centres = r.centres.map((c) => ({ centreId: c.centreId, name: c.name, qualifies: c.qualifies, criteria: c.criteria.map(verdict) }));
    events = [...cited.values()].sort((a, b) => a.position - b.position);
  } else {
    // the events the county-level criteria cite; the centres' citations only add dates to them
    events = [...cited.values()].sort((a, b) => a.position - b.position);
    const addDates = (c: CriterionResult): void => {
      for (const x of c.evidence) {
        const had = cited.get(x.ref.position);
        if (had !== undefined) for (const k of Object.keys(x.dates)) if (!(k in had.dates)) had.dates[k] = x.dates[k];
      }
      if (c.subCriteria) c.subCriteria.forEach(addDates);
    };
    for (const c of r.centres) c.criteria.forEach(addDates);
    centres = r.centres.map((c) => ({ centreId: c.centreId, name: c.name, qualifies: c.qualifies, failedCriteria: c.criteria.flatMap(leaves).filter((x) => !x.passed).map((x) => x.id) }));
  }
  return {
    year: s.year,
    countyId: county.countyId,
    countyName: county.name,
    countyNumber: county.countyNumber,
    eligible: r.eligible,
    reason: r.eligible
      ? { nb: `${county.name} oppfyller alle kriteriene for grunntilskudd ${s.year}.`, en: `${county.name} meets every base-grant criterion for ${s.year}.` }
      : {
          nb: `${county.name} oppfyller ikke kriteriene for grunntilskudd ${s.year}: ${failed.map((c) => `kriterium ${c.id} (${lowerFirst(c.title.nb)})`).join('; ')}.`,
          en: `${county.name} does not meet the base-grant criteria for ${s.year}: ${failed.map((c) => `criterion ${c.id} (${lowerFirst(c.title.en)})`).join('; ')}.`,
        },
    scheme: summary(s),
    asOfPosition: view.position,
    criteria,
    centreCriteria: r.centres.length ? r.centres[0].criteria.map(definition) : [],
    centres,
    centresNotConsidered: r.notConsidered,
    qualifyingCentres: r.centres.filter((c) => c.qualifies).map((c) => ({ centreId: c.centreId, name: c.name })),
    missing,
    events,
  } as CountyEligibility | CountySummary;
}

// An answer depends only on (view, year); the view changes only through evolve, which bumps `rev`
// (events grants do not read move only `position`). Caching per view object and revision keeps
// reads cheap under load without changing any answer: the object answers (countyEligibility,
// allEligibility) are evaluated once per revision, the JSON texts once per revision and detail
// (the position is spliced in, so other features' writes do not invalidate them).
interface YearCache {
  rev: number;
  counties: Map<string, CountyEligibility>;
  all: AllEligibility | null;
  /** Serialised answers (JSON as UTF-8 bytes, see json-bytes.ts) and the position they carry. */
  json: Map<string, { position: number; bytes: Buffer }>;
}
const cache = new WeakMap<GrantsView, Map<number, YearCache>>();

/** Years whose answers are kept per view (least recently asked dropped first): a year's 19 full answers are ~7 MB of JSON at 1,000,000 events. */
const CACHED_YEARS = 3;

const yearCache = (view: GrantsView, year: number): YearCache => {
  let perView = cache.get(view);
  if (!perView) cache.set(view, (perView = new Map()));
  let yc = perView.get(year);
  if (!yc || yc.rev !== view.rev) yc = { rev: view.rev, counties: new Map(), all: null, json: new Map() };
  perView.delete(year);
  perView.set(year, yc);
  if (perView.size > CACHED_YEARS) perView.delete(perView.keys().next().value as number);
  return yc;
};

const atPosition = <T extends { asOfPosition: number }>(answer: T, position: number): T => (answer.asOfPosition === position ? answer : { ...answer, asOfPosition: position });

const requireCounty = (view: GrantsView, countyId: string): GrantsCounty => {
  const county = own(view.counties, countyId);
  if (county && county.registered) return county;
  // As a write naming the county, and the ?countyId= filters, do: a county written another way
  // (`Telemark`) is told the registered id; any other is pointed at the list of counties.
  const lower = countyId.toLowerCase();
  const same = Object.values(view.counties).find((c) => c.registered && c.countyId.toLowerCase() === lower)?.countyId;
  const hint = same === undefined ? ' See GET /counties for the registered county ids.' : ` County ids are written as registered: did you mean ${same}?`;
  throw new DomainError('COUNTY.NOT_FOUND', `County ${countyId} is not registered.${hint}`, 'not-found', { countyId });
};

const countyCached = (view: GrantsView, s: SchemeEntry, yc: YearCache, county: GrantsCounty): CountyEligibility => {
  let answer = yc.counties.get(county.countyId);
  if (!answer) yc.counties.set(county.countyId, (answer = evaluate(view, s, county)));
  return answer;
};

/** Every registered county's eligibility for a year, in ascending county number. */
export const allEligibility = (view: GrantsView, year: number): AllEligibility => {
  const s = requireScheme(view, year);
  const yc = yearCache(view, year);
  if (!yc.all) {
    const counties = Object.values(view.counties)
      .filter((c) => c.registered)
      .sort(byNumber)
      .map((c) => countyCached(view, s, yc, c));
    yc.all = { year, scheme: summary(s), asOfPosition: view.position, countyCount: counties.length, eligibleCount: counties.filter((c) => c.eligible).length, counties };
  }
  const all = yc.all;
  return all.asOfPosition === view.position ? all : { ...all, asOfPosition: view.position, counties: all.counties.map((c) => atPosition(c, view.position)) };
};

/** One county's eligibility for a year (evaluates only that county). */
export const countyEligibility = (view: GrantsView, year: number, countyId: string): CountyEligibility => {
  const s = requireScheme(view, year);
  const county = requireCounty(view, countyId);
  return atPosition(countyCached(view, s, yearCache(view, year), county), view.position);
};

/** How much of each centre's judgement an answer carries. */
export type EligibilityDetail = 'full' | 'summary';

export const parseDetail = (raw: unknown): EligibilityDetail => {
  if (raw === undefined || raw === '' || raw === 'full') return 'full';
  if (raw === 'summary') return 'summary';
  throw new DomainError('REQUEST.BAD_DETAIL', 'detail must be "full" (every centre with its sub-criteria and evidence) or "summary" (each centre\'s verdict and failed criteria).', 'invalid', { detail: typeof raw === 'string' ? raw.slice(0, 20) : null });
};

const positionsCited = (cs: CriterionVerdict[], into = new Set<number>()): Set<number> => {
  for (const c of cs) {
    for (const e of c.evidence) into.add(e.position);
    if (c.subCriteria) positionsCited(c.subCriteria, into);
  }
  return into;
};

/** The events an answer lists for these verdicts (their citations resolved), in the order cited. */
export const evidenceOf = (answer: { events: CitedEvent[] }, c: CriterionVerdict): CitedEvent[] => c.evidence.map((e) => answer.events.find((x) => x.position === e.position)!);

/**
 * The summary of a county's answer: every county-level criterion with its reasons, evidence and
 * what is missing, but each centre only as its verdict and the ids of the criteria it fails (and
 * only the events the county-level criteria cite).
 */
export interface CentreSummary {
  centreId: string;
  name: string;
  qualifies: boolean;
  /** The ids of the (leaf) criteria the centre fails. */
  failedCriteria: string[];
}

/** A county's answer in summary: each centre as its verdict and failed criteria, and only the events the county-level criteria cite. */
export type CountySummary = Omit<CountyEligibility, 'centres'> & { centres: CentreSummary[] };

export const summaryOf = (c: CountyEligibility): CountySummary => {
  const cited = positionsCited(c.criteria);
  return {
    ...c,
    centres: c.centres.map((centre) => ({
      centreId: centre.centreId,
      name: centre.name,
      qualifies: centre.qualifies,
      failedCriteria: centre.criteria.flatMap(leaves).filter((x) => !x.passed).map((x) => x.id),
    })),
    events: c.events.filter((e) => cited.has(e.position)),
  };
};

const COMMA = 0x2c;
/** An answer's JSON with its `"asOfPosition":N` (serialised first, so the first comma ends it) replaced by another position. */
const atPositionBytes = (bytes: Buffer, position: number): Buffer => Buffer.concat([Buffer.from(`{"asOfPosition":${position}`), bytes.subarray(bytes.indexOf(COMMA))]);

/** The cached JSON of `key`: serialised once per view revision (position first); only the position is re-spliced when other events move it. */
const jsonAt = (yc: YearCache, key: string, position: number, serialise: () => Buffer): Buffer => {
  let hit = yc.json.get(key);
  if (hit === undefined) yc.json.set(key, (hit = { position, bytes: serialise() }));
  else if (hit.position !== position) {
    hit.bytes = atPositionBytes(hit.bytes, position);
    hit.position = position;
  }
  return hit.bytes;
};

const shaped = (c: CountyEligibility, detail: EligibilityDetail) => {
  const { asOfPosition: _position, ...rest } = detail === 'summary' ? summaryOf(c) : c;
  return rest;
};

/**
 * countyEligibility as JSON (UTF-8 bytes, never one large string: json-bytes.ts), serialised once
 * per view revision and detail (what the HTTP route sends). Only the JSON is kept: the answer
 * object (~1 MB of small objects for a county of 66 centres, ~4× its JSON) is evaluated for it and
 * then let go, unless countyEligibility or allEligibility already keep it.
 */
export const countyEligibilityJson = (view: GrantsView, year: number, countyId: string, detail: EligibilityDetail = 'full'): Buffer => {
  const s = requireScheme(view, year);
  const county = requireCounty(view, countyId);
  const yc = yearCache(view, year);
  return jsonAt(yc, `${countyId}|${detail}`, view.position, () => {
    const kept = yc.counties.get(county.countyId);
    const { asOfPosition: _position, ...rest } = kept ? (detail === 'summary' ? summaryOf(kept) : kept) : detail === 'summary' ? evaluate(view, s, county, 'summary') : evaluate(view, s, county);
    // (object → centres, events → each centre and event whole)
    return jsonBytes({ asOfPosition: view.position, ...rest }, 2);
  });
};

/** allEligibility as JSON (UTF-8 bytes), serialised once per view revision and detail (counties carry no position of their own here). */
export const allEligibilityJson = (view: GrantsView, year: number, detail: EligibilityDetail = 'full'): Buffer => {
  const all = allEligibility(view, year);
  const yc = yearCache(view, year);
  const { asOfPosition: _position, ...rest } = all;
  // (object → counties → each county's members → each centre and event whole)
  return jsonAt(yc, `*all*|${detail}`, view.position, () => jsonBytes({ asOfPosition: view.position, ...rest, counties: all.counties.map((c) => shaped(c, detail)) }, 4));
};

/** The snapshot an allocation records: each county's verdict, compactly. */
export const verdictsOf = (all: AllEligibility): CountyVerdict[] =>
  all.counties.map((c) => ({
    countyId: c.countyId,
    countyNumber: c.countyNumber,
    name: c.countyName,
    eligible: c.eligible,
    failedCriteria: c.criteria.filter((x) => !x.passed).map((x) => x.id),
    qualifyingCentreIds: c.qualifyingCentres.map((q) => q.centreId),
  }));

/**
 * Text cells are kept as text as in every CSV of the ledger (a name such as `=HYPERLINK(…)` must not
 * run; a county number "01" or a count "1/2" must not become 1 or a date); numbers and booleans are
 * written as they are.
 */
const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const s = keepAsText(v);
  // `;` is quoted too, though the separator is `,`: spreadsheets set to `;` then still see one field.
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
/** UTF-8 with a BOM, as every CSV of the ledger: without it Excel reads "Østfold" as "Ã˜stfold". */
export const toCsv = (rows: unknown[][]): string => '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export const ELIGIBILITY_CSV_HEADER = [
  'county_number',
  'county',
  'eligible',
  '1_partnership_agreement',
  '2_coordinating_function',
  '3_career_centre',
  '3a_centres_passing',
  '3b_centres_passing',
  '3c_centres_passing',
  'qualifying_centres',
  'missing_en',
  'missing_nb',
  'year',
  'scheme_version',
  'as_of_position',
];

/** The all-counties answer as CSV: one row per county, pass/fail per criterion, how many centres pass 3a/3b/3c, and what is missing. */
export const eligibilityCsv = (all: AllEligibility): string =>
  toCsv([
    ELIGIBILITY_CSV_HEADER,
    ...all.counties.map((c) => [
      c.countyNumber,
      c.countyName,
      c.eligible ? 'yes' : 'no',
      ...c.criteria.map((x) => (x.passed ? 'pass' : 'fail')),
      ...['3a', '3b', '3c'].map((id) => `${c.centres.filter((centre) => centre.criteria.some((x) => x.id === id && x.passed)).length}/${c.centres.length}`),
      c.qualifyingCentres.map((q) => q.name).join('; '),
      c.missing.map((m) => m.en).join(' | '),
      c.missing.map((m) => m.nb).join(' | '),
      all.year,
      all.scheme.version,
      all.asOfPosition,
    ]),
  ]);

// ---------- schemes and allocations ----------

const partsOut = (parts: SplitPart[], names: Record<string, string>) =>
  parts.map((p) => ({ countyId: p.countyId, countyNumber: p.countyNumber, county: names[p.countyId] ?? p.countyId, amount: formatOre(p.amountOre), amountOre: p.amountOre, remainderOre: p.remainderOre }));

export const schemeAnswer = (view: GrantsView, year: number) => {
  const s = requireScheme(view, year);
  const set = criteriaSetOf(s.terms.criteriaSetId);
  return {
    ...summary(s),
    windowOverrides: s.terms.windowOverrides,
    defaultsExplained: set?.defaultsExplained ?? null,
    amendable: s.allocation === null,
    allocated: s.allocation !== null,
    history: s.history.map((h) => ({ version: h.version, type: h.type, text: h.text, recordedAt: h.ref.recordedAt, event: link(h.ref, {}) })),
  };
};

export const schemesList = (view: GrantsView) =>
  Object.values(view.schemes)
    .sort((a, b) => a.year - b.year)
    .map((s) => ({ ...summary(s), allocated: s.allocation !== null }));

/** The allocation of a year as it stands (after any corrections), with its snapshot and history. */
export const allocationAnswer = (view: GrantsView, year: number) => {
  const s = requireScheme(view, year);
  const a = s.allocation;
  if (!a) throw new DomainError('BASE_GRANT.NOT_ALLOCATED', `The ${year} base grant has not been allocated yet.`, 'not-found', { year });
  const current = a.corrections.length ? a.corrections[a.corrections.length - 1] : a;
  const names: Record<string, string> = Object.fromEntries(current.verdicts.map((v) => [v.countyId, v.name]));
  const total = current.parts.reduce((sum, p) => sum + p.amountOre, 0);
  return {
    year,
    schemeVersion: current.schemeVersion,
    criteriaSetId: current.criteriaSetId,
    judgingDate: current.judgingDate,
    baseGrant: formatOre(current.baseGrantOre),
    baseGrantOre: current.baseGrantOre,
    basedOnPosition: current.basedOnPosition,
    remainderRule: current.remainderRule,
    eligibleCount: current.parts.length,
    total: formatOre(total),
    totalOre: total,
    parts: partsOut(current.parts, names),
    verdicts: current.verdicts,
    correctionNo: a.corrections.length,
    recordedAt: (a.corrections.length ? a.corrections[a.corrections.length - 1].ref : a.ref).recordedAt,
    event: link(a.corrections.length ? a.corrections[a.corrections.length - 1].ref : a.ref, { basedOnPosition: current.basedOnPosition }),
    /**
     * The eligibility at the snapshot's own log position: exactly the verdicts recorded (a recorded
     * time could also take in a later write of the same millisecond).
     */
    reproduceWith: `/grant-schemes/${year}/eligibility?atPosition=${current.basedOnPosition}`,
    history: [
      { kind: 'allocated', basedOnPosition: a.basedOnPosition, note: a.note, parts: partsOut(a.parts, names), event: link(a.ref, { basedOnPosition: a.basedOnPosition }) },
      ...a.corrections.map((c) => ({
        kind: 'corrected',
        correctionNo: c.correctionNo,
        reason: c.reason,
        overrides: c.overrides,
        basedOnPosition: c.basedOnPosition,
        parts: partsOut(c.parts, names),
        event: link(c.ref, { basedOnPosition: c.basedOnPosition }),
      })),
    ],
  };
};

// ---------- evidence and stimulus grants ----------

/**
 * A centre's evidence of every year. It is about no one year, so the centre is named as the
 * directory names it: by the name in force on `day` (the caller's today, in Norway; nothing here
 * reads a clock), with `names`, every name from its first day in date order, to name an item by
 * its own date. A rename dated after `day` is in `names` only.
 */
export const centreEvidence = (view: GrantsView, centreId: string, day: IsoDate) => {
  const c = own(view.centres, centreId);
  if (!c) throw new DomainError('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found', { centreId });
  const one = <T extends { ref: EventRef }>({ ref, ...rest }: T) => ({ ...rest, event: link(ref, {}) });
  const ev = <T extends { ref: EventRef }>(xs: T[]) => xs.map(one);
  // A withdrawn item as its list showed it before the withdrawal (same fields, same event link).
  const listed = (w: WithdrawnItem) => {
    switch (w.list) {
      case 'declarations':
        return one(readDeclaration(w.stored, centreId));
      case 'activities':
        return one(readActivity(w.stored, centreId));
      case 'surveys':
        return one(readSurvey(w.stored, centreId));
      case 'reports':
        return one(readReport(w.stored, centreId));
    }
  };
  return {
    centreId,
    countyId: c.countyId,
    name: nameOn(c.names, day),
    names: c.names.map((n) => ({ name: n.name, from: n.from })),
    openedOn: c.openedOn,
    closedOn: c.closedOn,
    serviceDeclarations: ev(c.declarations.map((x) => readDeclaration(x, centreId))),
    competenceDevelopment: ev(c.activities.map((x) => readActivity(x, centreId))),
    userSurveyParticipations: ev(c.surveys.map((x) => readSurvey(x, centreId))),
    annualReports: ev(c.reports.map((x) => readReport(x, centreId)).sort((a, b) => a.year - b.year)),
    // Each withdrawal (its own event) with the item withdrawn, which the lists above no longer show.
    withdrawn: c.withdrawn.map((w) => ({ evidenceId: w.evidenceId, evidenceType: w.evidenceType, reason: w.reason, event: link(w.ref, {}), item: w.item ? listed(w.item) : null })),
  };
};

/** Whether the county had an open centre on a date (business dates: opened on or before, not yet closed). */
export const countyHadCentreOn = (view: GrantsView, countyId: string, date: string): boolean =>
  (own(view.counties, countyId)?.centreIds ?? []).some((id) => {
    const c = own(view.centres, id);
    return c !== undefined && centreOpenOn(c, date);
  });

const stimulusOut = (view: GrantsView, s: StimulusEntry) => {
  const prioritised = s.purpose === 'establish-centre' && !countyHadCentreOn(view, s.countyId, s.appliedOn);
  return {
    applicationId: s.applicationId,
    countyId: s.countyId,
    county: own(view.counties, s.countyId)?.name ?? s.countyId,
    countyNumber: own(view.counties, s.countyId)?.countyNumber ?? '',
    year: s.year,
    purpose: s.purpose,
    amountAsked: formatOre(s.amountAskedOre),
    description: s.description,
    centreId: s.centreId,
    appliedOn: s.appliedOn,
    status: s.status,
    amountAwarded: s.amountAwardedOre === null ? null : formatOre(s.amountAwardedOre),
    decision: s.decision ? { decidedOn: s.decision.decidedOn, note: s.decision.note, reason: s.decision.reason, event: link(s.decision.ref, { decidedOn: s.decision.decidedOn }) } : null,
    prioritised,
    priorityReason: prioritised
      ? { nb: 'Søknad om å etablere et senter i et fylke som ikke har noe senter: prioriteres.', en: 'Application to establish a centre in a county that has none: prioritised.' }
      : null,
    event: link(s.ref, { appliedOn: s.appliedOn }),
  };
};

/**
 * Applications, prioritised ones first (to establish a centre in a county that had no open centre
 * on the application date, as in 2014), then by application date, then in recorded order.
 */
export const stimulusList = (view: GrantsView, filter: { year?: number; countyId?: string; status?: string } = {}) =>
  Object.values(view.stimulus)
    .filter((s) => (filter.year === undefined || s.year === filter.year) && (filter.countyId === undefined || s.countyId === filter.countyId) && (filter.status === undefined || s.status === filter.status))
    .map((s) => ({ out: stimulusOut(view, s), position: s.ref.position }))
    .sort((a, b) => Number(b.out.prioritised) - Number(a.out.prioritised) || (a.out.appliedOn < b.out.appliedOn ? -1 : a.out.appliedOn > b.out.appliedOn ? 1 : 0) || a.position - b.position)
    .map((x) => x.out);

const outcomeOut = (o: StimulusOutcomeEntry) => ({ status: o.status, amountAwarded: o.amountAwardedOre === null ? null : formatOre(o.amountAwardedOre), note: o.note, reason: o.reason });

/** One application with the decision in force and every correction of it (the decision replaced, the one made, why). */
export const stimulusOne = (view: GrantsView, applicationId: string) => {
  const s = own(view.stimulus, applicationId);
  if (!s) throw new DomainError('STIMULUS_GRANT.NOT_FOUND', `No stimulus-grant application with id ${applicationId} exists.`, 'not-found', { applicationId });
  return {
    ...stimulusOut(view, s),
    corrections: (s.corrections ?? []).map((c) => ({
      correctedOn: c.correctedOn,
      correctionReason: c.correctionReason,
      previous: { ...outcomeOut(c.previous), decidedOn: c.previous.decidedOn, event: link(c.previous.ref, { decidedOn: c.previous.decidedOn }) },
      decision: outcomeOut(c.decision),
      event: link(c.ref, { correctedOn: c.correctedOn }),
    })),
  };
};
