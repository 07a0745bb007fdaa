/**
 * Every stable error code the domain, the command path, the event store and the views can refuse
 * with, and what it means, per HTTP status it is answered with (most codes have one; the status
 * follows the refusal's kind: DomainErrorKind → HTTP_STATUS_OF_KIND). Each command definition names
 * the codes it can refuse with (`refusals`); the OpenAPI document is written from both, so a client
 * sees per route which codes it may get and why. test/http/error-code-catalogue.e2e-spec.ts reads
 * the source for every code thrown and fails when one is missing here, on every route that can
 * answer it, or in README.md. Plain data: no framework.
 */

/** The HTTP statuses an error answer has. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 503;

/** What one code means, per status it is answered with. */
export type CodeMeanings = Partial<Record<ErrorStatus, string>>;

export const REFUSALS = {
  // ---- every command: the command path, the validation of the payload, the store ----
  'VALIDATION.FAILED': { 400: 'a field is missing, of the wrong type or shape, or out of range (`details.fields` names each, with its code where the rule has one); a request whose every problem is one documented code is answered with that code instead' },
  'VALIDATION.UNKNOWN_FIELD': { 400: 'a field or query parameter the route does not take (unknown fields are refused, not dropped)' },
  'VALIDATION.NOT_PLAIN_TEXT': { 400: 'a text field holds a control character (line breaks and tabs are allowed in long texts only: note, reason, correctionReason, description, purpose, summary, goals), U+FFFE/U+FFFF or an unpaired surrogate' },
  'VALIDATION.BLANK': { 400: 'a required text is only whitespace or invisible characters' },
  'IDEMPOTENCY_KEY_INVALID': { 400: 'the Idempotency-Key is not 1–200 visible ASCII characters' },
  'IDEMPOTENCY_KEY_REUSED': { 409: 'you already used this Idempotency-Key for another request (another body or route); keys are per sender, so another user\'s key never collides with yours' },
  'IDEMPOTENCY_KEY_IN_FLIGHT': { 409: 'a request with this Idempotency-Key is still being recorded; retry it in a moment' },
  'STREAM.WRONG_EXPECTED_REVISION': { 409: 'others kept changing the same record while this was decided (re-decided 5 times); `details.currentRevision`, retry' },
  'STREAM.CONCURRENT_CHANGE': { 409: 'another request kept changing what this decision relied on (another record, e.g. the centre it is for) while it was decided (re-decided 5 times); `details.streamId`, retry' },
  'EVENT.DUPLICATE_ID': { 409: 'an event with this id is already recorded; nothing was appended' },
  'STORE.BUSY': { 503: 'the store could not take the write in time (SQLite: another process held the write lock for 10 s); nothing was recorded, retry after Retry-After' },
  'STORE.OUTCOME_UNKNOWN': { 503: 'EventStoreDB took the write but did not confirm it (a deadline, a lost connection): it may have been recorded; send it again with the same Idempotency-Key after Retry-After to get its answer (never recorded twice)' },
  'STORE.STREAM_DELETED': { 500: 'part of the ledger\'s recorded history was hard-deleted (tombstoned) on the EventStoreDB node, behind the ledger\'s back (`details.streamId` names the stream; `details.position`, when the log was read, its tombstone\'s position); nothing was recorded by this request, and retrying does not help: an administrator must restore the stream from a backup of the node (`ledger verify` names every deleted stream)' },
  'COMMAND.UNKNOWN': { 400: 'no command of that name' },
  'ACCESS.ROLE_NOT_ALLOWED': { 403: 'your role may not do this (the route or the command needs another role; the message and `details.allowed` name the roles that may)' },
  'ACCESS.OTHER_COUNTY': { 403: 'it belongs to a registered county that is not in your token (finance officers act for their own counties); a county id that is not registered is 404 COUNTY.NOT_FOUND instead' },

  // ---- shared values: dates, periods, years, money ----
  'DATE.INVALID': { 400: 'a date is not a real calendar date written YYYY-MM-DD' },
  'PERIOD.MISSING': { 400: 'this kind of entry needs a period {from, to}' },
  'PERIOD.ENDS_BEFORE_START': { 422: 'the period ends before it starts' },
  'FISCAL_YEAR.OUT_OF_RANGE': { 400: 'the year is not a whole year in the range the route accepts' },
  'MONEY.NOT_A_DECIMAL_STRING': { 400: 'an amount is not a decimal string in NOK such as "1800000.00"' },
  'MONEY.NEGATIVE': { 400: 'an amount is negative (record a reversal to take money back)' },
  'MONEY.FRACTIONAL_ORE': { 400: 'an amount has more than two decimals' },
  'MONEY.INVALID': { 400: 'an amount is not a decimal NOK amount with at most two decimals (a budget line: not positive whole øre)' },
  'MONEY.ZERO': { 400: 'an amount is zero' },
  'MONEY.TOO_LARGE': { 400: 'an amount is above NOK 1 000 000 000 000' },
  'MONEY.MISSING': { 400: 'the amount is left out (send null when it was not reported)' },

  // ---- counties and centres ----
  'COUNTY.ALREADY_REGISTERED': { 409: 'a county with this id is already registered' },
  'COUNTY.ID_RESERVED': { 400: 'a county id may not start with "line-" (its stream would be another county\'s county-line decisions)' },
  'COUNTY.NUMBER_TAKEN': { 409: 'another county already has this county number (`details.countyId` names it)' },
  'COUNTY.NOT_FOUND': { 404: 'no county with this id is registered' },
  'CENTRE.ALREADY_REGISTERED': { 409: 'a centre with this id, compared without regard to case, is already registered (`details.centreId` names it when it is written in another case)' },
  'CENTRE.NAME_TAKEN': { 409: 'another centre of the same county, open on a day this one would be (or, for a rename, would have the new name), already has this name, case, whitespace and look-alike forms (Unicode NFKC: fullwidth letters, ligatures) aside (`details.centreId` names it)' },
  'CENTRE.NOT_FOUND': { 404: 'no career centre with this id is registered' },
  'CENTRE.DATE_BEFORE_OPENING': { 422: 'a rename or closure dated before the centre opened' },
  'CENTRE.CLOSED': { 422: 'the centre is closed on the day this needs it open (or a closure is already recorded); `details.latestDate`' },
  'CENTRE.CLOSE_BEFORE_ACTIVITY': { 409: 'facts already recorded for the centre fall on or after the closing date; `details.earliestClosedOn` names the earliest possible one' },

  // ---- parties ----
  'PARTY.ALREADY_REGISTERED': { 409: 'a party with this id, compared without regard to case, is already registered (`details.partyId` names it when it is written in another case)' },
  'PARTY.NOT_FOUND': { 404: 'a party named is not registered (register it first)' },
  'PARTY.UNKNOWN_KIND': { 400: 'the party kind is not one the ledger knows' },
  'PARTY.COUNTY_REQUIRED': { 400: 'a county authority or NAV county office must name its county' },
  'PARTY.ORGANISATION_NUMBER_TAKEN': { 409: 'another party already has this organisation number (`details.partyId` names it)' },
  'PARTY.ORGANISATION_NUMBER_INVALID': { 400: 'the organisation number is not nine digits starting with 8 or 9 whose last is the mod-11 check digit of the first eight (mistyped?)' },
  'PARTY.NAME_TAKEN': { 409: 'another party of the same kind and county (or of no county) already has this name, case, whitespace and look-alike forms (Unicode NFKC: fullwidth letters, ligatures) aside (`details.partyId` names it)' },

  // ---- agreements (owner agreements and partnership agreements alike) ----
  'AGREEMENT.ENDS_BEFORE_START': { 422: 'the agreement\'s period ends before it starts' },
  'AGREEMENT.TERMINATED': { 409: 'the agreement is already terminated (register a new one instead)' },
  'AGREEMENT.AMENDMENT_OUT_OF_ORDER': { 422: 'the amendment takes effect before the latest terms did' },
  'AGREEMENT.AMENDMENT_OUTSIDE_PERIOD': { 422: 'the amendment takes effect outside its own period' },
  'AGREEMENT.TERMINATION_BEFORE_START': { 422: 'the termination date is before the agreement came into force' },
  'AGREEMENT.ALREADY_ENDED': { 422: 'the agreement already ended before that date; nothing is left to terminate' },
  'OWNER_AGREEMENT.ALREADY_REGISTERED': { 409: 'the centre already has an owner agreement with this id (amend it instead)' },
  'OWNER_AGREEMENT.SIGNED_IN_FUTURE': { 422: 'signedOn is after today (Norway\'s date)' },
  'OWNER_AGREEMENT.NO_PARTIES': { 400: 'an owner agreement names at least one party' },
  'OWNER_AGREEMENT.INVALID_SHARE': { 400: 'a share is not a whole number of basis points from 1 to 10000' },
  'OWNER_AGREEMENT.SHARES_NOT_100': { 422: 'the shares do not sum to 10000 basis points (100 %)' },
  'OWNER_AGREEMENT.DUPLICATE_PARTY': { 400: 'a party is named more than once' },
  'OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY': { 422: 'a party is registered to another county than the centre\'s (`details`: partyId, partyCountyId, centreCountyId); parties without a county may own a share' },
  'OWNER_AGREEMENT.OVERLAPS': { 409: 'another owner agreement of the centre is in force in an overlapping period' },
  'OWNER_AGREEMENT.NOT_FOUND': { 404: 'no owner agreement with this id (of this centre)' },
  'OWNER_AGREEMENT.AMBIGUOUS_ID': { 409: 'several centres have an owner agreement with this id; `details.centreIds` names them (ask the centre-scoped path)' },
  'PARTNERSHIP.ALREADY_REGISTERED': { 409: 'the county already has a partnership agreement with this id (amend it instead)' },
  'PARTNERSHIP.SIGNED_IN_FUTURE': { 422: 'signedOn is after today (Norway\'s date)' },
  'PARTNERSHIP.TOO_FEW_PARTIES': { 400: 'a partnership agreement is made between at least two parties' },
  'PARTNERSHIP.DUPLICATE_PARTY': { 400: 'a party is named more than once' },
  'PARTNERSHIP.PARTY_OF_OTHER_COUNTY': { 422: 'a party is registered to another county than the partnership\'s (`details`: partyId, partyCountyId, countyId); parties without a county may be parties' },
  'PARTNERSHIP.OVERLAPS': { 409: 'another partnership agreement of the county is in force in an overlapping period' },
  'PARTNERSHIP.NOT_FOUND': { 404: 'the county has no partnership agreement with this id' },
  'COORDINATING_FUNCTION.ENDS_BEFORE_START': { 422: 'the coordinating function would end before it starts' },
  'COORDINATING_FUNCTION.OVERLAPS': { 409: 'the coordinating function is already held in an overlapping period' },
  'COORDINATING_FUNCTION.HOLDER_OF_OTHER_COUNTY': { 422: 'the holder is a party registered to another county (`details`: holderPartyId, holderCountyId, countyId); a party without a county may hold it' },
  'COORDINATING_FUNCTION.NOT_HELD': { 422: 'the party does not hold the coordinating function on that date' },
  'COORDINATING_FUNCTION.ALREADY_ENDED': { 409: 'the coordinating function already ends on that date' },

  // ---- boards ----
  'BOARD.NOT_FOUND': { 404: 'no board with this id is established' },
  'BOARD.ALREADY_ESTABLISHED': { 409: 'a board with this id is already established' },
  'BOARD.NO_CENTRES': { 400: 'a board governs at least one centre' },
  'BOARD.DUPLICATE_CENTRE': { 400: 'a centre is named more than once' },
  'BOARD.CENTRE_OF_OTHER_COUNTY': { 422: 'a centre belongs to another county than the board' },
  'BOARD.INVALID_QUORUM': { 400: 'the quorum rule is not valid (`more-than-half` or `at-least`; `at-least` goes with quorumMembers, a whole number from 1 to 100)' },
  'BOARD.DISSOLVED': { 409: 'the board is dissolved from `dissolvedOn`: nothing dated from that day on can be recorded for it, and it cannot be dissolved again' },
  'BOARD.DATE_BEFORE_ESTABLISHED': { 422: 'dated before the board was established' },
  'BOARD.DISSOLVED_BEFORE_ACTIVITY': { 422: 'the board still acted (tabled, voted, decided) on or after that date' },
  'BOARD.REPLACED_BY_ITSELF': { 422: 'replacedByBoardId names the board being dissolved' },
  'BOARD.REPLACEMENT_OF_OTHER_COUNTY': { 422: 'replacedByBoardId names a board of another county (`details`: replacedByBoardId, replacementCountyId, countyId)' },
  'BOARD.PARTY_REQUIRED': { 400: 'a member other than a staff representative represents a party: name it' },
  'BOARD.NAV_OF_OTHER_COUNTY': { 422: 'a member would represent a NAV office of another county than the board\'s (`details`: partyId, partyCountyId, countyId): it would be a board ground of this county\'s NAV link' },
  'BOARD.TERM_ENDS_BEFORE_START': { 422: 'the term ends before it starts' },
  'BOARD.TERM_ENDS_BEFORE_VOTE': { 422: 'the term would end before a vote already cast in it, by the member or by a deputy standing in for their seat (`details`: personId, endedOn, proposalId, castOn, castBy, earliestEndedOn, voteCount): it can end on the day of that vote at the earliest' },
  'BOARD.ALREADY_A_MEMBER': { 409: 'the person is already a member in an overlapping term' },
  'BOARD.ROLE_TAKEN': { 409: 'the board already has a chair (deputy chair) in that period' },
  'BOARD.NOT_A_MEMBER': { 403: 'the person acting is not a member of this board', 404: 'the person was never a member of this board' },
  'BOARD.FORMER_MEMBER': { 403: 'the person acting was a member, but the term ended before that date, or (acting with their own token) the term the act falls in ended before today: an administrator records acts from it', 409: 'the member\'s term had already ended by that date' },
  'BOARD.NOT_YET_MEMBER': { 403: 'the person acting is a member, but the term has not started on that date' },
  'BOARD.PROPOSAL_EXISTS': { 409: 'a proposal with this id is already on the board\'s register' },
  'BOARD.CENTRE_NOT_GOVERNED': { 422: 'the proposal names a centre the board does not govern' },
  'BOARD.PROPOSAL_NOT_FOUND': { 404: 'the board has no proposal with this id' },
  'BOARD.PROPOSAL_CLOSED': { 409: 'the proposal is already closed' },
  'BOARD.TABLED_IN_FUTURE': { 422: 'tabledOn is after today (Norway\'s date): a proposal is recorded once tabled' },
  'BOARD.VOTE_BEFORE_TABLED': { 422: 'the vote is dated before the proposal was tabled' },
  'BOARD.VOTED_IN_FUTURE': { 422: 'castOn is after today (Norway\'s date): a vote is recorded once cast' },
  'BOARD.DEPUTY_NOT_STANDING_IN': { 422: 'a deputy member votes only standing in for a named member (standingInFor)' },
  'BOARD.STANDING_IN_FOR_NON_MEMBER': { 422: 'standingInFor names no member holding a seat on that date' },
  'BOARD.NOT_A_DEPUTY': { 422: 'only a deputy member stands in for another member' },
  'BOARD.ALREADY_VOTED': { 409: 'this person (or this seat) has already voted on the proposal' },
  'BOARD.PERSON_REQUIRED': { 400: 'an admin entering a recorded vote names the member (personId)' },
  'BOARD.VOTE_AS_OTHER': { 403: 'members vote only as themselves' },
  'BOARD.DECIDED_IN_FUTURE': { 422: 'closedOn is after today (Norway\'s date): a decision is recorded once taken' },
  'BOARD.CLOSE_BEFORE_TABLED': { 422: 'the decision is dated before the proposal was tabled' },
  'BOARD.CLOSE_BEFORE_VOTES': { 422: 'the decision is dated before votes already cast on the proposal' },
  'BOARD.CHAIR_PRESENT': { 403: 'the chair took part, so the chair (not the deputy chair) closes the proposal' },
  'BOARD.NOT_THE_CHAIR': { 403: 'only the chair (or the deputy chair when the chair is away) closes a proposal' },
  'BOARD.NO_QUORUM': { 422: 'declared adopted, but too few seats took part for quorum' },
  'BOARD.OUTCOME_MISMATCH': { 422: 'the outcome declared is not what the votes and rules give' },
  'PROPOSAL.CONTENT_NOT_FOR_KIND': { 400: 'the content does not fit the kind (budget lines only for a budget; goals and target groups only for plans)' },
  'PROPOSAL.BUDGET_WITHOUT_LINES': { 400: 'a budget needs at least one line' },
  'PROPOSAL.UNKNOWN_MONEY_KIND': { 400: 'a budget line\'s moneyKind is not one the ledger knows' },
  'PROPOSAL.PARTY_OF_OTHER_COUNTY': { 422: 'a budget line, or the parties that gave formal input (`inputFromPartyIds`), name a party of another county than the one deciding (`details`: partyId, partyCountyId, countyId; `field` when it is inputFromPartyIds); national parties (no county) may be named' },
  'PROPOSAL.PLAN_WITHOUT_GOALS': { 400: 'a plan or goals states at least one goal' },

  // ---- county line and co-location ----
  'COUNTY_LINE.DECISION_EXISTS': { 409: 'a county-line decision with this id is already recorded' },
  'COUNTY_LINE.NO_CENTRES': { 400: 'a county-line decision names the centres it is for' },
  'COUNTY_LINE.DUPLICATE_CENTRE': { 400: 'a centre is named more than once' },
  'COUNTY_LINE.DECIDED_IN_FUTURE': { 422: 'decidedOn is after today (Norway\'s date)' },
  'COUNTY_LINE.CENTRE_OF_OTHER_COUNTY': { 422: 'a centre belongs to another county' },
  'COUNTY_LINE.BEFORE_OPENING': { 422: 'the decision is dated before a centre it names opened' },
  'CO_LOCATION.BEFORE_OPENING': { 422: 'premises dated before the centre opened' },
  'CO_LOCATION.OUT_OF_ORDER': { 422: 'a new premises record must start after the latest one' },
  'CO_LOCATION.UNKNOWN_KIND': { 400: 'a sharedWith kind is not one the ledger knows' },
  'CO_LOCATION.SHARED_WITH_UNNAMED': { 400: 'a sharedWith entry names neither a party nor a name' },
  'CO_LOCATION.KIND_MISMATCH': { 422: 'a NAV kind names a party of another kind' },
  'CO_LOCATION.NAV_OF_OTHER_COUNTY': { 422: 'sharedWith names a NAV office of another county than the centre\'s (`details`: partyId, partyCountyId, countyId): it would be a co-located ground of this centre\'s NAV link' },
  'CO_LOCATION.NOT_FOUND': { 404: 'no premises record from that date stands for the centre (none was recorded, or it was withdrawn)' },
  'CO_LOCATION.CORRECTION_CHANGES_NOTHING': { 422: 'the correction gives the premises and sharedWith the record already says' },

  // ---- funding: money entries and staff positions ----
  'ENTRY.ALREADY_EXISTS': { 409: 'a funding entry with this id is already recorded (choose a new id, or correct it)' },
  'ENTRY.FIELD_MISSING': { 400: 'a field this kind of entry needs is missing (purpose, contractReference, incomeKind, inKindKind)' },
  'ENTRY.NOT_FOUND': { 404: 'no funding entry with this id is recorded' },
  'ENTRY.OTHER_CENTRE': { 422: 'the entry belongs to another centre' },
  'ENTRY.PARTY_OF_OTHER_COUNTY': { 422: 'the paying party is registered to another county than the centre\'s (`details`: partyId, partyCountyId, centreCountyId); parties without a county may pay' },
  'ENTRY.ALREADY_REVERSED': { 409: 'the entry is already reversed (`details.correctedByEntryId` when a correction replaced it: the entry to reverse or correct now)' },
  'ENTRY.CORRECTION_CHANGES_NOTHING': { 422: 'the correction changes nothing' },
  'ENTRY.FIELD_NOT_FOR_KIND': { 400: 'the correction gives a field this kind of entry does not have, e.g. an operating grant\'s purpose (`details`: fields, allowed)' },
  'ENTRY.DECIDED_IN_FUTURE': { 422: 'decidedOn is after today (Norway\'s date): money is recorded once decided' },
  'ENTRY.BEFORE_OPENING': { 422: 'the entry (or a correction\'s new entry) is for a fiscal year that ends before the centre opened' },
  'IN_KIND.NO_AMOUNT': { 400: 'an in-kind contribution has no amount (give estimatedValue)' },
  'STAFF.ALREADY_STARTED': { 409: 'a staff position with this id is already recorded' },
  'STAFF.NOT_FOUND': { 404: 'no staff position with this id is recorded' },
  'STAFF.OTHER_CENTRE': { 422: 'the position belongs to another centre' },
  'STAFF.FTE_INVALID': { 400: 'fte is not a decimal such as "0.5" with at most three decimals' },
  'STAFF.FTE_OUT_OF_RANGE': { 400: 'fte is not more than 0 and at most 1' },
  'STAFF.PAYER_INVALID': { 400: 'the payer is not {"kind": "centre"} or {"kind": "party", "partyId": …}' },
  'STAFF.ANNUAL_COST_TOO_LARGE': { 400: 'annualCost is above NOK 100 000 000 a year' },
  'STAFF.EMPLOYER_KIND_MISMATCH': { 422: 'the employer party is not of the employerKind given' },
  'STAFF.BEFORE_OPENING': { 422: 'the position would start before the centre opened' },
  'STAFF.CHANGED_BEFORE_START': { 422: 'the change takes effect before the position started' },
  'STAFF.CHANGED_AFTER_END': { 422: 'the change takes effect after the position ended' },
  'STAFF.ALREADY_ENDED': { 409: 'the position already ends on that day (another last day, earlier or later, corrects the end)' },
  'STAFF.ENDS_BEFORE_START': { 422: 'the position would end before it started' },
  'STAFF.ANNUAL_COST_REQUIRED': { 422: 'the FTE changes but no annualCost is given: the annual cost was for the old FTE; give the cost at the new one (or null)' },
  'STAFF.PARTY_OF_OTHER_COUNTY': { 422: 'the employer or payer party is registered to another county than the centre\'s' },

  // ---- Vox: grant schemes and the base grant ----
  'GRANT_SCHEME.ALREADY_PUBLISHED': { 409: 'the year\'s scheme is already published (amend it instead)' },
  'GRANT_SCHEME.NOT_FOUND': { 404: 'no grant scheme is published for the year' },
  'GRANT_SCHEME.ALREADY_ALLOCATED': { 422: 'the year\'s base grant is allocated; the scheme can no longer be amended' },
  'GRANT_SCHEME.YEAR_OUT_OF_RANGE': { 400: 'the scheme year is not from 2000 to 2100' },
  'GRANT_SCHEME.BASE_GRANT_INVALID': { 400: 'the base-grant sum is not a whole number of øre above zero' },
  'GRANT_SCHEME.UNKNOWN_CRITERIA_SET': { 400: 'there is no criteria set with this id', 422: 'the scheme names a criteria set this ledger does not know' },
  'GRANT_SCHEME.JUDGING_DATE_INVALID': { 400: 'the judging date is not a real calendar date written YYYY-MM-DD' },
  'GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE': { 422: 'the judging date is not within the year before to the year after the scheme year' },
  'GRANT_SCHEME.WINDOW_INVALID_DATE': { 400: 'a window date is not a real calendar date written YYYY-MM-DD' },
  'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START': { 422: 'a window ends before it starts (or the report deadline is before the report year)' },
  'GRANT_SCHEME.WINDOW_INVALID_AGE': { 400: 'freeGuidance.maxFromAge is not a whole age from 16 to 67' },
  'GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR': { 400: 'annualReport.reportYear is not within the five years up to the scheme year' },
  'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE': { 422: 'a window ends after the judging date' },
  'GRANT_SCHEME.VERSION_CHANGED': { 409: 'the scheme changed while the eligibility was computed; send it again' },
  'BASE_GRANT.ALREADY_ALLOCATED': { 409: 'the year\'s base grant is already allocated (record a correction instead)' },
  'BASE_GRANT.NOT_ALLOCATED': { 404: 'the year\'s base grant has not been allocated yet', 422: 'the year\'s base grant has not been allocated, so there is nothing to correct' },
  'BASE_GRANT.BEFORE_JUDGING_DATE': { 422: 'today is before the scheme\'s judging date' },
  'BASE_GRANT.DUPLICATE_COUNTY': { 400: 'a county appears twice (in the snapshot or the overrides)' },
  'BASE_GRANT.UNKNOWN_COUNTY': { 404: 'an override names a county that is not registered' },
  'BASE_GRANT.NO_ELIGIBLE_COUNTY': { 422: 'no county is eligible, so nobody shares the base grant; nothing was recorded' },
  'BASE_GRANT.CORRECTION_CHANGES_NOTHING': { 422: 'the correction gives every county the same verdict and amount as now' },

  // ---- grant evidence and stimulus grants ----
  'GRANT_EVIDENCE.BEFORE_OPENING': { 422: 'evidence dated before the centre opened' },
  'GRANT_EVIDENCE.IN_FUTURE': { 422: 'evidence dated after today (Norway\'s date): record it once it has happened' },
  'GRANT_EVIDENCE.AGE_OUT_OF_RANGE': { 400: 'fromAge is not a whole age from 0 to 120' },
  'GRANT_EVIDENCE.UNKNOWN_KIND': { 400: 'the activity kind is not one the ledger knows' },
  'GRANT_EVIDENCE.NO_TARGET_GROUP': { 400: 'name at least one target group' },
  'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP': { 400: 'a target group is not one the ledger knows' },
  'GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP': { 400: 'a target group is named twice' },
  'GRANT_EVIDENCE.NO_PARTICIPANTS': { 400: 'participants is not a whole number from 1 to 100000' },
  'GRANT_EVIDENCE.ID_TAKEN': { 409: 'evidence with this id is already recorded for the centre' },
  'GRANT_EVIDENCE.NOT_FOUND': { 404: 'no evidence with this id is recorded for the centre' },
  'GRANT_EVIDENCE.ALREADY_WITHDRAWN': { 409: 'the evidence is already withdrawn' },
  'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR': { 422: 'submittedOn is before the report year began' },
  'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END': { 422: 'submittedOn is before the report year ended (for a centre closed during that year: before its closing date)' },
  'ANNUAL_REPORT.YEAR_BEFORE_OPENING': { 422: 'the report year ended before the centre opened' },
  'ANNUAL_REPORT.ALREADY_SUBMITTED': { 409: 'the annual report for that year is already recorded' },
  'STIMULUS_GRANT.ALREADY_EXISTS': { 409: 'an application with this id already exists' },
  'STIMULUS_GRANT.UNKNOWN_PURPOSE': { 400: 'purpose is not establish-centre or development' },
  'STIMULUS_GRANT.IN_FUTURE': { 422: 'appliedOn is after today (Norway\'s date)' },
  'STIMULUS_GRANT.CENTRE_REQUIRED': { 400: 'development work names its centre (centreId)' },
  'STIMULUS_GRANT.CENTRE_NOT_EXPECTED': { 400: 'an application to establish a centre names no existing centre' },
  'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY': { 422: 'the centre belongs to another county' },
  'STIMULUS_GRANT.BEFORE_OPENING': { 422: 'appliedOn is before the centre opened' },
  'STIMULUS_GRANT.NOT_FOUND': { 404: 'no stimulus-grant application with this id' },
  'STIMULUS_GRANT.ALREADY_DECIDED': { 409: 'the application was already awarded or rejected (correct the decision instead)' },
  'STIMULUS_GRANT.AWARD_ABOVE_ASKED': { 422: 'the award is more than the county asked for' },
  'STIMULUS_GRANT.NOT_DECIDED': { 409: 'the application is not decided yet, so there is no decision to correct: decide it first: award or reject' },
  'STIMULUS_GRANT.UNKNOWN_OUTCOME': { 400: 'outcome is not awarded or rejected' },
  'STIMULUS_GRANT.DECISION_FIELDS': { 400: 'an award names its amount (and may have a note) and no reason; a rejection names its reason and no amount or note' },
  'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING': { 422: 'the correction gives the application the decision it already has (same outcome, amount, note and reason)' },

  // ---- reads ----
  'REQUEST.BAD_DETAIL': { 400: 'detail is not "full" or "summary"' },
  'STREAM.NOT_FOUND': { 404: 'there is no stream with this id' },
} as const satisfies Record<string, CodeMeanings>;

