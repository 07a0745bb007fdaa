import { Role } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A small ledger with two counties — OWN (the finance officer's county in every token) and OTHER —
 * and helpers that set up fresh objects (as admin, over HTTP) so that each request of the access
 * matrix and of the hostile-input run is valid on its own: a fresh centre to close, a fresh entry
 * to reverse, a fresh proposal to vote on.
 */
export const OWN = 'telemark';
export const OTHER = 'ostfold';
/** A county that meets the base-grant criteria (see eligibleCounty). */
export const ELIGIBLE = 'vest-agder';
/** Evidence cannot be recorded in the future, so schemes use the years 2001 up to last year. */
const LAST_SCHEME_YEAR = new Date().getUTCFullYear() - 1;
export type Variant = 'own' | 'other';
export const ALL_ROLES: Role[] = ['finance-officer', 'board-member', 'vox', 'auditor', 'admin'];

export interface Built {
  method: 'GET' | 'POST';
  path: string;
  body?: object;
  /** The token's subject (board members vote as themselves). */
  sub?: string;
  /** Expected success status when it differs from the route's. */
  ok?: number;
}

export class World {
  private n = 0;
  private year = 1990;
  private schemeYears = 2000;
  private shared: { scheme?: Promise<number>; allocation?: Promise<number> } = {};
  readonly centres: Record<Variant, string> = { own: 'kc-own', other: 'kc-other' };
  readonly boards: Record<Variant, { boardId: string; chair: string; member: string; centreId: string }> = {
    own: { boardId: 'board-own', chair: 'chair-own', member: 'member-own', centreId: '' },
    other: { boardId: 'board-other', chair: 'chair-other', member: 'member-other', centreId: '' },
  };
  admin!: { Authorization: string };

  constructor(readonly t: TestApp) {}

  static async create(env: Record<string, string> = {}): Promise<World> {
    const t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', ...env } });
    const w = new World(t);
    await w.registerBothCounties();
    await w.eligibleCounty();
    return w;
  }

  /** The admin, then each county's parties, centre and board with a chair and a member (what every world starts from). */
  async registerBothCounties(): Promise<void> {
    this.admin = await this.t.auth('admin', [], 'matrix-admin');
    for (const v of ['own', 'other'] as Variant[]) {
      const c = this.county(v);
      await this.must('POST', '/parties', { partyId: this.fk(v), name: `${c} fylkeskommune`, kind: 'county-authority', countyId: c });
      await this.must('POST', '/parties', { partyId: this.nav(v), name: `NAV ${c}`, kind: 'nav-county-office', countyId: c });
      await this.must('POST', '/centres', { centreId: this.centres[v], countyId: c, name: `Karrieresenter ${c}`, municipality: 'Sentrum', openedOn: '2009-01-01' });
      const b = this.boards[v];
      b.centreId = await this.freshCentre(v);
      await this.must('POST', '/boards', { boardId: b.boardId, countyId: c, centreIds: [b.centreId], name: `Styret ${c}`, establishedOn: '2010-01-01' });
      await this.must('POST', `/boards/${b.boardId}/members`, { personId: b.chair, name: 'Leder', partyId: this.fk(v), role: 'chair', term: { from: '2010-01-01', to: null } });
      await this.must('POST', `/boards/${b.boardId}/members`, { personId: b.member, name: 'Medlem', partyId: this.nav(v), role: 'member', term: { from: '2010-01-01', to: null } });
    }
  }

  /**
   * A third county that meets every base-grant criterion in the fixed windows every scheme of this
   * world uses (so an allocation has someone to share with).
   */
  private async eligibleCounty(): Promise<void> {
    const c = ELIGIBLE;
    await this.must('POST', '/parties', { partyId: `${c}-fk`, name: `${c} fylkeskommune`, kind: 'county-authority', countyId: c });
    await this.must('POST', '/parties', { partyId: `nav-${c}`, name: `NAV ${c}`, kind: 'nav-county-office', countyId: c });
    await this.must('POST', `/counties/${c}/partnership-agreements`, { partnershipId: `pa-${c}`, parties: [`${c}-fk`, `nav-${c}`], signedOn: '2000-01-01', period: { from: '2000-01-01', to: null } });
    await this.must('POST', `/counties/${c}/coordinating-function`, { holderPartyId: `${c}-fk`, description: 'Koordinerende funksjon', from: '2000-01-01', to: null });
    const centre = `kc-${c}`;
    await this.must('POST', '/centres', { centreId: centre, countyId: c, name: 'Karrieresenter', municipality: 'Kristiansand', openedOn: '1999-01-01' });
    await this.must('POST', `/centres/${centre}/grant-evidence/service-declarations`, { effectiveFrom: '2000-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
    await this.must('POST', `/centres/${centre}/grant-evidence/competence-development`, {
      deliveredOn: '2013-06-01',
      kind: 'course',
      targetGroups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'],
      participants: 12,
      description: 'Kurs',
    });
    await this.must('POST', `/centres/${centre}/grant-evidence/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
    // A scheme for year Y judges the annual report for Y − 1 (see schemeBody): one for every year schemes may use.
    // Its windows for competence development and the user survey are year Y − 1 too (they must end by the judging date).
    for (let y = 2000; y <= LAST_SCHEME_YEAR - 1; y++) {
      await this.must('POST', `/centres/${centre}/grant-evidence/annual-reports`, { year: y, submittedOn: `${y + 1}-02-01` });
      if (y === 2013) continue; // recorded above
      await this.must('POST', `/centres/${centre}/grant-evidence/competence-development`, { deliveredOn: `${y}-06-01`, kind: 'course', targetGroups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'], participants: 12, description: 'Kurs' });
      await this.must('POST', `/centres/${centre}/grant-evidence/user-survey-participations`, { period: { from: `${y}-01-01`, to: `${y}-12-31` } });
    }
  }

  county(v: Variant): string {
    return v === 'own' ? OWN : OTHER;
  }
  fk(v: Variant): string {
    return `${this.county(v)}-fk`;
  }
  nav(v: Variant): string {
    return `nav-${this.county(v)}`;
  }
  /** County numbers are unique (COUNTY.NUMBER_TAKEN): counting down from 99 stays clear of the real ones. */
  private countyNumbers = 100;
  freshCountyNumber(): string {
    return String(--this.countyNumbers);
  }
  id(prefix: string): string {
    return `${prefix}-${++this.n}`;
  }
  /** A year no other request has used (for schemes, disjoint periods). */
  freshYear(): number {
    return ++this.year;
  }

  /** A request as admin that must succeed (setup). */
  async must(method: 'GET' | 'POST', path: string, body?: object): Promise<any> {
    const req = method === 'GET' ? this.t.http().get(path) : this.t.http().post(path).send(body ?? {});
    const res = await req.set(this.admin);
    if (res.status >= 300) throw new Error(`setup ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async freshCentre(v: Variant): Promise<string> {
    const centreId = this.id(`kc-${v}`);
    await this.must('POST', '/centres', { centreId, countyId: this.county(v), name: `Senter ${centreId}`, municipality: 'Sentrum', openedOn: '2009-01-01' });
    return centreId;
  }

  async freshParty(v: Variant): Promise<string> {
    const partyId = this.id(`party-${v}`);
    await this.must('POST', '/parties', { partyId, name: `Part ${partyId}`, kind: 'municipality', countyId: this.county(v) });
    return partyId;
  }

  async entry(v: Variant): Promise<string> {
    const entryId = this.id(`entry-${v}`);
    await this.must('POST', `/centres/${this.centres[v]}/funding/operating-grants`, { entryId, fiscalYear: 2013, partyId: this.fk(v), amount: '1000.00', decidedOn: '2013-01-10' });
    return entryId;
  }

  async position(v: Variant): Promise<string> {
    const positionId = this.id(`pos-${v}`);
    await this.must('POST', `/centres/${this.centres[v]}/staff-positions`, this.positionBody(positionId));
    return positionId;
  }

  positionBody(positionId: string): object {
    return { positionId, title: 'Rådgiver', employerKind: 'county-authority', fte: '1.0', payer: { kind: 'centre' }, startedOn: '2013-01-01' };
  }

  async ownerAgreement(v: Variant): Promise<{ centreId: string; agreementId: string }> {
    const centreId = await this.freshCentre(v);
    const agreementId = this.id(`oa-${v}`);
    await this.must('POST', `/centres/${centreId}/owner-agreements`, this.ownerAgreementBody(v, agreementId));
    return { centreId, agreementId };
  }

  ownerAgreementBody(v: Variant, agreementId: string): object {
    return { agreementId, parties: [{ partyId: this.fk(v), shareBp: 5000 }, { partyId: this.nav(v), shareBp: 5000 }], period: { from: '2009-01-01', to: null }, signedOn: '2009-01-01' };
  }

  partnershipBody(v: Variant, partnershipId: string, year: number): object {
    return { partnershipId, parties: [this.fk(v), this.nav(v)], signedOn: `${year}-01-01`, period: { from: `${year}-01-01`, to: `${year}-12-31` } };
  }

  async partnership(v: Variant): Promise<{ partnershipId: string; year: number }> {
    const partnershipId = this.id(`pa-${v}`);
    const year = this.freshYear();
    await this.must('POST', `/counties/${this.county(v)}/partnership-agreements`, this.partnershipBody(v, partnershipId, year));
    return { partnershipId, year };
  }

  coordinatingBody(v: Variant, year: number): object {
    return { holderPartyId: this.fk(v), description: 'Koordinerer veiledningsaktørene', from: `${year}-01-01`, to: `${year}-12-31` };
  }

  async coordinating(v: Variant): Promise<number> {
    const year = this.freshYear();
    await this.must('POST', `/counties/${this.county(v)}/coordinating-function`, this.coordinatingBody(v, year));
    return year;
  }

  async board(v: Variant): Promise<string> {
    const boardId = this.id(`board-${v}`);
    await this.must('POST', '/boards', { boardId, countyId: this.county(v), centreIds: [await this.freshCentre(v)], name: `Styre ${boardId}`, establishedOn: '2011-01-01' });
    return boardId;
  }

  async boardMember(v: Variant): Promise<{ boardId: string; personId: string }> {
    const personId = this.id(`person-${v}`);
    const boardId = this.boards[v].boardId;
    await this.must('POST', `/boards/${boardId}/members`, { personId, name: 'Varamedlem', partyId: this.fk(v), role: 'member', term: { from: '2011-01-01', to: null } });
    return { boardId, personId };
  }

  proposalBody(proposalId: string): object {
    return { proposalId, kind: 'goals', year: 2014, title: 'Mål for 2014', content: { goals: ['Flere voksne får veiledning'], targetGroups: ['voksne'], inputFromPartyIds: [] }, tabledOn: '2014-02-01' };
  }

  async proposal(v: Variant): Promise<{ boardId: string; proposalId: string }> {
    const proposalId = this.id(`prop-${v}`);
    const boardId = this.boards[v].boardId;
    await this.must('POST', `/boards/${boardId}/proposals`, this.proposalBody(proposalId));
    return { boardId, proposalId };
  }

  /** An annual report on a fresh centre (one report per centre and year). */
  async evidence(v: Variant): Promise<{ centreId: string; reportId: string }> {
    const reportId = this.id(`rep-${v}`);
    const centreId = await this.freshCentre(v);
    await this.must('POST', `/centres/${centreId}/grant-evidence/annual-reports`, { reportId, year: 2013, submittedOn: '2014-02-01' });
    return { centreId, reportId };
  }

  stimulusBody(v: Variant, applicationId: string): object {
    return { applicationId, countyId: this.county(v), year: 2014, purpose: 'development', amountAsked: '100000.00', description: 'Utviklingsarbeid', centreId: this.centres[v], appliedOn: '2014-02-01' };
  }

  async stimulus(v: Variant): Promise<string> {
    const applicationId = this.id(`stim-${v}`);
    await this.must('POST', '/stimulus-grants', this.stimulusBody(v, applicationId));
    return applicationId;
  }

  schemeBody(year: number): object {
    const day = { from: `${year}-03-01`, to: `${year}-03-01` };
    // Windows end by the judging date (GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE); the matrix judges access, not verdicts.
    const year2013 = { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
    return {
      year,
      baseGrant: '26600000.00',
      criteriaSetId: 'criteria-2014',
      judgingDate: `${year}-03-01`,
      windows: { partnershipAgreement: day, coordinatingFunction: day, freeGuidance: day, competenceDevelopment: year2013, userSurvey: year2013, annualReport: { reportYear: year - 1, deadline: `${year}-03-01` } },
    };
  }

  /** Publishing needs Vox (not admin): the scheme routes are Vox's alone. */
  freshSchemeYear(): number {
    if (this.schemeYears >= LAST_SCHEME_YEAR) throw new Error('out of scheme years');
    return ++this.schemeYears;
  }

  /** One published scheme (and one allocated) shared by the read routes. */
  sharedScheme(): Promise<number> {
    return (this.shared.scheme ??= this.scheme());
  }
  sharedAllocation(): Promise<number> {
    return (this.shared.allocation ??= this.allocation());
  }

  async scheme(): Promise<number> {
    const year = this.freshSchemeYear();
    const vox = await this.t.auth('vox', [], 'matrix-vox');
    const res = await this.t.http().post('/grant-schemes').set(vox).send(this.schemeBody(year));
    if (res.status !== 201) throw new Error(`setup scheme ${year}: ${res.status} ${JSON.stringify(res.body)}`);
    return year;
  }

  async allocation(): Promise<number> {
    const year = await this.scheme();
    const vox = await this.t.auth('vox', [], 'matrix-vox');
    const res = await this.t.http().post(`/grant-schemes/${year}/allocation`).set(vox).send({});
    if (res.status >= 300) throw new Error(`setup allocation ${year}: ${res.status} ${JSON.stringify(res.body)}`);
    return year;
  }

  async close(): Promise<void> {
    await this.t.close();
  }
}
