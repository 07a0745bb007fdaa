import type { CentreEvent } from './counties/centre';
import type { CountyEvent } from './counties/county';
import type { MoneyEntryEvent } from './funding/money-entry';
import type { StaffPositionEvent } from './funding/staff-position';
import type { BoardEvent } from './governance/board';
import type { CoLocationEvent } from './governance/co-location';
import type { CountyLineEvent } from './governance/county-line';
import type { OwnerAgreementEvent } from './governance/owner-agreement';
import type { PartnershipEvent } from './governance/partnership';
import type { GrantEvidenceEvent } from './grants/evidence';
import type { GrantSchemeEvent } from './grants/scheme';
import type { StimulusGrantEvent } from './grants/stimulus';
import type { PartyEvent } from './parties/party';

/** Every event the ledger records. */
export type LedgerEvent =
  | CountyEvent
  | CentreEvent
  | PartyEvent
  | MoneyEntryEvent
  | StaffPositionEvent
  | OwnerAgreementEvent
  | PartnershipEvent
  | BoardEvent
  | CountyLineEvent
  | CoLocationEvent
  | GrantEvidenceEvent
  | GrantSchemeEvent
  | StimulusGrantEvent;

export type LedgerEventType = LedgerEvent['type'];

/**
 * The name of every event type the ledger records, at run time (a filter naming another one can
 * match nothing: the audit log refuses it instead of answering an empty page). Checked against
 * LedgerEvent when compiling, both ways: a type added to a decider and not listed here fails the build.
 */
export const EVENT_TYPES = [
  'CountyRegistered',
  'CentreRegistered',
  'CentreRenamed',
  'CentreClosed',
  'PartyRegistered',
  'PartyRenamed',
  'OperatingGrantRecorded',
  'EarmarkedFundsRecorded',
  'TenderAwardRecorded',
  'OtherIncomeRecorded',
  'InKindContributionRecorded',
  'EntryReversed',
  'StaffPositionStarted',
  'StaffPositionChanged',
  'StaffPositionEnded',
  'OwnerAgreementRegistered',
  'OwnerAgreementAmended',
  'OwnerAgreementTerminated',
  'PartnershipAgreementSigned',
  'PartnershipAgreementAmended',
  'PartnershipAgreementTerminated',
  'CoordinatingFunctionAssigned',
  'CoordinatingFunctionEnded',
  'BoardEstablished',
  'BoardMemberAppointed',
  'BoardMemberEnded',
  'BoardDissolved',
  'ProposalTabled',
  'VoteCast',
  'ProposalClosed',
  'CountyLineDecisionRecorded',
  'CoLocationRecorded',
  'CoLocationCorrected',
  'CoLocationWithdrawn',
  'ServiceDeclared',
  'CompetenceDevelopmentDelivered',
  'UserSurveyParticipationRecorded',
  'AnnualReportSubmitted',
  'GrantEvidenceWithdrawn',
  'GrantSchemePublished',
  'GrantSchemeAmended',
  'BaseGrantAllocated',
  'BaseGrantAllocationCorrected',
  'StimulusGrantApplied',
  'StimulusGrantAwarded',
  'StimulusGrantRejected',
  'StimulusGrantDecisionCorrected',
] as const satisfies readonly LedgerEventType[];

// Every LedgerEvent type is listed (the `satisfies` above checks the other way).
type Unlisted = Exclude<LedgerEventType, (typeof EVENT_TYPES)[number]>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;