export type RefusalCode = keyof typeof REFUSALS;

/** A code, or a code with the one of its statuses that applies (for a code answered with more than one). */
export type RefusalOf<K extends Record<string, CodeMeanings>> = keyof K | { [C in keyof K]: readonly [C, keyof K[C] & ErrorStatus] }[keyof K];
export type Refusal = RefusalOf<typeof REFUSALS>;

/** What the command path itself may refuse any command with (validation, access, idempotency, concurrency, the store). */
export const COMMAND_PATH_REFUSALS: readonly Refusal[] = [
  'VALIDATION.FAILED',
  'VALIDATION.UNKNOWN_FIELD',
  'IDEMPOTENCY_KEY_INVALID',
  'ACCESS.ROLE_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_FLIGHT',
  'STREAM.WRONG_EXPECTED_REVISION',
  'STREAM.CONCURRENT_CHANGE',
  'STORE.BUSY',
  'STORE.OUTCOME_UNKNOWN',
  'STORE.STREAM_DELETED',
];

/** One refusal with its status and meaning, as the OpenAPI document lists it. */
export interface RefusalEntry {
  code: string;
  status: ErrorStatus;
  description: string;
}

/**
 * A list of refusals as entries, in the order given, each (code, status) once. A code answered with
 * more than one status must say which (a [code, status] pair): a plain code is taken only when it has one.
 */
