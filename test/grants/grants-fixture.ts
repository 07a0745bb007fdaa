import { TestApp } from '../helpers/test-app';

/** Records through HTTP, failing loudly with the answer when a write is refused. */
export const post = async (t: TestApp, auth: { Authorization: string }, path: string, body: object, expected = [200, 201]) => {
  const res = await t.http().post(path).set(auth).send(body);
  if (!expected.includes(res.status)) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
};

export interface CentreSpec {
  centreId: string;
  name: string;
  municipality: string;
  openedOn?: string;
  /** Target groups reached in 2013 (default all three). */
  groups?: string[];
  fromAge?: number;
  survey?: boolean;
  /** When the 2013 annual report was submitted (null: not submitted). */
  reportSubmittedOn?: string | null;
}

/**
 * Records, as the county's finance officer, what the 2014 criteria look at: the county authority
 * and NAV county office as parties, the partnership agreement and coordinating function, and each
 * centre with its evidence.
 */
export const recordCounty = async (t: TestApp, countyId: string, countyName: string, centres: CentreSpec[], opts: { partnership?: { to: string | null } | null } = {}) => {
  const fo = await t.auth('finance-officer', [countyId]);
  await post(t, fo, '/parties', { partyId: `${countyId}-fk`, name: `${countyName} fylkeskommune`, kind: 'county-authority', countyId });
  await post(t, fo, '/parties', { partyId: `nav-${countyId}`, name: `NAV ${countyName}`, kind: 'nav-county-office', countyId });
  if (opts.partnership !== null) {
    await post(t, fo, `/counties/${countyId}/partnership-agreements`, {
      partnershipId: `${countyId}-partnerskap`,
      parties: [`${countyId}-fk`, `nav-${countyId}`],
      signedOn: '2013-09-01',
      period: { from: '2013-09-01', to: opts.partnership?.to ?? null },
    });
  }
  await post(t, fo, `/counties/${countyId}/coordinating-function`, { holderPartyId: `${countyId}-fk`, description: 'Koordinerer veiledningsaktørene i fylket', from: '2013-01-01' });
  for (const c of centres) {
    await post(t, fo, '/centres', { centreId: c.centreId, countyId, name: c.name, municipality: c.municipality, openedOn: c.openedOn ?? '2010-01-01' });
    const base = `/centres/${c.centreId}/grant-evidence`;
    await post(t, fo, `${base}/service-declarations`, { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: c.fromAge ?? 19 });
    const groups = c.groups ?? ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
    const kinds = ['course', 'network-meeting', 'triangle-conversation'];
    for (const [i, g] of groups.entries()) {
      await post(t, fo, `${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: kinds[i % kinds.length], targetGroups: [g], participants: 10 + i, description: `Kompetanseheving for ${g}` });
    }
    if (c.survey !== false) await post(t, fo, `${base}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
    if (c.reportSubmittedOn !== null) await post(t, fo, `${base}/annual-reports`, { year: 2013, submittedOn: c.reportSubmittedOn ?? '2014-02-20' });
  }
};

/** A centre's verdict on an evidence (sub-)criterion id (3a, 3b, 3b-nav-staff, 3c, 3c-i, 3c-ii), searched through the nested subCriteria of an eligibility answer's centre. */
export const centreCrit = (centre: any, id: string): any => {
  const walk = (cs: any[]): any => {
    for (const c of cs) {
      if (c.id === id) return c;
      const found = c.subCriteria ? walk(c.subCriteria) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return walk(centre.criteria);
};
