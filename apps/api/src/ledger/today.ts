import { keepOutOfAnswerCache } from '../http/answer-cache';
import { IsoDate, osloDateOf } from '../../../../libs/domain/src/shared';

/** Today as every read route means it: the date in Norway now (the domain stays clock-free; the edge reads the clock). */
export const todayInNorway = (): IsoDate => osloDateOf(new Date().toISOString());

/**
 * Directory entries as answered today: each as on today's date, with the next rename dated later. An
 * answer that names such a rename changes on that day although its URL does not, so it is kept out of
 * the answer cache (like a `?date=` left to default to today); one without may be kept.
 */
export const answeredToday = <E, A extends { upcomingRename: unknown }>(entries: readonly E[], onDay: (e: E, day: IsoDate) => A, req: object): A[] => {
  const today = todayInNorway();
  const answers = entries.map((e) => onDay(e, today));
  if (answers.some((a) => a.upcomingRename !== null)) keepOutOfAnswerCache(req);
  return answers;
};
