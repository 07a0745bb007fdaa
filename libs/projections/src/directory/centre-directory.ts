import { RecordedEvent } from '../../../domain/src/shared';
import { get } from '../governance/evidence';
import { Projection } from '../projection';

export interface CentreEntry {
  centreId: string;
  countyId: string;
  /**
   * The name given last (by the latest rename recorded, whatever day it takes effect). Not "the
   * name today": that would make the cached /centres answers depend on the date. `names` has every
   * name with its first day, in the order recorded (for the name on a day, order them by date with
   * withName, libs/domain/src/counties/centre-names.ts).
   */
  name: string;
  municipality: string;
  openedOn: string;
  closedOn: string | null;
  names: { name: string; from: string }[];
  registeredAtPosition: number;
}

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