export const refusalEntries = <K extends Record<string, CodeMeanings>>(catalogue: K, refusals: readonly RefusalOf<K>[]): RefusalEntry[] => {
  const out: RefusalEntry[] = [];
  const seen = new Set<string>();
  for (const r of refusals) {
    const [code, only] = (typeof r === 'string' ? [r, undefined] : r) as [string, ErrorStatus | undefined];
    const meanings = catalogue[code] as CodeMeanings | undefined;
    if (!meanings) throw new Error(`Error code ${code} is not in the catalogue (libs/application/src/error-codes.ts).`);
    const statuses = Object.keys(meanings).map(Number) as ErrorStatus[];
    if (only === undefined && statuses.length > 1) throw new Error(`${code} is answered with ${statuses.join(' or ')}: name the status ([code, status]).`);
    for (const status of only === undefined ? statuses : [only]) {
      const description = meanings[status];
      if (description === undefined) throw new Error(`${code} is not answered with ${status}.`);
      if (seen.has(`${code} ${status}`)) continue;
      seen.add(`${code} ${status}`);
      out.push({ code, status, description });
    }
  }
  return out;
};

// ---- groups several commands share, each mirroring the rule that throws them ----

/** parseOre (shared/money.ts): every way an amount is refused. */
export const AMOUNT_REFUSALS: readonly Refusal[] = ['MONEY.NOT_A_DECIMAL_STRING', 'MONEY.NEGATIVE', 'MONEY.FRACTIONAL_ORE', 'MONEY.INVALID', 'MONEY.ZERO', 'MONEY.TOO_LARGE'];

