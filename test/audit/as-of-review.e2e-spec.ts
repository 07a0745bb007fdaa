import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { addDays } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';
import { rawGet } from '../helpers/raw-get';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { fillLedger, steppingClock } from './fixtures';

/**
 * Adversarial review of as-of (time-travel) reads across every read route. An auditor asks "what
 * did the ledger say at instant M"; the answer must be exactly what the route answered at M. So
 * each route's answer is captured at M, more facts are recorded (corrections, reversals,
 * withdrawals, renames, closings, a new scheme year, votes, amendments), and the route is asked
 * again with asOf = M (and the instant written other ways) and compared byte for byte.
 */

type Auth = { Authorization: string };

const mustPost = async (t: TestApp, auth: Auth, url: string, body: object): Promise<any> => {
  const res = await t.http().post(url).set(auth).send(body);
  if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

const withQuery = (path: string, q: string): string => `${path}${path.includes('?') ? '&' : '?'}${q}`;
const asOfQ = (instant: string): string => `asOf=${encodeURIComponent(instant)}`;

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** What a read answered, in full: status, the representation headers and the body bytes. */
interface Answer {
  status: number;
  type: string | undefined;
  etag: string | undefined;
  total: string | undefined;
  link: string | undefined;
  body: string;
}

/** A route to ask: its path (with query) and the Accept it is asked with (CSV by Accept on the eligibility list). */
interface Ask {
  path: string;
  accept?: string;
}

/** The Link header without the asOf parameter (the next page of an as-of answer keeps its asOf, as README says). */
const linkWithoutAsOf = (link: string | undefined): string | undefined => link?.replace(/asOf=[^&>]*&?/, '').replace(/[?&]>/, '>');

const answerOf = async (t: TestApp, auth: Auth, ask: Ask, query?: string, extra: Record<string, string> = {}): Promise<Answer> => {
  const url = query ? withQuery(ask.path, query) : ask.path;
  let req = t.http().get(url).set(auth).set(extra);
  if (ask.accept) req = req.set('Accept', ask.accept);
  const res = await req.buffer(true).parse(binary);
  const body = Buffer.isBuffer(res.body) ? (res.body as Buffer) : Buffer.from(res.text ?? '');
  return {
    status: res.status,
    type: res.headers['content-type'],
    etag: res.headers.etag,
    total: res.headers['x-total-count'],
    link: linkWithoutAsOf(res.headers.link),
    body: (res.headers['content-type'] ?? '').includes('json') || (res.headers['content-type'] ?? '').includes('csv') ? body.toString('utf8') : body.toString('base64'),
  };
};

const diffOf = (label: string, then: Answer, now: Answer): string | null => {
  const keys = ['status', 'type', 'etag', 'total', 'link', 'body'] as const;
  const differing = keys.filter((k) => then[k] !== now[k]);
  if (differing.length === 0) return null;
  return `${label}: ${differing.map((k) => `${k} then=${String(then[k]).slice(0, 140)} | as-of=${String(now[k]).slice(0, 140)}`).join(' ; ')}`;
};

// ---------------------------------------------------------------------------------------------
// A ledger recorded in two phases through HTTP: phase A (January 2014), the capture at M, phase B
// (June 2014) with every kind of later fact. Business dates are fixed so "today" does not enter.
// ---------------------------------------------------------------------------------------------

interface Actors {
  fo: Auth;
  foVa: Auth;
  foOst: Auth;
  foFin: Auth;
  vox: Auth;
  admin: Auth;
  anne: Auth;
  nils: Auth;
}

const actorsOf = async (t: TestApp): Promise<Actors> => ({
  fo: await t.auth('finance-officer', ['telemark'], 'fo-telemark'),
  foVa: await t.auth('finance-officer', ['vest-agder'], 'fo-va'),
  foOst: await t.auth('finance-officer', ['ostfold'], 'fo-ostfold'),
  foFin: await t.auth('finance-officer', ['finnmark'], 'fo-finnmark'),
  vox: await t.auth('vox', [], 'vox-1'),
  admin: await t.auth('admin', [], 'admin-1'),
  anne: await t.auth('board-member', [], 'anne'),
  nils: await t.auth('board-member', [], 'nils'),
});

const GRANT = { fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', reference: 'FT-sak 88/12' };

const recordPhaseA = async (t: TestApp, a: Actors): Promise<void> => {
  await seedCounties(t);
  const { fo, foVa, vox, anne } = a;
  await mustPost(t, fo, '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
  await mustPost(t, fo, '/parties', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
  await mustPost(t, fo, '/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' });
  await mustPost(t, fo, '/centres', { centreId: 'kc-no', countyId: 'telemark', name: 'Karrieresenter Notodden', municipality: 'Notodden', openedOn: '2011-01-01' });
  await mustPost(t, foVa, '/centres', { centreId: 'kc-va', countyId: 'vest-agder', name: 'Karrieresenter Kristiansand', municipality: 'Kristiansand', openedOn: '2010-01-01' });
  await mustPost(t, fo, '/centres/kc-tm/owner-agreements', { agreementId: 'oa-1', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-01-01' });
  await mustPost(t, fo, '/counties/telemark/partnership-agreements', { partnershipId: 'tm-p', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } });
  await mustPost(t, fo, '/counties/telemark/coordinating-function', { holderPartyId: 'telemark-fk', description: 'Koordinerer', from: '2013-01-01' });
  await mustPost(t, vox, '/grant-schemes', { year: 2014, baseGrant: '4200000.02', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: 'Grunntilskudd 2014' });
  const ev = '/centres/kc-tm/grant-evidence';
  await mustPost(t, fo, `${ev}/service-declarations`, { declarationId: 'decl-1', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
  const groups = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
  for (const [i, g] of groups.entries()) await mustPost(t, fo, `${ev}/competence-development`, { activityId: `cd-${i + 1}`, deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 10 + i, description: `Kurs ${g}` });
  await mustPost(t, fo, `${ev}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
  await mustPost(t, fo, `${ev}/annual-reports`, { year: 2013, submittedOn: '2014-01-05' });
  await mustPost(t, fo, '/centres/kc-tm/funding/operating-grants', { ...GRANT, entryId: 'tm-drift-fk', amount: '2363000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/operating-grants', { ...GRANT, entryId: 'tm-drift-nav', partyId: 'nav-telemark', amount: '1325000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/earmarked-funds', { ...GRANT, entryId: 'tm-ear', amount: '731000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
  await mustPost(t, fo, '/centres/kc-no/funding/operating-grants', { ...GRANT, entryId: 'no-drift-fk', amount: '500000.00' });
  await mustPost(t, fo, '/centres/kc-tm/staff-positions', { positionId: 'tm-p1', title: 'Veileder', employerKind: 'county-authority', employerPartyId: 'telemark-fk', fte: '1', payer: { kind: 'centre' }, startedOn: '2013-01-01' });
  await mustPost(t, fo, '/boards', { boardId: 'tm-board', countyId: 'telemark', centreIds: ['kc-tm'], name: 'Styret', establishedOn: '2012-01-01' });
  await mustPost(t, fo, '/boards/tm-board/members', { personId: 'anne', name: 'Anne', partyId: 'telemark-fk', role: 'chair', term: { from: '2012-01-01' } });
  await mustPost(t, fo, '/boards/tm-board/members', { personId: 'nils', name: 'Nils', partyId: 'nav-telemark', role: 'member', term: { from: '2012-01-01' } });
  await mustPost(t, anne, '/boards/tm-board/proposals', { proposalId: 'b-2014', kind: 'budget', year: 2014, title: 'Budsjett 2014', content: { lines: [{ partyId: 'telemark-fk', moneyKind: 'operating-grant', amount: '2300000.00' }] }, tabledOn: '2014-01-02' });
  await mustPost(t, anne, '/boards/tm-board/proposals/b-2014/votes', { vote: 'for', castOn: '2014-01-03' });
  await mustPost(t, fo, '/centres/kc-tm/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-telemark' }] });
  await mustPost(t, fo, '/centres/kc-tm/co-locations', { from: '2014-01-01', premises: 'Skolen', sharedWith: [{ kind: 'upper-secondary-school', name: 'Skien vgs' }] });
  await mustPost(t, foVa, '/counties/vest-agder/county-line-decisions', { decisionId: 'cl-1', centreIds: ['kc-va'], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['g'] }, decidedOn: '2013-01-20' });
  await mustPost(t, fo, '/stimulus-grants', { applicationId: 'st-1', countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '100000.00', description: 'Utvikling', appliedOn: '2014-01-04' });
  await mustPost(t, vox, '/stimulus-grants/st-1/award', { amount: '80000.00' });
  await mustPost(t, vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
};

const recordPhaseB = async (t: TestApp, a: Actors): Promise<void> => {
  const { fo, foOst, foFin, vox, admin, anne, nils, foVa } = a;
  // corrections and reversals of money, a new entry, staff changes
  await mustPost(t, fo, '/centres/kc-tm/funding/entries/tm-drift-fk/correction', { reason: 'Feil beløp', amount: '2400000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/entries/tm-ear/reversal', { reason: 'Feilført' });
  await mustPost(t, fo, '/centres/kc-no/funding/earmarked-funds', { ...GRANT, entryId: 'no-ear', amount: '100000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
  await mustPost(t, fo, '/centres/kc-tm/staff-positions/tm-p1/changes', { effectiveFrom: '2013-07-01', fte: '0.5' });
  await mustPost(t, fo, '/centres/kc-tm/staff-positions/tm-p1/end', { endedOn: '2014-06-30' });
  // renames dated in the past (they change year answers about 2013 and the directory), a party rename, a closing
  await mustPost(t, fo, '/centres/kc-tm/rename', { name: 'Karriere Telemark', effectiveFrom: '2013-06-01' });
  await mustPost(t, fo, '/centres/kc-no/rename', { name: 'Karriere Notodden', effectiveFrom: '2014-03-01' });
  await mustPost(t, fo, '/parties/nav-telemark/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: '2013-01-01' });
  await mustPost(t, fo, '/centres/kc-no/close', { closedOn: '2014-09-01', reason: 'Nedlagt' });
  // agreements amended and ended
  await mustPost(t, fo, '/centres/kc-tm/owner-agreements/oa-1/amend', { effectiveFrom: '2013-01-01', parties: [{ partyId: 'telemark-fk', shareBp: 6000 }, { partyId: 'nav-telemark', shareBp: 4000 }], period: { from: '2009-01-01', to: null } });
  await mustPost(t, fo, '/counties/telemark/partnership-agreements/tm-p/amend', { effectiveFrom: '2014-01-01', parties: ['telemark-fk', 'nav-telemark'], period: { from: '2013-09-01', to: null } });
  await mustPost(t, fo, '/counties/telemark/coordinating-function/end', { holderPartyId: 'telemark-fk', endedOn: '2014-02-28' });
  // the board: the second vote, the close, a member leaves
  await mustPost(t, nils, '/boards/tm-board/proposals/b-2014/votes', { vote: 'for', castOn: '2014-01-12' });
  await mustPost(t, anne, '/boards/tm-board/proposals/b-2014/close', { closedOn: '2014-01-12', outcome: 'adopted' });
  await mustPost(t, fo, '/boards/tm-board/members/nils/end', { endedOn: '2014-12-31' });
  // co-location corrected and withdrawn, a second county-line decision
  await mustPost(t, fo, '/centres/kc-tm/co-locations/2013-01-01/correction', { premises: 'NAV-huset, Skien', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-telemark' }], reason: 'Adresse' });
  await mustPost(t, fo, '/centres/kc-tm/co-locations/2014-01-01/withdrawal', { reason: 'Ført med feil dato' });
  await mustPost(t, foVa, '/counties/vest-agder/county-line-decisions', { decisionId: 'cl-2', centreIds: ['kc-va'], kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['h'] }, decidedOn: '2014-01-20' });
  // evidence withdrawn, the allocation corrected, a new scheme year amended
  await mustPost(t, fo, '/centres/kc-tm/grant-evidence/cd-3/withdrawal', { reason: 'Feil målgruppe' });
  await mustPost(t, vox, '/grant-schemes/2014/allocation/corrections', { reason: 'Kompetanseutvikling trukket', overrides: [{ countyId: 'troms', eligible: true, reason: 'Dokumentert i tide' }] });
  await mustPost(t, vox, '/grant-schemes', { year: 2015, baseGrant: '1000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01' });
  await mustPost(t, vox, '/grant-schemes/2015/amendments', { baseGrant: '1200000.00', reason: 'Ny ramme' });
  // stimulus decisions corrected, a new application rejected
  await mustPost(t, vox, '/stimulus-grants/st-1/decision-correction', { outcome: 'awarded', amount: '90000.00', correctionReason: 'Skrivefeil' });
  await mustPost(t, foFin, '/stimulus-grants', { applicationId: 'st-2', countyId: 'finnmark', year: 2014, purpose: 'establish-centre', amountAsked: '500000.00', description: 'Etablering', appliedOn: '2014-05-01' });
  await mustPost(t, vox, '/stimulus-grants/st-2/rejection', { reason: 'Rammen er brukt opp' });
  // new items in the lists
  await mustPost(t, foOst, '/parties', { partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
  await mustPost(t, foOst, '/centres', { centreId: 'kc-new', countyId: 'ostfold', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg', openedOn: '2014-01-01' });
  await mustPost(t, foOst, '/boards', { boardId: 'ost-board', countyId: 'ostfold', centreIds: ['kc-new'], name: 'Styret i Østfold', establishedOn: '2014-02-01' });
  await mustPost(t, admin, '/counties', { countyId: 'svalbard', name: 'Svalbard', countyNumber: '21' });
};

/** Every read route that takes asOf, asked in several ways (filters, paging, formats, years, items that exist only later). */
const asOfAsks = (citedLink: string, firstEventId: string): Ask[] =>
  [
    '/counties', '/counties?limit=5', '/counties?limit=5&after=dGVsZW1hcms', '/counties/telemark', '/counties/svalbard',
    '/centres', '/centres?limit=1', '/centres/kc-tm', '/centres/kc-no', '/centres/kc-new',
    '/parties', '/parties?countyId=telemark', '/parties?kind=nav-county-office', '/parties/nav-telemark', '/parties/ostfold-fk',
    '/boards', '/boards?countyId=telemark', '/boards/tm-board', '/boards/tm-board?year=2014', '/boards/tm-board/proposals/b-2014', '/boards/ost-board',
    '/centres/kc-tm/governance?date=2014-01-15', '/centres/kc-tm/nav-link?date=2014-01-15', '/nav-links?date=2014-01-15', '/nav-links?date=2014-01-15&countyId=telemark', '/nav-links?date=2014-01-15&limit=1',
    '/centres/kc-tm/owner-agreements?date=2013-06-01', '/centres/kc-tm/owner-agreements/oa-1?date=2013-06-01', '/owner-agreements/oa-1?date=2013-06-01',
    '/counties/telemark/partnership?date=2014-03-01', '/partnerships?date=2014-03-01', '/partnerships?date=2014-03-01&limit=3',
    '/counties/vest-agder/county-line-decisions', '/centres/kc-tm/co-locations',
    '/centres/kc-tm/staff-positions', '/centres/kc-tm/staff-positions?year=2013', '/centres/kc-tm/staff-positions?year=2014',
    '/centres/kc-tm/funding-mix/2013', '/centres/kc-no/funding-mix/2013', '/counties/telemark/funding-mix/2013', '/funding-mix/2013', '/funding-mix/2014',
    '/key-figures/2013', '/key-figures/2013?format=csv', '/key-figures/2013?counties=telemark', '/key-figures/2013?counties=ostfold', '/key-figures/2013?counties=svalbard',
    '/owner-agreements/cost-share-compliance/2013', '/owner-agreements/cost-share-compliance/2013?countyId=telemark', '/owner-agreements/oa-1/cost-share-compliance/2013', '/centres/kc-tm/owner-agreements/oa-1/cost-share-compliance/2013',
    '/grant-criteria-sets', '/grant-schemes', '/grant-schemes/2014', '/grant-schemes/2015', '/grant-schemes/2014/allocation',
    '/grant-schemes/2014/eligibility', '/grant-schemes/2014/eligibility?detail=summary', '/grant-schemes/2015/eligibility', '/grant-schemes/2014/eligibility/telemark', '/counties/telemark/eligibility/2014', '/counties/telemark/eligibility/2014?detail=summary',
    '/centres/kc-tm/grant-evidence', '/stimulus-grants', '/stimulus-grants?status=awarded', '/stimulus-grants?year=2014&countyId=telemark', '/stimulus-grants/st-1', '/stimulus-grants/st-2', citedLink,
    '/reports/key-figures/2013/csv', '/reports/key-figures/2013/csv?county=telemark', '/reports/key-figures/2013/csv?county=svalbard', '/reports/funding-mix/2013/csv?county=telemark', '/reports/funding-mix/2013/csv?centre=kc-tm', '/reports/2013/xlsx', '/reports/2013/xlsx?centre=kc-tm',
    '/audit/streams/centre-kc-tm', '/audit/streams/centre-kc-tm?limit=1', '/audit/streams/centre-kc-tm?fromRevision=1&limit=1', '/audit/streams/centre-kc-new', `/audit/events/${firstEventId}`,
  ]
    .map((path): Ask => ({ path }))
    .concat([{ path: '/grant-schemes/2014/eligibility', accept: 'text/csv' }, { path: '/key-figures/2013', accept: 'text/csv' }]);

/** The three read routes that name their cut another way and refuse asOf (README); every other GET route must be asked above. */
const THREE_REFUSING_AS_OF = ['/audit/events', '/audit/digest', '/audit/verify'];

describe('as of the moment an answer was given: every read route answers it again, byte for byte', () => {
  const clock = steppingClock('2014-01-20T09:00:00.000Z', 1000);
  let t: TestApp;
  let a: Actors;
  let auditor: Auth;
  let asks: Ask[];
  /** The last instant of phase A (an event's recorded time) and the answers given then, at the head. */
  let M: string;
  let firstB: string;
  const captured = new Map<string, Answer>();
  /** Paged lists walked page by page at M (following each next link). */
  const WALKS = ['/centres?limit=1', '/parties?limit=1', '/counties?limit=7', '/nav-links?date=2014-01-15&limit=1', '/stimulus-grants?limit=1', '/boards?limit=1', '/grant-schemes?limit=1'];
  const walksAtM = new Map<string, { answer: Answer; rawLink: string | undefined }[]>();
  const walk = async (start: string): Promise<{ answer: Answer; rawLink: string | undefined }[]> => {
    const pages: { answer: Answer; rawLink: string | undefined }[] = [];
    let url: string | undefined = start;
    while (url && pages.length < 50) {
      const link: string | undefined = (await t.http().get(url).set(auditor)).headers.link;
      pages.push({ answer: await answerOf(t, auditor, { path: url }), rawLink: link });
      url = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
    }
    return pages;
  };
  const key = (ask: Ask) => `${ask.path}${ask.accept ? ` [Accept: ${ask.accept}]` : ''}`;

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    a = await actorsOf(t);
    auditor = await t.auth('auditor', [], 'revisor');
    await recordPhaseA(t, a);
    const log = await t.store.readAll({ maxCount: 10_000 });
    M = log[log.length - 1].recordedAt;
    const elig = await t.http().get('/counties/telemark/eligibility/2014').set(auditor);
    const cited = elig.body.events.find((e: any) => e.type === 'CompetenceDevelopmentRecorded') ?? elig.body.events[0];
    asks = asOfAsks(cited.readerLink, log[19].eventId);
    for (const ask of asks) captured.set(key(ask), await answerOf(t, auditor, ask));
    for (const start of WALKS) walksAtM.set(start, await walk(start));
    clock.advance(120 * 86_400_000); // June 2014
    await recordPhaseB(t, a);
    const after = await t.store.readAll({ after: log.length, maxCount: 1 });
    firstB = after[0].recordedAt;
  });
  afterAll(() => t?.close());

  it('the review asks every registered GET route that takes asOf (a new read route has to be added here)', () => {
    const patterns = [...new Set(registeredRoutes(t.app).filter((r) => r.method === 'GET').map((r) => r.url))].filter((u) => u !== '/health' && !u.startsWith('/docs'));
    const toRegex = (p: string) => new RegExp(`^${p.replace(/:[A-Za-z]+/g, '[^/?]+')}(\\?.*)?$`);
    const asked = [...asks.map((x) => x.path), '/audit/position-at?asOf=x'];
    const notAsked = patterns.filter((p) => !THREE_REFUSING_AS_OF.includes(p) && !asked.some((path) => toRegex(p).test(path)));
    expect(notAsked).toEqual([]);
  });

  it('phase B really changed what the routes answer at the head (the comparison below is not vacuous)', async () => {
    const changed: string[] = [];
    for (const ask of asks) {
      const now = await answerOf(t, auditor, ask);
      if (diffOf(key(ask), captured.get(key(ask))!, now) !== null) changed.push(key(ask));
    }
    // Unchanged by phase B, as they should be: the criteria sets (code), a board list, the 2014 scheme (allocated, so not
    // amendable), an Østfold column of 2013, and two single events (recorded facts never change).
    const unchanged = asks.map(key).filter((k) => !changed.includes(k));
    expect(unchanged.filter((k) => !k.startsWith('/audit/events/') && !k.startsWith('/grant-evidence/streams/'))).toEqual(['/boards?countyId=telemark', '/key-figures/2013?counties=ostfold', '/grant-criteria-sets', '/grant-schemes/2014']);
  });

  it('asOf = M (the recorded time of the last event before the capture) answers every route as it answered at M', async () => {
    const diffs: string[] = [];
    for (const ask of asks) {
      const d = diffOf(key(ask), captured.get(key(ask))!, await answerOf(t, auditor, ask, asOfQ(M)));
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
  });

  it('the same instant written with an offset (+01:00, +0100), with a fraction beyond the millisecond, and one ms before phase B all answer the same', async () => {
    const ms = Date.parse(M);
    const oslo = new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00');
    const compact = oslo.replace('+01:00', '+0100');
    const finer = M.replace('Z', '999Z'); // 12:00:00.123999Z is still within M's millisecond
    const justBeforeB = new Date(Date.parse(firstB) - 1).toISOString();
    const diffs: string[] = [];
    for (const instant of [oslo, compact, finer, justBeforeB]) {
      for (const ask of asks) {
        const d = diffOf(`${instant} ${key(ask)}`, captured.get(key(ask))!, await answerOf(t, auditor, ask, asOfQ(instant)));
        if (d) diffs.push(d);
      }
    }
    expect(diffs).toEqual([]);
  });

  it("a bare asOf date (M's day in Norway) means the end of that day there: the same answers as at M", async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(M));
    const diffs: string[] = [];
    for (const ask of asks) {
      const d = diffOf(`${day} ${key(ask)}`, captured.get(key(ask))!, await answerOf(t, auditor, ask, `asOf=${day}`));
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
  });
  it('an answer cached at the head is never served for an asOf question, nor an as-of answer for the head (GET, HEAD, gzip)', async () => {
    const cache = () => answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    const problems: string[] = [];
    for (const extra of [{}, { 'Accept-Encoding': 'gzip' }] as Record<string, string>[]) {
      for (const path of ['/key-figures/2013', '/centres', '/grant-schemes/2014/eligibility/telemark', '/boards/tm-board', '/stimulus-grants/st-1', '/centres/kc-tm/co-locations']) {
        const label = `${path} ${JSON.stringify(extra)}`;
        const head = await answerOf(t, auditor, { path }, undefined, extra);
        const hits = cache().rawHits;
        const headAgain = await answerOf(t, auditor, { path }, undefined, extra);
        if (cache().rawHits !== hits + 1) problems.push(`${label}: the head answer was not served from the cache (the check would prove nothing)`);
        for (let i = 0; i < 2; i++) {
          const d = diffOf(`${label} asOf=M #${i + 1}`, captured.get(path)!, await answerOf(t, auditor, { path }, asOfQ(M), extra));
          if (d) problems.push(d);
        }
        const d = diffOf(`${label} head after the as-of questions`, head, await answerOf(t, auditor, { path }, undefined, extra));
        if (d) problems.push(d);
        if (diffOf('', head, headAgain)) problems.push(`${label}: a cache hit differs from the computed answer`);
        const headReq = await t.http().head(withQuery(path, asOfQ(M))).set(auditor).set(extra);
        if (headReq.status !== 200 || headReq.headers.etag !== captured.get(path)!.etag) problems.push(`${label}: HEAD asOf=M answered ${headReq.status} ${headReq.headers.etag}, GET at M had ${captured.get(path)!.etag}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the ETag an auditor kept at M still validates the as-of-M answer after later writes (304), but not the head answer, which changed (200)', async () => {
    const problems: string[] = [];
    for (const ask of asks.filter((x) => captured.get(key(x))!.status === 200)) {
      const then = captured.get(key(ask))!;
      const headers: Record<string, string> = { 'If-None-Match': then.etag!, ...(ask.accept ? { Accept: ask.accept } : {}) };
      const asOf = await t.http().get(withQuery(ask.path, asOfQ(M))).set(auditor).set(headers);
      if (asOf.status !== 304) problems.push(`${key(ask)} asOf=M If-None-Match=<etag at M> → ${asOf.status}`);
      const now = await answerOf(t, auditor, ask);
      const head = await t.http().get(ask.path).set(auditor).set(headers);
      const expected = now.etag === then.etag ? 304 : 200;
      if (head.status !== expected) problems.push(`${key(ask)} head If-None-Match=<etag at M> → ${head.status}, expected ${expected}`);
    }
    expect(problems).toEqual([]);
  });

  it('paging as of M walks the list as it was at M (pages, X-Total-Count, next links keeping asOf); a cursor naming an item recorded later is 400 REQUEST.BAD_CURSOR', async () => {
    const problems: string[] = [];
    for (const [start, pagesThen] of walksAtM) {
      const pagesNow = await walk(withQuery(start, asOfQ(M)));
      for (const link of pagesNow.map((p) => p.rawLink).filter((l): l is string => l !== undefined)) if (!link.includes(asOfQ(M))) problems.push(`${start}: next link without asOf: ${link}`);
      if (pagesNow.length !== pagesThen.length) problems.push(`${start}: ${pagesThen.length} pages at M, ${pagesNow.length} as of M`);
      pagesThen.forEach((p, i) => {
        const d = pagesNow[i] ? diffOf(`${start} page ${i + 1}`, p.answer, pagesNow[i].answer) : `${start} page ${i + 1} missing`;
        if (d) problems.push(d);
      });
    }
    expect(problems).toEqual([]);
    const later = await t.http().get(`/centres?${asOfQ(M)}&limit=1&after=${Buffer.from('kc-new').toString('base64url')}`).set(auditor);
    expect([later.status, later.body.code]).toEqual([400, 'REQUEST.BAD_CURSOR']);
    const laterParty = await t.http().get(`/parties?${asOfQ(M)}&limit=1&after=${Buffer.from('ostfold-fk').toString('base64url')}`).set(auditor);
    expect([laterParty.status, laterParty.body.code]).toEqual([400, 'REQUEST.BAD_CURSOR']);
  });

  it('eligibility by atPosition (the position M names) and by asOf = M give the answers given at M, JSON and CSV', async () => {
    const position = (await t.http().get(`/audit/position-at?${asOfQ(M)}`).set(auditor)).body.position;
    expect(position).toBe((await t.store.readAll({ maxCount: 10_000 })).findIndex((e) => e.recordedAt > M));
    const diffs: string[] = [];
    for (const ask of asks.filter((x) => /eligibility/.test(x.path))) {
      const d = diffOf(`${key(ask)} atPosition=${position}`, captured.get(key(ask))!, await answerOf(t, auditor, ask, `atPosition=${position}`));
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
  });

  it('as of M, every event an eligibility answer cites is readable as of M (readerLink and the auditor\'s link); an event recorded after M is 404 EVENT.NOT_FOUND on both', async () => {
    const elig = await t.http().get(`/grant-schemes/2014/eligibility?${asOfQ(M)}`).set(auditor);
    const events = elig.body.counties.flatMap((c: any) => c.events);
    expect(events.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const e of events) {
      const reader = await t.http().get(withQuery(e.readerLink, asOfQ(M))).set(auditor);
      if (reader.status !== 200 || reader.body.position !== e.position) problems.push(`${e.readerLink} as of M → ${reader.status}`);
      const audit = await t.http().get(withQuery(e.link, asOfQ(M))).set(auditor);
      if (audit.status !== 200 || audit.body.position !== e.position) problems.push(`${e.link} as of M → ${audit.status}`);
    }
    expect(problems).toEqual([]);
    const [withdrawal] = (await t.http().get('/audit/events?type=GrantEvidenceWithdrawn').set(auditor)).body.events;
    const readerLink = `/grant-evidence/streams/${encodeURIComponent(withdrawal.streamId)}/revisions/${withdrawal.revision}`;
    expect((await t.http().get(readerLink).set(auditor)).status).toBe(200);
    for (const url of [withQuery(readerLink, asOfQ(M)), `/audit/events/${withdrawal.eventId}?${asOfQ(M)}`]) {
      const res = await t.http().get(url).set(auditor);
      expect([url, res.status, res.body.code]).toEqual([url, 404, 'EVENT.NOT_FOUND']);
    }
  });

  it("asOf exactly at an event's recorded time includes it, one millisecond before does not; a correction (two events in one millisecond) is all or nothing", async () => {
    const log = await t.store.readAll({ maxCount: 10_000 });
    const firstAfterM = log.findIndex((e) => e.recordedAt > M);
    const correction = log[firstAfterM];
    expect(correction.data).toMatchObject({ centreId: 'kc-tm' });
    const sameMs = log.filter((e) => e.recordedAt === correction.recordedAt);
    expect(sameMs.length).toBeGreaterThanOrEqual(2);
    const R = correction.recordedAt;
    const summer = new Date(Date.parse(R) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const before = new Date(Date.parse(R) - 1).toISOString();
    const path = '/centres/kc-tm/funding-mix/2013';
    const at = await answerOf(t, auditor, { path }, asOfQ(R));
    expect(at.body).toContain('2400000.00');
    expect(at.body).not.toContain('2363000.00');
    expect(diffOf('+02:00', at, await answerOf(t, auditor, { path }, asOfQ(summer)))).toBeNull();
    expect(diffOf('1 ms before', captured.get(path)!, await answerOf(t, auditor, { path }, asOfQ(before)))).toBeNull();
    expect((await t.http().get(`/audit/position-at?${asOfQ(R)}`).set(auditor)).body.position).toBe(sameMs[sameMs.length - 1].position);
    expect((await t.http().get(`/audit/position-at?${asOfQ(before)}`).set(auditor)).body.position).toBe(firstAfterM);
  });

  it('as of before the first event, every route answers an empty ledger (empty lists, 404 with its code), never a later fact', async () => {
    const before = '2014-01-20T09:00:00.000Z';
    expect((await t.store.readAll({ maxCount: 1 }))[0].recordedAt > before).toBe(true);
    const problems: string[] = [];
    for (const ask of asks) {
      const res = await answerOf(t, auditor, ask, asOfQ(before));
      // (facts of the ledger, not the ids the request itself names)
      const leaks = ['Karrieresenter', 'Telemark fylkeskommune', 'NAV Telemark', 'Styret', 'Utvikling', '2363000'].filter((s) => res.body.includes(s));
      if (res.status === 404 && /"code":"[A-Z_]+\.NOT_FOUND"/.test(res.body)) continue;
      // a cursor naming a county that was not registered yet names no item of the list
      if (ask.path.includes('after=') && res.status === 400 && res.body.includes('REQUEST.BAD_CURSOR')) continue;
      if (res.status !== 200 || (leaks.length && ask.path !== '/grant-criteria-sets')) problems.push(`${key(ask)} → ${res.status} ${leaks.join(',')} ${res.body.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  });

  it('a malformed asOf is 400 REQUEST.BAD_AS_OF on every route that takes it (position-at too), never answered', async () => {
    const BAD = ['yesterday', 'now', '2014-02-30', '2014-13-01', '2014-05-09T10:00:00', '2014-05-09T24:00:00Z', '2014-05-09T10:00:60Z', '2014-05-09 10:00:00Z', '2014-05-09T10:00:00+2:00', '2014-05-09T10:00:00+25:00', '', '1400000000000', '2014-5-9', '+002014-05-09T10:00:00Z'];
    const problems: string[] = [];
    for (const path of [...new Set(asks.map((x) => x.path)), '/audit/position-at']) {
      const queries = BAD.map((b) => asOfQ(b));
      for (const q of queries) {
        const res = await t.http().get(withQuery(path, q)).set(auditor);
        if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_AS_OF') problems.push(`${path}?${q} → ${res.status} ${res.body.code ?? ''}`);
      }
      // A '+' not percent-encoded reads as a space: refused, not read as another instant.
      const raw = await rawGet(t.app.getHttpServer(), withQuery(path, 'asOf=2014-01-20T10:00:00+01:00'), auditor);
      if (raw.statusCode !== 400 || !raw.body.includes('REQUEST.BAD_AS_OF')) problems.push(`${path}?asOf=…+01:00 (unencoded) → ${raw.statusCode}`);
    }
    expect(problems).toEqual([]);
  });

  it('asOf given twice (the same instant, or two instants) is 400 REQUEST.BAD_AS_OF on every route that takes asOf, one code for one mistake', async () => {
    const problems: string[] = [];
    for (const path of [...new Set(asks.map((x) => x.path)), '/audit/position-at']) {
      for (const q of [`${asOfQ(M)}&${asOfQ(M)}`, `${asOfQ(M)}&asOf=2014-01-01`]) {
        const res = await t.http().get(withQuery(path, q)).set(auditor);
        if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_AS_OF') problems.push(`${path} (asOf twice) → ${res.status} ${res.body.code ?? ''}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('a misspelt asOf (asof, AsOf, as_of, as-of, asOf[]) or atPosition is 400 REQUEST.BAD_AS_OF naming the right spelling, not answered at the head; other unknown parameters stay tolerated', async () => {
    const answered: string[] = [];
    const paths = ['/key-figures/2013', '/centres', '/centres/kc-tm', '/grant-schemes/2014/eligibility/telemark', '/boards/tm-board', '/stimulus-grants', '/centres/kc-tm/funding-mix/2013', '/reports/key-figures/2013/csv', '/audit/streams/centre-kc-tm', '/audit/position-at?asOf=2014-01-01', '/audit/events'];
    for (const path of paths) {
      for (const [name, meant] of [['asof', 'asOf'], ['AsOf', 'asOf'], ['as_of', 'asOf'], ['as-of', 'asOf'], ['asOf[]', 'asOf'], ['AS-OF', 'asOf'], ['atposition', 'atPosition'], ['at_position', 'atPosition']]) {
        const res = await t.http().get(withQuery(path, `${name}=${encodeURIComponent(M)}`)).set(auditor);
        if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_AS_OF' || !res.body.message.includes(`did you mean ${meant}?`) || res.body.details?.didYouMean !== meant) {
          answered.push(`${path}?${name}= → ${res.status} ${res.body.code ?? ''} ${res.body.message ?? ''}`);
        }
      }
    }
    expect(answered).toEqual([]);
    // A cache buster (or any other unknown name) is no cut: answered as before.
    for (const path of ['/key-figures/2013', '/centres', '/boards/tm-board', '/grant-schemes/2014/eligibility/telemark']) {
      expect([path, (await t.http().get(withQuery(path, '_=1700000000000&asOfX=1')).set(auditor)).status]).toEqual([path, 200]);
    }
  });

  it('an asOf after the last event answers the head; once more is recorded the same URL answers the new head, not an answer kept from before', async () => {
    const future = '2099-12-31T23:59:59Z';
    const paths = ['/centres', '/key-figures/2013', '/grant-schemes/2014/eligibility/telemark', '/boards', '/stimulus-grants'];
    for (const path of paths) expect([path, (await answerOf(t, auditor, { path }, asOfQ(future))).body]).toEqual([path, (await answerOf(t, auditor, { path })).body]);
    const before = await answerOf(t, auditor, { path: '/centres' }, asOfQ(future));
    await mustPost(t, a.foOst, '/centres', { centreId: 'kc-late', countyId: 'ostfold', name: 'Karrieresenter Halden', municipality: 'Halden', openedOn: '2014-01-01' });
    const after = await answerOf(t, auditor, { path: '/centres' }, asOfQ(future));
    expect(after.body).toContain('kc-late');
    expect(after.etag).not.toBe(before.etag);
    expect(after.body).toBe((await answerOf(t, auditor, { path: '/centres' })).body);
    const head = await t.store.headPosition();
    expect((await t.http().get(`/audit/position-at?${asOfQ(future)}`).set(auditor)).body.position).toBe(head);
  });

  it('an as-of answer computed while a later write is folded still shows the ledger as of its instant (asOf at the head, a party renamed meanwhile)', async () => {
    const head = await t.store.headPosition();
    const [last] = await t.store.readAll({ after: head - 1, maxCount: 1 });
    const Mnow = last.recordedAt;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let gated = false;
    const readStream = t.store.readStream.bind(t.store);
    const spy = jest.spyOn(t.store, 'readStream').mockImplementation(async (streamId, options) => {
      if (!gated && streamId.includes('tm-board')) {
        gated = true;
        await gate;
      }
      return readStream(streamId, options);
    });
    try {
      const pending = t.http().get(`/boards/tm-board?${asOfQ(Mnow)}`).set(auditor).then((r) => r);
      for (let i = 0; i < 200 && !gated; i++) await new Promise((r) => setTimeout(r, 5));
      expect(gated).toBe(true);
      // Recorded after Mnow: a rename of the party Nils represents, from before his term began.
      const renamed = await mustPost(t, a.fo, '/parties/nav-telemark/rename', { name: 'NAV Grenland', effectiveFrom: '2011-01-01' });
      expect((await t.http().get('/parties/nav-telemark').set(auditor).set('X-Ledger-Position', String(renamed.position))).status).toBe(200);
      release();
      const during = await pending;
      spy.mockRestore();
      const after = await t.http().get(`/boards/tm-board?${asOfQ(Mnow)}`).set(auditor);
      expect(after.text).not.toContain('NAV Grenland');
      expect(during.text).toBe(after.text);
    } finally {
      release();
      spy.mockRestore();
    }
  });

});

// ---------------------------------------------------------------------------------------------
// "Today" in an as-of answer. The directory names a centre (and a party) by the name in force
// today, with the rename still to come; the governance routes default ?date= to today. Asked as of
// an earlier instant, "today" must be the day of that instant in Norway: README, "A route with asOf
// answers exactly as the ledger would have then". Otherwise the same as-of question gets another
// answer after midnight, although nothing was recorded.
// ---------------------------------------------------------------------------------------------

const osloDay = (ms: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));

describe('"today" in answers as of an earlier instant is that instant\'s day in Norway, not the day the question is asked', () => {
  let t: TestApp;
  let auditor: Auth;
  let d0: string;
  let d1: string;
  let M: string;
  const captured = new Map<string, Answer>();
  const DIRECTORY = ['/centres/kc-x', '/counties/telemark', '/centres'];
  const PARTIES = ['/parties/nav-t', '/parties?countyId=telemark'];
  const EVIDENCE = ['/centres/kc-x/grant-evidence'];
  const AGREEMENTS = ['/centres/kc-x/owner-agreements', '/centres/kc-x/owner-agreements/oa-x', '/owner-agreements/oa-x'];
  const GOVERNANCE = ['/centres/kc-x/governance', '/centres/kc-x/nav-link', '/nav-links', '/counties/telemark/partnership', '/partnerships'];
  const ALL = [...DIRECTORY, ...PARTIES, ...EVIDENCE, ...AGREEMENTS, ...GOVERNANCE];

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    auditor = await t.auth('auditor', [], 'revisor-today');
    const fo = await t.auth('finance-officer', ['telemark'], 'fo-today');
    d0 = osloDay(Date.now());
    d1 = addDays(d0, 1);
    await mustPost(t, fo, '/parties', { partyId: 'tf-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await mustPost(t, fo, '/parties', { partyId: 'nav-t', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await mustPost(t, fo, '/centres', { centreId: 'kc-x', countyId: 'telemark', name: 'Karrieresenter X', municipality: 'Skien', openedOn: '2010-01-01' });
    // Recorded today, in force from tomorrow (Norway): today the directory shows the old name and the rename to come.
    await mustPost(t, fo, '/centres/kc-x/rename', { name: 'Karriere X', effectiveFrom: d1 });
    await mustPost(t, fo, '/parties/nav-t/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: d1 });
    // In force up to and including today.
    await mustPost(t, fo, '/centres/kc-x/owner-agreements', { agreementId: 'oa-x', parties: [{ partyId: 'tf-fk', shareBp: 5000 }, { partyId: 'nav-t', shareBp: 5000 }], period: { from: '2009-01-01', to: d0 }, signedOn: '2009-01-01' });
    await mustPost(t, fo, '/counties/telemark/partnership-agreements', { partnershipId: 'tp-x', parties: ['tf-fk', 'nav-t'], signedOn: '2013-01-01', period: { from: '2013-01-01', to: d0 } });
    await mustPost(t, fo, '/counties/telemark/coordinating-function', { holderPartyId: 'tf-fk', description: 'Koordinerer', from: '2013-01-01', to: d0 });
    await mustPost(t, fo, '/centres/kc-x/grant-evidence/service-declarations', { declarationId: 'decl-x', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
    for (const path of ALL) captured.set(path, await answerOf(t, auditor, { path }));
    M = new Date().toISOString();
    if (osloDay(Date.parse(M)) !== d0) throw new Error('the Norwegian day changed while the answers were captured; run again');
  });
  afterAll(() => t?.close());

  /** Asks each path as of M with the clock one hour after the next midnight in Norway (nothing recorded since). */
  const diffsAfterMidnight = async (paths: string[]): Promise<string[]> => {
    fakeDateOnly(osloMidnight(d1) + 3_600_000);
    try {
      const diffs: string[] = [];
      for (const path of paths) {
        for (const instant of [M, d0]) {
          const d = diffOf(`${path} asOf=${instant}`, captured.get(path)!, await answerOf(t, auditor, { path }, asOfQ(instant)));
          if (d) diffs.push(d);
        }
      }
      return diffs;
    } finally {
      jest.useRealTimers();
    }
  };

  it('on the same day, asOf = M answers every "today" route exactly as it answered at M (what the cases below start from)', async () => {
    const diffs: string[] = [];
    for (const path of ALL) {
      const d = diffOf(path, captured.get(path)!, await answerOf(t, auditor, { path }, asOfQ(M)));
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
    expect(JSON.parse(captured.get('/centres/kc-x')!.body)).toMatchObject({ name: 'Karrieresenter X', upcomingRename: { name: 'Karriere X', effectiveFrom: d1 } });
  });

  it('the centre directory as of M, asked after midnight: the name in force at M and the rename then still to come', async () => {
    expect(await diffsAfterMidnight(DIRECTORY)).toEqual([]);
  });

  it('the party directory as of M, asked after midnight: the party name in force at M', async () => {
    expect(await diffsAfterMidnight(PARTIES)).toEqual([]);
  });

  it("a centre's grant evidence as of M, asked after midnight: the centre under the name it had at M", async () => {
    expect(await diffsAfterMidnight(EVIDENCE)).toEqual([]);
  });

  it('owner agreements as of M with ?date= left out, asked after midnight: the terms in force on M\'s day', async () => {
    expect(await diffsAfterMidnight(AGREEMENTS)).toEqual([]);
  });

  it('governance, NAV link and partnership answers as of M with ?date= left out, asked after midnight: answered on M\'s day', async () => {
    expect(await diffsAfterMidnight(GOVERNANCE)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Writes in one millisecond: an instant names all of them (README: "asOf names an instant, and a
// later write in the same millisecond would be in it"); only atPosition (eligibility) can name the
// answer given between them.
// ---------------------------------------------------------------------------------------------

describe('two writes recorded in the same millisecond', () => {
  let t: TestApp;
  let auditor: Auth;
  let now = Date.parse('2014-02-10T08:00:00.000Z');
  const T1 = '2014-02-10T10:00:00.000Z';
  let p1: number;
  let p2: number;
  const captured = new Map<string, Answer>();
  const PATHS = ['/counties/telemark/eligibility/2014', '/grant-schemes/2014/eligibility?detail=summary', '/centres/kc-ms/grant-evidence'];

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => new Date((now += 1))) });
    auditor = await t.auth('auditor', [], 'revisor-ms');
    await seedCounties(t);
    const fo = await t.auth('finance-officer', ['telemark'], 'fo-ms');
    await mustPost(t, fo, '/parties', { partyId: 'ms-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await mustPost(t, fo, '/centres', { centreId: 'kc-ms', countyId: 'telemark', name: 'Karrieresenter MS', municipality: 'Skien', openedOn: '2009-01-01' });
    await mustPost(t, await t.auth('vox', [], 'vox-ms'), '/grant-schemes', { year: 2014, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    const cd = (id: string, group: string) => ({ activityId: id, deliveredOn: '2013-05-15', kind: 'course', targetGroups: [group], participants: 5, description: `Kurs ${id}` });
    now = Date.parse(T1) - 1; // the next two writes are both recorded at T1
    p1 = (await mustPost(t, fo, '/centres/kc-ms/grant-evidence/competence-development', cd('cd-a', 'nav-staff'))).position;
    now = Date.parse(T1) - 1;
    for (const path of PATHS) captured.set(path, await answerOf(t, auditor, { path }));
    p2 = (await mustPost(t, fo, '/centres/kc-ms/grant-evidence/competence-development', cd('cd-b', 'upper-secondary-counsellors'))).position;
    await mustPost(t, fo, '/centres/kc-ms/grant-evidence/competence-development', cd('cd-c', 'primary-lower-secondary-counsellors'));
  });
  afterAll(() => t?.close());

  it('asOf = that millisecond names both writes (position-at: the later); atPosition = the first reproduces the eligibility answered between them', async () => {
    const log = await t.store.readAll({ maxCount: 10_000 });
    expect([log[p1 - 1].recordedAt, log[p2 - 1].recordedAt, p2]).toEqual([T1, T1, p1 + 1]);
    expect((await t.http().get(`/audit/position-at?${asOfQ(T1)}`).set(auditor)).body.position).toBe(p2);
    for (const path of PATHS.slice(0, 2)) {
      expect(diffOf(`${path} atPosition=${p1}`, captured.get(path)!, await answerOf(t, auditor, { path }, `atPosition=${p1}`))).toBeNull();
      const asOf = await answerOf(t, auditor, { path }, asOfQ(T1));
      expect(asOf.body.startsWith(`{"asOfPosition":${p2},`)).toBe(true);
      expect(asOf.body === captured.get(path)!.body).toBe(false);
      expect(diffOf('asOf = atPosition p2', await answerOf(t, auditor, { path }, `atPosition=${p2}`), asOf)).toBeNull();
      const before = await answerOf(t, auditor, { path }, asOfQ('2014-02-10T09:59:59.999Z'));
      expect(before.body.startsWith(`{"asOfPosition":${p1 - 1},`)).toBe(true);
    }
    // The evidence list has no atPosition: the answer given between the two writes cannot be asked for again.
    expect((await answerOf(t, auditor, { path: PATHS[2] }, asOfQ(T1))).body.includes('cd-b')).toBe(true);
    expect(captured.get(PATHS[2])!.body.includes('cd-a')).toBe(true);
    expect(captured.get(PATHS[2])!.body.includes('cd-b')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The same questions on the SQLite store, after a restart from the stored checkpoint, and the
// CLI's check of the digest an auditor kept at M.
// ---------------------------------------------------------------------------------------------

describe('SQLite, after a restart: every route as of M answers as at M, and `ledger verify` proves the digest kept at M', () => {
  const { run, freshLedger } = cliHarness('as-of-review-');
  const clock = steppingClock('2014-01-20T09:00:00.000Z', 1000);
  let path: string;
  let t: TestApp;
  let auditor: Auth;
  let asks: Ask[];
  let M: string;
  let digestAtM: { position: number; digest: string };
  const captured = new Map<string, Answer>();
  const key = (ask: Ask) => `${ask.path}${ask.accept ? ` [Accept: ${ask.accept}]` : ''}`;
  const sqliteApp = () => startTestApp({ store: new SqliteEventStore({ path, clock: () => (clock.tick(), clock.clock()) }), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });

  beforeAll(async () => {
    path = freshLedger('sqlite');
    t = await sqliteApp();
    const a = await actorsOf(t);
    auditor = await t.auth('auditor', [], 'revisor');
    await recordPhaseA(t, a);
    const log = await t.store.readAll({ maxCount: 10_000 });
    M = log[log.length - 1].recordedAt;
    const elig = await t.http().get('/counties/telemark/eligibility/2014').set(auditor);
    asks = asOfAsks(elig.body.events[0].readerLink, log[19].eventId);
    for (const ask of asks) captured.set(key(ask), await answerOf(t, auditor, ask));
    const d = (await t.http().get('/audit/digest').set(auditor)).body;
    digestAtM = { position: d.position, digest: d.digest };
    clock.advance(120 * 86_400_000);
    await recordPhaseB(t, a);
    await t.close();
    t = await sqliteApp();
    auditor = await t.auth('auditor', [], 'revisor');
  });
  afterAll(() => t?.close());

  it('asOf = M and the bare date of M answer every route exactly as at M', async () => {
    const day = osloDay(Date.parse(M));
    const diffs: string[] = [];
    for (const instant of [M, day]) {
      for (const ask of asks) {
        const d = diffOf(`${instant} ${key(ask)}`, captured.get(key(ask))!, await answerOf(t, auditor, ask, asOfQ(instant)));
        if (d) diffs.push(d);
      }
    }
    expect(diffs).toEqual([]);
  });

  it('position-at M names the position of the digest taken at M; the digest there is the same, and `ledger verify --digest --position` says so (exit 0)', async () => {
    expect((await t.http().get(`/audit/position-at?${asOfQ(M)}`).set(auditor)).body.position).toBe(digestAtM.position);
    expect((await t.http().get(`/audit/digest?position=${digestAtM.position}`).set(auditor)).body.digest).toBe(digestAtM.digest);
    const { verifyCommand } = await import('../../apps/cli/src/commands/verify');
    expect(await run(verifyCommand, ['verify', '--digest', digestAtM.digest, '--position', String(digestAtM.position)])).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Past the funding view's history-snapshot cadence (every 5,000 positions), where an as-of answer
// starts from a stored snapshot, reads only the parts it needs and puts off the changes to years
// nobody has read yet. Questions about different years at different instants, interleaved, must
// each give what a ledger holding only the log up to that instant answers.
// ---------------------------------------------------------------------------------------------

/** A copy of `events` in a new memory store: each appended alone, in order, at its own recorded time. */
const storeOf = async (events: readonly { streamId: string; eventId: string; type: string; data: unknown; schemaVersion: number; metadata: any; recordedAt: string }[]): Promise<MemoryEventStore> => {
  let now = new Date(0);
  const copy = new MemoryEventStore(() => now);
  for (const e of events) {
    now = new Date(e.recordedAt);
    await copy.append(e.streamId, [{ eventId: e.eventId, type: e.type, data: e.data as any, schemaVersion: e.schemaVersion, metadata: e.metadata }], 'any');
  }
  return copy;
};

describe('a ledger of 12,500 events (funding history snapshots at 5,000 and 10,000): interleaved as-of questions about different years', () => {
  const clock = steppingClock('2013-01-01T08:00:00.000Z', 1000);
  let t: TestApp;
  let auditor: Auth;
  let log: any[] = [];
  const CUTS = [4_999, 5_000, 5_001, 7_777, 10_000, 11_111];
  const reference = new Map<string, Answer>();
  let centreId = '';
  let routes: string[] = [];

  beforeAll(async () => {
    const store = new MemoryEventStore(() => (clock.tick(), clock.clock()));
    await fillLedger(store, 20140509, 12_500);
    for (let after = 0; ; ) {
      const page = await store.readAll({ after, maxCount: 10_000 });
      if (page.length === 0) break;
      log.push(...page);
      after = page[page.length - 1].position;
    }
    centreId = (log.find((e) => e.type === 'CentreRegistered' && e.position > 100) as any).data.centreId;
    routes = ['/funding-mix/2012', '/funding-mix/2013', '/funding-mix/2014', '/key-figures/2012', '/key-figures/2013', '/key-figures/2014', '/key-figures/2013?format=csv', '/counties/telemark/funding-mix/2013', `/centres/${centreId}/funding-mix/2014`, '/reports/funding-mix/2012/csv?county=troms', '/centres'];
    for (const cut of CUTS) {
      // Asked at the instant of position N (the clock then): what the ledger answered then, its "today" (the
      // directory's names in force) included; as of a past moment, "today" is that moment's day (README).
      const ref = await startTestApp({ store: await storeOf(log.slice(0, cut)) });
      fakeDateOnly(Date.parse(log[cut - 1].recordedAt));
      try {
        const refAuditor = await ref.auth('auditor', [], 'revisor');
        for (const path of routes) reference.set(`${cut} ${path}`, await answerOf(ref, refAuditor, { path }));
      } finally {
        jest.useRealTimers();
        await ref.close();
      }
    }
    t = await startTestApp({ store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    auditor = await t.auth('auditor', [], 'revisor');
  }, 120_000);
  afterAll(() => t?.close());

  it('each answer as of the instant of position N equals the head answer of a ledger holding only positions 1..N, whatever was asked before it', async () => {
    expect(log).toHaveLength(12_500);
    // The funding view's history snapshots this is about (the engine keeps one every 5,000 positions).
    const engine = t.app.get(ProjectionEngine) as any;
    const funding = engine.projections.find((p: any) => p.name === 'funding');
    expect([5_000, 7_777, 11_111].map((at) => engine.snapshots.positionAtOrBefore('history:funding', funding.version, at))).toEqual([5_000, 5_000, 10_000]);
    const order: [number, string][] = [];
    // route by route across the cuts, then cut by cut across the routes backwards: every switch of year and of instant
    for (const path of routes) for (const cut of CUTS) order.push([cut, path]);
    for (const cut of [...CUTS].reverse()) for (const path of [...routes].reverse()) order.push([cut, path]);
    const diffs: string[] = [];
    for (const [cut, path] of order) {
      const d = diffOf(`${cut} ${path}`, reference.get(`${cut} ${path}`)!, await answerOf(t, auditor, { path }, asOfQ(log[cut - 1].recordedAt)));
      if (d) diffs.push(d);
    }
    expect(diffs).toEqual([]);
  });
});
