import { nameOn, namesByDate, renameAfter, UpcomingRename } from '../../../domain/src/counties/centre-names';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { get } from '../governance/evidence';
import { Projection } from '../projection';

export interface CentreEntry {
  centreId: string;
  countyId: string;
  /**
   * In the view: the name given last (by the latest rename recorded, whatever day it takes effect).
   * No answer shows it as it is: the directory routes answer the name in force today (centreOnDay),
   * the governance ones the name on their date. `names` has every name with its first day, in the
   * order recorded (namesByDate puts them in date order, libs/domain/src/counties/centre-names.ts).
   */
  name: string;
  municipality: string;
  openedOn: string;
  closedOn: string | null;
  names: { name: string; from: string }[];
  registeredAtPosition: number;
}

/** A centre as the directory routes answer it on a day: the name in force that day, and the next rename if one is dated later. */
export interface CentreOnDay extends CentreEntry {
  upcomingRename: UpcomingRename | null;
}

/** A centre's name in force on a day (the governance answers' `name`, on their date). */
export const centreNameOn = (c: CentreEntry, day: IsoDate): string => nameOn(namesByDate(c.names), day);

/**
 * A centre's directory answer on `day` (today's date in Norway, for GET /centres and the counties'
 * centre lists): `name` is the name in force that day, `upcomingRename` the earliest rename dated
 * after it (null when none). Such an answer changes when a rename's day comes, so it must not be
 * kept past midnight; without an upcoming rename it stays the same every later day.
 */
export const centreOnDay = (c: CentreEntry, day: IsoDate): CentreOnDay => {
  const byDate = namesByDate(c.names);
  return { ...c, name: nameOn(byDate, day), upcomingRename: renameAfter(byDate, day) };
};

export interface CountyEntry {
  countyId: string;
  name: string;
  countyNumber: string;
  centreIds: string[];
}

export interface DirectoryView {
  counties: Record<string, CountyEntry>;
  centres: Record<string, CentreEntry>;
}

/** Which counties and centres exist: the lookup every other query starts from. */
export const centreDirectory: Projection<DirectoryView> = {
  name: 'centre-directory',
  version: 1,
  initial: () => ({ counties: {}, centres: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    switch (e.type) {
      case 'CountyRegistered':
        view.counties[d.countyId] = { countyId: d.countyId, name: d.name, countyNumber: d.countyNumber, centreIds: [] };
        break;
      case 'CentreRegistered':
        view.centres[d.centreId] = { centreId: d.centreId, countyId: d.countyId, name: d.name, municipality: d.municipality, openedOn: d.openedOn, closedOn: null, names: [{ name: d.name, from: d.openedOn }], registeredAtPosition: e.position };
        get(view.counties, d.countyId)?.centreIds.push(d.centreId);
        break;
      case 'CentreRenamed': {
        const c = get(view.centres, d.centreId);
        if (c) {
          c.name = d.name;
          c.names.push({ name: d.name, from: d.effectiveFrom });
        }
        break;
      }
      case 'CentreClosed': {
        const c = get(view.centres, d.centreId);
        if (c) c.closedOn = d.closedOn;
        break;
      }
    }
    return view;
  },
};