/** authorizeForCentre (counties/commands.ts): the centre must exist and be in one of the actor's counties. */
export const CENTRE_ACCESS_REFUSALS: readonly Refusal[] = ['CENTRE.NOT_FOUND', 'ACCESS.OTHER_COUNTY'];

/** normaliseContent (governance/content.ts), with the budget lines' amounts: a decision's content. */
export const CONTENT_REFUSALS: readonly Refusal[] = [
  ...AMOUNT_REFUSALS,
  'PARTY.NOT_FOUND',
  'PROPOSAL.CONTENT_NOT_FOR_KIND',
  'PROPOSAL.BUDGET_WITHOUT_LINES',
  'PROPOSAL.UNKNOWN_MONEY_KIND',
  'PROPOSAL.PLAN_WITHOUT_GOALS',
  'PROPOSAL.PARTY_OF_OTHER_COUNTY',
];

/** requireMemberOn and requireOwnActOn (governance/board.ts), and authorize's requireSomeTerm: the person acting must be a member of the board on the date (acting for themselves, by a term not ended before today). */
export const ACTING_MEMBER_REFUSALS: readonly Refusal[] = [['BOARD.FORMER_MEMBER', 403], 'BOARD.NOT_YET_MEMBER', ['BOARD.NOT_A_MEMBER', 403]];

/** terms() of grant-schemes (grants/scheme.ts, grants/criteria.ts): a scheme's sum, criteria set, judging date and windows. */
export const SCHEME_TERMS_REFUSALS: readonly Refusal[] = [
  ...AMOUNT_REFUSALS,
  'GRANT_SCHEME.YEAR_OUT_OF_RANGE',
  ['GRANT_SCHEME.UNKNOWN_CRITERIA_SET', 400],
  'GRANT_SCHEME.JUDGING_DATE_INVALID',
  'GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE',
  'GRANT_SCHEME.WINDOW_INVALID_DATE',
  'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START',
  'GRANT_SCHEME.WINDOW_INVALID_AGE',
  'GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR',
  'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE',
];

/** allocation() (grants/scheme.ts): the snapshot handed in and the split. */
export const ALLOCATION_REFUSALS: readonly Refusal[] = ['BASE_GRANT.BEFORE_JUDGING_DATE', 'GRANT_SCHEME.VERSION_CHANGED', 'BASE_GRANT.DUPLICATE_COUNTY', 'BASE_GRANT.NO_ELIGIBLE_COUNTY'];
