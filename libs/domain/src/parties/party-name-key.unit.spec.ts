import { centreNameKey } from '../counties/centre';
import { partyNameKey } from './party';

describe('partyNameKey (and centreNameKey): Unicode compatibility forms fold', () => {
  it('fullwidth letters, an ideographic space, ligatures and superscript digits are the plain name', () => {
    const key = partyNameKey('Telemark fylkeskommune');
    expect(partyNameKey('ｔｅｌｅｍａｒｋ fylkeskommune')).toBe(key);
    expect(partyNameKey('ＴＥＬＥＭＡＲＫ\u3000ＦＹＬＫＥＳＫＯＭＭＵＮＥ')).toBe(key);
    expect(partyNameKey('ﬁskevåg kommune')).toBe(partyNameKey('Fiskevåg kommune'));
    expect(partyNameKey('Senter ²')).toBe(partyNameKey('senter 2'));
    expect(centreNameKey('ｋａｒｒｉｅｒｅｓｅｎｔｅｒｅｔ Notodden')).toBe(centreNameKey('Karrieresenteret Notodden'));
  });

  it('still tells different letters apart, and what it did before still holds (case, whitespace, NFD)', () => {
    expect(partyNameKey('Ålesund kommune')).not.toBe(partyNameKey('Alesund kommune'));
    expect(partyNameKey('Ålesund kommuné')).not.toBe(partyNameKey('Ålesund kommune'));
    expect(partyNameKey(' A\u030Alesund\u00A0KOMMUNE ')).toBe(partyNameKey('Ålesund kommune'));
    expect(partyNameKey('Østfold\u200Bfylkeskommune')).toBe(partyNameKey('østfold fylkeskommune'));
  });
});
