import { RecordedEvent } from '../../../domain/src/shared';
import { centreDirectory } from '../directory/centre-directory';
import { foldEvents } from '../projection';
import { governanceProjections } from './index';
import { governanceDetail } from './board-detail';
import { GovernanceViews, governanceProfile, navLink, navLinks } from './queries';

let position = 0;
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => {
  position++;
  return { eventId: `ev-${position}`, streamId: 's', revision: 0, position, type, schemaVersion: 1, data, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null }, recordedAt: '2026-01-01T00:00:00.000Z', prevHash: null, hash: 'h' };
};

const build = (events: RecordedEvent[]): GovernanceViews => {
  const byName = Object.fromEntries([centreDirectory, ...governanceProjections].map((p) => [p.name, foldEvents(p, events)]));
  return {
    directory: byName['centre-directory'],
    parties: byName['party-directory'],
    owners: byName['owner-agreements'],
    partnerships: byName['guidance-partnerships'],
    boards: byName['board-register'],
    countyLine: byName['county-line-decisions'],
    coLocations: byName['co-locations'],
    financiers: byName['nav-financiers'],
  } as GovernanceViews;
};

const money = (type: string, entryId: string, partyId: string, fiscalYear: number, centreId = 'krs') =>
  ev(type, { entryId, centreId, countyId: 'vest-agder', fiscalYear, partyId, amountOre: 100_000, decidedOn: `${fiscalYear}-01-10`, reference: null, note: null, correctsEntryId: null });

const base = (): RecordedEvent[] => {
  position = 0;
  return [
    ev('CountyRegistered', { countyId: 'vest-agder', name: 'Vest-Agder', countyNumber: '10' }),
    ev('CentreRegistered', { centreId: 'krs', countyId: 'vest-agder', name: 'Kristiansand', municipality: 'Kristiansand', openedOn: '2005-01-01' }),
    ev('CentreRegistered', { centreId: 'mandal', countyId: 'vest-agder', name: 'Mandal', municipality: 'Mandal', openedOn: '2005-01-01' }),
    ev('PartyRegistered', { partyId: 'va-fk', name: 'Vest-Agder fylkeskommune', kind: 'county-authority', countyId: 'vest-agder', organisationNumber: null }),
    ev('PartyRegistered', { partyId: 'nav-va', name: 'NAV Vest-Agder', kind: 'nav-county-office', countyId: 'vest-agder', organisationNumber: null }),
    ev('PartyRegistered', { partyId: 'nav-krs', name: 'NAV Kristiansand', kind: 'nav-local-office', countyId: 'vest-agder', organisationNumber: null }),
  ];
};

describe('NAV link: financier ground', () => {
  it('is unknown while no funding is recorded for the centre that year, not false', () => {
    const link = navLink(build(base()), 'krs', '2013-06-01')!;
    expect(link.grounds.financier.holds).toBe('unknown');
    expect(link.hasNavLink).toBe('unknown');
  });

  it('is false when only other parties financed the centre that year', () => {
    const link = navLink(build([...base(), money('OperatingGrantRecorded', 'e1', 'va-fk', 2013)]), 'krs', '2013-06-01')!;
    expect(link.grounds.financier).toMatchObject({ holds: false, evidence: [] });
    expect(link.hasNavLink).toBe(false);
  });

  it('holds with the NAV entries as evidence, and stops holding when the NAV entry is reversed', () => {
    const events = [...base(), money('OperatingGrantRecorded', 'e1', 'va-fk', 2013), money('EarmarkedFundsRecorded', 'e2', 'nav-va', 2013)];
    const link = navLink(build(events), 'krs', '2013-06-01')!;
    expect(link.grounds.financier.holds).toBe(true);
    expect(link.grounds.financier.evidence).toEqual([expect.objectContaining({ eventId: 'ev-8', type: 'EarmarkedFundsRecorded', partyId: 'nav-va' })]);
    expect(navLink(build(events), 'krs', '2014-06-01')!.grounds.financier.holds).toBe('unknown');
    const reversed = [...events, ev('EntryReversed', { entryId: 'e2.reversal', reversedEntryId: 'e2', centreId: 'krs', countyId: 'vest-agder', fiscalYear: 2013, reason: 'wrong party', entryKind: 'earmarked', partyId: 'nav-va', amountOre: 100_000, estimatedValueOre: null, correctedByEntryId: null })];
    expect(navLink(build(reversed), 'krs', '2013-06-01')!.grounds.financier.holds).toBe(false);
  });

  it('holds when NAV pays a staff position directly during the year', () => {
    const events = [
      ...base(),
      ev('StaffPositionStarted', { positionId: 'p1', centreId: 'krs', countyId: 'vest-agder', title: 'Counsellor', employerKind: 'nav-county-office', employerPartyId: 'nav-va', fteMilli: 1000, payer: { kind: 'party', partyId: 'nav-va' }, annualCostOre: null, startedOn: '2012-01-01' }),
      ev('StaffPositionEnded', { positionId: 'p1', centreId: 'krs', countyId: 'vest-agder', endedOn: '2013-12-31' }),
    ];
    expect(navLink(build(events), 'krs', '2013-03-01')!.grounds.financier).toMatchObject({ holds: true, evidence: [{ type: 'StaffPositionStarted', partyId: 'nav-va' }] });
    expect(navLink(build(events), 'krs', '2014-03-01')!.grounds.financier.holds).toBe('unknown');
  });
});

