import { IsoDate, osloDateOf } from '../../../../libs/domain/src/shared';

/** Today as every read route means it: the date in Norway now (the domain stays clock-free; the edge reads the clock). */
export const todayInNorway = (): IsoDate => osloDateOf(new Date().toISOString());
