/**
 * Two rules the write fuzz of session twenty left for a decision, taken in session twenty-one:
 * - money is recorded once decided: a `decidedOn` after today (in Norway) is 422
 *   ENTRY.DECIDED_IN_FUTURE, as a new entry or a correction giving one (an entry recorded before the
 *   rule keeps its date when another field is corrected); a coming `fiscalYear` is still taken;
 * - an optional text (note, reason, reference, summary) given as "" or as only whitespace is 400
 *   VALIDATION.BLANK, telling how to give none, and nothing is recorded.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { startTestApp, TestApp } from '../helpers/test-app';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';

type Auth = { Authorization: string };

describe('money decided by today, and optional texts that say something (e2e)', () => {
  let t: TestApp;
  let fo: Auth;
  let vox: Auth;
  let auditor: Auth;
  const store = new MemoryEventStore();
  const today = () => osloDateOf(new Date().toISOString());
  const thisYear = () => Number(today().slice(0, 4));

  const post = (path: string, body: object, who: Auth = fo) => t.http().post(path).set(who).send(body);
  const ok = async (path: string, body: object, who: Auth = fo) => {
    const res = await post(path, body, who);
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const head = async () => (await store.readAll({ after: 0 })).length;
  /** Refused with `status` and `code`, and nothing recorded. */
  const refused = async (path: string, body: object, status: number, code: string, who: Auth = fo) => {
    const before = await head();
    const res = await post(path, body, who);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await head()).toBe(before);
    return res.body as { message: string; details: unknown };
  };
  /** An entry's stream as the audit route shows it (its events' data), as JSON text. */
  const entryStream = async (rootId: string): Promise<string> => {
    const res = await t.http().get(`/audit/streams/funding-entry-${rootId}`).set(auditor);
    expect(res.status).toBe(200);
    return JSON.stringify(res.body);
  };
  const grant = (entryId: string, extra: object = {}) => ({ entryId, fiscalYear: thisYear(), partyId: 'dt-fk', amount: '1000.00', decidedOn: today(), ...extra });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, store });
    fo = await t.auth('finance-officer', ['telemark'], 'dt-fo');
    vox = await t.auth('vox', [], 'dt-vox');
    auditor = await t.auth('auditor', [], 'dt-auditor');
    await ok('/parties', { partyId: 'dt-fk', name: 'Telemark fylkeskommune DT', kind: 'county-authority', countyId: 'telemark' });
    await ok('/centres', { centreId: 'dt-kc', countyId: 'telemark', name: 'KC Bø DT', municipality: 'Bø', openedOn: '2010-01-01' });
  });
  afterAll(() => t?.close());

  describe('ENTRY.DECIDED_IN_FUTURE', () => {
    it('money dated after today is refused on every kind of entry, naming the date and today; nothing is recorded', async () => {
      const tomorrow = addDays(today(), 1);
      const kinds: [string, object][] = [
        ['operating-grants', {}],
        ['earmarked-funds', { purpose: 'Prosjekt', period: { from: `${thisYear()}-01-01`, to: null } }],
        ['tender-awards', { contractReference: 'NAV-2026-1', period: { from: `${thisYear()}-01-01`, to: null } }],
        ['other-income', { incomeKind: 'course-fees' }],
      ];
      for (const [route, extra] of kinds) {
        const body = await refused(`/centres/dt-kc/funding/${route}`, grant(`dt-future-${route}`, { decidedOn: tomorrow, ...extra }), 422, 'ENTRY.DECIDED_IN_FUTURE');
        expect(body.message).toContain(tomorrow);
        expect(body.message).toContain(today());
        expect(body.details).toEqual({ decidedOn: tomorrow, today: today() });
      }
      await refused('/centres/dt-kc/funding/operating-grants', grant('dt-far', { decidedOn: '9999-12-31' }), 422, 'ENTRY.DECIDED_IN_FUTURE');
    });

    it('money decided today for a coming fiscal year is recorded (budgets are decided ahead)', async () => {
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-next-year', { fiscalYear: thisYear() + 1 }));
      expect(await entryStream('dt-next-year')).toContain(`"fiscalYear":${thisYear() + 1}`);
    });

    it('a correction that gives a decidedOn after today is refused; one that leaves the date alone is not', async () => {
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-c'));
      await refused('/centres/dt-kc/funding/entries/dt-c/correction', { reason: 'feil dato', decidedOn: addDays(today(), 2) }, 422, 'ENTRY.DECIDED_IN_FUTURE');
      const corrected = await ok('/centres/dt-kc/funding/entries/dt-c/correction', { reason: 'feil beløp', amount: '1200.00' });
      expect(corrected.entryId).toBe('dt-c.c1');
    });

    it('an entry recorded before the rule with a date after today keeps that date when another field is corrected', async () => {
      const later = addDays(today(), 40);
      const position = await appendAsOldLedger(store, 'funding-entry-dt-old', 'OperatingGrantRecorded', {
        entryId: 'dt-old', centreId: 'dt-kc', countyId: 'telemark', fiscalYear: thisYear(), partyId: 'dt-fk', amountOre: 50_000, decidedOn: later, reference: null, note: null, correctsEntryId: null,
      });
      expect(position).toBeGreaterThan(0);
      const corrected = await ok('/centres/dt-kc/funding/entries/dt-old/correction', { reason: 'feil beløp', amount: '600.00' });
      // Sent back with its own date (a client correcting from the whole entry), the date is not a change.
      await ok(`/centres/dt-kc/funding/entries/${corrected.entryId}/correction`, { reason: 'feil beløp igjen', amount: '650.00', decidedOn: later });
      await refused('/centres/dt-kc/funding/entries/dt-old.c2/correction', { reason: 'ny dato', decidedOn: addDays(later, 1) }, 422, 'ENTRY.DECIDED_IN_FUTURE');
      expect(corrected.entryId).toBe('dt-old.c1');
      const stream = await entryStream('dt-old');
      expect(stream.match(new RegExp(`"decidedOn":"${later}"`, 'g'))?.length).toBe(3); // the old entry's and its two corrections'
    });
  });

  describe('optional texts: left out for none, never "" or blank', () => {
    const blanks = ['', '   ', '\n\t', '\u00a0\u200b'];

    it('a money entry\'s note or reference given empty or blank is 400 VALIDATION.BLANK saying to leave it out; null and left out are recorded', async () => {
      for (const v of blanks) {
        for (const field of ['note', 'reference']) {
          if (field === 'reference' && /[\n\t]/.test(v)) continue; // a one-line text: a line break there is VALIDATION.NOT_PLAIN_TEXT first
          const body = await refused('/centres/dt-kc/funding/operating-grants', grant(`dt-blank-${field}`, { [field]: v }), 400, 'VALIDATION.BLANK');
          expect(body.message).toContain(field);
          expect(body.message).toContain('leave it out (or null) to give none');
        }
      }
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-null-note', { note: null, reference: null }));
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-no-note'));
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-real-note', { note: ' Vedtatt i fylkestinget ', reference: 'FT-sak 1/26' }));
    });

    it('a correction\'s note given blank is refused, saying null removes it; null removes it', async () => {
      await ok('/centres/dt-kc/funding/operating-grants', grant('dt-n', { note: 'Første notat' }));
      const body = await refused('/centres/dt-kc/funding/entries/dt-n/correction', { reason: 'uten notat', note: ' ' }, 400, 'VALIDATION.BLANK');
      expect(body.message).toContain('give null to remove it');
      const corrected = await ok('/centres/dt-kc/funding/entries/dt-n/correction', { reason: 'uten notat', note: null });
      expect(corrected.entryId).toBe('dt-n.c1');
      const stream = JSON.parse(await entryStream('dt-n'));
      expect(JSON.stringify(stream).match(/Første notat/g)?.length).toBe(1); // the first entry's, not the correction's
      expect(JSON.stringify(stream)).toContain('"entryId":"dt-n.c1"');
    });

    it('an owner agreement\'s optional reason and a grant scheme\'s note given blank are refused alike', async () => {
      const r = await refused('/centres/dt-kc/owner-agreements/dt-oa/terminate', { effectiveFrom: '2015-01-01', reason: '  ' }, 400, 'VALIDATION.BLANK');
      expect(r.message).toContain('leave it out to give none');
      await refused('/grant-schemes', { year: 2014, baseGrant: '27000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: '\n' }, 400, 'VALIDATION.BLANK', vox);
      await refused('/grant-schemes', { year: 2014, baseGrant: '27000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: '' }, 400, 'VALIDATION.BLANK', vox);
    });
  });
});