describe('NAV link: co-location and formal input along the county line (Vest-Agder)', () => {
  it('shows co-location with a NAV office and NAV input to the county-line budget, each with its event', () => {
    const events = [
      ...base(),
      ev('CoLocationRecorded', { centreId: 'krs', countyId: 'vest-agder', from: '2012-08-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'nav-krs', name: null }] }),
      ev('CountyLineDecisionRecorded', { decisionId: 'b13', countyId: 'vest-agder', centreIds: ['krs', 'mandal'], kind: 'budget', year: 2013, title: 'Budget 2013', content: { lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', amountOre: 546_000_000 }], inputFromPartyIds: ['nav-va'], summary: null }, decidedOn: '2012-12-12', decidedBy: 'fo', outcome: 'adopted', governedBy: 'county-line' }),
    ];
    const views = build(events);
    const krs = navLink(views, 'krs', '2013-06-01')!;
    expect(krs.grounds.coLocated).toMatchObject({ holds: true, evidence: [{ eventId: 'ev-7', partyId: 'nav-krs' }] });
    expect(krs.grounds.formalInput).toMatchObject({ holds: true, evidence: [{ eventId: 'ev-8', partyId: 'nav-va' }] });
    expect(navLink(views, 'krs', '2012-07-31')!.grounds.coLocated.holds).toBe(false);
    expect(navLink(views, 'krs', '2012-12-11')!.grounds.formalInput.holds).toBe(false);
    const all = navLinks(views, '2013-06-01');
    expect(all.centres).toBe(2);
    expect(all.withNavLink).toBe(2);
    const profile = governanceProfile(views, 'mandal', '2013-06-01', governanceDetail(events))!;
    expect(profile.governedBy).toBe('county-line');
    expect(profile.currentBudget).toMatchObject({ decisionId: 'b13', governedBy: 'county-line' });
  });

  it('judges co-location by the records as corrected; a withdrawn record no longer counts, and is kept apart', () => {
    const nav = [{ kind: 'nav-local-office', partyId: 'nav-krs', name: null }];
    const co = (type: string, from: string, more: Record<string, unknown>) => ev(type, { centreId: 'krs', countyId: 'vest-agder', from, ...more });
    const recorded = [...base(), co('CoLocationRecorded', '2012-08-01', { premises: 'Rådhuset', sharedWith: [] }), co('CoLocationRecorded', '2014-01-01', { premises: 'NAV-huset', sharedWith: nav })];
    expect(navLink(build(recorded), 'krs', '2013-06-01')!.grounds.coLocated.holds).toBe(false);
    const corrected = [...recorded, co('CoLocationCorrected', '2012-08-01', { premises: 'NAV-huset', sharedWith: nav, reason: 'r', previous: { premises: 'Rådhuset', sharedWith: [] } })];
    expect(navLink(build(corrected), 'krs', '2013-06-01')!.grounds.coLocated).toMatchObject({ holds: true, evidence: [{ eventId: 'ev-9', type: 'CoLocationCorrected', partyId: 'nav-krs' }] });
    const withdrawn = [...corrected, co('CoLocationWithdrawn', '2014-01-01', { reason: 'wrong date' })];
    const views = build(withdrawn);
    expect(views.coLocations.krs.records.map((r) => [r.from, r.corrections.length])).toEqual([['2012-08-01', 1]]);
    expect(views.coLocations.krs.withdrawn).toEqual([expect.objectContaining({ from: '2014-01-01', withdrawal: { reason: 'wrong date', event: { eventId: 'ev-10', position: 10, type: 'CoLocationWithdrawn' } } })]);
    // The record before it holds on (here, as corrected: NAV); a correction or withdrawal of no record changes nothing.
    expect(navLink(views, 'krs', '2014-06-01')!.grounds.coLocated.evidence).toEqual([expect.objectContaining({ eventId: 'ev-9' })]);
    const stray = build([...withdrawn, co('CoLocationWithdrawn', '2014-01-01', { reason: 'again' }), co('CoLocationCorrected', '2011-01-01', { premises: 'x', sharedWith: [], reason: 'r', previous: { premises: 'y', sharedWith: [] } })]);
    expect(stray.coLocations.krs).toEqual(views.coLocations.krs);
  });

  it('never throws on ids that shadow Object.prototype', () => {
    const events = [
      ...base(),
      ev('CoLocationRecorded', { centreId: 'constructor', countyId: 'x', from: '2012-01-01', premises: 'p', sharedWith: [] }),
      ev('CoLocationCorrected', { centreId: 'toString', countyId: 'x', from: '2012-01-01', premises: 'p', sharedWith: [], reason: 'r', previous: { premises: 'q', sharedWith: [] } }),
      ev('CoLocationWithdrawn', { centreId: '__proto__', countyId: 'x', from: '2012-01-01', reason: 'r' }),
      money('OperatingGrantRecorded', 'toString', 'constructor', 2013, 'constructor'),
    ];
    expect(() => build(events)).not.toThrow();
    expect(navLink(build(events), 'constructor', '2013-01-01')).toBeNull();
  });
});

describe('a board dissolved from a date: acts dated before it, recorded after the dissolution', () => {
  it('count as any other: the vote and decision show in the register, the profile and the NAV link up to the day before dissolvedOn', () => {
    const b = { boardId: 'styre', countyId: 'vest-agder' };
    const events = [
      ...base(),
      ev('BoardEstablished', { ...b, centreIds: ['krs'], name: 'Styret', bodyKind: 'steering-group', establishedOn: '2012-01-01', rules: { quorum: { kind: 'more-than-half' }, tieBreak: 'chair-decides' } }),
      ev('BoardMemberAppointed', { ...b, personId: 'chair', name: 'chair', partyId: 'va-fk', role: 'chair', term: { from: '2012-01-01', to: null } }),
      ev('ProposalTabled', { ...b, proposalId: 'g14', centreIds: ['krs'], kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['g'], targetGroups: [], inputFromPartyIds: ['nav-va'], summary: null }, tabledBy: 'chair', tabledOn: '2013-12-01' }),
      // Dissolved from 1 January 2014 (decided in November), then the December meeting is entered.
      ev('BoardDissolved', { ...b, centreIds: ['krs'], dissolvedOn: '2014-01-01', reason: 'replaced', replacedByBoardId: null }),
      ev('VoteCast', { ...b, proposalId: 'g14', personId: 'chair', vote: 'for', standingInFor: null, castOn: '2013-12-10' }),
      ev('ProposalClosed', { ...b, proposalId: 'g14', centreIds: ['krs'], kind: 'goals', year: 2014, title: 'Mål 2014', outcome: 'adopted', reason: 'MAJORITY_FOR', tally: { for: 1, against: 0, abstain: 0, takingPart: 1, seats: 1, quorumRequired: 1 }, quorumMet: true, content: { goals: ['g'], targetGroups: [], inputFromPartyIds: ['nav-va'], summary: null }, closedBy: 'chair', closedOn: '2013-12-10', governedBy: 'board' }),
    ];
    const views = build(events);
    const detail = governanceDetail(events);
    const proposal = detail.boards.boards.styre.proposals.g14;
    expect([proposal.votes.map((v) => [v.personId, v.castOn, v.event.eventId]), proposal.decision?.event.eventId]).toEqual([[['chair', '2013-12-10', 'ev-11']], 'ev-12']);
    const december = governanceProfile(views, 'krs', '2013-12-31', detail)!;
    expect([december.governedBy, december.current.goals?.decisionId, december.current.goals?.event.eventId]).toEqual(['steering-group', 'g14', 'ev-12']);
    expect(navLink(views, 'krs', '2013-12-31')!.grounds.formalInput).toMatchObject({ holds: true, evidence: [{ eventId: 'ev-12', partyId: 'nav-va' }] });
    // From dissolvedOn the body no longer governs; its decision, taken before, is still the current one.
    const january = governanceProfile(views, 'krs', '2014-01-01', detail)!;
    expect([january.governedBy, january.current.goals?.decisionId]).toEqual(['not-recorded', 'g14']);
  });
});
