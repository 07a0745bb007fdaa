import { todayInNorway } from '../../apps/api/src/ledger/today';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { addDays } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A review of the rename rules as a finance officer or an auditor reads them in the README:
 * - "One centre is registered once": a centre rename is 409 CENTRE.NAME_TAKEN when another open centre
 *   of the county has the new name on a day of the window it would hold (from effectiveFrom until the
 *   centre's own next rename or its closing); "a name its holder gave up, or held only while closed,
 *   is free from then"; two renames from one day: "the one recorded last, as the name on that day will be".
 * - "Unique names" (parties): a rename is judged "from its effectiveFrom (back-dated too) until the
 *   party's own next rename", a registration "today and after".
 * - "every list filter ?countyId=" answers 404 COUNTY.NOT_FOUND for a county that is not registered,
 *   told the registered id when only the case differs.
 * Every centre of a county has its own name unless the check is about names.
 */

type Auth = { Authorization: string };

describe('rename rules and county list filters: a review (HTTP)', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark and Vestfold
  let admin: Auth;
  let auditor: Auth;

  const post = (path: string, body: object, who: Auth = kari) => t.http().post(path).set(who).send(body);
  const get = (path: string, who: Auth = auditor) => t.http().get(path).set(who);
  /** A refusal that records nothing: status and code, and the log's head unchanged. */
  const refused = async (path: string, body: object, status: number, code: string, who: Auth = kari) => {
    const before = await t.store.headPosition();
    const res = await post(path, body, who);
    expect([path, body, res.status, res.body.code, typeof res.body.message]).toEqual([path, body, status, code, 'string']);
    expect(await t.store.headPosition()).toBe(before);
    return res;
  };
  const addCentre = async (centreId: string, name: string, openedOn = '2010-01-01', countyId = 'telemark') => {
    const res = await post('/centres', { centreId, countyId, name, municipality: 'Skien', openedOn }, admin);
    expect([centreId, res.status, res.body.code]).toEqual([centreId, 201, undefined]);
  };
  const rename = (centreId: string, name: string, effectiveFrom: string, who: Auth = kari) => post(`/centres/${centreId}/rename`, { name, effectiveFrom }, who);
  const renamed = async (centreId: string, name: string, effectiveFrom: string) => {
    const res = await rename(centreId, name, effectiveFrom);
    expect([centreId, name, effectiveFrom, res.status, res.body.code]).toEqual([centreId, name, effectiveFrom, 200, undefined]);
    return res;
  };
  const renameRefused = (centreId: string, name: string, effectiveFrom: string, who: Auth = kari) => refused(`/centres/${centreId}/rename`, { name, effectiveFrom }, 409, 'CENTRE.NAME_TAKEN', who);
  const closeCentre = async (centreId: string, closedOn: string) => {
    const res = await post(`/centres/${centreId}/close`, { closedOn, reason: 'Lagt ned' }, admin);
    expect([centreId, res.status, res.body.code]).toEqual([centreId, 200, undefined]);
  };
  const addParty = async (partyId: string, name: string, kind = 'municipality', countyId: string | null = 'telemark') => {
    const res = await post('/parties', { partyId, name, kind, countyId }, admin);
    expect([partyId, res.status, res.body.code]).toEqual([partyId, 201, undefined]);
  };
  const renameParty = (partyId: string, name: string, effectiveFrom?: string) => post(`/parties/${partyId}/rename`, effectiveFrom === undefined ? { name } : { name, effectiveFrom });
  const partyRenamed = async (partyId: string, name: string, effectiveFrom?: string) => {
    const res = await renameParty(partyId, name, effectiveFrom);
    expect([partyId, name, res.status, res.body.code]).toEqual([partyId, name, 200, undefined]);
  };
  const lists = (countyId: string, extra = ''): string[] => [
    `/parties?countyId=${countyId}${extra}`,
    `/boards?countyId=${countyId}${extra}`,
    `/nav-links?date=2014-06-01&countyId=${countyId}${extra}`,
    `/stimulus-grants?countyId=${countyId}${extra}`,
    `/owner-agreements/cost-share-compliance/2014?countyId=${countyId}${extra}`,
  ];

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark', 'vestfold'], 'kari');
    admin = await t.auth('admin', [], 'admin');
    auditor = await t.auth('auditor', [], 'revisor');
  });
  afterAll(() => t?.close());

  describe('centre renames: the window the new name would hold', () => {
    it('renaming on the exact day the other centre is closed (its first closed day) is free; one day earlier is 409 naming it, nothing recorded', async () => {
      await addCentre('kc-ovre', 'Karriere Øvre Telemark');
      await addCentre('kc-tinn', 'Karriere Tinn');
      await closeCentre('kc-ovre', '2017-06-01');
      const early = await renameRefused('kc-tinn', 'Karriere Øvre Telemark', '2017-05-31');
      expect(early.body.details).toEqual({ centreId: 'kc-ovre', name: 'Karriere Øvre Telemark', countyId: 'telemark' });
      expect(early.body.message).toContain('kc-ovre');
      const centre = (await get('/centres/kc-tinn')).body;
      expect([centre.name, centre.upcomingRename, centre.names]).toEqual(['Karriere Tinn', null, [{ name: 'Karriere Tinn', from: '2010-01-01' }]]);
      await renamed('kc-tinn', 'Karriere Øvre Telemark', '2017-06-01');
    });

    it('renaming from the other centre\'s opening day, or from any day before it with no later rename of its own, is 409 naming the newer centre', async () => {
      await addCentre('kc-sauherad', 'Karriere Sauherad');
      await addCentre('kc-bo-ny', 'Karriere Bø', '2016-03-01');
      for (const from of ['2016-03-01', '2016-02-29', '2012-01-01']) {
        const res = await renameRefused('kc-sauherad', 'KARRIERE BØ', from);
        expect(res.body.details).toMatchObject({ centreId: 'kc-bo-ny', name: 'Karriere Bø' });
      }
    });

    it('a new name whose window ends (at the centre\'s own next rename) exactly on the other centre\'s opening day is free; one that ends a day later is 409', async () => {
      await addCentre('kc-gvarv', 'Karriere Gvarv');
      await addCentre('kc-nome', 'Karriere Nome');
      await addCentre('kc-lunde', 'Karriere Lunde sentrum', '2018-03-01');
      await renamed('kc-gvarv', 'Karriere Midt', '2018-03-01');
      await renamed('kc-nome', 'Karriere Nome og Lunde', '2018-03-02');
      const late = await renameRefused('kc-nome', 'Karriere Lunde sentrum', '2014-01-01'); // would hold on 2018-03-01 too
      expect(late.body.details).toMatchObject({ centreId: 'kc-lunde' });
      await renamed('kc-gvarv', 'Karriere Lunde sentrum', '2014-01-01'); // holds 2014-01-01 to 2018-02-28
    });

    it('a rename recorded for a date before another centre\'s later-recorded rename to the same name is 409 naming that centre when the windows meet, free when its own next rename ends it first', async () => {
      await addCentre('kc-hjartdal', 'Karriere Hjartdal');
      await addCentre('kc-seljord-r', 'Karriere Seljord og Kviteseid');
      await addCentre('kc-tokke', 'Karriere Tokke');
      await renamed('kc-hjartdal', 'Karriere Vest', '2018-01-01');
      const res = await renameRefused('kc-seljord-r', 'Karriere Vest', '2016-01-01');
      expect(res.body.details).toEqual({ centreId: 'kc-hjartdal', name: 'Karriere Vest', countyId: 'telemark' });
      expect(res.body.message).toContain('kc-hjartdal');
      await renamed('kc-tokke', 'Karriere Tokke og Vinje', '2017-01-01');
      await renamed('kc-tokke', 'karriere  vest', '2016-01-01'); // 2016 only, before kc-hjartdal takes it
    });

    it('renaming back to a former own name is judged like any new name: free while nobody else has it, 409 naming the centre that took it meanwhile', async () => {
      await addCentre('kc-vinje', 'Karriere Vinje');
      await renamed('kc-vinje', 'Karriere Rauland', '2015-01-01');
      await renamed('kc-vinje', 'Karriere Vinje', '2016-01-01');
      expect((await get('/centres/kc-vinje')).body.names.map((n: { name: string }) => n.name)).toEqual(['Karriere Vinje', 'Karriere Rauland', 'Karriere Vinje']);
      await renamed('kc-vinje', 'Karriere Haukeli', '2017-01-01');
      await addCentre('kc-vinje-ny', 'KARRIERE VINJE', '2018-01-01'); // kc-vinje gave the name up in 2017
      const back = await renameRefused('kc-vinje', 'Karriere Vinje', '2019-01-01');
      expect(back.body.details).toEqual({ centreId: 'kc-vinje-ny', name: 'KARRIERE VINJE', countyId: 'telemark' });
    });

    it('a name written another way (decomposed Å, doubled or no-break spaces, other case, spaces at the ends) is the same name: 409 naming the holder, nothing recorded', async () => {
      await addCentre('kc-amot', 'Karriere Åmot og Rjukan');
      await addCentre('kc-atra', 'Karriere Atrå');
      for (const name of ['Karriere A\u030Amot og Rjukan', 'Karriere  Åmot  og Rjukan', 'Karriere\u00A0Åmot og Rjukan', 'KARRIERE ÅMOT OG RJUKAN', ' Karriere Åmot og Rjukan ']) {
        const res = await renameRefused('kc-atra', name, '2015-01-01');
        expect([name, res.body.details]).toEqual([name, { centreId: 'kc-amot', name: 'Karriere Åmot og Rjukan', countyId: 'telemark' }]);
      }
    });

    it('an admin is held to the same rule as a finance officer', async () => {
      await addCentre('kc-skien-adm', 'Karriere Skien sentrum');
      await addCentre('kc-siljan', 'Karriere Siljan');
      const res = await renameRefused('kc-siljan', 'karriere skien sentrum', '2014-01-01', admin);
      expect(res.body.details.centreId).toBe('kc-skien-adm');
    });

    it('a rename the centre itself replaced on the same day (the one recorded last holds) never gave it that name: another centre may take it', async () => {
      await addCentre('kc-bamble-r', 'Karriere Bamble');
      await addCentre('kc-kragero-r', 'Karriere Kragerø');
      await renamed('kc-bamble-r', 'Karriere Grenland Sør', '2018-01-01');
      await renamed('kc-bamble-r', 'Karriere Bamble og Langesund', '2018-01-01'); // the correction: this is the name from 2018
      const bamble = (await get('/centres/kc-bamble-r')).body;
      expect(bamble.name).toBe('Karriere Bamble og Langesund');
      // "Karriere Grenland Sør" is kc-bamble-r's on no day, so it is free for kc-kragero-r.
      const res = await rename('kc-kragero-r', 'Karriere Grenland Sør', '2016-01-01');
      expect([res.status, res.body.code, res.body.details]).toEqual([200, undefined, undefined]);
    });

    it('likewise a centre registered with a name another centre was given only by a rename replaced on the same day is recorded (201)', async () => {
      await addCentre('kc-drangedal-r', 'Karriere Drangedal');
      await renamed('kc-drangedal-r', 'Karriere Telemark Øst', '2019-01-01');
      await renamed('kc-drangedal-r', 'Karriere Drangedal og Nissedal', '2019-01-01');
      const res = await post('/centres', { centreId: 'kc-ost', countyId: 'telemark', name: 'Karriere Telemark Øst', municipality: 'Porsgrunn', openedOn: '2018-06-01' });
      expect([res.status, res.body.code]).toEqual([201, undefined]);
    });

    it('a name the other centre holds only while closed (a rename recorded for a day after its later-recorded closing) is free', async () => {
      await addCentre('kc-fyresdal', 'Karriere Fyresdal');
      await addCentre('kc-nissedal-r', 'Karriere Nissedal');
      await renamed('kc-fyresdal', 'Karriere Dalen', '2021-01-01');
      await closeCentre('kc-fyresdal', '2020-01-01');
      await renamed('kc-nissedal-r', 'Karriere Dalen', '2019-01-01');
    });

    it('the renamed centre\'s own closing ends the window: a name another centre has only from that closing day is free; one it has a day earlier is not', async () => {
      await addCentre('kc-rjukan', 'Karriere Rjukan');
      await addCentre('kc-mael', 'Karriere Mæl');
      await closeCentre('kc-rjukan', '2020-01-01');
      await closeCentre('kc-mael', '2020-01-02');
      await addCentre('kc-tinn-ny', 'Karriere Tinn og Rjukan', '2020-01-01');
      const res = await renameRefused('kc-mael', 'Karriere Tinn og Rjukan', '2018-01-01');
      expect(res.body.details.centreId).toBe('kc-tinn-ny');
      await renamed('kc-rjukan', 'Karriere Tinn og Rjukan', '2018-01-01');
    });

    it('renaming a centre to its own name written with a decomposed letter or spaces at the ends is no rename (nothing recorded), as for a party', async () => {
      await addCentre('kc-ardal', 'Karriere Årdal');
      const before = await t.store.headPosition();
      for (const name of ['Karriere A\u030Ardal', ' Karriere Årdal ']) {
        const res = await rename('kc-ardal', name, '2015-01-01');
        expect([name, res.status]).toEqual([name, 200]);
      }
      expect((await get('/centres/kc-ardal')).body.names).toEqual([{ name: 'Karriere Årdal', from: '2010-01-01' }]);
      expect(await t.store.headPosition()).toBe(before);
    });

    it('two centres renamed to one name at the same moment: exactly one is recorded, the other is 409 naming it', async () => {
      await addCentre('kc-kviteseid-r', 'Karriere Kviteseid');
      await addCentre('kc-treungen', 'Karriere Treungen');
      const before = await t.store.headPosition();
      const [a, b] = await Promise.all([rename('kc-kviteseid-r', 'Karriere Vest-Telemark Nord', '2016-01-01'), rename('kc-treungen', 'KARRIERE VEST-TELEMARK NORD', '2016-01-01')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.code).toBe('CENTRE.NAME_TAKEN');
      expect(loser.body.details.centreId).toBe(a.status === 409 ? 'kc-treungen' : 'kc-kviteseid-r');
      expect(await t.store.headPosition()).toBe(before + 1);
    });

    it('a rename and a registration of another centre with that name at the same moment: exactly one is recorded', async () => {
      await addCentre('kc-hoydalsmo', 'Karriere Høydalsmo');
      const before = await t.store.headPosition();
      const [r, g] = await Promise.all([
        rename('kc-hoydalsmo', 'Karriere Telemark Vest', '2016-01-01'),
        post('/centres', { centreId: 'kc-tm-vest', countyId: 'telemark', name: 'karriere telemark vest', municipality: 'Vinje', openedOn: '2015-01-01' }),
      ]);
      expect([r.status, g.status].sort()).toEqual([200, 409]);
      expect([r.body.code, g.body.code]).toContain('CENTRE.NAME_TAKEN');
      expect(await t.store.headPosition()).toBe(before + 1);
    });

    it('ledger import\'s dry run applies the rule to the file\'s own earlier lines: a second centre renamed to the first one\'s new name is refused, naming its line; nothing written', async () => {
      await addCentre('kc-imp-a', 'Karriere Import Nord');
      await addCentre('kc-imp-b', 'Karriere Import Sør');
      const file = [
        { command: 'RenameCentre', payload: { centreId: 'kc-imp-a', name: 'Karriere Import', effectiveFrom: '2016-01-01' } },
        { command: 'RenameCentre', payload: { centreId: 'kc-imp-b', name: 'KARRIERE  IMPORT', effectiveFrom: '2017-01-01' } },
        { command: 'RegisterCentre', payload: { centreId: 'kc-imp-c', countyId: 'telemark', name: 'Karriere Import', municipality: 'Skien', openedOn: '2015-01-01' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n');
      const registry = t.app.get(CommandRegistry);
      const { lines, problems } = await parseImportFile(file, registry);
      expect(problems).toEqual([]);
      const actor = { id: 'kari', name: 'Kari', roles: ['finance-officer' as const], counties: ['telemark'], actingRole: 'finance-officer' as const };
      const before = await t.store.headPosition();
      for (const engine of [t.app.get(ProjectionEngine), null]) {
        const found = await dryRunImport(t.store, registry, lines, actor, engine);
        expect(found.map((p) => [p.line, p.code])).toEqual([
          [2, 'CENTRE.NAME_TAKEN'],
          [3, 'CENTRE.NAME_TAKEN'],
        ]);
        expect(found[0].message).toContain('kc-imp-a');
      }
      expect(await t.store.headPosition()).toBe(before);
    });
  });

  describe('party renames: the days the new name would hold', () => {
    it('a back-dated rename into days another party still had the name is 409 naming it (nothing recorded); dated from the day that party gave it up, it is recorded', async () => {
      await addParty('tm-porsgrunn', 'Porsgrunn kommune');
      await addParty('tm-siljan', 'Siljan kommune');
      await partyRenamed('tm-porsgrunn', 'Porsgrunn bykommune', '2020-01-01');
      const res = await refused('/parties/tm-siljan/rename', { name: 'PORSGRUNN  KOMMUNE', effectiveFrom: '2019-06-01' }, 409, 'PARTY.NAME_TAKEN');
      expect(res.body.details).toEqual({ partyId: 'tm-porsgrunn', name: 'Porsgrunn kommune', kind: 'municipality', countyId: 'telemark' });
      expect(res.body.message).toContain('tm-porsgrunn');
      await partyRenamed('tm-siljan', 'Porsgrunn kommune', '2020-01-01');
    });

    it('the window ends at the party\'s own next rename: a name another party takes only after it is free; the same name with no later rename of its own is 409', async () => {
      await addParty('tm-nome', 'Nome kommune');
      await addParty('tm-bo', 'Bø kommune');
      await partyRenamed('tm-nome', 'Midt-Telemark kommune', '2020-01-01');
      await partyRenamed('tm-bo', 'Bø i Telemark kommune', '2019-01-01');
      await partyRenamed('tm-bo', 'Midt-Telemark kommune', '2015-01-01'); // holds 2015–2018 only
      const res = await refused('/parties/tm-bo/rename', { name: 'Midt-Telemark kommune', effectiveFrom: '2019-06-01' }, 409, 'PARTY.NAME_TAKEN');
      expect(res.body.details.partyId).toBe('tm-nome');
    });

    it('a registration is judged from today on: a name another party takes from a date to come is 409; a name another party gave up before today is free', async () => {
      await addParty('tm-notodden', 'Notodden kommune');
      await partyRenamed('tm-notodden', 'Notodden bykommune', addDays(todayInNorway(), 30));
      const res = await refused('/parties', { partyId: 'tm-notodden-by', name: 'Notodden bykommune', kind: 'municipality', countyId: 'telemark' }, 409, 'PARTY.NAME_TAKEN', admin);
      expect(res.body.details.partyId).toBe('tm-notodden');
      await addParty('tm-tinn', 'Tinn kommune');
      await partyRenamed('tm-tinn', 'Tinn og Rjukan kommune', '2015-01-01');
      await addParty('tm-tinn-ny', 'Tinn kommune');
    });

    it('a party rename replaced on the same day by a later-recorded one never gave the party that name: registering another party with it is recorded', async () => {
      await addParty('tm-vinje', 'Vinje kommune');
      const future = addDays(todayInNorway(), 400);
      await partyRenamed('tm-vinje', 'Vinje og Tokke kommune', future);
      await partyRenamed('tm-vinje', 'Vest-Telemark kommune', future); // the correction
      expect((await get('/parties/tm-vinje')).body.upcomingRename).toEqual({ name: 'Vest-Telemark kommune', effectiveFrom: future });
      const reg = await post('/parties', { partyId: 'tm-vinje-tokke', name: 'Vinje og Tokke kommune', kind: 'municipality', countyId: 'telemark' }, admin);
      expect([reg.status, reg.body.code]).toEqual([201, undefined]);
    });

    it('likewise renaming another party to a name replaced on the same day (a back-dated correction) is recorded', async () => {
      await addParty('tm-seljord', 'Seljord kommune');
      await addParty('tm-kviteseid', 'Kviteseid kommune');
      await partyRenamed('tm-seljord', 'Seljord og Kviteseid kommune', '2020-01-01');
      await partyRenamed('tm-seljord', 'Seljord herad', '2020-01-01'); // the correction
      const res = await renameParty('tm-kviteseid', 'Seljord og Kviteseid kommune', '2018-01-01');
      expect([res.status, res.body.code, res.body.details]).toEqual([200, undefined, undefined]);
    });

    it('a name written another way is the same name (409); the same name for a party of another kind or another county is free', async () => {
      await addParty('tm-hjartdal', 'Hjartdal og Åmot kommune');
      await addParty('tm-sauland', 'Sauland kommune');
      for (const name of ['HJARTDAL  OG ÅMOT KOMMUNE', 'Hjartdal\u00A0og A\u030Amot kommune']) {
        const res = await refused('/parties/tm-sauland/rename', { name, effectiveFrom: '2016-01-01' }, 409, 'PARTY.NAME_TAKEN');
        expect(res.body.details.partyId).toBe('tm-hjartdal');
      }
      await addParty('tm-nav-hjartdal', 'NAV Hjartdal', 'nav-local-office');
      await partyRenamed('tm-nav-hjartdal', 'Hjartdal og Åmot kommune', '2016-01-01');
      await addParty('vf-sande', 'Sande kommune', 'municipality', 'vestfold');
      await partyRenamed('vf-sande', 'Hjartdal og Åmot kommune', '2016-01-01');
    });

    it('two parties renamed to one name at the same moment: exactly one is recorded, the other is 409', async () => {
      await addParty('tm-kragero-k', 'Kragerø kommune');
      await addParty('tm-drangedal-k', 'Drangedal kommune');
      const before = await t.store.headPosition();
      const [a, b] = await Promise.all([renameParty('tm-kragero-k', 'Sør-Telemark kommune', '2021-01-01'), renameParty('tm-drangedal-k', 'sør-telemark kommune', '2021-01-01')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect(await t.store.headPosition()).toBe(before + 1);
    });
  });

  describe('list filters ?countyId=', () => {
    it('HEAD answers as GET would: 404 for "Telemark", 200 for "telemark", on every list', async () => {
      for (const path of lists('Telemark')) expect([path, (await t.http().head(path).set(auditor)).status]).toEqual([path, 404]);
      for (const path of lists('telemark')) expect([path, (await t.http().head(path).set(auditor)).status]).toEqual([path, 200]);
    });

    it('every reader (auditor, vox, finance officer of another county) gets 404 with the registered id; a hyphenated id in capitals is told it too', async () => {
      const vox = await t.auth('vox', [], 'vox');
      const per = await t.auth('finance-officer', ['vestfold'], 'per');
      for (const who of [auditor, vox, per]) {
        for (const path of lists('VEST-AGDER')) {
          const res = await get(path, who);
          expect([path, res.status, res.body.code, res.body.details]).toEqual([path, 404, 'COUNTY.NOT_FOUND', { countyId: 'VEST-AGDER' }]);
          expect(res.body.message).toContain('did you mean vest-agder?');
        }
      }
    });

    it('a county id that names a property every object has (constructor, __proto__, toString) is 404 COUNTY.NOT_FOUND, not 200 or 500', async () => {
      for (const countyId of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        for (const path of lists(countyId)) {
          const res = await get(path);
          expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
        }
      }
    });

    it('other filters and paging with an unregistered county are still 404 (not a filtered empty page)', async () => {
      for (const path of [
        '/parties?countyId=Telemark&kind=municipality&limit=1',
        '/boards?countyId=Telemark&limit=1',
        '/nav-links?date=2014-06-01&countyId=Telemark&limit=1',
        '/stimulus-grants?countyId=Telemark&year=2014',
        '/stimulus-grants?countyId=Telemark&status=applied',
      ]) {
        const res = await get(path);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
      }
    });

    it('If-None-Match: * does not turn the 404 for an unregistered county into a 304', async () => {
      for (const path of lists('Telemark')) {
        const res = await t.http().get(path).set(auditor).set('If-None-Match', '*');
        expect([path, res.status]).toEqual([path, 404]);
      }
    });

    it('asOf an instant before a county was registered: every list filter for it is 404 (the county was not registered then); at the head it is 200', async () => {
      for (const path of lists('jan-mayen')) expect([path, (await get(path)).status]).toEqual([path, 404]);
      const before = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
      expect((await post('/counties', { countyId: 'jan-mayen', name: 'Jan Mayen', countyNumber: '22' }, admin)).status).toBe(201);
      const after = new Date(Date.now() + 5).toISOString();
      await new Promise((r) => setTimeout(r, 20));
      for (const path of lists('jan-mayen', `&asOf=${encodeURIComponent(before)}`)) {
        const res = await get(path);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
      }
      for (const path of [...lists('jan-mayen'), ...lists('jan-mayen', `&asOf=${encodeURIComponent(after)}`)]) {
        const res = await get(path);
        expect([path, res.status, res.body.code]).toEqual([path, 200, undefined]);
      }
      // Told the id registered at the head ("did you mean jan-mayen?") only when it was registered by then.
      const early = await get(`/parties?countyId=Jan-Mayen&asOf=${encodeURIComponent(before)}`);
      expect([early.status, early.body.message]).toEqual([404, expect.not.stringContaining('did you mean jan-mayen')]);
      const late = await get('/parties?countyId=Jan-Mayen');
      expect([late.status, late.body.message]).toEqual([404, expect.stringContaining('did you mean jan-mayen?')]);
    });

    it('a 404 is not kept: once the county is registered the same list answers 200 straight away', async () => {
      for (const path of lists('svalbard')) expect([path, (await get(path)).status]).toEqual([path, 404]);
      expect((await post('/counties', { countyId: 'svalbard', name: 'Svalbard', countyNumber: '21' }, admin)).status).toBe(201);
      for (const path of lists('svalbard')) {
        const res = await get(path);
        expect([path, res.status]).toEqual([path, 200]);
      }
      const boards = await get('/boards?countyId=svalbard');
      expect(boards.body).toEqual([]);
    });
  });
});
