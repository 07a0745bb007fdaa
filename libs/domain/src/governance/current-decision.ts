import { IsoDate } from '../shared';

/**
 * Which of two adopted decisions is the current one: the one decided later; on the same day, the one
 * recorded later (higher log position). Minutes are often entered after the fact, so the order of
 * recording alone would let a backfilled older decision replace a newer one. The governance profile,
 * the NAV link and the funding mix's budget all order decisions by this, so they agree.
 * Negative when a is older than b, positive when newer.
 */
export const compareDecided = (aDecidedOn: IsoDate, aPosition: number, bDecidedOn: IsoDate, bPosition: number): number =>
  aDecidedOn < bDecidedOn ? -1 : aDecidedOn > bDecidedOn ? 1 : aPosition - bPosition;

/** True when decision a is current over decision b (see compareDecided). */
export const decidedAfter = (aDecidedOn: IsoDate, aPosition: number, bDecidedOn: IsoDate, bPosition: number): boolean => compareDecided(aDecidedOn, aPosition, bDecidedOn, bPosition) > 0;
