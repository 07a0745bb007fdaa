import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { post, recordCounty } from '../grants/grants-fixture';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8').split('\n');
/** The README line (1-based) of the error list entry "- `CODE` …" at or after line 520. */
const lineOf = (code: string): number => README.findIndex((l, i) => i >= 519 && l.startsWith(`- \`${code}\``)) + 1;

/**
 * README.md from the Governance rules' tail (line ~520) to the end (the Benchmarks' figures aside):
 * its concrete promises (codes, statuses, field names, defaults, headers) checked against the
 * running app over HTTP. Each test names the README line it checks.
 */
describe('README claims, from the governance rules to the end (e2e)', () => {
  let now = Date.parse('2014-03-02T08:00:00.000Z');
  const store = new MemoryEventStore(() => new Date((now += 1000)));
  let t: TestApp;
  let admin: { Authorization: string };
  let vox: { Authorization: string };
  let auditor: { Authorization: string };
  let fo: { Authorization: string };
  const FUTURE = '2099-01-01';

  const send = (auth: { Authorization: string }, path: string, body: object) => t.http().post(path).set(auth).send(body);
  const refused = async (res: { status: number; body: any }, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  };

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    admin = await t.auth('admin', [], 'admin-1');
    vox = await t.auth('vox', [], 'vox-1');
    auditor = await t.auth('auditor', [], 'auditor-1');
    fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    await post(t, fo, '/parties', { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await post(t, fo, '/parties', { partyId: 'nav-tm', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await post(t, fo, '/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2010-01-01' });
  });

  afterAll(() => t.close());

  // ---------------------------------------------------------------- Governance (520–655)

  describe('Governance', () => {
    it('README 535-536: a county authority without countyId is 400 PARTY.COUNTY_REQUIRED', async () => {
      await refused(await send(admin, '/parties', { partyId: 'x-fk', name: 'X fylkeskommune', kind: 'county-authority' }), 400, 'PARTY.COUNTY_REQUIRED');
    });

    it('README 536-538: a rename to the same name written another way (decomposed letter, spaces at either end) records nothing', async () => {
      // (Ø has no canonical decomposition; Å = A + U+030A does.)
      await post(t, admin, '/parties', { partyId: 'aas-kommune', name: 'Åsane kommune', kind: 'municipality' });
      const before = (await t.http().get('/audit/streams/party-aas-kommune').set(auditor)).body.events.length;
      const res = await send(admin, '/parties/aas-kommune/rename', { name: '  A\u030asane kommune  ' });
      expect(res.status).toBeLessThan(300);
      expect(res.body.eventIds).toEqual([]);
      const after = (await t.http().get('/audit/streams/party-aas-kommune').set(auditor)).body.events.length;
      expect(after).toBe(before);
    });

    it('README 539-540: an organisation number taken is 409 PARTY.ORGANISATION_NUMBER_TAKEN naming the party that has it', async () => {
      await post(t, admin, '/parties', { partyId: 'org-a', name: 'Org A', kind: 'other', organisationNumber: '974761076' });
      const res = await send(admin, '/parties', { partyId: 'org-b', name: 'Org B', kind: 'other', organisationNumber: '974761076' });
      await refused(res, 409, 'PARTY.ORGANISATION_NUMBER_TAKEN');
      expect(JSON.stringify(res.body.details)).toContain('org-a');
    });


    it('README 551-552: partnership signedOn after today is 422 PARTNERSHIP.SIGNED_IN_FUTURE', async () => {
      await refused(await send(fo, '/counties/telemark/partnership-agreements', { partnershipId: 'p-future', parties: ['tm-fk', 'nav-tm'], signedOn: FUTURE, period: { from: '2014-01-01', to: null } }), 422, 'PARTNERSHIP.SIGNED_IN_FUTURE');
    });

    it('README 558-559: owner agreement signedOn after today is 422 OWNER_AGREEMENT.SIGNED_IN_FUTURE', async () => {
      const base = { agreementId: 'oa-1', period: { from: '2013-01-01', to: null }, signedOn: '2013-01-01' };
      await refused(await send(fo, '/centres/kc-tm/owner-agreements', { ...base, signedOn: FUTURE, parties: [{ partyId: 'tm-fk', shareBp: 10000 }] }), 422, 'OWNER_AGREEMENT.SIGNED_IN_FUTURE');
    });

    it('README 561-564: a county-line decision dated after today is 422 COUNTY_LINE.DECIDED_IN_FUTURE, before the centre opened 422 COUNTY_LINE.BEFORE_OPENING', async () => {
      const body = { decisionId: 'cl-1', centreIds: ['kc-tm'], kind: 'budget', year: 2013, title: 'Budsjett', content: { lines: [{ partyId: 'tm-fk', moneyKind: 'operating-grant', amount: '100.00' }] } };
      await refused(await send(fo, '/counties/telemark/county-line-decisions', { ...body, decidedOn: FUTURE }), 422, 'COUNTY_LINE.DECIDED_IN_FUTURE');
      await refused(await send(fo, '/counties/telemark/county-line-decisions', { ...body, decidedOn: '2009-06-01' }), 422, 'COUNTY_LINE.BEFORE_OPENING');
    });



    it('README 565-568: co-location BEFORE_OPENING 422, SHARED_WITH_UNNAMED 400, KIND_MISMATCH 422', async () => {
      const body = { premises: 'NAV-huset, Skien' };
      await refused(await send(fo, '/centres/kc-tm/co-locations', { ...body, from: '2009-01-01', sharedWith: [] }), 422, 'CO_LOCATION.BEFORE_OPENING');
      await refused(await send(fo, '/centres/kc-tm/co-locations', { ...body, from: '2012-01-01', sharedWith: [{ kind: 'other' }] }), 400, 'CO_LOCATION.SHARED_WITH_UNNAMED');
      await refused(await send(fo, '/centres/kc-tm/co-locations', { ...body, from: '2012-01-01', sharedWith: [{ kind: 'nav-local-office', partyId: 'nav-tm' }] }), 422, 'CO_LOCATION.KIND_MISMATCH');
    });
  });

  // ---------------------------------------------------------------- Funding (657–785)

  describe('Funding', () => {
    const grant = (extra: object) => send(fo, '/centres/kc-tm/funding/operating-grants', { fiscalYear: 2013, partyId: 'tm-fk', decidedOn: '2012-12-12', amount: '100.00', ...extra });

    it('README 650-652: amount is a decimal string above 0, at most two decimals, at most 10^12, or null', async () => {
      expect((await grant({ entryId: 'amt-null', amount: null })).status).toBe(201);
      expect((await grant({ entryId: 'amt-max', amount: '1000000000000.00' })).status).toBe(201);
      expect((await grant({ entryId: 'amt-over', amount: '1000000000000.01' })).status).toBe(400);
      expect((await grant({ entryId: 'amt-zero', amount: '0.00' })).status).toBe(400);
      expect((await grant({ entryId: 'amt-3dec', amount: '1.001' })).status).toBe(400);
      expect((await grant({ entryId: 'amt-num', amount: 100 })).status).toBe(400);
    });

    it('README 645: fiscal year 1990–2100', async () => {
      // 1990 for a centre open since then (kc-tm opened in 2010: money for a year before that is 422 ENTRY.BEFORE_OPENING).
      await post(t, admin, '/centres', { centreId: 'kc-1990', countyId: 'telemark', name: 'Karrieresenter 1990', municipality: 'Skien', openedOn: '1990-01-01' });
      expect((await send(admin, '/centres/kc-1990/funding/operating-grants', { entryId: 'fy-1990', fiscalYear: 1990, partyId: 'tm-fk', decidedOn: '1990-02-01', amount: '100.00' })).status).toBe(201);
      await refused(await grant({ entryId: 'fy-1990-tm', fiscalYear: 1990 }), 422, 'ENTRY.BEFORE_OPENING');
      expect((await grant({ entryId: 'fy-2100', fiscalYear: 2100 })).status).toBe(201);
      expect((await grant({ entryId: 'fy-1989', fiscalYear: 1989 })).status).toBe(400);
      expect((await grant({ entryId: 'fy-2101', fiscalYear: 2101 })).status).toBe(400);
    });

    it('README 656-657: client entry ids may not end in .c<digits> or .reversal, at most 56 characters', async () => {
      expect((await grant({ entryId: 'e.c1' })).status).toBe(400);
      expect((await grant({ entryId: 'e.reversal' })).status).toBe(400);
      expect((await grant({ entryId: 'a'.repeat(57) })).status).toBe(400);
      expect((await grant({ entryId: 'b'.repeat(56) })).status).toBe(201);
    });

    it('README 657-658: entryId left out is derived from the Idempotency-Key (a retry names the same entry)', async () => {
      const first = await t.http().post('/centres/kc-tm/funding/operating-grants').set(fo).set('Idempotency-Key', 'k-derived-1').send({ fiscalYear: 2013, partyId: 'tm-fk', decidedOn: '2012-12-12', amount: '5.00' });
      expect(first.status).toBe(201);
      expect(typeof first.body.entryId).toBe('string');
      const again = await t.http().post('/centres/kc-tm/funding/operating-grants').set(fo).set('Idempotency-Key', 'k-derived-1').send({ fiscalYear: 2013, partyId: 'tm-fk', decidedOn: '2012-12-12', amount: '5.00' });
      expect(again.body.entryId).toBe(first.body.entryId);
    });

    it('README 654-656: a correction is a reversal plus a new entry <id>.c<n> with correctsEntryId, in stream funding-entry-<id>, one append', async () => {
      expect((await grant({ entryId: 'corr-me', amount: '200.00' })).status).toBe(201);
      const res = await send(fo, '/centres/kc-tm/funding/entries/corr-me/correction', { reason: 'Feil beløp', amount: '250.00' });
      expect(res.status).toBeLessThan(300);
      const events = (await t.http().get('/audit/streams/funding-entry-corr-me').set(auditor)).body.events;
      expect(events.map((e: any) => e.type)).toEqual(['OperatingGrantRecorded', 'EntryReversed', 'OperatingGrantRecorded']);
      expect(events[2].data).toMatchObject({ entryId: 'corr-me.c1', correctsEntryId: 'corr-me' });
      expect(events[1].recordedAt).toBe(events[2].recordedAt);
    });


    it('README 743: IN_KIND.NO_AMOUNT 400 when an in-kind contribution carries an amount', async () => {
      await refused(await send(fo, '/centres/kc-tm/funding/in-kind-contributions', { entryId: 'ik-1', fiscalYear: 2013, partyId: 'tm-fk', decidedOn: '2012-12-12', inKindKind: 'premises', amount: '100.00' }), 400, 'IN_KIND.NO_AMOUNT');
    });

    describe('staff positions', () => {
      const start = (extra: object) => send(fo, '/centres/kc-tm/staff-positions', { title: 'Karriereveileder', employerKind: 'centre', fte: '0.5', startedOn: '2013-01-01', ...extra });

      it('README 660-665: payer defaults to the centre; staff-years = FTE × days share rounded to one decimal', async () => {
        expect((await start({ positionId: 'sp-1' })).status).toBe(201);
        const res = await t.http().get('/centres/kc-tm/staff-positions?year=2013').set(fo);
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        expect(text).toContain('"kind":"centre"');
        expect(text).toMatch(/"staffYears":"?0\.5"?/);
      });

      it('README 744-751: STAFF.ALREADY_STARTED 409, FTE_INVALID 400, FTE_OUT_OF_RANGE 400, PAYER_INVALID 400, ANNUAL_COST_TOO_LARGE 400, EMPLOYER_KIND_MISMATCH 422', async () => {
        await refused(await start({ positionId: 'sp-1' }), 409, 'STAFF.ALREADY_STARTED');
        await refused(await start({ positionId: 'sp-x1', fte: '0.5555' }), 400, 'STAFF.FTE_INVALID');
        await refused(await start({ positionId: 'sp-x2', fte: '1.5' }), 400, 'STAFF.FTE_OUT_OF_RANGE');
        await refused(await start({ positionId: 'sp-x3', fte: '0' }), 400, 'STAFF.FTE_OUT_OF_RANGE');
        await refused(await start({ positionId: 'sp-x4', payer: { kind: 'party' } }), 400, 'STAFF.PAYER_INVALID');
        await refused(await start({ positionId: 'sp-x5', annualCost: '100000000.01' }), 400, 'STAFF.ANNUAL_COST_TOO_LARGE');
        await refused(await start({ positionId: 'sp-x6', employerKind: 'nav-local-office', employerPartyId: 'nav-tm' }), 422, 'STAFF.EMPLOYER_KIND_MISMATCH');
      });

      it('README 745, 752-756: STAFF.NOT_FOUND 404, CHANGED_BEFORE_START 422, ALREADY_ENDED 409 (the same last day); an earlier or a later last day corrects the end, an earlier one cutting off a later change', async () => {
        await refused(await send(fo, '/centres/kc-tm/staff-positions/no-such/changes', { effectiveFrom: '2013-06-01', fte: '0.6' }), 404, 'STAFF.NOT_FOUND');
        expect((await start({ positionId: 'sp-2' })).status).toBe(201);
        await refused(await send(fo, '/centres/kc-tm/staff-positions/sp-2/changes', { effectiveFrom: '2012-06-01', fte: '0.6' }), 422, 'STAFF.CHANGED_BEFORE_START');
        expect((await send(fo, '/centres/kc-tm/staff-positions/sp-2/changes', { effectiveFrom: '2013-06-01', fte: '0.6' })).status).toBeLessThan(300);
        expect((await send(fo, '/centres/kc-tm/staff-positions/sp-2/end', { endedOn: '2013-12-31' })).status).toBeLessThan(300);
        await refused(await send(fo, '/centres/kc-tm/staff-positions/sp-2/end', { endedOn: '2013-12-31' }), 409, 'STAFF.ALREADY_ENDED');
        expect((await send(fo, '/centres/kc-tm/staff-positions/sp-2/end', { endedOn: '2014-01-31' })).status).toBe(200);
        expect((await send(fo, '/centres/kc-tm/staff-positions/sp-2/end', { endedOn: '2013-05-01' })).status).toBe(200);
        await refused(await send(fo, '/centres/kc-tm/staff-positions/sp-2/end', { endedOn: '2013-05-01' }), 409, 'STAFF.ALREADY_ENDED');
      });
    });

    describe('key figures negotiation (README 680)', () => {
      const kf = (accept?: string) => {
        const r = t.http().get('/key-figures/2013').set(vox);
        return accept === undefined ? r : r.set('Accept', accept);
      };
      const isCsv = (res: any) => String(res.headers['content-type']).startsWith('text/csv');

      it('no Accept or */* alone: JSON', async () => {
        expect(isCsv(await kf())).toBe(false);
        expect(isCsv(await kf('*/*'))).toBe(false);
      });

      it('text/csv, or text/*, with q ≥ the q of application/json: CSV with Vary: Accept and a UTF-8 BOM', async () => {
        for (const a of ['text/csv', 'text/*', 'text/csv, application/json', 'application/json;q=0.5, text/csv;q=0.5', 'text/*;q=0.9, application/json;q=0.8']) {
          const res = await kf(a);
          expect({ a, csv: isCsv(res) }).toEqual({ a, csv: true });
          expect(String(res.headers.vary)).toMatch(/accept/i);
          expect(res.text.charCodeAt(0)).toBe(0xfeff);
        }
      });

      it('text/csv with a lower q than application/json, or q=0: JSON', async () => {
        for (const a of ['text/csv;q=0.4, application/json', 'text/csv;q=0']) {
          const res = await kf(a);
          expect({ a, csv: isCsv(res) }).toEqual({ a, csv: false });
        }
      });

      it('?format=csv gives CSV whatever the Accept', async () => {
        const res = await t.http().get('/key-figures/2013?format=csv').set(vox).set('Accept', 'application/json');
        expect(isCsv(res)).toBe(true);
      });
    });

    it('README 684: every read route takes ?asOf= and X-Ledger-Position (staff positions, funding mix)', async () => {
      for (const path of ['/centres/kc-tm/staff-positions?year=2013', '/centres/kc-tm/funding-mix/2013', '/counties/telemark/funding-mix/2013', '/funding-mix/2013', '/owner-agreements/cost-share-compliance/2013']) {
        const a = await t.http().get(`${path}${path.includes('?') ? '&' : '?'}asOf=2014-03-02T08:00:30Z`).set(vox);
        expect({ path, status: a.status }).toEqual({ path, status: 200 });
        const b = await t.http().get(path).set(vox).set('X-Ledger-Position', '1');
        expect({ path, status: b.status }).toEqual({ path, status: 200 });
      }
    });
  });

  // ---------------------------------------------------------------- Vox base grant (787–905)

  describe('Vox base grant', () => {
    const scheme = (body: object) => send(vox, '/grant-schemes', { baseGrant: '100.00', criteriaSetId: 'criteria-2014', ...body });

    it('README 765: GET /grant-criteria-sets shows each set with its defaults', async () => {
      const res = await t.http().get('/grant-criteria-sets').set(vox);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain('criteria-2014');
    });

    it('README 777-781: a window ending after the judging date is 422 GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE naming the window (publish and amend); a late report deadline is allowed', async () => {
      const early = await scheme({ year: 2020, judgingDate: '2019-06-01' });
      await refused(early, 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE');
      expect(JSON.stringify(early.body)).toMatch(/userSurvey|user survey|user-survey/i);
      expect((await scheme({ year: 2021, judgingDate: '2021-03-01', windows: { annualReport: { deadline: '2021-06-01' } } })).status).toBe(201);
      const amend = await send(vox, '/grant-schemes/2021/amendments', { judgingDate: '2020-06-01', reason: 'earlier' });
      await refused(amend, 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE');
    });


    describe('evidence (README 834-843, 876-897)', () => {
      const cd = (extra: object) => send(fo, '/centres/kc-tm/grant-evidence/competence-development', { deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 4, description: 'Kurs', ...extra });

      it('README 834-843: BEFORE_OPENING and IN_FUTURE (details {field, date, today})', async () => {
        await refused(await cd({ deliveredOn: '2009-12-31' }), 422, 'GRANT_EVIDENCE.BEFORE_OPENING');
        const res = await cd({ deliveredOn: FUTURE });
        await refused(res, 422, 'GRANT_EVIDENCE.IN_FUTURE');
        expect(Object.keys(res.body.details).sort()).toEqual(['date', 'field', 'today']);
        expect(res.body.details).toMatchObject({ field: 'deliveredOn', date: FUTURE });
        const survey = await send(fo, '/centres/kc-tm/grant-evidence/user-survey-participations', { period: { from: '2013-01-01', to: FUTURE } });
        await refused(survey, 422, 'GRANT_EVIDENCE.IN_FUTURE');
      });

      it('README 897: the reader link for an event of a stream no verdict cites is 400 GRANT_EVIDENCE.NOT_CITABLE', async () => {
        await refused(await t.http().get('/grant-evidence/streams/funding-entry-amt-null/revisions/0').set(vox), 400, 'GRANT_EVIDENCE.NOT_CITABLE');
        await refused(await t.http().get('/grant-evidence/streams/position-sp-1/revisions/0').set(vox), 400, 'GRANT_EVIDENCE.NOT_CITABLE');
      });
    });

    describe('stimulus grants (README 820-830, 887-895)', () => {
      const apply = (extra: object) => send(fo, '/stimulus-grants', { countyId: 'telemark', year: 2014, amountAsked: '1000.00', description: 'Utvikling', purpose: 'development', centreId: 'kc-tm', appliedOn: '2014-02-01', ...extra });

      it('README 822-826: BEFORE_OPENING 422, IN_FUTURE 422, CENTRE_NOT_EXPECTED 400, CENTRE_REQUIRED 400', async () => {
        await refused(await apply({ applicationId: 'sg-1', appliedOn: '2009-01-01' }), 422, 'STIMULUS_GRANT.BEFORE_OPENING');
        await refused(await apply({ applicationId: 'sg-2', appliedOn: FUTURE }), 422, 'STIMULUS_GRANT.IN_FUTURE');
        await refused(await apply({ applicationId: 'sg-3', purpose: 'establish-centre' }), 400, 'STIMULUS_GRANT.CENTRE_NOT_EXPECTED');
        await refused(await apply({ applicationId: 'sg-4', centreId: undefined }), 400, 'STIMULUS_GRANT.CENTRE_REQUIRED');
      });

      it('README 889, 895: ALREADY_EXISTS 409; award above asked 422 STIMULUS_GRANT.AWARD_ABOVE_ASKED', async () => {
        expect((await apply({ applicationId: 'sg-ok' })).status).toBe(201);
        await refused(await apply({ applicationId: 'sg-ok' }), 409, 'STIMULUS_GRANT.ALREADY_EXISTS');
        await refused(await send(vox, '/stimulus-grants/sg-ok/award', { amount: '1000.01' }), 422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED');
      });

      it('README 821: applications to establish a centre in a county with no open centre are listed first', async () => {
        const fh = await t.auth('finance-officer', ['finnmark'], 'fo-finnmark');
        expect((await send(fh, '/stimulus-grants', { applicationId: 'sg-fm', countyId: 'finnmark', year: 2014, amountAsked: '500.00', description: 'Etablering', purpose: 'establish-centre', appliedOn: '2014-02-01' })).status).toBe(201);
        const list = await t.http().get('/stimulus-grants').set(vox);
        expect(list.status).toBe(200);
        const items = list.body.items ?? list.body.applications ?? list.body;
        expect(items[0].applicationId).toBe('sg-fm');
      });

      it('README 985-987: /stimulus-grants?status= other than a status is 400 REQUEST.BAD_FILTER', async () => {
        await refused(await t.http().get('/stimulus-grants?status=pending').set(vox), 400, 'REQUEST.BAD_FILTER');
      });
    });

    describe('eligibility and allocation (README 783-818)', () => {
      beforeAll(async () => {
        await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
        await recordCounty(t, 'ostfold', 'Østfold', [{ centreId: 'al-ostfold', name: 'KC Østfold', municipality: 'Sarpsborg' }]);
        await recordCounty(t, 'akershus', 'Akershus', [{ centreId: 'al-akershus', name: 'KC Akershus', municipality: 'Asker' }]);
        await recordCounty(t, 'oslo', 'Oslo', [{ centreId: 'al-oslo', name: 'KC Oslo', municipality: 'Oslo' }]);
      });

      it('README 784-790: a verdict cites evidence as {eventId, position}; events list each once with type, stream, revision, position, recorded time, dates, link and readerLink', async () => {
        const res = await t.http().get('/grant-schemes/2014/eligibility/ostfold').set(vox);
        expect(res.status).toBe(200);
        const ev = res.body.criteria[0].evidence[0];
        expect(Object.keys(ev).sort()).toEqual(['eventId', 'position']);
        const e = res.body.events[0];
        expect(e).toHaveProperty('type');
        expect(e).toHaveProperty('revision');
        expect(e).toHaveProperty('position');
        expect(e).toHaveProperty('dates');
        expect(e.link).toBe(`/audit/events/${e.eventId}`);
        expect(typeof e.readerLink).toBe('string');
        const positions = res.body.events.map((x: any) => x.position);
        expect(positions).toEqual([...positions].sort((a: number, b: number) => a - b));
        expect(new Set(positions).size).toBe(positions.length);
        const reader = await t.http().get(e.readerLink).set(fo);
        expect(reader.status).toBe(200);
      });

      it('README 788-790: readerLink with ?asOf= answers 404 EVENT.NOT_FOUND for an event recorded after that instant', async () => {
        const res = await t.http().get('/grant-schemes/2014/eligibility/ostfold').set(vox);
        const e = res.body.events[res.body.events.length - 1];
        const before = new Date(Date.parse(e.recordedAt) - 1).toISOString();
        const sep = e.readerLink.includes('?') ? '&' : '?';
        await refused(await t.http().get(`${e.readerLink}${sep}asOf=${encodeURIComponent(before)}`).set(fo), 404, 'EVENT.NOT_FOUND');
        expect((await t.http().get(`${e.readerLink}${sep}asOf=${encodeURIComponent(e.recordedAt)}`).set(fo)).status).toBe(200);
      });

      it('README 827-829: a stimulus-grant award is in no funding mix (centre, county, country) nor the key figures', async () => {
        const before = await Promise.all(['/centres/kc-tm/funding-mix/2014', '/counties/telemark/funding-mix/2014', '/funding-mix/2014', '/key-figures/2014'].map((u) => t.http().get(u).set(vox)));
        expect((await send(fo, '/stimulus-grants', { applicationId: 'sg-mix', countyId: 'telemark', year: 2014, amountAsked: '7777.00', description: 'Utvikling', purpose: 'development', centreId: 'kc-tm', appliedOn: '2014-02-01' })).status).toBe(201);
        expect((await send(vox, '/stimulus-grants/sg-mix/award', { amount: '7777.00' })).status).toBeLessThan(300);
        const after = await Promise.all(['/centres/kc-tm/funding-mix/2014', '/counties/telemark/funding-mix/2014', '/funding-mix/2014', '/key-figures/2014'].map((u) => t.http().get(u).set(vox)));
        for (const [i, a] of after.entries()) {
          expect(a.status).toBe(200);
          expect(JSON.stringify(a.body)).not.toContain('7777');
          expect(JSON.stringify(a.body).replace(/"(asOfPosition|position|viewsPosition|recordedAt|asOf)":[^,}]*/g, '')).toBe(JSON.stringify(before[i].body).replace(/"(asOfPosition|position|viewsPosition|recordedAt|asOf)":[^,}]*/g, ''));
        }
      });

      it('README 896, 794-795: ?detail= other than full/summary is 400 REQUEST.BAD_DETAIL; summary lists each centre only as its verdict and failed criteria', async () => {
        await refused(await t.http().get('/grant-schemes/2014/eligibility/ostfold?detail=short').set(vox), 400, 'REQUEST.BAD_DETAIL');
        const res = await t.http().get('/grant-schemes/2014/eligibility/ostfold?detail=summary').set(vox);
        expect(res.status).toBe(200);
      });

      it('README 817-818: atPosition beyond the head is 400 REQUEST.BAD_POSITION; with asOf 400 REQUEST.AS_OF_WITH_AT_POSITION', async () => {
        await refused(await t.http().get('/grant-schemes/2014/eligibility/ostfold?atPosition=99999999').set(vox), 400, 'REQUEST.BAD_POSITION');
        await refused(await t.http().get('/grant-schemes/2014/eligibility/ostfold?atPosition=1.5').set(vox), 400, 'REQUEST.BAD_POSITION');
        await refused(await t.http().get('/grant-schemes/2014/eligibility/ostfold?atPosition=1&asOf=2014-03-03').set(vox), 400, 'REQUEST.AS_OF_WITH_AT_POSITION');
      });

      it('README 846-847: eligibility over Accept: text/csv gives CSV with Vary: Accept', async () => {
        const res = await t.http().get('/grant-schemes/2014/eligibility').set(vox).set('Accept', 'text/csv');
        expect(res.status).toBe(200);
        expect(String(res.headers['content-type'])).toMatch(/^text\/csv/);
        expect(String(res.headers.vary)).toMatch(/accept/i);
      });

      it('README 802-815: floor(sum/n) øre each, the remainder one øre each to the first eligible counties by county number; reproduceWith gives back the verdicts recorded', async () => {
        const res = await send(vox, '/grant-schemes/2014/allocation', {});
        expect(res.status).toBe(201);
        const got = await t.http().get('/grant-schemes/2014/allocation').set(fo);
        expect(got.status).toBe(200);
        // 100.00 NOK = 10000 øre over 3 eligible counties: 3334 to Østfold (01), 3333 to Akershus (02) and Oslo (03).
        expect(got.body.parts.map((s: any) => [s.countyId, s.amount])).toEqual([
          ['ostfold', '33.34'],
          ['akershus', '33.33'],
          ['oslo', '33.33'],
        ]);
        expect(got.body.reproduceWith).toBe(`/grant-schemes/2014/eligibility?atPosition=${got.body.basedOnPosition}`);
        const again = await t.http().get(got.body.reproduceWith).set(vox);
        expect(again.status).toBe(200);
        const verdicts = (again.body.counties ?? []).map((c: any) => [c.countyId, c.eligible]).filter((x: any) => x[1]);
        expect(verdicts.map((x: any) => x[0])).toEqual(got.body.verdicts.filter((v: any) => v.eligible).map((v: any) => v.countyId));
        await refused(await send(vox, '/grant-schemes/2014/allocation', {}), 409, 'BASE_GRANT.ALREADY_ALLOCATED');
        await refused(await send(vox, '/grant-schemes/2014/amendments', { baseGrant: '200.00', reason: 'more' }), 422, 'GRANT_SCHEME.ALREADY_ALLOCATED');
        await refused(await send(vox, '/grant-schemes/2014/allocation/corrections', { reason: 'twice', overrides: [{ countyId: 'oslo', eligible: false, reason: 'a' }, { countyId: 'oslo', eligible: false, reason: 'b' }] }), 400, 'BASE_GRANT.DUPLICATE_COUNTY');
        await refused(await send(vox, '/grant-schemes/2014/allocation/corrections', { reason: 'none', overrides: [{ countyId: 'atlantis', eligible: true, reason: 'a' }] }), 404, 'BASE_GRANT.UNKNOWN_COUNTY');
      });

      it('README 806-809: allocating before the judging date is 422 BASE_GRANT.BEFORE_JUDGING_DATE naming the date', async () => {
        expect((await send(vox, '/grant-schemes', { year: 2027, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2027-03-01' })).status).toBe(201);
        const res = await send(vox, '/grant-schemes/2027/allocation', {});
        await refused(res, 422, 'BASE_GRANT.BEFORE_JUDGING_DATE');
        expect(res.body.message).toContain('2027-03-01');
      });

      it('README 873: correcting a year never allocated is 422 BASE_GRANT.NOT_ALLOCATED; reading it 404', async () => {
        await refused(await send(vox, '/grant-schemes/2021/allocation/corrections', { reason: 'x' }), 422, 'BASE_GRANT.NOT_ALLOCATED');
        await refused(await t.http().get('/grant-schemes/2021/allocation').set(vox), 404, 'BASE_GRANT.NOT_ALLOCATED');
      });
    });
  });

  // ---------------------------------------------------------------- the error lists' 400 codes a client can get
  describe('error lists: each documented validation code is what a client gets over HTTP', () => {
    const board = { boardId: 'b-x', countyId: 'telemark', name: 'Styret', establishedOn: '2012-01-01' };
    const cl = { decisionId: 'cl-x', kind: 'budget', year: 2013, title: 'Budsjett', decidedOn: '2013-01-10' };
    const line = { partyId: 'tm-fk', moneyKind: 'operating-grant', amount: '100.00' };
    const oa = { agreementId: 'oa-x', period: { from: '2013-01-01', to: null }, signedOn: '2013-01-01' };
    const pa = { partnershipId: 'p-x', signedOn: '2013-01-01', period: { from: '2013-01-01', to: null } };
    const money = { entryId: 'fm-x', fiscalYear: 2013, partyId: 'tm-fk', decidedOn: '2012-12-12', amount: '1.00' };
    const cd = { deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 4, description: 'Kurs' };
    const sch = { year: 2022, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2022-03-01' };
    const sg = { applicationId: 'sg-x', countyId: 'telemark', year: 2014, amountAsked: '1000.00', description: 'Utvikling', purpose: 'development', centreId: 'kc-tm', appliedOn: '2014-02-01' };
    type Row = [code: string, who: 'fo' | 'vox' | 'admin', path: string, body: object, status: number];
    const rows: Row[] = [
      ['PARTY.UNKNOWN_KIND', 'admin', '/parties', { partyId: 'odd', name: 'Odd', kind: 'guild' }, 400],
      ['OWNER_AGREEMENT.NO_PARTIES', 'fo', '/centres/kc-tm/owner-agreements', { ...oa, parties: [] }, 400],
      ['OWNER_AGREEMENT.INVALID_SHARE', 'fo', '/centres/kc-tm/owner-agreements', { ...oa, parties: [{ partyId: 'tm-fk', shareBp: 0 }, { partyId: 'nav-tm', shareBp: 10000 }] }, 400],
      ['OWNER_AGREEMENT.DUPLICATE_PARTY', 'fo', '/centres/kc-tm/owner-agreements', { ...oa, parties: [{ partyId: 'tm-fk', shareBp: 5000 }, { partyId: 'tm-fk', shareBp: 5000 }] }, 400],
      ['PARTNERSHIP.TOO_FEW_PARTIES', 'fo', '/counties/telemark/partnership-agreements', { ...pa, parties: ['tm-fk'] }, 400],
      ['PARTNERSHIP.DUPLICATE_PARTY', 'fo', '/counties/telemark/partnership-agreements', { ...pa, parties: ['tm-fk', 'tm-fk'] }, 400],
      ['BOARD.NO_CENTRES', 'fo', '/boards', { ...board, centreIds: [] }, 400],
      ['BOARD.DUPLICATE_CENTRE', 'fo', '/boards', { ...board, centreIds: ['kc-tm', 'kc-tm'] }, 400],
      ['BOARD.INVALID_QUORUM', 'fo', '/boards', { ...board, centreIds: ['kc-tm'], rules: { quorum: 'at-least' } }, 400],
      ['BOARD.PARTY_REQUIRED', 'fo', '/boards/b-ok/members', { personId: 'kari', name: 'Kari', role: 'member', term: { from: '2012-01-01', to: null } }, 400],
      ['PROPOSAL.CONTENT_NOT_FOR_KIND', 'fo', '/counties/telemark/county-line-decisions', { ...cl, centreIds: ['kc-tm'], content: { lines: [line], goals: ['Mål'] } }, 400],
      ['PROPOSAL.BUDGET_WITHOUT_LINES', 'fo', '/counties/telemark/county-line-decisions', { ...cl, centreIds: ['kc-tm'], content: { lines: [] } }, 400],
      ['PROPOSAL.UNKNOWN_MONEY_KIND', 'fo', '/counties/telemark/county-line-decisions', { ...cl, centreIds: ['kc-tm'], content: { lines: [{ ...line, moneyKind: 'lottery' }] } }, 400],
      ['PROPOSAL.PLAN_WITHOUT_GOALS', 'fo', '/counties/telemark/county-line-decisions', { ...cl, kind: 'strategic-plan', centreIds: ['kc-tm'], content: { goals: [] } }, 400],
      ['COUNTY_LINE.NO_CENTRES', 'fo', '/counties/telemark/county-line-decisions', { ...cl, centreIds: [], content: { lines: [line] } }, 400],
      ['COUNTY_LINE.DUPLICATE_CENTRE', 'fo', '/counties/telemark/county-line-decisions', { ...cl, centreIds: ['kc-tm', 'kc-tm'], content: { lines: [line] } }, 400],
      ['CO_LOCATION.UNKNOWN_KIND', 'fo', '/centres/kc-tm/co-locations', { from: '2012-01-01', premises: 'Huset', sharedWith: [{ kind: 'library', name: 'Skien bibliotek' }] }, 400],
      ['ENTRY.FIELD_MISSING', 'fo', '/centres/kc-tm/funding/earmarked-funds', { ...money, period: { from: '2013-01-01', to: '2013-12-31' } }, 400],
      ['GRANT_SCHEME.YEAR_OUT_OF_RANGE', 'vox', '/grant-schemes', { ...sch, year: 1999, judgingDate: '1999-03-01' }, 400],
      ['GRANT_SCHEME.UNKNOWN_CRITERIA_SET', 'vox', '/grant-schemes', { ...sch, criteriaSetId: 'criteria-1066' }, 400],
      ['GRANT_SCHEME.JUDGING_DATE_INVALID', 'vox', '/grant-schemes', { ...sch, judgingDate: '2022-02-30' }, 400],
      ['GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE', 'vox', '/grant-schemes', { ...sch, judgingDate: '2024-03-01' }, 422],
      ['GRANT_SCHEME.WINDOW_INVALID_DATE', 'vox', '/grant-schemes', { ...sch, windows: { competenceDevelopment: { from: '2021-02-30' } } }, 400],
      ['GRANT_SCHEME.WINDOW_ENDS_BEFORE_START', 'vox', '/grant-schemes', { ...sch, windows: { competenceDevelopment: { from: '2022-02-01', to: '2022-01-01' } } }, 422],
      ['GRANT_SCHEME.WINDOW_INVALID_AGE', 'vox', '/grant-schemes', { ...sch, windows: { freeGuidance: { maxFromAge: 15 } } }, 400],
      ['GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR', 'vox', '/grant-schemes', { ...sch, windows: { annualReport: { reportYear: 2016 } } }, 400],
      ['GRANT_EVIDENCE.AGE_OUT_OF_RANGE', 'fo', '/centres/kc-tm/grant-evidence/service-declarations', { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 121 }, 400],
      ['GRANT_EVIDENCE.UNKNOWN_KIND', 'fo', '/centres/kc-tm/grant-evidence/competence-development', { ...cd, kind: 'webinar' }, 400],
      ['GRANT_EVIDENCE.NO_TARGET_GROUP', 'fo', '/centres/kc-tm/grant-evidence/competence-development', { ...cd, targetGroups: [] }, 400],
      ['GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', 'fo', '/centres/kc-tm/grant-evidence/competence-development', { ...cd, targetGroups: ['parents'] }, 400],
      ['GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP', 'fo', '/centres/kc-tm/grant-evidence/competence-development', { ...cd, targetGroups: ['nav-staff', 'nav-staff'] }, 400],
      ['GRANT_EVIDENCE.NO_PARTICIPANTS', 'fo', '/centres/kc-tm/grant-evidence/competence-development', { ...cd, participants: 0 }, 400],
      ['STIMULUS_GRANT.UNKNOWN_PURPOSE', 'fo', '/stimulus-grants', { ...sg, purpose: 'party' }, 400],
    ];

    beforeAll(async () => {
      await post(t, fo, '/boards', { ...board, boardId: 'b-ok', centreIds: ['kc-tm'] });
    });

    it.each(rows.map((r) => [lineOf(r[0]), r[0], r[4], r[1], r[2], r[3]] as const))('README %i: %s %i', async (_line, code, status, who, path, body) => {
      const auth = who === 'fo' ? fo : who === 'vox' ? vox : admin;
      await refused(await send(auth, path, body), status, code);
    });

    // The base-grant sum is an amount: README says no request gets GRANT_SCHEME.BASE_GRANT_INVALID, each bad sum its MONEY.* code.
    it(`README ${lineOf('GRANT_SCHEME.BASE_GRANT_INVALID')}: a bad base-grant sum is its MONEY.* code, as README lists them`, async () => {
      const line = README[lineOf('GRANT_SCHEME.BASE_GRANT_INVALID') - 1];
      const cases: [unknown, string][] = [['0.00', 'MONEY.ZERO'], ['-1.00', 'MONEY.NEGATIVE'], ['1.001', 'MONEY.FRACTIONAL_ORE'], ['1e6', 'MONEY.INVALID'], [1000, 'MONEY.NOT_A_DECIMAL_STRING'], ['1000000000000.01', 'MONEY.TOO_LARGE']];
      for (const [baseGrant, code] of cases) {
        expect(line).toContain(`\`${code}\``);
        await refused(await send(vox, '/grant-schemes', { ...sch, baseGrant }), 400, code);
      }
    });
  });

  // ---------------------------------------------------------------- Auditing (915–1030)

  describe('Auditing', () => {
    it('README 901-902: /audit/* needs auditor or admin; vox and finance officers get 403', async () => {
      expect((await t.http().get('/audit/digest').set(admin)).status).toBe(200);
      expect((await t.http().get('/audit/digest').set(vox)).status).toBe(403);
      expect((await t.http().get('/audit/events').set(fo)).status).toBe(403);
    });

    it('README 907: the global log filters by correlation id and stream prefix', async () => {
      const res = await t.http().post('/parties').set(admin).set('X-Correlation-Id', 'corr-readme-b').send({ partyId: 'corr-party', name: 'Corr', kind: 'other' });
      expect(res.status).toBe(201);
      const byCorr = await t.http().get('/audit/events?correlation=corr-readme-b').set(auditor);
      expect(byCorr.status).toBe(200);
      expect(byCorr.body.events.map((e: any) => e.streamId)).toEqual(['party-corr-party']);
      const byStream = await t.http().get('/audit/events?stream=party-corr&limit=500').set(auditor);
      expect(byStream.status).toBe(200);
      expect(byStream.body.events.map((e: any) => e.streamId)).toEqual(['party-corr-party']);
    });

    it('README 906: stream history pages of at most 500 (limit=501 is 400); with asOf only events recorded by then', async () => {
      expect((await t.http().get('/audit/streams/centre-kc-tm?limit=501').set(auditor)).status).toBe(400);
      const early = await t.http().get('/audit/streams/centre-kc-tm?asOf=2014-03-02T07:00:00Z').set(auditor);
      expect(early.status === 404 || (early.status === 200 && early.body.events.length === 0)).toBe(true);
    });

    it('README 1003-1006: STREAM.BAD_ID 400, STREAM.NOT_FOUND 404, EVENT.BAD_ID 400, EVENT.NOT_FOUND 404', async () => {
      await refused(await t.http().get('/audit/streams/%20bad%20').set(auditor), 400, 'STREAM.BAD_ID');
      await refused(await t.http().get('/audit/streams/no-such-stream').set(auditor), 404, 'STREAM.NOT_FOUND');
      await refused(await t.http().get('/audit/events/-not-an-id').set(auditor), 400, 'EVENT.BAD_ID');
      await refused(await t.http().get('/audit/events/00000000-0000-4000-8000-000000000000').set(auditor), 404, 'EVENT.NOT_FOUND');
    });

    it('README 1007-1008: digest without position is 400 AUDIT.DIGEST_NEEDS_POSITION; position beyond the head is 400 AUDIT.POSITION_BEYOND_HEAD with details.headPosition', async () => {
      await refused(await t.http().get(`/audit/verify?digest=${'a'.repeat(64)}`).set(auditor), 400, 'AUDIT.DIGEST_NEEDS_POSITION');
      await refused(await t.http().get('/audit/verify?position=3').set(auditor), 400, 'AUDIT.DIGEST_NEEDS_POSITION');
      const d = await t.http().get('/audit/digest?position=99999999').set(auditor);
      await refused(d, 400, 'AUDIT.POSITION_BEYOND_HEAD');
      expect(typeof d.body.details.headPosition).toBe('number');
    });

    it('README 909: verify with a digest taken at a position beyond the head does not attest it: ok false, the missing events named', async () => {
      const head = await t.http().get('/audit/digest').set(auditor);
      const beyond = head.body.headPosition + 1000;
      const v = await t.http().get(`/audit/verify?digest=${head.body.digest}&position=${beyond}`).set(auditor);
      expect(v.status).toBe(200);
      expect(v.body.ok).toBe(false);
      expect(v.body.digest.matches).toBe(false);
      expect(v.body.logProblems.map((p: any) => p.kind)).toContain('log-ends-before-digest-position');
    });

    it('README 909-910: verify answers per broken stream and the digest check; digest at P matches verify at P', async () => {
      const dg = await t.http().get('/audit/digest?position=5').set(auditor);
      expect(dg.status).toBe(200);
      const v = await t.http().get(`/audit/verify?digest=${dg.body.digest}&position=5`).set(auditor);
      expect(v.status).toBe(200);
      expect(JSON.stringify(v.body)).toContain('"matches":true');
    });

    it('README 911: /audit/position-at?asOf= names the global position of an instant', async () => {
      const res = await t.http().get('/audit/position-at?asOf=2014-03-02T08:00:05Z').set(auditor);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toMatch(/"position":5\b/);
    });

    it('README 912: reports: county and centre together 400 REPORT.ONE_FILTER; ?centre= on the key-figures CSV 400 VALIDATION.UNKNOWN_FIELD; CSV has BOM and ;', async () => {
      await refused(await t.http().get('/reports/funding-mix/2013/csv?county=telemark&centre=kc-tm').set(auditor), 400, 'REPORT.ONE_FILTER');
      await refused(await t.http().get('/reports/2013/xlsx?county=telemark&centre=kc-tm').set(auditor), 400, 'REPORT.ONE_FILTER');
      await refused(await t.http().get('/reports/key-figures/2013/csv?centre=kc-tm').set(auditor), 400, 'VALIDATION.UNKNOWN_FIELD');
      const csv = await t.http().get('/reports/key-figures/2013/csv').set(auditor);
      expect(csv.status).toBe(200);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain(';');
    });

    it('README 912: CSV cell text starting with =, +, -, @ is prefixed with \' (a party named "+Vestfold…", "@Tønsberg", "-Re" in the funding-mix CSV)', async () => {
      const fv = await t.auth('finance-officer', ['vestfold'], 'fo-vestfold');
      await post(t, fv, '/parties', { partyId: 'vf-fk', name: '+Vestfold fylkeskommune', kind: 'county-authority', countyId: 'vestfold' });
      await post(t, fv, '/centres', { centreId: 'kc-vf', countyId: 'vestfold', name: '=SUM(A1)', municipality: 'Tønsberg', openedOn: '2010-01-01' });
      await post(t, fv, '/parties', { partyId: 'vf-at', name: '@Tønsberg kommune', kind: 'municipality' });
      await post(t, fv, '/parties', { partyId: 'vf-minus', name: '-Re kommune', kind: 'municipality' });
      for (const [id, party] of [['vf-1', 'vf-fk'], ['vf-2', 'vf-at'], ['vf-3', 'vf-minus']]) {
        await post(t, fv, '/centres/kc-vf/funding/operating-grants', { entryId: id, fiscalYear: 2013, partyId: party, decidedOn: '2013-01-01', amount: '10.00' });
      }
      const csv = await t.http().get('/reports/funding-mix/2013/csv?centre=kc-vf').set(auditor);
      expect(csv.status).toBe(200);
      for (const bad of [/(^|;|\n)\+Vestfold/, /(^|;|\n)@Tønsberg/, /(^|;|\n)-Re/, /(^|;|\n)=SUM/]) expect(csv.text).not.toMatch(bad);
      expect(csv.text).toContain("'+Vestfold");
      expect(csv.text).toContain("'@Tønsberg");
      expect(csv.text).toContain("'-Re");
    });

    it('README 915-920: a bare-date asOf is the end of that day in Norway; a malformed one 400 REQUEST.BAD_AS_OF', async () => {
      await refused(await t.http().get('/key-figures/2013?asOf=yesterday').set(vox), 400, 'REQUEST.BAD_AS_OF');
      await refused(await t.http().get('/key-figures/2013?asOf=2014-03-02T08:00:00').set(vox), 400, 'REQUEST.BAD_AS_OF');
      const bare = await t.http().get('/audit/position-at?asOf=2014-03-01').set(auditor);
      expect(bare.status).toBe(200);
      expect(JSON.stringify(bare.body)).toMatch(/"position":0\b/);
    });

    it('README 914-916: every read route accepts ?asOf= (and X-Ledger-Position)', async () => {
      const routes = [
        '/counties', '/counties/telemark', '/centres', '/centres/kc-tm', '/parties', '/parties/tm-fk', '/boards', '/boards/b-ok', '/partnerships',
        '/counties/telemark/partnership', '/centres/kc-tm/owner-agreements', '/counties/telemark/county-line-decisions', '/centres/kc-tm/co-locations',
        '/centres/kc-tm/governance', '/centres/kc-tm/nav-link', '/nav-links', '/grant-criteria-sets', '/grant-schemes', '/grant-schemes/2014',
        '/grant-schemes/2014/eligibility', '/counties/telemark/eligibility/2014', '/grant-schemes/2014/allocation', '/centres/kc-tm/grant-evidence',
        '/stimulus-grants', '/stimulus-grants/sg-ok', '/key-figures/2013', '/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv', '/reports/2013/xlsx',
        '/audit/streams/centre-kc-tm', '/audit/position-at',
      ];
      const bad: string[] = [];
      for (const r of routes) {
        const a = await t.http().get(`${r}?asOf=2026-01-01T00:00:00Z`).set(auditor);
        if (a.status !== 200) bad.push(`${r}?asOf → ${a.status} ${a.body?.code ?? ''}`);
        if (r === '/audit/position-at') continue;
        const b = await t.http().get(r).set(auditor).set('X-Ledger-Position', '1');
        if (b.status !== 200) bad.push(`${r} X-Ledger-Position → ${b.status} ${b.body?.code ?? ''}`);
      }
      expect(bad).toEqual([]);
    });

    it('README 915: a bare-date asOf means the end of that day in Norway (Europe/Oslo), not UTC', async () => {
      // 2015-06-01 is summer time: Oslo midnight is 22:00 UTC.
      now = Date.parse('2015-06-01T21:30:00.000Z') - 1000; // 23:30 in Oslo on 1 June
      const inDay = await send(admin, '/parties', { partyId: 'late-1', name: 'Late one', kind: 'other' });
      now = Date.parse('2015-06-01T22:30:00.000Z') - 1000; // 00:30 in Oslo on 2 June
      const nextDay = await send(admin, '/parties', { partyId: 'late-2', name: 'Late two', kind: 'other' });
      expect([inDay.status, nextDay.status]).toEqual([201, 201]);
      const at = await t.http().get('/audit/position-at?asOf=2015-06-01').set(auditor);
      expect(at.status).toBe(200);
      expect(JSON.stringify(at.body)).toContain(`"position":${inDay.body.position}`);
      expect((await t.http().get('/parties/late-1?asOf=2015-06-01').set(vox)).status).toBe(200);
      expect((await t.http().get('/parties/late-2?asOf=2015-06-01').set(vox)).status).toBe(404);
    });

    it('README 915-917: the log, digest and verify take no asOf (they name their cut another way)', async () => {
      for (const p of ['/audit/events?asOf=2014-03-03', '/audit/digest?asOf=2014-03-03', '/audit/verify?asOf=2014-03-03']) {
        const res = await t.http().get(p).set(auditor);
        expect({ p, status: res.status }).toEqual({ p, status: 400 });
      }
    });
  });

  // ---------------------------------------------------------------- Hardening (990–1022)

  describe('Hardening', () => {
    it('README 981-984: a blank required text is 400 VALIDATION.BLANK; the empty string VALIDATION.FAILED; a control character VALIDATION.NOT_PLAIN_TEXT', async () => {
      await refused(await send(admin, '/parties', { partyId: 'blank-1', name: '\u00a0\u200b\ufeff ', kind: 'other' }), 400, 'VALIDATION.BLANK');
      await refused(await send(admin, '/parties', { partyId: 'blank-2', name: '', kind: 'other' }), 400, 'VALIDATION.FAILED');
      await refused(await send(admin, '/parties', { partyId: 'blank-3', name: 'A\u0007B', kind: 'other' }), 400, 'VALIDATION.NOT_PLAIN_TEXT');
      await refused(await send(fo, '/centres/kc-tm/funding/entries/amt-null/reversal', { reason: '\u2003\n' }), 400, 'VALIDATION.BLANK');
    });

    it('README 984-987: a filter given twice, or a party kind that is none, is 400 REQUEST.BAD_FILTER', async () => {
      await refused(await t.http().get('/parties?kind=other&kind=municipality').set(vox), 400, 'REQUEST.BAD_FILTER');
      await refused(await t.http().get('/parties?kind=guild').set(vox), 400, 'REQUEST.BAD_FILTER');
      await refused(await t.http().get('/owner-agreements/cost-share-compliance/2013?countyId=telemark&countyId=ostfold').set(vox), 400, 'REQUEST.BAD_FILTER');
    });

    it('README 979: JSON nested deeper than 32 is 400', async () => {
      let deep: any = {};
      for (let i = 0; i < 40; i++) deep = { a: deep };
      const res = await send(admin, '/parties', { partyId: 'deep', name: 'Deep', kind: 'other', note: deep });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('REQUEST.TOO_DEEP');
    });

    it('README 990-992: sub must be a text of 1–255 characters (256 is 401 AUTH.TOKEN_INVALID, 255 passes)', async () => {
      const key = new TextEncoder().encode(t.config.jwtSecret!);
      const sign = (sub: string) => new SignJWT({ name: 'x', roles: ['vox'], counties: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('10m').sign(key);
      const long = await t.http().get('/counties').set('Authorization', `Bearer ${await sign('x'.repeat(256))}`);
      expect({ status: long.status, code: long.body.code }).toEqual({ status: 401, code: 'AUTH.TOKEN_INVALID' });
      expect((await t.http().get('/counties').set('Authorization', `Bearer ${await sign('y'.repeat(255))}`)).status).toBe(200);
    });
  });
});
