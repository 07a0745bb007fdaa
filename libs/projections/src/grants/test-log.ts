import { grantSchemeDecider, WindowOverrides } from '../../../domain/src/grants';
import { RecordedEvent } from '../../../domain/src/shared';
import { testContext } from '../../../domain/src/shared/decider-spec';
import { foldEvents } from '../projection';
import { grantsProjection, GrantsView } from './grants-view';

/**
 * Hand-made event logs for the grants tests: a tiny in-memory "log" that stamps envelopes
 * (event id, stream, revision, position) the way the store does, so verdicts can cite them.
 */
export class TestLog {
  readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, number>();

  add(type: string, data: Record<string, unknown>, streamId = 'test-stream'): RecordedEvent {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    const position = this.events.length + 1;
    const e: RecordedEvent = {
      eventId: `ev-${position}`,
      streamId,
      revision,
      position,
      type,
      schemaVersion: 1,
      data,
      metadata: { actorId: 'test', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null },
      recordedAt: new Date(Date.UTC(2014, 0, 1) + position * 60_000).toISOString(),
      prevHash: null,
      hash: `h${position}`,
    };
    this.events.push(e);
    return e;
  }

  view(upTo = Infinity): GrantsView {
    return foldEvents(
      grantsProjection,
      this.events.filter((e) => e.position <= upTo),
    );
  }

  // ---- builders for the facts the base grant is judged on ----

  county(countyId: string, name: string, countyNumber: string) {
    return this.add('CountyRegistered', { countyId, name, countyNumber }, `county-${countyId}`);
  }
  party(partyId: string, kind: string, countyId: string | null, name = partyId) {
    return this.add('PartyRegistered', { partyId, name, kind, countyId, organisationNumber: null }, `party-${partyId}`);
  }
  centre(centreId: string, countyId: string, openedOn = '2009-01-01', name = centreId) {
    return this.add('CentreRegistered', { centreId, countyId, name, municipality: 'X', openedOn }, `centre-${centreId}`);
  }
  renameCentre(centreId: string, name: string, effectiveFrom: string, previousName = centreId) {
    return this.add('CentreRenamed', { centreId, name, previousName, effectiveFrom }, `centre-${centreId}`);
  }
  closeCentre(centreId: string, closedOn: string) {
    return this.add('CentreClosed', { centreId, closedOn, reason: 'test' }, `centre-${centreId}`);
  }
  partnership(countyId: string, partnershipId: string, parties: string[], signedOn: string, from: string, to: string | null) {
    return this.add('PartnershipAgreementSigned', { partnershipId, countyId, parties, signedOn, period: { from, to } }, `partnership-${countyId}`);
  }
  amendPartnership(countyId: string, partnershipId: string, effectiveFrom: string, parties: string[], from: string, to: string | null) {
    return this.add('PartnershipAgreementAmended', { partnershipId, countyId, effectiveFrom, parties, period: { from, to }, note: null }, `partnership-${countyId}`);
  }
  terminatePartnership(countyId: string, partnershipId: string, effectiveFrom: string) {
    return this.add('PartnershipAgreementTerminated', { partnershipId, countyId, effectiveFrom, reason: null }, `partnership-${countyId}`);
  }
  coordinating(countyId: string, holderPartyId: string, from: string, to: string | null) {
    return this.add('CoordinatingFunctionAssigned', { countyId, holderPartyId, description: 'coordinates', from, to }, `partnership-${countyId}`);
  }
  endCoordinating(countyId: string, holderPartyId: string, endedOn: string) {
    return this.add('CoordinatingFunctionEnded', { countyId, holderPartyId, endedOn }, `partnership-${countyId}`);
  }
  declare(centreId: string, countyId: string, effectiveFrom: string, fromAge: number, freeOfCharge = true, openToAllAdults = true) {
    return this.add(
      'ServiceDeclared',
      { declarationId: `decl-${this.events.length + 1}`, centreId, countyId, effectiveFrom, freeOfCharge, openToAllAdults, fromAge, note: null },
      `grant-evidence-${centreId}`,
    );
  }
  activity(centreId: string, countyId: string, deliveredOn: string, targetGroups: string[], kind = 'course', participants = 12) {
    return this.add(
      'CompetenceDevelopmentDelivered',
      { activityId: `act-${this.events.length + 1}`, centreId, countyId, deliveredOn, kind, targetGroups, participants, description: 'test' },
      `grant-evidence-${centreId}`,
    );
  }
  survey(centreId: string, countyId: string, from: string, to: string) {
    return this.add('UserSurveyParticipationRecorded', { participationId: `srv-${this.events.length + 1}`, centreId, countyId, period: { from, to }, note: null }, `grant-evidence-${centreId}`);
  }
  report(centreId: string, countyId: string, year: number, submittedOn: string) {
    return this.add('AnnualReportSubmitted', { reportId: `rep-${this.events.length + 1}`, centreId, countyId, year, submittedOn }, `grant-evidence-${centreId}`);
  }
  /** Publishes a scheme through the real decider, so its windows are resolved exactly as in production. */
  scheme(year: number, judgingDate: string, baseGrantOre = 26_600_000_00, windowOverrides: WindowOverrides = {}) {
    const [e] = grantSchemeDecider.decide(
      { type: 'PublishGrantScheme', data: { year, baseGrantOre, criteriaSetId: 'criteria-2014', judgingDate, windowOverrides, note: null } },
      grantSchemeDecider.initialState(),
      testContext(),
    );
    return this.add(e.type, e.data as Record<string, unknown>, `grant-scheme-${year}`);
  }

  /**
   * A county that meets every 2014 criterion on the judging date 2014-03-01 (default windows):
   * agreement and coordinating function in force, one centre with a free declaration from 19,
   * all three groups reached in 2013, the survey all of 2013, the 2013 report in on 2014-02-15.
   */
  eligibleCounty(countyId: string, name: string, countyNumber: string, centreId = `${countyId}-kc`) {
    this.county(countyId, name, countyNumber);
    this.party(`${countyId}-county`, 'county-authority', countyId, `${name} fylkeskommune`);
    this.party(`nav-${countyId}`, 'nav-county-office', countyId, `NAV ${name}`);
    this.centre(centreId, countyId, '2009-01-01', `Karrieresenter ${name}`);
    this.partnership(countyId, `${countyId}-partnership`, [`${countyId}-county`, `nav-${countyId}`], '2013-06-01', '2013-06-01', null);
    this.coordinating(countyId, `${countyId}-county`, '2013-01-01', null);
    this.declare(centreId, countyId, '2013-01-01', 19);
    this.activity(centreId, countyId, '2013-03-10', ['primary-lower-secondary-counsellors']);
    this.activity(centreId, countyId, '2013-09-05', ['upper-secondary-counsellors', 'others']);
    this.activity(centreId, countyId, '2013-11-20', ['nav-staff'], 'triangle-conversation', 3);
    this.survey(centreId, countyId, '2013-01-01', '2013-12-31');
    this.report(centreId, countyId, 2013, '2014-02-15');
    return centreId;
  }
}
