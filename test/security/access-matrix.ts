import { Role } from '../../libs/domain/src/shared';
import { Built, Variant, World } from './world';

/**
 * THE access matrix: one entry per route the server answers. For each route: the roles that may
 * call it, whether it is county-scoped (a finance officer acts only for the county in the token;
 * a board member only on a board they sit on), the success status, and how to build a valid
 * request against an object of the finance officer's own county or of another county.
 * `access-matrix.e2e-spec.ts` fails when the app has a route without an entry here.
 */

export type Scope = 'county' | 'board' | 'none';

export interface RouteSpec {
  /** 'public': no token needed. */
  roles: Role[] | 'public';
  scope: Scope;
  /** The status a permitted, valid request answers. */
  ok: number;
  build: (w: World, v: Variant, role: Role) => Promise<Built>;
  /** Routes that write (the hostile-input run mutates their bodies). */
  write?: boolean;
}

const READERS: Role[] = ['finance-officer', 'board-member', 'vox', 'auditor', 'admin'];
const FINANCE: Role[] = ['finance-officer', 'admin'];
const MEMBERS: Role[] = ['board-member', 'admin'];
const AUDITORS: Role[] = ['auditor', 'admin'];
const VOX: Role[] = ['vox'];

const get = (path: string): Built => ({ method: 'GET', path });
const post = (path: string, body: object, extra: Partial<Built> = {}): Built => ({ method: 'POST', path, body, ...extra });
const read = (build: (w: World, v: Variant) => Promise<string> | string, roles: Role[] = READERS): RouteSpec => ({ roles, scope: 'none', ok: 200, build: async (w, v) => get(await build(w, v)) });
const write = (ok: number, build: RouteSpec['build'], roles: Role[] = FINANCE, scope: Scope = 'county'): RouteSpec => ({ roles, scope, ok, build, write: true });
const docs: RouteSpec = { roles: 'public', scope: 'none', ok: 200, build: async () => get('/docs') };

/** The expected status of a request: the one rule the matrix states. */
export const expectedStatus = (spec: RouteSpec, role: Role | null, v: Variant): number => {
  if (spec.roles === 'public') return spec.ok;
  if (role === null) return 401;
  if (!spec.roles.includes(role)) return 403;
  if (v === 'other' && role !== 'admin' && spec.scope === 'county' && role === 'finance-officer') return 403;
  if (v === 'other' && role !== 'admin' && spec.scope === 'board' && role === 'board-member') return 403;
  return spec.ok;
};

