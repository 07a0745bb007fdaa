import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { unzip } from '../../libs/application/src/audit/xlsx';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { fakeDateOnly } from '../helpers/fake-date';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Three small product fixes:
 * 1. a rename dated in the future showed as the centre's `name` in the directory today; now `name` is
 *    the name in force today (Norway's date) and the rename is `upcomingRename` until its day;
 * 2. the XLSX «Nøkkeltall» sheet of a report filtered with ?centre= showed every county; now the
 *    centre's county only, under a first line naming both;
 * 3. service declarations and user-survey periods could be dated in the future; now every kind of
 *    evidence dated after today (Norway's date) is 422 GRANT_EVIDENCE.IN_FUTURE.
 */

type Auth = { Authorization: string };

/** The first instant (ms) of a date in Norway: midnight Europe/Oslo is 23:00 or 22:00 UTC the day before. */
const osloMidnight = (day: string): number => {
  for (const hours of [1, 2]) {
    const at = Date.parse(`${day}T00:00:00Z`) - hours * 3600_000;
    if (osloDateOf(new Date(at).toISOString()) === day && osloDateOf(new Date(at - 1).toISOString()) !== day) return at;
  }
  throw new Error(`no Oslo midnight found for ${day}`);
};

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A worksheet's rows as the text or number of each cell (only what the ledger's writer produces: inline strings and numbers). */
const sheetRows = (xml: string): (string | number | null)[][] =>
  [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map(([, cells]) => {
    const row: (string | number | null)[] = [];
    for (const [, ref, body] of cells.matchAll(/<c r="([A-Z]+)\d+"[^>]*>(.*?)<\/c>/g)) {
      const col = [...ref].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      while (row.length < col) row.push(null);
      const text = /<t xml:space="preserve">(.*?)<\/t>/s.exec(body);
      row.push(text ? text[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') : Number(/<v>(.*?)<\/v>/.exec(body)![1]));
    }
    return row;
  });

describe('small fixes (2)', () => {
  let t: TestApp;
  let fo: Auth;
  let admin: Auth;

  const post = async (auth: Auth, url: string, body: object) => {
    const res = await t.http().post(url).set(auth).send(body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    fo = await t.auth('finance-officer', ['telemark', 'ostfold'], 'sf2-fo');
    admin = await t.auth('admin');
    await post(fo, '/parties', { partyId: 'sf2-tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await post(fo, '/parties', { partyId: 'sf2-of-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    for (const [centreId, countyId, name] of [
      ['sf2-skien', 'telemark', 'Karrieresenteret Skien'],
      ['sf2-notodden', 'telemark', 'Karrieresenteret Notodden'],
      ['sf2-sarpsborg', 'ostfold', 'Karrieresenter Østfold'],
    ]) {
      await post(fo, '/centres', { centreId, countyId, name, municipality: name.split(' ').pop(), openedOn: '2010-01-01' });
    }
    let n = 0;
    for (const [centreId, partyId, amount] of [
      ['sf2-skien', 'sf2-tm-fk', '1000000.00'],
      ['sf2-notodden', 'sf2-tm-fk', '500000.00'],
      ['sf2-sarpsborg', 'sf2-of-fk', '690400.00'],
    ]) {
      await post(fo, `/centres/${centreId}/funding/operating-grants`, { entryId: `sf2-og-${++n}`, fiscalYear: 2013, partyId, decidedOn: '2012-12-12', reference: 'FT-sak 1/12', amount });
    }
  });
  afterAll(() => t.close());

  // ---------------- 1. a future-dated rename in the centre directory ----------------

  describe('1. the directory names a centre by the name in force today; a rename dated later is upcomingRename until its day', () => {
    it('GET /centres, /centres/:id, /counties and /counties/:id: name in force today, upcomingRename the earliest future rename (the last recorded on that day), null when none', async () => {
      const today = osloDateOf(new Date().toISOString());
      const soon = addDays(today, 40);
      const later = addDays(today, 400);
      await post(fo, '/centres/sf2-notodden/rename', { name: 'Karriere Notodden', effectiveFrom: '2012-01-01' });
      // Recorded in this order: the one from `later` first, then two from `soon` (the second wins that day).
      await post(fo, '/centres/sf2-notodden/rename', { name: 'Karriere Øst-Telemark', effectiveFrom: later });
      await post(fo, '/centres/sf2-notodden/rename', { name: 'Karriere Notodden og Tinn (utkast)', effectiveFrom: soon });
      await post(fo, '/centres/sf2-notodden/rename', { name: 'Karriere Notodden og Tinn', effectiveFrom: soon });
      const auditor = await t.auth('auditor');
      const expected = { centreId: 'sf2-notodden', name: 'Karriere Notodden', upcomingRename: { name: 'Karriere Notodden og Tinn', effectiveFrom: soon } };

      const one = (await t.http().get('/centres/sf2-notodden').set(auditor)).body;
      expect(one).toMatchObject(expected);
      expect(one.names).toHaveLength(5); // every name, as recorded
      const list = (await t.http().get('/centres').set(auditor)).body;
      expect(list.find((c: { centreId: string }) => c.centreId === 'sf2-notodden')).toMatchObject(expected);
      expect(list.find((c: { centreId: string }) => c.centreId === 'sf2-skien')).toMatchObject({ name: 'Karrieresenteret Skien', upcomingRename: null });
      const county = (await t.http().get('/counties/telemark').set(auditor)).body;
      expect(county.centres.find((c: { centreId: string }) => c.centreId === 'sf2-notodden')).toMatchObject(expected);
      const counties = (await t.http().get('/counties').set(auditor)).body;
      expect(counties.find((c: { countyId: string }) => c.countyId === 'telemark').centres.find((c: { centreId: string }) => c.centreId === 'sf2-notodden')).toMatchObject(expected);
      // Governance answers name the centre on their date (default today).
      expect((await t.http().get('/centres/sf2-notodden/governance').set(auditor)).body.name).toBe('Karriere Notodden');
      expect((await t.http().get(`/centres/sf2-notodden/governance?date=${soon}`).set(auditor)).body.name).toBe('Karriere Notodden og Tinn');
      expect((await t.http().get(`/centres/sf2-notodden/nav-link?date=${later}`).set(auditor)).body.name).toBe('Karriere Øst-Telemark');
      const links = (await t.http().get('/nav-links?countyId=telemark').set(auditor)).body.links;
      expect(links.find((l: { centreId: string }) => l.centreId === 'sf2-notodden').name).toBe('Karriere Notodden');
    });

    it('across midnight (Europe/Oslo) of the rename\'s day: the new name from its first second, upcomingRename gone, a new ETag; nothing kept in the answer cache before, the answer cached again after', async () => {
      const today = osloDateOf(new Date().toISOString());
      const day = addDays(today, 1);
      await post(fo, '/centres/sf2-skien/rename', { name: 'Karriere Skien', effectiveFrom: day });
      const token = await t.tokens.issue({ sub: 'sf2-midnight', name: 'Midnatt', roles: ['auditor'], counties: [] }, 3 * 86400);
      const auth = { authorization: `Bearer ${token}` };
      const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
      const server = t.app.getHttpServer();
      const ask = async (url: string, headers: Record<string, string> = {}) => {
        const res = await rawGet(server, url, { ...auth, ...headers });
        return { status: res.statusCode, etag: res.headers.etag as string, body: res.statusCode === 200 ? JSON.parse(res.body) : null };
      };
      const skienIn = (url: string, body: any) => (url === '/centres/sf2-skien' ? body : url === '/centres' ? body.find((c: any) => c.centreId === 'sf2-skien') : url === '/counties/telemark' ? body.centres.find((c: any) => c.centreId === 'sf2-skien') : body.find((c: any) => c.countyId === 'telemark').centres.find((c: any) => c.centreId === 'sf2-skien'));
      const URLS = ['/centres/sf2-skien', '/centres', '/counties/telemark', '/counties'];

      fakeDateOnly(osloMidnight(day) - 10_000);
      try {
        const size = cache.size;
        const before: Record<string, string> = {};
        for (const url of URLS) {
          for (let i = 0; i < 2; i++) {
            const a = await ask(url);
            expect([url, a.status, skienIn(url, a.body)]).toEqual([url, 200, expect.objectContaining({ name: 'Karrieresenteret Skien', upcomingRename: { name: 'Karriere Skien', effectiveFrom: day } })]);
            before[url] = a.etag;
          }
        }
        expect(cache.size).toBe(size); // an answer naming a rename to come is not kept

        jest.setSystemTime(osloMidnight(day) + 1_000);
        const after: Record<string, string> = {};
        for (const url of URLS) {
          const a = await ask(url);
          expect([url, a.status, skienIn(url, a.body)]).toEqual([url, 200, expect.objectContaining({ name: 'Karriere Skien', upcomingRename: null })]);
          expect([url, a.etag]).not.toEqual([url, before[url]]);
          after[url] = a.etag;
          // The ETag of yesterday's answer no longer matches: a full answer, not 304.
          expect([url, (await ask(url, { 'if-none-match': before[url] })).status]).toEqual([url, 200]);
        }
        // Now only the centre without a rename to come is kept (once); the lists still hold sf2-notodden's
        // upcoming rename (the test above) and stay out. The kept answer is the one tagged after midnight.
        expect(cache.size).toBe(size + 1);
        expect((await ask('/centres/sf2-skien', { 'if-none-match': after['/centres/sf2-skien'] })).status).toBe(304);
        expect(cache.size).toBe(size + 1);
      } finally {
        jest.useRealTimers();
      }
    });

    it('documents upcomingRename in the OpenAPI answer of the directory routes', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      const ref = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema;
      expect(ref('/centres/{centreId}')).toEqual({ $ref: '#/components/schemas/CentreAnswer' });
      expect(ref('/centres')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/CentreAnswer' } });
      expect(ref('/counties')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/CountyAnswer' } });
      expect(ref('/counties/{countyId}')).toEqual({ $ref: '#/components/schemas/CountyAnswer' });
      const centre = doc.components.schemas.CentreAnswer;
      expect(Object.keys(centre.properties).sort()).toEqual(['centreId', 'closedOn', 'countyId', 'municipality', 'name', 'names', 'openedOn', 'registeredAtPosition', 'upcomingRename']);
      expect(centre.properties.upcomingRename).toMatchObject({ nullable: true });
      expect(doc.components.schemas.UpcomingRenameAnswer.properties.effectiveFrom).toMatchObject({ type: 'string', format: 'date' });
      // What the server answers has exactly the documented fields.
      const answer = (await t.http().get('/centres/sf2-sarpsborg').set(admin)).body;
      expect(Object.keys(answer).sort()).toEqual(Object.keys(centre.properties).sort());
    });
  });

  // ---------------- 2. the XLSX «Nøkkeltall» sheet with ?centre= ----------------

  describe('2. XLSX «Nøkkeltall» follows the report\'s filter', () => {
    const sheet1 = async (query: string) => {
      const res = await t.http().get(`/reports/2013/xlsx${query}`).set(admin).buffer(true).parse(binary);
      expect([query, res.status]).toEqual([query, 200]);
      const files = unzip(res.body as Buffer);
      return { rows: sheetRows(files.get('xl/worksheets/sheet1.xml')!.toString('utf8')), xml: files.get('xl/worksheets/sheet1.xml')!.toString('utf8'), mix: files.get('xl/worksheets/sheet2.xml')!.toString('utf8') };
    };
    const row = (rows: (string | number | null)[][], label: string) => rows.find((r) => r[0] === label)?.slice(1);

    it("?centre=: only the centre's county for that year, under a first line «Fylket til <centre>: <county>»", async () => {
      const { rows, xml, mix } = await sheet1('?centre=sf2-sarpsborg');
      expect(rows[0]).toEqual(['Fylket til Karrieresenter Østfold: Østfold']);
      expect(rows[1]).toEqual(['Nøkkeltall 2013', 'Østfold']);
      expect(row(rows, 'Antall karrieresentre')).toEqual([1]);
      expect(row(rows, 'Driftsmidler fra fylkeskommunen, kr')).toEqual([690400]);
      expect(xml).toContain('ySplit="2"'); // both lines stay in view
      expect(mix).toContain('Finansieringsmiks 2013, karrieresenter: Karrieresenter Østfold');

      // A county with two centres: the county's figures (both centres), not the centre's alone; the centre named as in 2013.
      const telemark = (await sheet1('?centre=sf2-notodden')).rows;
      expect(telemark[0]).toEqual(['Fylket til Karriere Notodden: Telemark']);
      expect(telemark[1]).toEqual(['Nøkkeltall 2013', 'Telemark']);
      expect(row(telemark, 'Antall karrieresentre')).toEqual([2]);
      expect(row(telemark, 'Driftsmidler fra fylkeskommunen, kr')).toEqual([1500000]);
      // The same column as the key figures' JSON for that county.
      const json = (await t.http().get('/key-figures/2013?counties=telemark').set(admin)).body.counties[0];
      expect([json.centres, json.money['operatingGrant.countyAuthority'].amount]).toEqual([2, '1500000.00']);
    });

    it('?county=: that county only, no extra line; unfiltered: every county with a centre that year, as before', async () => {
      const county = (await sheet1('?county=telemark')).rows;
      expect(county[0]).toEqual(['Nøkkeltall 2013', 'Telemark']);
      const all = await sheet1('');
      expect(all.rows[0]).toEqual(['Nøkkeltall 2013', 'Østfold', 'Telemark']);
      expect(row(all.rows, 'Antall karrieresentre')).toEqual([1, 2]);
      expect(all.xml).toContain('ySplit="1"');
    });

    it('?centre= naming no centre is 404 CENTRE.NOT_FOUND; with ?county= too, 400 REPORT.ONE_FILTER', async () => {
      const none = await t.http().get('/reports/2013/xlsx?centre=sf2-nowhere').set(admin);
      expect([none.status, none.body.code]).toEqual([404, 'CENTRE.NOT_FOUND']);
      const both = await t.http().get('/reports/2013/xlsx?centre=sf2-skien&county=telemark').set(admin);
      expect([both.status, both.body.code]).toEqual([400, 'REPORT.ONE_FILTER']);
    });
  });

  // ---------------- 3. evidence dated in the future ----------------

  describe('3. evidence dated after today (Norway) is refused: 422 GRANT_EVIDENCE.IN_FUTURE, nothing recorded', () => {
    // 23:30 UTC: already the next day in Norway (00:30 in winter, 01:30 in summer).
    const utcDay = new Date().toISOString().slice(0, 10);
    const now = Date.parse(`${utcDay}T23:30:00Z`);
    const today = osloDateOf(new Date(now).toISOString());
    const tomorrow = addDays(today, 1);
    const url = (kind: string) => `/centres/sf2-sarpsborg/grant-evidence/${kind}`;
    const activity = (deliveredOn: string) => ({ deliveredOn, kind: 'course', targetGroups: ['nav-staff'], participants: 4, description: 'Kurs for NAV-veiledere' });
    const declaration = (effectiveFrom: string) => ({ effectiveFrom, freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
    const survey = (to: string) => ({ period: { from: '2013-01-01', to } });
    const report = (submittedOn: string) => ({ year: 2013, submittedOn });

    it("the date in Norway is the day after the UTC date at 23:30 UTC (what the cases below rely on)", () => {
      expect(today).toBe(addDays(utcDay, 1));
    });

    it.each([
      ['service-declarations', declaration(tomorrow), 'effectiveFrom', 'The service declaration takes effect'],
      ['user-survey-participations', survey(tomorrow), 'period.to', 'The user-survey participation period ends'],
      ['annual-reports', report(tomorrow), 'submittedOn', 'The annual report was submitted'],
      ['competence-development', activity(tomorrow), 'deliveredOn', 'The competence-development activity was delivered'],
    ])('%s dated tomorrow: 422 naming the date and today, nothing recorded', async (kind, body, field, what) => {
      const fo2 = await t.tokens.issue({ sub: 'sf2-future', name: 'Økonomi', roles: ['finance-officer'], counties: ['ostfold'] }, 3 * 86400);
      fakeDateOnly(now);
      try {
        const head = await t.store.headPosition();
        const res = await t.http().post(url(kind)).set({ Authorization: `Bearer ${fo2}` }).send(body);
        expect([res.status, res.body.code]).toEqual([422, 'GRANT_EVIDENCE.IN_FUTURE']);
        expect(res.body.details).toEqual({ field, date: tomorrow, today });
        expect(res.body.message).toBe(`${what} on ${tomorrow}, after today (${today}, Norwegian time): evidence can only be recorded once it has happened, so record it on or after ${tomorrow}.`);
        expect(await t.store.headPosition()).toBe(head);
      } finally {
        jest.useRealTimers();
      }
    });

    it("evidence dated today in Norway (tomorrow by UTC) is recorded, a survey period that ended today too", async () => {
      const fo2 = await t.tokens.issue({ sub: 'sf2-today', name: 'Økonomi', roles: ['finance-officer'], counties: ['ostfold'] }, 3 * 86400);
      fakeDateOnly(now);
      try {
        for (const [kind, body] of [
          ['service-declarations', declaration(today)],
          ['user-survey-participations', survey(today)],
          ['annual-reports', report(today)],
          ['competence-development', activity(today)],
        ] as [string, object][]) {
          const res = await t.http().post(url(kind)).set({ Authorization: `Bearer ${fo2}` }).send(body);
          expect([kind, res.status]).toEqual([kind, 201]);
        }
      } finally {
        jest.useRealTimers();
      }
    });

    it('`ledger import` refuses such a line in its dry run, naming the line and the code; the historic lines pass', async () => {
      const registry = new CommandRegistry();
      const line = (command: string, payload: object) => JSON.stringify({ command, payload });
      const far = addDays(osloDateOf(new Date().toISOString()), 30);
      const file = [
        line('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }),
        line('RegisterCentre', { centreId: 'tm-kc', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2010-01-01' }),
        line('DeclareService', { centreId: 'tm-kc', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }),
        line('RecordUserSurveyParticipation', { centreId: 'tm-kc', period: { from: '2013-01-01', to: '2013-12-31' } }),
        line('RecordUserSurveyParticipation', { centreId: 'tm-kc', period: { from: '2014-01-01', to: far } }),
        line('DeclareService', { centreId: 'tm-kc', effectiveFrom: far, freeOfCharge: true, openToAllAdults: true, fromAge: 19 }),
      ].join('\n');
      const { lines, problems } = await parseImportFile(file, registry);
      expect(problems).toEqual([]);
      const refused = await dryRunImport(new MemoryEventStore(), registry, lines, { id: 'ops', name: 'Ops', roles: ['admin'], counties: [], actingRole: 'admin' });
      expect(refused.map((p) => [p.line, p.code])).toEqual([
        [5, 'GRANT_EVIDENCE.IN_FUTURE'],
        [6, 'GRANT_EVIDENCE.IN_FUTURE'],
      ]);
    });
  });
});
