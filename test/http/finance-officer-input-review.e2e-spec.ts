import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Adversarial review of one rule of the guide, as the people who use the ledger meet it:
 *
 *   "Bad input gets a clear 4xx with a stable error code and a message a finance officer
 *    understands, and nothing is recorded."
 *
 * Every check sends, through the HTTP API, something a Norwegian county finance officer (or an
 * integration written by their county's IT office) plausibly sends by mistake: money and dates
 * typed the Norwegian way, ids typed with Norwegian letters, spaces or another case, numbers sent
 * as text, objects sent as lists, fields left out or added. For each refusal it asks:
 *
 * - a 4xx (never 500), with the status this file believes right, and `statusCode` in the body the same;
 * - a stable code, UPPER.DOTTED, from the documented catalogue (README, "Error codes");
 * - a message in plain words that names the field and the form expected, without the machinery's
 *   words (stream, revision, DTO, payload, fold, undefined, NaN, [object Object], "nested property",
 *   a stack trace);
 * - nothing recorded: the log's head, as the auditor's `GET /audit/digest` names it, has not moved;
 * - a refused request claims no Idempotency-Key: the corrected body under the same key is recorded once.
 *
 * Where the README decides a question with a reason (amounts are decimal strings, not numbers;
 * unknown fields are refused; an organisation number is written without spaces; a party that is not
 * registered is 404; amounts up to NOK 10^12 are accepted), the check tests that decision. A check
 * marked `// Failed before its fix:` states what a serious product should answer and what this one answered
 * when the review was written (fixed in 2753a20 and a3150f7).
 */

type Auth = { Authorization: string };

/** The machinery's own words, which mean nothing to a finance officer. */
const JARGON = /\bstream\b|\brevision\b|\bDTO\b|\bpayload\b|\bfold(ed)?\b|\bundefined\b|\bNaN\b|\[object Object\]|nested property|\bconstraint\b|\n\s+at\s/i;
/** A stable code: upper case words joined by dots, e.g. MONEY.INVALID. */
const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/;

describe('a finance officer\'s mistakes over HTTP: clear 4xx, stable code, plain message, nothing recorded', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark
  let auditor: Auth;

  /** The log's head as an auditor sees it. */
  const head = async (): Promise<number> => {
    const res = await t.http().get('/audit/digest').set(auditor);
    expect(res.status).toBe(200);
    return res.body.headPosition;
  };

  const post = (path: string, body: unknown, who: Auth = kari, key?: string) => {
    const r = t.http().post(path).set(who);
    if (key !== undefined) r.set('Idempotency-Key', key);
    return r.send(body as object);
  };

  const mustPost = async (path: string, body: unknown, who: Auth = kari) => {
    const res = await post(path, body, who);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /**
   * Sends a body that must be refused, and checks everything the rule promises of the refusal:
   * status, code, the one error shape, a plain message naming the field, nothing recorded.
   */
  const refused = async (path: string, body: unknown, status: number, code: string, opts: { field?: string; who?: Auth; key?: string } = {}) => {
    const before = await head();
    const res = await post(path, body, opts.who ?? kari, opts.key);
    const seen = `${res.status} ${res.body?.code}: ${res.body?.message}`;
    expect([res.status, res.body?.code, seen]).toEqual([status, code, seen]);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(res.body.statusCode).toBe(status);
    expect(res.body.code).toMatch(CODE);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(10);
    expect(res.body.message).not.toMatch(JARGON);
    if (opts.field !== undefined) expect(res.body.message).toContain(opts.field);
    expect(await head()).toBe(before);
    return res;
  };

  const G = '/centres/kc-skien/funding/operating-grants';
  const grant = (over: Record<string, unknown> = {}) => ({ fiscalYear: 2014, partyId: 'telemark-fk', decidedOn: '2013-12-12', amount: '5000.00', ...over });
  const earmarked = (over: Record<string, unknown> = {}) => grant({ purpose: 'Oppstartsveiledning', period: { from: '2014-01-01', to: '2014-12-31' }, ...over });
  const position = (over: Record<string, unknown> = {}) => ({ positionId: 'pos-x', title: 'Karriereveileder', employerKind: 'centre', fte: '1', startedOn: '2013-01-01', ...over });
  const centre = (over: Record<string, unknown> = {}) => ({ centreId: 'kc-bo', countyId: 'telemark', name: 'Karrieresenteret Bø', municipality: 'Bø', openedOn: '2010-03-01', ...over });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark'], 'kari');
    auditor = await t.auth('auditor', [], 'revisor');
    await mustPost('/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await mustPost('/parties', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await mustPost('/centres', centre({ centreId: 'kc-skien', name: 'Karrieresenteret Skien', municipality: 'Skien' }));
    await mustPost('/centres', centre({ centreId: 'kc-porsgrunn', name: 'Karrieresenteret Porsgrunn', municipality: 'Porsgrunn' }));
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------------------------------ money

  it('money typed the Norwegian way ("1 234,50", "1.234,50", "kr 5000", "5000 NOK", "5 000", NBSP, "1e6", "") is 400 MONEY.INVALID naming amount, and the centre\'s money is unchanged', async () => {
    const mixBefore = await t.http().get('/centres/kc-skien/funding-mix/2014').set(kari);
    for (const amount of ['1 234,50', '1.234,50', 'kr 5000', '5000 NOK', '5 000', '5\u00a0000,00', '1e6', '']) {
      const res = await refused(G, grant({ amount }), 400, 'MONEY.INVALID', { field: 'amount' });
      expect(res.body.message).toContain('1800000.00');
      expect(res.body.details).toMatchObject({ field: 'amount', value: amount });
    }
    const mixAfter = await t.http().get('/centres/kc-skien/funding-mix/2014').set(kari);
    expect(mixAfter.body.total).toEqual(mixBefore.body.total);
  });

  // Failed before its fix: "1234,50" gets "amount must be a decimal string in NOK with at most two decimals, such as "1800000.00"" — to a Norwegian, 1234,50 IS a decimal with two decimals, so the message never says what is wrong (the comma, the spaces).
  it('an amount with a decimal comma is told that the decimal mark is a point and that no thousands separators are written', async () => {
    for (const amount of ['1234,50', '1 234,50']) {
      const res = await refused(G, grant({ amount }), 400, 'MONEY.INVALID', { field: 'amount' });
      expect(res.body.message).toMatch(/\bcomma\b|decimal point|full stop|\bpunktum\b|\bkomma\b/i);
    }
  });

  it('an amount sent as a JSON number (5000.5) is refused, not rounded: 400 MONEY.NOT_A_DECIMAL_STRING, the message showing the form expected', async () => {
    const res = await refused(G, grant({ amount: 5000.5 }), 400, 'MONEY.NOT_A_DECIMAL_STRING', { field: 'amount' });
    expect(res.body.message).toContain('"1800000.00"');
    expect(res.body.message).toMatch(/not a number/);
  });

  it.each([
    ['three decimals "10.005"', 'MONEY.FRACTIONAL_ORE', '10.005', /two decimals|øre/],
    ['a negative amount "-500.00"', 'MONEY.NEGATIVE', '-500.00', /negative.*reversal/],
    ['zero "0.00"', 'MONEY.ZERO', '0.00', /more than zero/],
    ['an amount no career centre grant could be (NOK 10^15)', 'MONEY.TOO_LARGE', '1000000000000000.00', /1 000 000 000 000/],
  ])('%s is 400 %s with a message saying why, nothing recorded', async (_label, code, amount, why) => {
    const res = await refused(G, grant({ amount }), 400, code, { field: 'amount' });
    expect(res.body.message).toMatch(why);
  });

  it('the largest amount accepted (NOK 999 999 999 999.99) and one øre from another party add up exactly to the øre, shares to 100.0 %', async () => {
    await mustPost('/centres/kc-porsgrunn/funding/operating-grants', grant({ amount: '999999999999.99' }));
    await mustPost('/centres/kc-porsgrunn/funding/operating-grants', grant({ amount: '0.01', partyId: 'nav-telemark' }));
    const mix = await t.http().get('/centres/kc-porsgrunn/funding-mix/2014').set(kari);
    expect(mix.status).toBe(200);
    expect(mix.body.total).toMatchObject({ amount: '1000000000000.00', amountOre: 100_000_000_000_000, entries: 2, complete: true });
    const byParty = Object.fromEntries(mix.body.byParty.map((p: any) => [p.partyId, [p.amount, p.sharePercent]]));
    expect(byParty).toEqual({ 'telemark-fk': ['999999999999.99', '100.0'], 'nav-telemark': ['0.01', '0.0'] });
  });

  // ------------------------------------------------------------------------------------------ dates

  it('dates typed the Norwegian way ("09.05.2014", "9/5/2014", "2014-5-9", "14", a datetime) are 400 DATE.INVALID naming the field and YYYY-MM-DD', async () => {
    for (const decidedOn of ['09.05.2014', '9/5/2014', '2014-5-9', '14', '2014-05-09T10:00:00Z']) {
      const res = await refused(G, grant({ decidedOn }), 400, 'DATE.INVALID', { field: 'decidedOn' });
      expect(res.body.message).toContain('YYYY-MM-DD');
      expect(res.body.details.fields[0].field).toBe('decidedOn');
    }
    const res = await refused('/centres', centre({ centreId: 'kc-datoer', openedOn: '01.03.2010' }), 400, 'DATE.INVALID', { field: 'openedOn' });
    expect(res.body.message).toContain('YYYY-MM-DD');
  });

  // Failed before its fix: "2014-02-30" is DATE.INVALID with details {field: "decidedOn"}, while "09.05.2014" is DATE.INVALID with details {fields: [{field: "decidedOn", …}]}: one code, two shapes, so a county's integration cannot point at the wrong field reliably.
  it('a date that is not in the calendar ("2014-02-30") is 400 DATE.INVALID naming the field, with the same details as any other DATE.INVALID', async () => {
    const res = await refused(G, grant({ decidedOn: '2014-02-30' }), 400, 'DATE.INVALID', { field: 'decidedOn' });
    expect(res.body.message).toContain('2014-02-30');
    expect(res.body.details.fields?.[0]?.field).toBe('decidedOn');
  });

  it('a period that ends before it starts is 422 PERIOD.ENDS_BEFORE_START naming both dates', async () => {
    const res = await refused('/centres/kc-skien/funding/earmarked-funds', earmarked({ period: { from: '2014-12-31', to: '2014-01-01' } }), 422, 'PERIOD.ENDS_BEFORE_START');
    expect(res.body.message).toContain('2014-12-31');
    expect(res.body.message).toContain('2014-01-01');
  });

  // Failed before its fix: a period sent as a list ["2014-01-01", "2014-12-31"] is answered "period.0: nested property period must be either object or array | period.1: …" — machinery words, and it names a list as allowed when a list is exactly what was refused; it never shows {"from", "to"}.
  it('a period sent as a list instead of {from, to} is 400 VALIDATION.FAILED whose message shows the form {"from": …, "to": …}', async () => {
    const res = await refused('/centres/kc-skien/funding/earmarked-funds', earmarked({ period: ['2014-01-01', '2014-12-31'] }), 400, 'VALIDATION.FAILED', { field: 'period' });
    expect(res.body.message).toMatch(/"?from"?/);
    expect(res.body.message).toContain('YYYY-MM-DD');
    expect(res.body.message).not.toMatch(/either object or array/);
  });

  // ------------------------------------------------------------------------------------- wrong types

  it('a fiscal year that is no year in range (14, 2014.5, "2014/15") is 400 FISCAL_YEAR.OUT_OF_RANGE naming the range', async () => {
    for (const fiscalYear of [14, 2014.5, '2014/15']) {
      const res = await refused(G, grant({ fiscalYear }), 400, 'FISCAL_YEAR.OUT_OF_RANGE');
      expect(res.body.message).toMatch(/fiscal year/i);
      expect(res.body.message).toContain('1990');
      expect(res.body.message).toContain('2100');
    }
  });

  // Failed before its fix: fiscalYear "2014" (text) is told "The fiscal year must be a whole year from 1990 to 2100, not "2014"" — 2014 is such a year, so the officer cannot see that the quotes are the problem.
  it('a fiscal year sent as text ("2014") is 400 FISCAL_YEAR.OUT_OF_RANGE whose message says to send it as a number', async () => {
    const res = await refused(G, grant({ fiscalYear: '2014' }), 400, 'FISCAL_YEAR.OUT_OF_RANGE');
    expect(res.body.message).toMatch(/\bnumber\b/i);
  });

  // Failed before its fix: fromAge "19" (text) is told "fromAge must be a whole age from 0 to 120, not 19" — 19 is such an age, so the message contradicts itself.
  it('an age sent as text ("19") in a service declaration is 400 GRANT_EVIDENCE.AGE_OUT_OF_RANGE whose message says to send it as a number', async () => {
    const body = { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: '19' };
    const res = await refused('/centres/kc-skien/grant-evidence/service-declarations', body, 400, 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', { field: 'fromAge' });
    expect(res.body.message).toMatch(/\bnumber\b/i);
  });

  // Failed before its fix: freeOfCharge "true" / "ja" is told "freeOfCharge must be a boolean value" — programmer's words; the officer is never told the answer is true or false.
  it('yes/no sent as text ("true", "ja") is 400 VALIDATION.FAILED naming the field and saying it is true or false', async () => {
    for (const v of ['true', 'ja']) {
      const body = { effectiveFrom: '2013-01-01', freeOfCharge: v, openToAllAdults: true, fromAge: 19 };
      const res = await refused('/centres/kc-skien/grant-evidence/service-declarations', body, 400, 'VALIDATION.FAILED', { field: 'freeOfCharge' });
      expect(res.body.message).toMatch(/\btrue\b/);
      expect(res.body.message).toMatch(/\bfalse\b/);
    }
  });

  it('any field of a grant sent with the wrong kind of value (null, true, {}, [], 0, "") is a 4xx with a stable code and a plain message, never a 500, nothing recorded', async () => {
    const problems: string[] = [];
    const before = await head();
    for (const field of ['fiscalYear', 'partyId', 'decidedOn', 'amount', 'reference', 'note', 'entryId']) {
      for (const value of [null, true, {}, [], 0, '']) {
        // Documented "not given" values: null for an unreported amount, no reference or note, and an entryId left to the ledger; an empty reference or note.
        if (value === null && ['amount', 'reference', 'note', 'entryId'].includes(field)) continue;
        if (value === '' && ['reference', 'note'].includes(field)) continue;
        const res = await post(G, grant({ [field]: value }));
        const m = String(res.body?.message);
        if (res.status < 400 || res.status >= 500 || !CODE.test(String(res.body?.code)) || JARGON.test(m) || !m.includes(field === 'fiscalYear' ? 'fiscal year' : field)) {
          problems.push(`${field}=${JSON.stringify(value)} → ${res.status} ${res.body?.code}: ${m}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await head()).toBe(before);
  });

  it('a list where the body (one object) is expected is 400 REQUEST.BODY_NOT_OBJECT', async () => {
    const res = await refused(G, [grant()], 400, 'REQUEST.BODY_NOT_OBJECT');
    expect(res.body.message).toMatch(/JSON object/);
  });

  // Failed before its fix: payer "nav-telemark" (a party id instead of {"kind": "party", "partyId": …}) is 400 VALIDATION.FAILED "payer: nested property payer must be either object or array", though the catalogue has STAFF.PAYER_INVALID for exactly this, with a message showing both forms.
  it('a payer given as a bare party id is 400 STAFF.PAYER_INVALID showing {"kind": "party", "partyId": …}', async () => {
    const res = await refused('/centres/kc-skien/staff-positions', position({ payer: 'nav-telemark' }), 400, 'STAFF.PAYER_INVALID', { field: 'payer' });
    expect(res.body.message).toContain('"kind"');
  });

  it('an FTE typed the Norwegian way ("0,5", "50 %") is 400 STAFF.FTE_INVALID showing "0.5"; 50 meant as 50 % is 400 STAFF.FTE_OUT_OF_RANGE saying at most 1', async () => {
    for (const fte of ['0,5', '50 %']) {
      const res = await refused('/centres/kc-skien/staff-positions', position({ fte }), 400, 'STAFF.FTE_INVALID', { field: 'fte' });
      expect(res.body.message).toContain('"0.5"');
    }
    const res = await refused('/centres/kc-skien/staff-positions', position({ fte: 50 }), 400, 'STAFF.FTE_OUT_OF_RANGE', { field: 'fte' });
    expect(res.body.message).toMatch(/at most 1/);
  });

  it('owner shares written as percent (50 + 50) are 422 OWNER_AGREEMENT.SHARES_NOT_100, the message naming basis points and 10000', async () => {
    const body = { agreementId: 'eierskap-2014', parties: [{ partyId: 'telemark-fk', shareBp: 50 }, { partyId: 'nav-telemark', shareBp: 50 }], period: { from: '2014-01-01', to: null }, signedOn: '2013-12-01' };
    const res = await refused('/centres/kc-skien/owner-agreements', body, 422, 'OWNER_AGREEMENT.SHARES_NOT_100');
    expect(res.body.message).toMatch(/basis points/);
    expect(res.body.message).toContain('10000');
  });

  it('an organisation number written with spaces or as "NO … MVA" is 400 PARTY.ORGANISATION_NUMBER_INVALID saying to write nine digits without spaces (the README\'s choice)', async () => {
    for (const organisationNumber of ['974 760 673', 'NO 974760673 MVA']) {
      const body = { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark', organisationNumber };
      const res = await refused('/parties', body, 400, 'PARTY.ORGANISATION_NUMBER_INVALID');
      expect(res.body.message).toMatch(/nine digits without spaces/);
    }
  });

  // ------------------------------------------------------------------------------------------- ids

  it('an unknown centre, or a centre id typed in another case ("KC-Skien"), is 404 CENTRE.NOT_FOUND naming the id as typed', async () => {
    for (const id of ['kc-notodden', 'KC-Skien']) {
      const res = await refused(`/centres/${id}/funding/operating-grants`, grant(), 404, 'CENTRE.NOT_FOUND');
      expect(res.body.message).toContain(id);
    }
  });

  it('a party that is not registered ("telemark-fylke", "Telemark-FK") is 404 PARTY.NOT_FOUND, the message saying to register it first (the README\'s choice)', async () => {
    for (const partyId of ['telemark-fylke', 'Telemark-FK']) {
      const res = await refused(G, grant({ partyId }), 404, 'PARTY.NOT_FOUND');
      expect(res.body.message).toContain(partyId);
      expect(res.body.message).toMatch(/register it first/);
    }
  });

  it('a party id with a trailing space, or null, is 400 VALIDATION.FAILED naming partyId; a centre id with a trailing space in the address is the same', async () => {
    await refused(G, grant({ partyId: 'telemark-fk ' }), 400, 'VALIDATION.FAILED', { field: 'partyId' });
    await refused(G, grant({ partyId: null }), 400, 'VALIDATION.FAILED', { field: 'partyId' });
    await refused('/centres/kc-skien%20/funding/operating-grants', grant(), 400, 'VALIDATION.FAILED', { field: 'centreId' });
  });

  // Failed before its fix: "kc-tromsø" is told "centreId must be an id of letters, digits, dot, dash or underscore (at most 64)" — ø is a letter to every Norwegian, so the message says the id is fine; it must say a–z (no æ, ø, å).
  it('a centre id with Norwegian letters ("kc-tromsø") is 400 VALIDATION.FAILED whose message says which letters an id may hold', async () => {
    const res = await refused('/centres', centre({ centreId: 'kc-tromsø' }), 400, 'VALIDATION.FAILED', { field: 'centreId' });
    expect(res.body.message).toMatch(/a[-–]z|ASCII|æ|ø|å/i);
  });

  it('Norwegian letters in a name are kept exactly ("Karrieresenteret Bø – Ål og Øyer")', async () => {
    const name = 'Karrieresenteret Bø – Ål og Øyer';
    await mustPost('/centres', centre({ centreId: 'kc-bo-aal', name }));
    const res = await t.http().get('/centres/kc-bo-aal').set(kari);
    expect([res.status, res.body.name]).toEqual([200, name]);
  });

  it('an empty name is 400 VALIDATION.FAILED and a name of 5,000 characters is 400 VALIDATION.FAILED naming the limit of 200', async () => {
    await refused('/centres', centre({ centreId: 'kc-tom', name: '' }), 400, 'VALIDATION.FAILED', { field: 'name' });
    const res = await refused('/centres', centre({ centreId: 'kc-lang', name: 'K'.repeat(5000) }), 400, 'VALIDATION.FAILED', { field: 'name' });
    expect(res.body.message).toContain('200 characters');
  });

  // Failed before its fix: "KC-Notodden" is recorded (201) next to "kc-notodden" with the same county and name: the officer's second try in another case makes a second career centre, which then splits the county's money and counts.
  it('registering a centre again with its id in another case is 409 CENTRE.ALREADY_REGISTERED, not a second centre', async () => {
    await mustPost('/centres', centre({ centreId: 'kc-notodden', name: 'Karrieresenteret Notodden', municipality: 'Notodden' }));
    const res = await refused('/centres', centre({ centreId: 'KC-Notodden', name: 'Karrieresenteret Notodden', municipality: 'Notodden' }), 409, 'CENTRE.ALREADY_REGISTERED');
    expect(res.body.message).toMatch(/kc-notodden/i);
  });

  // Failed before its fix: Telemark's own officer sending countyId "Telemark" gets 403 ACCESS.OTHER_COUNTY "You may only act for the counties you serve (telemark); this belongs to county Telemark" — it tells her Telemark is not her county, when the county id is simply not registered.
  it('a county id that is not registered ("Telemark" for "telemark"), sent by that county\'s own officer, is 404 COUNTY.NOT_FOUND, not "another county"', async () => {
    const res = await refused('/centres', centre({ centreId: 'kc-bo-2', countyId: 'Telemark' }), 404, 'COUNTY.NOT_FOUND');
    expect(res.body.message).toContain('Telemark');
  });

  // ---------------------------------------------------------------------------- missing and extra

  // Failed before its fix: a reversal with no reason is told "reason must be shorter than or equal to 2000 characters; reason should not be empty; reason must be a string" — three rules of a value that was never sent, and never that a reason is required.
  it('a reversal sent without its reason is 400 VALIDATION.FAILED saying the reason is required, and nothing else', async () => {
    const entry = await mustPost(G, grant({ entryId: 'drift-2014-reverse-me' }));
    expect(entry.entryId).toBe('drift-2014-reverse-me');
    const res = await refused('/centres/kc-skien/funding/entries/drift-2014-reverse-me/reversal', {}, 400, 'VALIDATION.FAILED', { field: 'reason' });
    expect(res.body.message).toMatch(/required|missing|left out/i);
    expect(res.body.message).not.toMatch(/shorter than/);
  });

  it('an amount left out is 400 MONEY.MISSING, the message saying to send null when it was not reported', async () => {
    const { amount: _left, ...body } = grant();
    const res = await refused(G, body, 400, 'MONEY.MISSING', { field: 'amount' });
    expect(res.body.message).toMatch(/null/);
  });

  it('a field the route does not take ("currency": "NOK") is refused, not silently dropped: 400 VALIDATION.UNKNOWN_FIELD naming it (the README\'s choice)', async () => {
    const res = await refused(G, grant({ currency: 'NOK' }), 400, 'VALIDATION.UNKNOWN_FIELD', { field: 'currency' });
    expect(res.body.details.fields.map((f: any) => f.field)).toEqual(['currency']);
  });

  // ------------------------------------------------------------------------------------ idempotency

  it('a refused request claims no Idempotency-Key: the corrected body under the same key is recorded once, and its retry answers the same', async () => {
    const key = 'driftstilskudd-2014-skien';
    await refused(G, grant({ amount: '1 234,50' }), 400, 'MONEY.INVALID', { field: 'amount', key });
    const before = await head();
    const fixed = await post(G, grant({ amount: '1234.50' }), kari, key);
    expect(fixed.status).toBe(201);
    expect(await head()).toBe(before + 1);
    const retry = await post(G, grant({ amount: '1234.50' }), kari, key);
    expect([retry.status, retry.text]).toEqual([201, fixed.text]);
    expect(await head()).toBe(before + 1);
    const events = await t.http().get(`/audit/events?after=${before}&limit=10`).set(auditor);
    expect(events.status).toBe(200);
    expect(events.body.events.map((e: any) => [e.type, e.metadata?.idempotencyKey])).toEqual([['OperatingGrantRecorded', key]]);
  });
});