export const ACCESS_MATRIX: Record<string, RouteSpec> = {
  // API documentation and health: public.
  'GET /docs': docs,
  'GET /docs/': { ...docs, build: async () => get('/docs/') },
  'GET /docs/index.html': { ...docs, build: async () => get('/docs/index.html') },
  'GET /docs/swagger-ui-init.js': { ...docs, build: async () => get('/docs/swagger-ui-init.js') },
  'GET /docs/docs/swagger-ui-init.js': { ...docs, build: async () => get('/docs/docs/swagger-ui-init.js') },
  // Registered by the API docs, but the file is not shipped: answers 404 to everyone.
  'GET /docs/LICENSE': { ...docs, ok: 404, build: async () => get('/docs/LICENSE') },
  'GET /docs/*': { ...docs, build: async () => get('/docs/swagger-ui.css') },
  'GET /docs-json': { ...docs, build: async () => get('/docs-json') },
  'GET /docs-yaml': { ...docs, build: async () => get('/docs-yaml') },
  'GET /health': { ...docs, build: async () => get('/health') },

  // Counties and centres.
  'POST /counties': write(201, async (w) => post('/counties', { countyId: w.id('county'), name: 'Nytt fylke', countyNumber: w.freshCountyNumber() }), ['admin'], 'none'),
  'GET /counties': read(() => '/counties'),
  'GET /counties/:countyId': read((w, v) => `/counties/${w.county(v)}`),
  'POST /centres': write(201, async (w, v) => {
    const centreId = w.id('kc-new');
    // Names differ per request: a name is taken once per county among centres open at the same time (CENTRE.NAME_TAKEN).
    return post('/centres', { centreId, countyId: w.county(v), name: `Nytt senter ${centreId}`, municipality: 'Sentrum', openedOn: '2012-01-01' });
  }),
  'GET /centres': read(() => '/centres'),
  'GET /centres/:centreId': read((w, v) => `/centres/${w.centres[v]}`),
  'POST /centres/:centreId/rename': write(200, async (w, v) => {
    const centreId = await w.freshCentre(v);
    return post(`/centres/${centreId}/rename`, { name: `Nytt navn ${centreId}`, effectiveFrom: '2013-01-01' });
  }),
  'POST /centres/:centreId/close': write(200, async (w, v) => post(`/centres/${await w.freshCentre(v)}/close`, { closedOn: '2014-12-31', reason: 'Slått sammen' })),

  // Parties.
  'POST /parties': write(201, async (w, v) => {
    const partyId = w.id('party-new');
    // Names differ per request: a municipality's name is taken once per county (PARTY.NAME_TAKEN).
    return post('/parties', { partyId, name: `Ny kommune ${partyId}`, kind: 'municipality', countyId: w.county(v) });
  }),
  'GET /parties': read(() => '/parties'),
  'GET /parties/:partyId': read((w, v) => `/parties/${w.fk(v)}`),
  'POST /parties/:partyId/rename': write(200, async (w, v) => {
    const partyId = await w.freshParty(v);
    return post(`/parties/${partyId}/rename`, { name: `Nytt navn ${partyId}` });
  }),

  // Governance: owner agreements, partnerships, coordinating function, county line, co-location.
  'POST /centres/:centreId/owner-agreements': write(201, async (w, v) => post(`/centres/${await w.freshCentre(v)}/owner-agreements`, w.ownerAgreementBody(v, w.id('oa')))),
  'POST /centres/:centreId/owner-agreements/:agreementId/amend': write(200, async (w, v) => {
    const a = await w.ownerAgreement(v);
    return post(`/centres/${a.centreId}/owner-agreements/${a.agreementId}/amend`, { effectiveFrom: '2013-01-01', parties: [{ partyId: w.fk(v), shareBp: 6000 }, { partyId: w.nav(v), shareBp: 4000 }], period: { from: '2009-01-01', to: null } });
  }),
  'POST /centres/:centreId/owner-agreements/:agreementId/terminate': write(200, async (w, v) => {
    const a = await w.ownerAgreement(v);
    return post(`/centres/${a.centreId}/owner-agreements/${a.agreementId}/terminate`, { effectiveFrom: '2015-01-01', reason: 'Ny avtale' });
  }),
  'GET /centres/:centreId/owner-agreements': read((w, v) => `/centres/${w.centres[v]}/owner-agreements`),
  'GET /owner-agreements/:agreementId': read(async (w, v) => `/owner-agreements/${(await w.ownerAgreement(v)).agreementId}`),
  'GET /centres/:centreId/owner-agreements/:agreementId': read(async (w, v) => {
    const a = await w.ownerAgreement(v);
    return `/centres/${a.centreId}/owner-agreements/${a.agreementId}`;
  }),
  'POST /counties/:countyId/partnership-agreements': write(201, async (w, v) => post(`/counties/${w.county(v)}/partnership-agreements`, w.partnershipBody(v, w.id('pa'), w.freshYear()))),
  'POST /counties/:countyId/partnership-agreements/:partnershipId/amend': write(200, async (w, v) => {
    const p = await w.partnership(v);
    return post(`/counties/${w.county(v)}/partnership-agreements/${p.partnershipId}/amend`, { effectiveFrom: `${p.year}-06-01`, parties: [w.fk(v), w.nav(v)], period: { from: `${p.year}-01-01`, to: `${p.year}-12-31` } });
  }),
  'POST /counties/:countyId/partnership-agreements/:partnershipId/terminate': write(200, async (w, v) => {
    const p = await w.partnership(v);
    return post(`/counties/${w.county(v)}/partnership-agreements/${p.partnershipId}/terminate`, { effectiveFrom: `${p.year}-07-01` });
  }),
  'POST /counties/:countyId/coordinating-function': write(201, async (w, v) => post(`/counties/${w.county(v)}/coordinating-function`, w.coordinatingBody(v, w.freshYear()))),
  'POST /counties/:countyId/coordinating-function/end': write(200, async (w, v) => {
    const year = await w.coordinating(v);
    return post(`/counties/${w.county(v)}/coordinating-function/end`, { holderPartyId: w.fk(v), endedOn: `${year}-06-30` });
  }),
  'GET /counties/:countyId/partnership': read((w, v) => `/counties/${w.county(v)}/partnership`),
  'GET /partnerships': read(() => '/partnerships'),
  'POST /counties/:countyId/county-line-decisions': write(201, async (w, v) =>
    post(`/counties/${w.county(v)}/county-line-decisions`, { decisionId: w.id('cld'), centreIds: [w.centres[v]], kind: 'goals', year: 2013, title: 'Mål 2013', content: { goals: ['Mål'] }, decidedOn: '2012-12-12' }),
  ),
  'GET /counties/:countyId/county-line-decisions': read((w, v) => `/counties/${w.county(v)}/county-line-decisions`),
  'POST /centres/:centreId/co-locations': write(201, async (w, v) => post(`/centres/${await w.freshCentre(v)}/co-locations`, { from: '2012-08-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: w.nav(v) }] })),
  'GET /centres/:centreId/co-locations': read((w, v) => `/centres/${w.centres[v]}/co-locations`),
  'POST /centres/:centreId/co-locations/:from/correction': write(200, async (w, v) => {
    const centreId = await w.freshCentre(v);
    await w.must('POST', `/centres/${centreId}/co-locations`, { from: '2012-08-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: w.nav(v) }] });
    return post(`/centres/${centreId}/co-locations/2012-08-01/correction`, { premises: 'NAV-huset', sharedWith: [], reason: 'Ikke samlokalisert' });
  }),
  'POST /centres/:centreId/co-locations/:from/withdrawal': write(200, async (w, v) => {
    const centreId = await w.freshCentre(v);
    await w.must('POST', `/centres/${centreId}/co-locations`, { from: '2012-08-01', premises: 'NAV-huset', sharedWith: [] });
    return post(`/centres/${centreId}/co-locations/2012-08-01/withdrawal`, { reason: 'Feil dato' });
  }),

  // Boards: finance officers (and admins) administer the boards of their county; members table, vote and close.
  'POST /boards': write(201, async (w, v) => post('/boards', { boardId: w.id('board-new'), countyId: w.county(v), centreIds: [await w.freshCentre(v)], name: 'Nytt styre', establishedOn: '2012-01-01' })),
  'GET /boards': read(() => '/boards'),
  'GET /boards/:boardId': read((w, v) => `/boards/${w.boards[v].boardId}`),
  'GET /boards/:boardId/proposals/:proposalId': read(async (w, v) => {
    const p = await w.proposal(v);
    return `/boards/${p.boardId}/proposals/${p.proposalId}`;
  }),
  'POST /boards/:boardId/dissolve': write(200, async (w, v) => post(`/boards/${await w.board(v)}/dissolve`, { dissolvedOn: '2014-03-31', reason: 'Erstattet' })),
  'POST /boards/:boardId/members': write(201, async (w, v) => post(`/boards/${w.boards[v].boardId}/members`, { personId: w.id('person-new'), name: 'Nytt medlem', partyId: w.fk(v), role: 'member', term: { from: '2012-01-01', to: null } })),
  'POST /boards/:boardId/members/:personId/end': write(200, async (w, v) => {
    const m = await w.boardMember(v);
    return post(`/boards/${m.boardId}/members/${m.personId}/end`, { endedOn: '2013-12-31' });
  }),
  'POST /boards/:boardId/proposals': write(201, async (w, v) => post(`/boards/${w.boards[v].boardId}/proposals`, w.proposalBody(w.id('prop-new')), { sub: w.boards.own.member }), MEMBERS, 'board'),
  'POST /boards/:boardId/proposals/:proposalId/votes': write(
    201,
    async (w, v, role) => {
      const p = await w.proposal(v);
      return post(`/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02', ...(role === 'admin' ? { personId: w.boards[v].member } : {}) }, { sub: w.boards.own.member });
    },
    MEMBERS,
    'board',
  ),
  'POST /boards/:boardId/proposals/:proposalId/close': write(
    200,
    async (w, v) => {
      const p = await w.proposal(v);
      return post(`/boards/${p.boardId}/proposals/${p.proposalId}/close`, { closedOn: '2014-02-03' }, { sub: w.boards.own.chair });
    },
    MEMBERS,
    'board',
  ),
  'GET /centres/:centreId/governance': read((w, v) => `/centres/${w.centres[v]}/governance`),
  'GET /centres/:centreId/nav-link': read((w, v) => `/centres/${w.centres[v]}/nav-link`),
  'GET /nav-links': read(() => '/nav-links'),

  // Funding.
  'POST /centres/:centreId/funding/operating-grants': write(201, async (w, v) => post(`/centres/${w.centres[v]}/funding/operating-grants`, { entryId: w.id('og'), fiscalYear: 2013, partyId: w.fk(v), amount: '2363000.00', decidedOn: '2012-12-12', reference: 'FT-sak 88/12' })),
  'POST /centres/:centreId/funding/earmarked-funds': write(201, async (w, v) =>
    post(`/centres/${w.centres[v]}/funding/earmarked-funds`, { entryId: w.id('ear'), fiscalYear: 2013, partyId: w.nav(v), amount: '550000.00', decidedOn: '2013-01-15', purpose: 'Oppstartsveiledning', period: { from: '2013-01-01', to: '2013-12-31' } }),
  ),
  'POST /centres/:centreId/funding/tender-awards': write(201, async (w, v) =>
    post(`/centres/${w.centres[v]}/funding/tender-awards`, { entryId: w.id('ten'), fiscalYear: 2013, partyId: w.nav(v), amount: '300000.00', decidedOn: '2013-02-01', contractReference: 'NAV-2013/417', period: { from: '2013-03-01', to: null } }),
  ),
  'POST /centres/:centreId/funding/other-income': write(201, async (w, v) => post(`/centres/${w.centres[v]}/funding/other-income`, { entryId: w.id('oi'), fiscalYear: 2013, partyId: w.fk(v), amount: '2500.50', decidedOn: '2013-05-01', incomeKind: 'course-fees' })),
  'POST /centres/:centreId/funding/in-kind-contributions': write(201, async (w, v) =>
    post(`/centres/${w.centres[v]}/funding/in-kind-contributions`, { entryId: w.id('ik'), fiscalYear: 2013, partyId: w.fk(v), decidedOn: '2013-01-01', inKindKind: 'premises', estimatedValue: '120000.00' }),
  ),
  'POST /centres/:centreId/funding/entries/:entryId/reversal': write(201, async (w, v) => post(`/centres/${w.centres[v]}/funding/entries/${await w.entry(v)}/reversal`, { reason: 'Dobbeltført' })),
  'POST /centres/:centreId/funding/entries/:entryId/correction': write(201, async (w, v) => post(`/centres/${w.centres[v]}/funding/entries/${await w.entry(v)}/correction`, { reason: 'Feil beløp', amount: '1100.00' })),
  'POST /centres/:centreId/staff-positions': write(201, async (w, v) => post(`/centres/${w.centres[v]}/staff-positions`, w.positionBody(w.id('pos-new')))),
  'POST /centres/:centreId/staff-positions/:positionId/changes': write(201, async (w, v) => post(`/centres/${w.centres[v]}/staff-positions/${await w.position(v)}/changes`, { effectiveFrom: '2013-07-01', fte: '0.5' })),
  'POST /centres/:centreId/staff-positions/:positionId/end': write(200, async (w, v) => post(`/centres/${w.centres[v]}/staff-positions/${await w.position(v)}/end`, { endedOn: '2013-12-31' })),
  'GET /centres/:centreId/staff-positions': read((w, v) => `/centres/${w.centres[v]}/staff-positions`),
  'GET /centres/:centreId/funding-mix/:year': read((w, v) => `/centres/${w.centres[v]}/funding-mix/2013`),
  'GET /counties/:countyId/funding-mix/:year': read((w, v) => `/counties/${w.county(v)}/funding-mix/2013`),
  'GET /funding-mix/:year': read(() => '/funding-mix/2013'),
  'GET /key-figures/:year': read(() => '/key-figures/2013'),
  'GET /owner-agreements/cost-share-compliance/:year': read(() => '/owner-agreements/cost-share-compliance/2013'),
  'GET /owner-agreements/:agreementId/cost-share-compliance/:year': read(async (w, v) => `/owner-agreements/${(await w.ownerAgreement(v)).agreementId}/cost-share-compliance/2013`),
  'GET /centres/:centreId/owner-agreements/:agreementId/cost-share-compliance/:year': read(async (w, v) => {
    const a = await w.ownerAgreement(v);
    return `/centres/${a.centreId}/owner-agreements/${a.agreementId}/cost-share-compliance/2013`;
  }),

  // Vox's base grant and stimulus grants.
  'GET /grant-criteria-sets': read(() => '/grant-criteria-sets'),
  // Scheme years are few (evidence cannot lie in the future): roles that are refused anyway get the shared scheme.
  'POST /grant-schemes': write(201, async (w, _v, role) => post('/grant-schemes', w.schemeBody(role === 'vox' ? w.freshSchemeYear() : await w.sharedScheme())), VOX, 'none'),
  'GET /grant-schemes': read(() => '/grant-schemes'),
  'GET /grant-schemes/:year': read(async (w) => `/grant-schemes/${await w.sharedScheme()}`),
  'POST /grant-schemes/:year/amendments': write(
    200,
    async (w, _v, role) => {
      const year = role === 'vox' ? await w.scheme() : await w.sharedScheme();
      return post(`/grant-schemes/${year}/amendments`, { judgingDate: `${year}-04-01`, reason: 'Senere vurderingsdato' });
    },
    VOX,
    'none',
  ),
  'GET /grant-schemes/:year/eligibility': read(async (w) => `/grant-schemes/${await w.sharedScheme()}/eligibility`),
  'GET /grant-schemes/:year/eligibility/:countyId': read(async (w, v) => `/grant-schemes/${await w.sharedScheme()}/eligibility/${w.county(v)}`),
  'GET /counties/:countyId/eligibility/:year': read(async (w, v) => `/counties/${w.county(v)}/eligibility/${await w.sharedScheme()}`),
  'POST /grant-schemes/:year/allocation': write(201, async (w, _v, role) => post(`/grant-schemes/${role === 'vox' ? await w.scheme() : await w.sharedScheme()}/allocation`, { note: 'Grunntilskudd' }), VOX, 'none'),
  'POST /grant-schemes/:year/allocation/corrections': write(201, async (w, _v, role) => post(`/grant-schemes/${role === 'vox' ? await w.allocation() : await w.sharedAllocation()}/allocation/corrections`, { reason: 'Ny dokumentasjon', overrides: [{ countyId: 'troms', eligible: true, reason: 'Avtalen var signert i tide' }] }), VOX, 'none'),
  'GET /grant-schemes/:year/allocation': read(async (w) => `/grant-schemes/${await w.sharedAllocation()}/allocation`),
  'GET /grant-evidence/streams/:streamId/revisions/:revision': read(async (w, v) => `/grant-evidence/streams/grant-evidence-${(await w.evidence(v)).centreId}/revisions/0`),
  'POST /centres/:centreId/grant-evidence/service-declarations': write(201, async (w, v) => post(`/centres/${w.centres[v]}/grant-evidence/service-declarations`, { declarationId: w.id('decl'), effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 })),
  'POST /centres/:centreId/grant-evidence/competence-development': write(201, async (w, v) =>
    post(`/centres/${w.centres[v]}/grant-evidence/competence-development`, { activityId: w.id('cd'), deliveredOn: '2013-11-20', kind: 'course', targetGroups: ['nav-staff'], participants: 4, description: 'Kurs for NAV-veiledere' }),
  ),
  'POST /centres/:centreId/grant-evidence/user-survey-participations': write(201, async (w, v) => post(`/centres/${w.centres[v]}/grant-evidence/user-survey-participations`, { participationId: w.id('us'), period: { from: '2013-01-01', to: '2013-12-31' } })),
  'POST /centres/:centreId/grant-evidence/annual-reports': write(201, async (w, v) => post(`/centres/${await w.freshCentre(v)}/grant-evidence/annual-reports`, { reportId: w.id('ar'), year: 2013, submittedOn: '2014-02-20' })),
  'POST /centres/:centreId/grant-evidence/:evidenceId/withdrawal': write(200, async (w, v) => {
    const e = await w.evidence(v);
    return post(`/centres/${e.centreId}/grant-evidence/${e.reportId}/withdrawal`, { reason: 'Feil dato' });
  }),
  'GET /centres/:centreId/grant-evidence': read((w, v) => `/centres/${w.centres[v]}/grant-evidence`),
  'POST /stimulus-grants': write(201, async (w, v) => post('/stimulus-grants', w.stimulusBody(v, w.id('stim-new')))),
  'GET /stimulus-grants': read(() => '/stimulus-grants'),
  'GET /stimulus-grants/:applicationId': read(async (w, v) => `/stimulus-grants/${await w.stimulus(v)}`),
  'POST /stimulus-grants/:applicationId/award': write(200, async (w, v) => post(`/stimulus-grants/${await w.stimulus(v)}/award`, { amount: '90000.00' }), VOX, 'none'),
  'POST /stimulus-grants/:applicationId/rejection': write(200, async (w, v) => post(`/stimulus-grants/${await w.stimulus(v)}/rejection`, { reason: 'Rammen er brukt opp' }), VOX, 'none'),
  'POST /stimulus-grants/:applicationId/decision-correction': write(200, async (w, v) => {
    const applicationId = await w.stimulus(v);
    const vox = await w.t.auth('vox', [], 'matrix-vox');
    const res = await w.t.http().post(`/stimulus-grants/${applicationId}/award`).set(vox).send({ amount: '90000.00' });
    if (res.status !== 200) throw new Error(`setup award ${applicationId}: ${res.status} ${JSON.stringify(res.body)}`);
    return post(`/stimulus-grants/${applicationId}/decision-correction`, { outcome: 'awarded', amount: '80000.00', correctionReason: 'Skrivefeil i beløpet' });
  }, VOX, 'none'),

  // The auditor's routes.
  'GET /audit/streams/:streamId': read((w, v) => `/audit/streams/centre-${w.centres[v]}`, AUDITORS),
  'GET /audit/events': read(() => '/audit/events?limit=5', AUDITORS),
  'GET /audit/events/:eventId': read(async (w) => `/audit/events/${(await w.must('GET', '/audit/events?limit=1')).events[0].eventId}`, AUDITORS),
  'GET /audit/verify': read(() => '/audit/verify', AUDITORS),
  'GET /audit/digest': read(() => '/audit/digest', AUDITORS),
  'GET /audit/position-at': read(() => '/audit/position-at?asOf=2030-01-01T00:00:00Z', AUDITORS),

  // Reports for spreadsheets.
  'GET /reports/key-figures/:year/csv': read(() => '/reports/key-figures/2013/csv'),
  'GET /reports/funding-mix/:year/csv': read((w, v) => `/reports/funding-mix/2013/csv?county=${w.county(v)}`),
  'GET /reports/:year/xlsx': read(() => '/reports/2013/xlsx'),
};
